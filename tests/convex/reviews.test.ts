// Review replies, reports and moderation (issue 24): one reply per review (editable), reports with a reason,
// admins hide (audited) or dismiss; hidden reviews leave the maintained average and distribution.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { UserIdentity } from "convex/server";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";
import { endedSessionDoc } from "./sessionFixtures";

const client = localIdentity("client1");
const client2 = localIdentity("client2");
const advisor = localIdentity("advisor1");
const advisor2 = localIdentity("advisor2");
const admin = localIdentity("admin1");
const page = { numItems: 20, cursor: null };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  vi.useRealTimers();
});

/** A chat session between them that ended a minute ago, at $1.00/min for $10.00. */
async function endedSession(t: Test, ids: { clientId: Id<"users">; advisorId: Id<"users"> }) {
  return await t.run(async (ctx) =>
    ctx.db.insert(
      "sessions",
      endedSessionDoc(ids, { endedAt: Date.now() - 60_000, rateCentsPerMinute: 100, costCents: 1_000 }),
    ),
  );
}

/** The reviews mutations as `who`. */
function reviewsAs(t: Test, who: Partial<UserIdentity>) {
  const as = t.withIdentity(who);
  return {
    reply: (reviewId: Id<"reviews">, reply: string) => as.mutation(api.reviews.reply, { reviewId, reply }),
    editReply: (reviewId: Id<"reviews">, reply: string) => as.mutation(api.reviews.editReply, { reviewId, reply }),
    report: (reviewId: Id<"reviews">, reason: string) => as.mutation(api.reviews.report, { reviewId, reason }),
    decide: (reportId: Id<"reviewReports">, decision: "hide" | "dismiss", note: string) =>
      as.mutation(api.reviews.decide, { reportId, decision, note }),
  };
}

async function rated(t: Test, ids: { clientId: Id<"users">; advisorId: Id<"users"> }, rating: number) {
  const sessionId = await endedSession(t, ids);
  await t.withIdentity(client).mutation(api.sessions.rate, { sessionId, rating, comment: `${rating} stars` });
  return (await t.run(async (ctx) =>
    ctx.db
      .query("reviews")
      .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
      .unique(),
  ))!._id;
}

async function setup() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  await insertUser(t, "client2", "client");
  await insertUser(t, "admin1", "admin");
  const profileId = await addAdvisor(t, "advisor1", { displayName: "Luna", categories: ["tarot"], status: "approved" });
  await addAdvisor(t, "advisor2", { displayName: "Marcus", categories: ["tarot"], status: "approved" });
  const advisorId = (await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId)))!.userId;
  const ids = { clientId, advisorId };
  const five = await rated(t, ids, 5);
  const four = await rated(t, ids, 4);
  const one = await rated(t, ids, 1);
  return { t, profileId, advisorId, five, four, one };
}

describe("advisor replies", () => {
  it(
    "replies once per review, edits the reply; the reply shows on the public profile",
    { timeout: 30_000 },
    async () => {
      const { t, profileId, one } = await setup();
      await reviewsAs(t, advisor).reply(one, "Sorry it did not help; come back any time.");
      await expectAppError(reviewsAs(t, advisor).reply(one, "Second reply"), "CONFLICT");
      vi.setSystemTime(Date.now() + 60_000);
      await reviewsAs(t, advisor).editReply(one, "Sorry it did not help; your next 5 minutes are on me.");
      const reviews = await t.query(api.advisorProfiles.listReviews, { profileId, paginationOpts: page });
      expect(reviews.page.find((r) => r._id === one)).toMatchObject({
        reply: "Sorry it did not help; your next 5 minutes are on me.",
      });
      const mine = await t.withIdentity(advisor).query(api.reviews.listMine, { paginationOpts: page });
      expect(mine.page.find((r) => r._id === one)?.replyEditedAt).not.toBeNull();
    },
  );

  it("another advisor cannot reply or edit; a client cannot reply; empty or long replies are refused", async () => {
    const { t, five, four } = await setup();
    await expectAppError(reviewsAs(t, advisor2).reply(five, "Not my review"), "NOT_FOUND");
    await expectAppError(reviewsAs(t, client).reply(five, "Me too"), "FORBIDDEN");
    await expectAppError(reviewsAs(t, advisor).editReply(four, "Nothing to edit"), "CONFLICT");
    await expectAppError(reviewsAs(t, advisor).reply(four, "   "), "INVALID_ARGUMENT");
    await expectAppError(reviewsAs(t, advisor).reply(four, "x".repeat(1_001)), "INVALID_ARGUMENT");
    await reviewsAs(t, advisor).reply(five, "Thank you!");
    await expectAppError(reviewsAs(t, advisor2).editReply(five, "Hijack"), "NOT_FOUND");
  });
});

