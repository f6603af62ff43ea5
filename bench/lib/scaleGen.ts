/**
 * The scale dataset: users, approved advisors, ended sessions, earnings and the ledger, built with the app's own
 * model code on an in-memory db (scaleDb.ts): every journal goes through postEvent (the posting templates,
 * postJournal, the balance rows and rollups it maintains), every earning through createEarning/releaseEarning,
 * and the hourly rollup rows are folded into day rows as the cron does. Deterministic for a given fraction.
 * Fraction 1.0 = 1,000,000 clients, 20,000 advisors, 2,000,000 sessions over 90 days (≈ 10M ledger entries).
 * Clients and advisors are picked with a skew (index = n·u², u uniform), so there is a busiest client and advisor.
 */
import type { Doc as ModelDoc, Id } from "../../convex/_generated/dataModel";
import { postEvent } from "../../convex/model/ledgerEvents";
import { createEarning, releaseEarning } from "../../convex/model/earnings";
import { foldHours } from "../../convex/model/rollups";
import { chargeFor, SESSION_RULES } from "../../lib/billingEngine";
import { derivedProfileFields, DEFAULT_FEE_BPS } from "../../lib/advisors/rules";
import { localTokenIdentifier } from "../../lib/localAuth";
import { SEED_ADVISORS } from "../../lib/seedData";
import { ScaleDb } from "./scaleDb";

const DAY_MS = 86_400_000;
const TOP_UP_CENTS = [2_000, 5_000, 10_000, 25_000];

export type ScaleSizes = { clients: number; advisors: number; sessions: number; days: number };

export function sizesFor(fraction: number): ScaleSizes {
  return {
    clients: Math.max(10, Math.round(1_000_000 * fraction)),
    advisors: Math.max(3, Math.round(20_000 * fraction)),
    sessions: Math.max(20, Math.round(2_000_000 * fraction)),
    days: 90,
  };
}

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ScaleUser = { id: string; subject: string; count: number };
export type ScaleDataset = {
  db: ScaleDb;
  sizes: ScaleSizes;
  now: number;
  busiestClient: ScaleUser;
  busiestAdvisor: ScaleUser;
  /** expected totals, checked against the ledger after loading */
  expected: { topUpCents: number; spentCents: number; feeCents: number; journals: number };
};

type UserId = Id<"users">;
type Ev = { at: number; seq: number; run: () => Promise<void> };

