// Demo data for the local stack. Run at every local backend start; does nothing once seeded.
import { internalMutation } from "./functions";
import { DEMO_ACCOUNTS } from "../lib/demoAccounts";
import { SEED_ADVISORS, avatarPathFor, seedSessionPlan } from "../lib/seedData";
import { localTokenIdentifier } from "../lib/localAuth";
import type { Id } from "./_generated/dataModel";
import { postEvent } from "./model/ledgerEvents";
import { derivedProfileFields } from "../lib/advisors/rules";
import { patchProfile } from "./model/advisors";
import { countRating } from "./model/reviews";
import { feeSplit } from "../lib/ledger/templates";

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_FEE_BPS = 1000;

const REVIEW_LINES = [
  "Really helpful and kind. I left with a plan.",
  "Clear answers, no fluff. Will book again.",
  "Good session, a bit short on time but worth it.",
  "Exactly what I needed this week.",
  "Insightful and warm. Thank you!",
];

export const seedDemo = internalMutation({
  args: {},
  handler: async (ctx) => {
    const marker = await ctx.db
      .query("users")
      .withIndex("by_token", (q) => q.eq("tokenIdentifier", localTokenIdentifier("demo-admin")))
      .unique();
    if (marker !== null) return { seeded: false };

    const now = Date.now();
    const userIds = new Map<string, Id<"users">>();
    for (const account of DEMO_ACCOUNTS) {
      if (account.role === "advisor") continue;
      userIds.set(
        account.subject,
        await ctx.db.insert("users", {
          tokenIdentifier: localTokenIdentifier(account.subject),
          name: account.name,
          email: account.email,
          role: account.role,
          status: "active",
          createdAt: now - 60 * DAY_MS,
        }),
      );
    }

    const advisorIds: Id<"users">[] = [];
    for (const [index, advisor] of SEED_ADVISORS.entries()) {
      const userId = await ctx.db.insert("users", {
        tokenIdentifier: localTokenIdentifier(advisor.subject),
        name: advisor.name,
        email: advisor.email,
        role: "advisor",
        status: "active",
        avatarUrl: avatarPathFor(index),
        createdAt: now - (90 - index) * DAY_MS,
      });
      advisorIds.push(userId);
      const availability = advisor.online ? ("online" as const) : ("offline" as const);
      const listed = {
        displayName: advisor.name,
        headline: advisor.headline,
        bio: advisor.bio,
        tags: advisor.tags,
        ratingSum: 0,
        ratingCount: 0,
      };
      await ctx.db.insert("advisorProfiles", {
        ...derivedProfileFields({ ...listed, availability }),
        userId,
        displayName: advisor.name,
        headline: advisor.headline,
        bio: advisor.bio,
        categories: advisor.categories,
        tags: advisor.tags,
        languages: advisor.languages,
        yearsExperience: advisor.yearsExperience,
        avatarUrl: avatarPathFor(index),
        chatRateCentsPerMinute: advisor.chatRateCentsPerMinute,
        videoRateCentsPerMinute: advisor.videoRateCentsPerMinute,
        status: "approved",
        availability,
        preferredAvailability: availability,
        ratingSum: 0,
        ratingCount: 0,
        completedSessions: 0,
        createdAt: now - (90 - index) * DAY_MS,
      });
    }

    // Past sessions with reviews so that lists and ratings have something real to show.
    const clientId = userIds.get("demo-client");
    if (clientId === undefined) throw new Error("seed: demo client missing");
    // Settlements are posted after the top-ups below, so the wallets fund them through the ledger.
    const settlements: {
      sessionId: Id<"sessions">;
      advisorId: Id<"users">;
      costCents: number;
      feeCents: number;
      shareCents: number;
      endedAt: number;
    }[] = [];
    for (const { index: i, advisorIndex, billableSeconds, costCents } of seedSessionPlan(advisorIds.length)) {
      const advisorId = advisorIds[advisorIndex]!;
      const advisor = SEED_ADVISORS[advisorIndex]!;
      const startedAt = now - (i + 1) * 2 * DAY_MS;
      const sessionId = await ctx.db.insert("sessions", {
        clientId,
        advisorId,
        kind: i % 3 === 0 && advisor.videoRateCentsPerMinute !== null ? "video" : "chat",
        status: "ended",
        rateCentsPerMinute: advisor.chatRateCentsPerMinute,
        feeBps: DEFAULT_FEE_BPS,
        requestedAt: startedAt - 20_000,
        expiresAt: startedAt + 40_000,
        freeSeconds: 0,
        segments: [{ startedAt, endedAt: startedAt + billableSeconds * 1000 }],
        provider: "builtin",
        startedAt,
        endedAt: startedAt + billableSeconds * 1000,
        billableSeconds,
        costCents,
      });
      settlements.push({
        sessionId,
        advisorId,
        costCents,
        ...feeSplit(costCents, DEFAULT_FEE_BPS),
        endedAt: startedAt + billableSeconds * 1000,
      });
      const rating = 3 + (i % 3);
      await countRating(ctx, advisorId, rating, 1); // the per-star distribution is maintained (issue 24)
      await ctx.db.insert("reviews", {
        sessionId,
        clientId,
        advisorId,
        rating,
        comment: REVIEW_LINES[i % REVIEW_LINES.length]!,
        createdAt: startedAt + billableSeconds * 1000 + 60_000,
      });
      const profile = await ctx.db
        .query("advisorProfiles")
        .withIndex("by_user", (q) => q.eq("userId", advisorId))
        .unique();
      if (profile !== null) {
        await patchProfile(ctx, profile, {
          ratingSum: profile.ratingSum + rating,
          ratingCount: profile.ratingCount + 1,
          completedSessions: profile.completedSessions + 1,
        });
      }
    }

    // Ledger: every demo client gets its wallet through a real top-up journal. The demo client's top-up
    // also covers its past sessions, so its balance after settlement is exactly `walletCents`.
    const spentCents = settlements.reduce((sum, s) => sum + s.costCents, 0);
    for (const account of DEMO_ACCOUNTS) {
      const userId = userIds.get(account.subject);
      if (account.role !== "client" || userId === undefined || !account.walletCents) continue;
      const amountCents = account.walletCents + (userId === clientId ? spentCents : 0);
      await postEvent(ctx, {
        event: { kind: "top_up", clientId: userId, amountCents },
        idempotencyKey: `seed:topup:${account.subject}`,
        memo: "Demo top-up",
        createdAt: now - 59 * DAY_MS,
      });
    }
    for (const s of [...settlements].reverse()) {
      const settled = await postEvent(ctx, {
        event: {
          kind: "session_settled",
          clientId,
          advisorId: s.advisorId,
          costCents: s.costCents,
          feeCents: s.feeCents,
        },
        idempotencyKey: `session:${s.sessionId}:settlement`,
        refs: { sessionId: s.sessionId },
        memo: "Session settled",
        createdAt: s.endedAt,
      });
      const released = await postEvent(ctx, {
        event: { kind: "earnings_released", advisorId: s.advisorId, amountCents: s.shareCents },
        idempotencyKey: `session:${s.sessionId}:release`,
        refs: { sessionId: s.sessionId },
        memo: "Earnings released after the hold",
        createdAt: s.endedAt + DAY_MS,
      });
      await ctx.db.patch("sessions", s.sessionId, {
        feeCents: s.feeCents,
        shareCents: s.shareCents,
        promoCents: 0,
        settlementJournalId: settled.journalId,
      });
      await ctx.db.insert("earnings", {
        advisorId: s.advisorId,
        sessionId: s.sessionId,
        grossCents: s.costCents,
        feeCents: s.feeCents,
        netCents: s.shareCents,
        feeBps: DEFAULT_FEE_BPS,
        status: "available",
        settledAt: s.endedAt,
        availableAt: s.endedAt + DAY_MS,
        releasedAt: s.endedAt + DAY_MS,
        settlementJournalId: settled.journalId,
        releaseJournalId: released.journalId,
      });
    }
    return { seeded: true };
  },
});