describe("reports and moderation", () => {
  it("hiding a reported review removes it from the list, the average and the distribution; audited", async () => {
    const { t, profileId, advisorId, one } = await setup();
    const before = await t.query(api.advisorProfiles.getPublic, { profileId });
    expect(before).toMatchObject({ ratingCount: 3, ratingTenths: 33, distribution: [1, 0, 0, 1, 1] });

    const { reportId } = await reviewsAs(t, advisor).report(one, "Abusive language about me.");
    await reviewsAs(t, client2).report(one, "Looks fake to me.");
    await expectAppError(reviewsAs(t, advisor).report(one, "Again and again."), "CONFLICT");
    await expectAppError(reviewsAs(t, client2).report(one, "no"), "INVALID_ARGUMENT");
    await expectAppError(reviewsAs(t, advisor).decide(reportId, "hide", "Mine"), "FORBIDDEN");

    const open = await t.withIdentity(admin).query(api.reviews.adminReports, { paginationOpts: page });
    expect(open.page).toHaveLength(2);
    await expectAppError(reviewsAs(t, admin).decide(reportId, "hide", ""), "INVALID_ARGUMENT");
    await reviewsAs(t, admin).decide(reportId, "hide", "Personal attack, against the guidelines.");

    const after = await t.query(api.advisorProfiles.getPublic, { profileId });
    expect(after).toMatchObject({ ratingCount: 2, ratingTenths: 45, distribution: [0, 0, 0, 1, 1] });
    const listed = await t.query(api.advisorProfiles.listReviews, { profileId, paginationOpts: page });
    expect(listed.page.map((r) => r._id)).not.toContain(one);
    expect(listed.page).toHaveLength(2);
    // Every open report of that review is closed by the one decision.
    expect((await t.withIdentity(admin).query(api.reviews.adminReports, { paginationOpts: page })).page).toHaveLength(
      0,
    );
    expect(
      (await t.withIdentity(admin).query(api.reviews.adminReports, { status: "hidden", paginationOpts: page })).page,
    ).toHaveLength(2);
    const audit = await t.run(async (ctx) =>
      ctx.db
        .query("auditLog")
        .withIndex("by_target", (q) => q.eq("targetTable", "reviews").eq("targetId", one))
        .collect(),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "review.hidden", actorId: expect.any(String) });
    expect(audit[0]!.details).toContain("Personal attack");
    // A hidden review cannot be reported again or replied to; deciding twice is refused.
    await expectAppError(reviewsAs(t, client).report(one, "Reporting again."), "NOT_FOUND");
    await expectAppError(reviewsAs(t, advisor).reply(one, "Late reply"), "CONFLICT");
    await expectAppError(reviewsAs(t, admin).decide(reportId, "hide", "Once more"), "CONFLICT");
    const profile = await t.run(async (ctx) =>
      ctx.db
        .query("advisorProfiles")
        .withIndex("by_user", (q) => q.eq("userId", advisorId))
        .unique(),
    );
    expect(profile).toMatchObject({ ratingSum: 9, ratingCount: 2 });
  });

  it("dismissing keeps the review and its rating", async () => {
    const { t, profileId, four } = await setup();
    const { reportId } = await reviewsAs(t, client2).report(four, "I disagree with it.");
    await expectAppError(reviewsAs(t, client2).decide(reportId, "dismiss", "Nope"), "FORBIDDEN");
    await reviewsAs(t, admin).decide(reportId, "dismiss", "Honest opinion, allowed.");
    expect(await t.query(api.advisorProfiles.getPublic, { profileId })).toMatchObject({
      ratingCount: 3,
      distribution: [1, 0, 0, 1, 1],
    });
    const audit = await t.run(async (ctx) =>
      ctx.db
        .query("auditLog")
        .withIndex("by_action", (q) => q.eq("action", "review.report_dismissed"))
        .collect(),
    );
    expect(audit).toHaveLength(1);
  });

  it("the distribution is maintained: reviews from before the counter are counted once, then kept up to date", async () => {
    const { t, profileId, advisorId } = await setup();
    const clientId = (await t.run(async (ctx) =>
      ctx.db
        .query("users")
        .withIndex("by_role", (q) => q.eq("role", "client"))
        .first(),
    ))!._id;
    // Simulate an advisor rated before distributions were maintained: drop the row, add a legacy 2-star review.
    await t.run(async (ctx) => {
      for (const row of await ctx.db.query("ratingDistributions").collect())
        await ctx.db.delete("ratingDistributions", row._id);
    });
    const legacySession = await endedSession(t, { clientId, advisorId });
    await t.run(async (ctx) =>
      ctx.db.insert("reviews", {
        sessionId: legacySession,
        clientId,
        advisorId,
        rating: 2,
        comment: "old",
        createdAt: Date.now(),
      }),
    );
    expect((await t.query(api.advisorProfiles.getPublic, { profileId }))!.distribution).toEqual([1, 1, 0, 1, 1]);
    await rated(t, { clientId, advisorId }, 5);
    expect((await t.query(api.advisorProfiles.getPublic, { profileId }))!.distribution).toEqual([1, 1, 0, 1, 2]);
    expect(await t.run(async (ctx) => (await ctx.db.query("ratingDistributions").collect()).length)).toBe(1);
  });
});