export async function generateScale(
  fraction: number,
  now: number,
  log: (line: string) => void = () => {},
): Promise<ScaleDataset> {
  const sizes = sizesFor(fraction);
  const random = rng(25);
  const db = new ScaleDb();
  const ctx = db.ctx();
  const start = now - sizes.days * DAY_MS;

  db.clock = start - 3 * sizes.days * DAY_MS;
  const user = (subject: string, name: string, role: "client" | "advisor" | "admin", createdAt: number) =>
    db.insert("users", {
      tokenIdentifier: localTokenIdentifier(subject),
      name,
      email: `${subject}@scale.test`,
      role,
      status: "active",
      createdAt,
    }) as UserId;
  user("demo-admin", "Avery Admin", "admin", db.clock);
  const advisors: { id: UserId; rate: number; profileId: string; sessions: number }[] = [];
  for (let i = 0; i < sizes.advisors; i++) {
    const seed = SEED_ADVISORS[i % SEED_ADVISORS.length]!;
    const id = user(`scale-advisor-${i}`, `${seed.name} ${i}`, "advisor", db.clock);
    const listed = { displayName: `${seed.name} ${i}`, headline: seed.headline, bio: seed.bio, tags: seed.tags };
    const availability = i % 4 === 0 ? ("online" as const) : ("offline" as const);
    const profileId = db.insert("advisorProfiles", {
      ...derivedProfileFields({ ...listed, ratingSum: 0, ratingCount: 0, availability }),
      ...listed,
      userId: id,
      categories: seed.categories,
      languages: seed.languages,
      yearsExperience: seed.yearsExperience,
      chatRateCentsPerMinute: seed.chatRateCentsPerMinute,
      videoRateCentsPerMinute: seed.videoRateCentsPerMinute,
      status: "approved",
      availability,
      preferredAvailability: availability,
      online: availability === "online",
      ratingSum: 0,
      ratingCount: 0,
      completedSessions: 0,
      createdAt: db.clock,
    });
    advisors.push({ id, rate: seed.chatRateCentsPerMinute, profileId, sessions: 0 });
  }
  const clients: { id: UserId; walletCents: number; sessions: number }[] = [];
  for (let i = 0; i < sizes.clients; i++) {
    // Signed up before the window (a signup top-up must precede every session it funds).
    db.clock = start - Math.floor((1 - i / sizes.clients) * 2 * sizes.days * DAY_MS) - DAY_MS;
    clients.push({ id: user(`scale-client-${i}`, `Client ${i}`, "client", db.clock), walletCents: 0, sessions: 0 });
  }
  log(`users: ${sizes.clients} clients, ${sizes.advisors} advisors`);

  // Plan the business events (wallets are tracked here so that every settlement is funded), then post in time order.
  const events: Ev[] = [];
  let seq = 0;
  const expected = { topUpCents: 0, spentCents: 0, feeCents: 0, journals: 0 };
  const topUp = (c: (typeof clients)[number], at: number, amountCents: number) => {
    c.walletCents += amountCents;
    expected.topUpCents += amountCents;
    expected.journals++;
    const key = `scale:topup:${c.id}:${seq}`;
    events.push({
      at,
      seq: seq++,
      run: async () => {
        await postEvent(ctx, {
          event: { kind: "top_up", clientId: c.id, amountCents },
          idempotencyKey: key,
          createdAt: at,
        });
      },
    });
  };
  for (const c of clients)
    if (random() < 0.3) topUp(c, (db.table("users").get(c.id)!.createdAt as number) + 60_000, 2_000);
  const sessionStarts = Array.from(
    { length: sizes.sessions },
    () => start + random() * (sizes.days * DAY_MS - 2 * 3_600_000),
  );
  sessionStarts.sort((a, b) => a - b);
  for (const startedAt0 of sessionStarts) {
    const startedAt = Math.floor(startedAt0);
    const c = clients[Math.floor(sizes.clients * random() ** 2)]!;
    const a = advisors[Math.floor(sizes.advisors * random() ** 2)]!;
    const billableSeconds = 60 + Math.floor(random() * 1_740);
    const charge = chargeFor({ rateCentsPerMinute: a.rate, feeBps: DEFAULT_FEE_BPS, billableSeconds });
    if (c.walletCents < charge.costCents)
      topUp(
        c,
        startedAt - 60_000,
        Math.max(charge.costCents, TOP_UP_CENTS[Math.floor(random() * TOP_UP_CENTS.length)]!),
      );
    c.walletCents -= charge.costCents;
    c.sessions++;
    a.sessions++;
    expected.spentCents += charge.costCents;
    expected.feeCents += charge.feeCents;
    expected.journals += now > startedAt + billableSeconds * 1000 + SESSION_RULES.earningsHoldMs ? 2 : 1;
    const endedAt = startedAt + billableSeconds * 1000;
    let earningId: Id<"earnings"> | null = null;
    events.push({
      at: endedAt,
      seq: seq++,
      run: async () => {
        db.clock = startedAt;
        const sessionId = db.insert("sessions", {
          clientId: c.id,
          advisorId: a.id,
          kind: "chat",
          status: "ended",
          rateCentsPerMinute: a.rate,
          feeBps: DEFAULT_FEE_BPS,
          freeSeconds: 0,
          requestedAt: startedAt - 20_000,
          expiresAt: startedAt + 40_000,
          startedAt,
          segments: [{ startedAt, endedAt }],
          endedAt,
          endReason: "client_ended",
          endedBy: c.id,
          provider: "builtin",
        }) as Id<"sessions">;
        db.clock = endedAt;
        const { journalId } = await postEvent(ctx, {
          event: {
            kind: "session_settled",
            clientId: c.id,
            advisorId: a.id,
            costCents: charge.costCents,
            feeCents: charge.feeCents,
            promoCents: 0,
          },
          idempotencyKey: `session:${sessionId}:settlement`,
          refs: { sessionId },
          actorId: c.id,
          memo: `chat session, ${billableSeconds} s`,
          createdAt: endedAt,
        });
        await ctx.db.patch("sessions", sessionId, {
          billableSeconds: charge.billableSeconds,
          costCents: charge.costCents,
          promoCents: charge.promoCents,
          feeCents: charge.feeCents,
          shareCents: charge.shareCents,
          settlementJournalId: journalId,
        });
        const session = (await ctx.db.get("sessions", sessionId)) as ModelDoc<"sessions">;
        earningId = await createEarning(ctx, { session, charge, journalId, at: endedAt });
      },
    });
    const releaseAt = endedAt + SESSION_RULES.earningsHoldMs;
    if (releaseAt < now)
      events.push({
        at: releaseAt,
        seq: seq++,
        run: async () => {
          db.clock = releaseAt;
          await releaseEarning(ctx, earningId!, releaseAt);
        },
      });
  }
  events.sort((x, y) => x.at - y.at || x.seq - y.seq);
  log(`events planned: ${events.length}`);
  const t0 = performance.now();
  for (let i = 0; i < events.length; i++) {
    const ev = events[i]!;
    db.clock = Math.max(db.clock, ev.at);
    await ev.run();
    events[i] = undefined as unknown as Ev; // let the closures go
    if (i > 0 && i % 100_000 === 0)
      log(`posted ${i}/${events.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  // The rollup fold cron: completed hours into day rows.
  db.clock = now;
  for (;;) if (!(await foldHours(ctx, now)).more) break;
  for (const a of advisors) {
    const profile = db.table("advisorProfiles").get(a.profileId)!;
    db.put("advisorProfiles", { ...profile, completedSessions: a.sessions });
  }
  const bc = clients.reduce((m, c) => (c.sessions > m.sessions ? c : m));
  const ba = advisors.reduce((m, a) => (a.sessions > m.sessions ? a : m));
  const subjectOf = (id: string) => String(db.table("users").get(id)!.tokenIdentifier).split("|")[1]!;
  return {
    db,
    sizes,
    now,
    busiestClient: { id: bc.id, subject: subjectOf(bc.id), count: bc.sessions },
    busiestAdvisor: { id: ba.id, subject: subjectOf(ba.id), count: ba.sessions },
    expected,
  };
}
