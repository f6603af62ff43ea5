// Issue 25: every maintained total equals a full recomputation from journals, entries, accounts and earnings,
// after 2,000 random business events (fast-check) with refunds, chargebacks and adjustments, across folds, and for
// data posted before the rollups existed (the backfill). Also: the paged checker finds an injected imbalance.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { internal } from "../../convex/_generated/api";
import type { Doc, Id } from "../../convex/_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../convex/_generated/server";
import type { LedgerEvent } from "../../convex/model/ledgerEvents";
import { postEvent } from "../../convex/model/ledgerEvents";
import { shardForKey } from "../../convex/model/ledger";
import { createEarning, earningsSummary } from "../../convex/model/earnings";
import { earningsByHour } from "../../convex/model/rollupBuckets";
import { unpackBucket, unpackEarning } from "../../convex/model/rollupPack";
import { liveFigures, sumAccountsPage, LIABILITY_KINDS, figureField } from "../../convex/model/ops";
import { memoryDb } from "./memoryDb";
import {
  HOUR_MS,
  addSum,
  foldHours,
  hourOf,
  hourlySums,
  isAdvisorSale,
  kindTotals,
  utcDayOf,
  type Sums,
} from "../../convex/model/rollups";
import { normalBalance } from "../../lib/ledger/accounts";
import { feeSplit } from "../../lib/ledger/templates";
import type { Charge } from "../../lib/billingEngine";
import { insertUser, localIdentity, newTest, type Test } from "./helpers";
import { api } from "../../convex/_generated/api";
import { endedSessionDoc } from "./sessionFixtures";

type UserId = Id<"users">;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);

/** Runs a function against a database: convex-test's (`t.run`) or the in-memory one (memoryDb.ts). */
type Run = <T>(fn: (ctx: MutationCtx) => Promise<T>) => Promise<T>;
const inTest =
  (t: Test): Run =>
  (fn) =>
    t.run(fn);
const inMemory =
  (ctx: MutationCtx): Run =>
  (fn) =>
    fn(ctx);

/** Recomputes every rolled-up figure from the raw ledger and compares it with the maintained one. */
async function expectRollupsExact(run: Run) {
  await run(async (ctx: QueryCtx) => {
    const accounts = new Map<string, Doc<"accounts">>();
    for (const a of await ctx.db.query("accounts").collect()) accounts.set(a._id, a);
    const entriesOf = new Map<string, Doc<"entries">[]>();
    for (const e of await ctx.db.query("entries").collect())
      entriesOf.set(e.journalId, [...(entriesOf.get(e.journalId) ?? []), e]);
    const byHour = new Map<number, Sums>();
    const byAdvisorDay = new Map<string, Sums>();
    // What each advisor keeps per hour: credits − debits on the advisor's accounts; payouts (a cash leg) move none.
    const earningHours = new Map<string, { kept: number; sessions: number }>();
    let minAt = Infinity;
    let maxAt = -Infinity;
    for (const journal of await ctx.db.query("journals").collect()) {
      minAt = Math.min(minAt, journal.createdAt);
      maxAt = Math.max(maxAt, journal.createdAt);
      const sums: Sums = {};
      addSum(sums, journal.type, { n: 1, dr: journal.amountCents, cr: 0 });
      let advisorId: string | null = null;
      const perKind = new Map<string, { dr: number; cr: number }>();
      const journalEntries = entriesOf.get(journal._id) ?? [];
      for (const e of journalEntries) {
        const account = accounts.get(e.accountId)!;
        const k = perKind.get(account.kind) ?? { dr: 0, cr: 0 };
        k.dr += e.debitCents;
        k.cr += e.creditCents;
        perKind.set(account.kind, k);
        if (account.kind.startsWith("advisor_") && account.ownerId !== null) advisorId ??= account.ownerId;
      }
      const advisorLegs = journalEntries.filter((e) => accounts.get(e.accountId)!.kind.startsWith("advisor_"));
      const cashLeg = journalEntries.some((e) => accounts.get(e.accountId)!.kind === "processor_cash");
      if (advisorId !== null && !cashLeg) {
        const kept = advisorLegs.reduce((n, e) => n + e.creditCents - e.debitCents, 0);
        const sessions = journal.type === "session_settled" ? 1 : 0;
        if (kept !== 0 || sessions !== 0) {
          const key = `${advisorId}|${hourOf(journal.createdAt)}`;
          const cur = earningHours.get(key) ?? { kept: 0, sessions: 0 };
          earningHours.set(key, { kept: cur.kept + kept, sessions: cur.sessions + sessions });
        }
      }
      // The posting nets legs per account; per kind the sums are the same. `n` counts accounts moved, so compare dr/cr only.
      for (const [kind, k] of perKind) addSum(sums, `${journal.type}:${kind}`, { n: 0, dr: k.dr, cr: k.cr });
      const hour = hourOf(journal.createdAt);
      byHour.set(hour, mergeDrCr(byHour.get(hour) ?? {}, sums));
      if (isAdvisorSale(journal) && advisorId !== null) {
        const key = `${advisorId}|${utcDayOf(journal.createdAt)}`;
        byAdvisorDay.set(key, mergeDrCr(byAdvisorDay.get(key) ?? {}, sums));
      }
    }
    // Hour sums.
    const maintained = await hourlySums(ctx, "USD", minAt, maxAt + HOUR_MS);
    const maintainedMap = new Map(maintained.map((h) => [h.hourStart, stripN(h.sums)]));
    expect(maintainedMap).toEqual(new Map([...byHour].map(([h, s]) => [h, stripN(s)])));
    // Journal counts per type (the `n` of "<type>" keys).
    for (const h of maintained) {
      for (const [key, s] of Object.entries(h.sums))
        if (!key.includes(":")) expect(s.n).toBe(countOf(byHour.get(h.hourStart)!, key));
    }
    // Advisor days.
    const advisorRows = await ctx.db.query("advisorMarginDays").collect();
    const advisorMap = new Map<string, ReturnType<typeof stripN>>();
    for (const row of advisorRows) {
      const sums: Sums = {};
      for (const s of Object.values(row.hours)) mergeDrCr(sums, s);
      advisorMap.set(`${row.advisorId}|${row.dayStart}`, stripN(sums));
    }
    expect(advisorMap).toEqual(new Map([...byAdvisorDay].map(([k, s]) => [k, stripN(s)])));

    // Kind totals against every account's balance.
    const kinds = await kindTotals(ctx, "USD");
    const expected: Record<string, { dr: number; cr: number; pos: number; neg: number; accounts: number }> = {};
    for (const account of accounts.values()) {
      const rows = await ctx.db
        .query("accountBalances")
        .withIndex("by_account_shard", (q) => q.eq("accountId", account._id))
        .collect();
      if (rows.length === 0) continue;
      const dr = rows.reduce((n, r) => n + r.debitsCents, 0);
      const cr = rows.reduce((n, r) => n + r.creditsCents, 0);
      const bal = normalBalance(account.kind, dr, cr);
      const k = (expected[account.kind] ??= { dr: 0, cr: 0, pos: 0, neg: 0, accounts: 0 });
      k.dr += dr;
      k.cr += cr;
      if (!account.sharded) {
        k.pos += Math.max(0, bal);
        k.neg += Math.min(0, bal);
      }
      k.accounts += 1;
    }
    expect(kinds).toEqual(expected);

    // Earnings per hour, as the advisor's pages read them (hour rows + the current hour on the advisor's balance
    // rows), against the recomputation from the advisors' legs; and the month total of the summary.
    const maintainedEarnings = new Map<string, { kept: number; sessions: number }>();
    const advisorIds = new Set(
      [...accounts.values()].filter((a) => a.kind.startsWith("advisor_")).map((a) => a.ownerId as UserId),
    );
    for (const advisorId of advisorIds) {
      for (const [hourStart, h] of await earningsByHour(ctx, advisorId, minAt))
        maintainedEarnings.set(`${advisorId}|${hourStart}`, { kept: h.keptCents, sessions: h.sessions });
      const monthStart = Date.UTC(new Date(maxAt).getUTCFullYear(), new Date(maxAt).getUTCMonth(), 1);
      let monthCents = 0;
      for (const [key, h] of earningHours)
        if (key.startsWith(`${advisorId}|`) && Number(key.slice(key.lastIndexOf("|") + 1)) >= monthStart)
          monthCents += h.kept;
      expect((await earningsSummary(ctx, advisorId, maxAt, "UTC")).monthCents).toBe(monthCents);
    }
    expect(maintainedEarnings).toEqual(earningHours);
  });

  // Reserve: the live figures equal the paged sum over every account (the reconciliation's way; one page per call).
  const live = await run(async (ctx) => await liveFigures(ctx));
  expect(live).not.toBeNull();
  for (const kind of LIABILITY_KINDS) {
    let sum = 0;
    let cursor: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof sumAccountsPage>> = await run(
        async (ctx) => await sumAccountsPage(ctx, kind, cursor),
      );
      sum += page.sumCents;
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    expect(live!.figures[figureField(kind)]).toBe(sum);
  }
}

function mergeDrCr(into: Sums, from: Sums): Sums {
  for (const [key, s] of Object.entries(from)) addSum(into, key, s);
  return into;
}
function stripN(sums: Sums): Record<string, { dr: number; cr: number }> {
  const out: Record<string, { dr: number; cr: number }> = {};
  for (const [key, s] of Object.entries(sums))
    if (s.dr !== 0 || s.cr !== 0 || !key.includes(":")) out[key] = { dr: s.dr, cr: s.cr };
  return out;
}
function countOf(sums: Sums, key: string): number {
  return sums[key]?.n ?? 0;
}

type People = { clients: UserId[]; advisors: UserId[]; sessions: Map<string, Id<"sessions">> };

async function setupPeople(t: Test): Promise<People> {
  const clients: UserId[] = [];
  const advisors: UserId[] = [];
  for (let i = 0; i < 5; i++) clients.push(await insertUser(t, `client${i}`, "client"));
  for (let i = 0; i < 4; i++) advisors.push(await insertUser(t, `advisor${i}`, "advisor"));
  return { clients, advisors, sessions: new Map() };
}

async function setupPeopleIn(ctx: MutationCtx): Promise<People> {
  const user = (name: string, role: "client" | "advisor") =>
    ctx.db.insert("users", {
      tokenIdentifier: `memory|${name}`,
      name,
      email: `${name}@example.test`,
      role,
      status: "active",
      createdAt: T0,
    });
  const clients: UserId[] = [];
  const advisors: UserId[] = [];
  for (let i = 0; i < 5; i++) clients.push(await user(`client${i}`, "client"));
  for (let i = 0; i < 4; i++) advisors.push(await user(`advisor${i}`, "advisor"));
  return { clients, advisors, sessions: new Map() };
}

const eventArb = fc.record({
  op: fc.constantFrom(
    "top_up",
    "top_up",
    "settle",
    "settle",
    "settle",
    "release",
    "payout",
    "refund",
    "clawback",
    "adjust",
    "chargeback",
    "chargeback_won",
  ),
  client: fc.nat(4),
  advisor: fc.nat(3),
  amount: fc.integer({ min: 1, max: 5_000 }),
  promo: fc.integer({ min: 0, max: 3 }),
  minutes: fc.integer({ min: 0, max: 30 }),
  linked: fc.boolean(),
});
type Ev = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

/** Posts one random event at `at` (ignores business rejections such as a floor: they write nothing). */
async function apply(t: Test, p: People, ev: Ev, i: number, at: number) {
  await t.run(async (ctx) => await applyIn(ctx, p, ev, i, at));
}

async function applyIn(ctx: MutationCtx, p: People, ev: Ev, i: number, at: number) {
  const clientId = p.clients[ev.client]!;
  const advisorId = p.advisors[ev.advisor]!;
  const key = `ev:${i}`;
  {
    const post = async (event: LedgerEvent, refs?: { sessionId?: Id<"sessions"> }) => {
      try {
        return await postEvent(ctx, { event, idempotencyKey: key, createdAt: at, ...(refs ? { refs } : {}) });
      } catch (error) {
        if (
          error instanceof Error &&
          /INSUFFICIENT_FUNDS|INVALID_ARGUMENT|CONFLICT/.test(
            JSON.stringify((error as { data?: unknown }).data ?? error.message),
          )
        )
          return null;
        throw error;
      }
    };
    switch (ev.op) {
      case "top_up":
        await post({ kind: "top_up", clientId, amountCents: ev.amount * 3 });
        break;
      case "settle": {
        const { feeCents, shareCents } = feeSplit(ev.amount, 1000);
        const promoCents = ev.promo === 0 ? Math.min(ev.amount, 100) : 0;
        const sessionId = ev.linked
          ? await ctx.db.insert(
              "sessions",
              endedSessionDoc(
                { clientId, advisorId },
                { endedAt: at, rateCentsPerMinute: 50, costCents: ev.amount, promoCents },
              ),
            )
          : undefined;
        const posted = await post(
          { kind: "session_settled", clientId, advisorId, costCents: ev.amount, feeCents, promoCents },
          sessionId ? { sessionId } : undefined,
        );
        if (posted !== null && sessionId !== undefined) {
          const session = (await ctx.db.get("sessions", sessionId))!;
          const charge = {
            costCents: ev.amount,
            feeCents,
            shareCents,
            promoCents,
            clientCents: ev.amount - promoCents,
            billableSeconds: 600,
            freeSeconds: 0,
          } as Charge;
          await createEarning(ctx, { session, charge, journalId: posted.journalId, at });
          p.sessions.set(`${ev.client}|${ev.advisor}`, sessionId);
        }
        break;
      }
      case "release":
        await post({ kind: "earnings_released", advisorId, amountCents: ev.amount });
        break;
      case "payout": {
        const requested = await post({ kind: "payout_requested", advisorId, amountCents: ev.amount });
        if (requested !== null) {
          await postEvent(ctx, {
            event: { kind: ev.linked ? "payout_paid" : "payout_failed", advisorId, amountCents: ev.amount },
            idempotencyKey: `${key}:done`,
            createdAt: at + 1,
          });
        }
        break;
      }
      case "refund": {
        const sessionId = p.sessions.get(`${ev.client}|${ev.advisor}`);
        const session = sessionId ? await ctx.db.get("sessions", sessionId) : null;
        if (!session) break;
        const refundCents = Math.min(ev.amount, session.costCents ?? 0);
        if (refundCents <= 0) break;
        await post(
          {
            kind: "session_refunded",
            clientId,
            advisorId,
            refundCents,
            shareCents: session.shareCents ?? 0,
            feeCents: session.feeCents ?? 0,
            source: ev.linked ? "pending" : "receivable",
          },
          { sessionId: session._id },
        );
        break;
      }
      case "clawback":
        await post({
          kind: "clawback_settled",
          advisorId,
          amountCents: ev.amount,
          method: ev.linked ? "offset" : "forgiven",
        });
        break;
      case "adjust":
        await post({
          kind: "session_adjusted",
          advisorId,
          amountCents: ev.amount,
          direction: ev.linked ? "advisor_underpaid" : "advisor_overpaid",
        });
        break;
      case "chargeback":
        await post({ kind: "chargeback_opened", clientId, amountCents: ev.amount, feeCents: 1_500 });
        break;
      case "chargeback_won":
        await post({
          kind: "chargeback_won",
          clientId,
          amountCents: ev.amount,
          feeCents: 1_500,
          walletDebitedCents: 0,
          feeReturned: ev.linked,
        });
        break;
    }
  }
}

describe("maintained totals (issue 25)", () => {
  // Scheduled side jobs (wallet-change checks, earning releases) stay queued: only the money paths run.
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] }));
  afterEach(() => void vi.useRealTimers());

  // The 2,000 events run through the real model code (postEvent, postJournal, the rollups, createEarning) against the
  // in-memory database (tests/convex/memoryDb.ts): convex-test scans every document for each indexed query, which
  // made this test take minutes. The backfill and checker tests below use convex-test.
  it("equal a full recomputation after 2,000 random business events, refunds, chargebacks and adjustments", async () => {
    const { ctx, tables } = memoryDb();
    const run = inMemory(ctx);
    const p = await setupPeopleIn(ctx);
    const events = fc.sample(fc.array(eventArb, { minLength: 2_000, maxLength: 2_000 }), { numRuns: 1, seed: 25 })[0]!;
    let at = T0;
    const foldAll = async () => {
      while ((await foldHours(ctx, Date.now(), 17)).more); // small batches: a fold spans many transactions
    };
    for (let j = 0; j < events.length; j++) {
      at += events[j]!.minutes * 60_000; // ~ 3 weeks of postings, hours and days crossed
      await applyIn(ctx, p, events[j]!, j, at);
      // Before any fold (hot rows, moved buckets and the buckets still on balance rows), then between folds.
      if (j === 700 || j % 500 === 250) await expectRollupsExact(run);
      if (j === 700) {
        // The hours changed under the buckets: some were moved to their hour rows (a top-up always has a house
        // leg, so a hot row with top-ups is a moved bucket; advisorEarningHours rows come only from moves here).
        const hot = [...tables.get("ledgerRollupShards")!.values()];
        expect(hot.some((row) => (row.sums as Sums).top_up !== undefined)).toBe(true);
        expect(tables.get("advisorEarningHours")!.size).toBeGreaterThan(10);
      }
      if (j % 500 === 499) await foldAll(); // folds every hour before the real now (all of them)
    }
    expect(tables.get("journals")!.size).toBeGreaterThan(1_500);
    await expectRollupsExact(run);
    await foldAll();
    await expectRollupsExact(run);
    expect(tables.get("ledgerRollupShards")!.size).toBe(0);
    expect(tables.get("ledgerRollupDays")!.size).toBeGreaterThan(5);
    // The current hours still ride on balance rows (house shards and advisor accounts); the readers added them above.
    const balances = [...tables.get("accountBalances")!.values()];
    expect(balances.filter((row) => row.hourSums !== undefined).length).toBeGreaterThan(5);
    expect(balances.filter((row) => row.earning !== undefined).length).toBeGreaterThan(3);
  }, 60_000);

  it("a bucket of an hour the fold already took is moved later and folded by the next fold, counted once", async () => {
    const { ctx, tables } = memoryDb();
    const run = inMemory(ctx);
    const p = await setupPeopleIn(ctx);
    const clientId = p.clients[0]!;
    const advisorId = p.advisors[0]!;
    const H = T0 + 10 * HOUR_MS;
    const sameShard = (key: string, prefix: string) => {
      for (let i = 0; ; i++) if (shardForKey(`${prefix}:${i}`) === shardForKey(key)) return `${prefix}:${i}`;
    };
    const settle = { kind: "session_settled", clientId, advisorId, costCents: 1_000, feeCents: 100 } as const;
    await postEvent(ctx, {
      event: { kind: "top_up", clientId, amountCents: 5_000 },
      idempotencyKey: "a",
      createdAt: H,
    });
    await postEvent(ctx, { event: settle, idempotencyKey: "b", createdAt: H + 60_000 });
    // A release has no house leg: it writes the hour's hot row at once (shard of its key).
    await postEvent(ctx, {
      event: { kind: "earnings_released", advisorId, amountCents: 300 },
      idempotencyKey: "c",
      createdAt: H + 120_000,
    });
    await expectRollupsExact(run);
    expect(tables.get("advisorEarningHours")!.size).toBe(0); // the advisor's hour is on the advisor's balance row
    await foldHours(ctx, H + 2 * HOUR_MS); // takes hour H's hot rows; the buckets of H stay on the balance rows
    expect(tables.get("ledgerRollupShards")!.size).toBe(0);
    await expectRollupsExact(run);
    // Hours later, postings on the same shard rows and advisor account move the buckets of H to their hour rows.
    await postEvent(ctx, {
      event: { kind: "top_up", clientId, amountCents: 2_000 },
      idempotencyKey: sameShard("a", "late-a"),
      createdAt: H + 3 * HOUR_MS,
    });
    await postEvent(ctx, { event: settle, idempotencyKey: sameShard("b", "late-b"), createdAt: H + 3 * HOUR_MS });
    const moved = [...tables.get("ledgerRollupShards")!.values()];
    expect(moved.map((row) => row.hourStart)).toEqual(
      shardForKey("a") === shardForKey("b") ? [H] : [H, H], // one row per shard (both buckets of one shard merge)
    );
    expect([...tables.get("advisorEarningHours")!.values()]).toMatchObject([
      { advisorId, hourStart: H, keptCents: 900, sessions: 1 },
    ]);
    await expectRollupsExact(run);
    await foldHours(ctx, H + 4 * HOUR_MS);
    expect(tables.get("ledgerRollupShards")!.size).toBe(0);
    await expectRollupsExact(run);
    const day = [...tables.get("ledgerRollupDays")!.values()][0]!;
    expect((day.hours as Record<string, Sums>)["10"]!.top_up).toMatchObject({ n: 1, dr: 5_000 });
    expect((day.hours as Record<string, Sums>)["10"]!.session_settled).toMatchObject({ n: 1, dr: 1_000 });
  });

  /** A top-up and three settlements in one hour; `settleMore` posts 37 more (keys over every shard). */
  async function settledThrice() {
    const { ctx, tables } = memoryDb();
    const run = inMemory(ctx);
    const p = await setupPeopleIn(ctx);
    const [clientId, advisorId] = [p.clients[0]!, p.advisors[0]!];
    const settle = { kind: "session_settled", clientId, advisorId, costCents: 1_000, feeCents: 100 } as const;
    const settleFrom = async (from: number, to: number) => {
      for (let i = from; i < to; i++)
        await postEvent(ctx, { event: settle, idempotencyKey: `s${i}`, createdAt: T0 + i });
    };
    await postEvent(ctx, {
      event: { kind: "top_up", clientId, amountCents: 90_000 },
      idempotencyKey: "t",
      createdAt: T0,
    });
    await settleFrom(0, 3);
    return { ctx, tables, run, settleMore: () => settleFrom(3, 40) };
  }

  it("a bucket in the plain form (before packing) is read, then moved to its hot row by the shard's next posting", async () => {
    const { ctx, tables, run, settleMore } = await settledThrice();
    // Rewrite every packed bucket in the plain form, as postings wrote it before rollupPack.ts.
    for (const row of await ctx.db.query("accountBalances").collect())
      if (row.hourSums !== undefined)
        await ctx.db.patch("accountBalances", row._id, { hourSums: undefined, rollup: unpackBucket(row.hourSums) });
    const plain = [...tables.get("accountBalances")!.values()].filter((row) => row.rollup !== undefined);
    expect(plain.length).toBeGreaterThan(0);
    await expectRollupsExact(run);
    await settleMore();
    await expectRollupsExact(run);
    // 37 keys over the shards: each row in the plain form met a posting and is packed now.
    const rows = [...tables.get("accountBalances")!.values()];
    expect(rows.filter((row) => row.rollup !== undefined).length).toBeLessThan(plain.length);
    for (const row of rows) if (row.rollup !== undefined) expect(row.hourSums).toBeUndefined();
    await foldHours(ctx, T0 + 2 * HOUR_MS);
    await expectRollupsExact(run);
  });

  it("buckets in their first packed form (objects) are read, then rewritten as one string by the row's next posting", async () => {
    const { ctx, tables, run, settleMore } = await settledThrice();
    // Rewrite every bucket as the object postings wrote before the one-string form.
    for (const row of await ctx.db.query("accountBalances").collect()) {
      if (typeof row.hourSums === "string") {
        const [hourStart, sums, extras] = row.hourSums.split("|");
        await ctx.db.patch("accountBalances", row._id, {
          hourSums: { hourStart: Number(hourStart), sums: sums!, ...(extras ? { extras } : {}) },
        });
      }
      if (typeof row.earning === "string")
        await ctx.db.patch("accountBalances", row._id, { earning: unpackEarning(row.earning) });
    }
    const objects = () =>
      [...tables.get("accountBalances")!.values()].filter(
        (row) => typeof row.hourSums === "object" || typeof row.earning === "object",
      ).length;
    const before = objects();
    expect(before).toBeGreaterThan(1);
    await expectRollupsExact(run);
    await settleMore();
    await expectRollupsExact(run);
    expect(objects()).toBeLessThan(before); // the advisor's row and the shards these keys met are strings again
    await foldHours(ctx, T0 + 2 * HOUR_MS);
    await expectRollupsExact(run);
  });

  it("existing data gets its rollups from the backfill (rollups wiped, flags cleared, as before issue 25)", async () => {
    const t = newTest();
    const p = await setupPeople(t);
    const events = fc.sample(fc.array(eventArb, { minLength: 300, maxLength: 300 }), { numRuns: 1, seed: 7 })[0]!;
    let at = T0;
    for (let i = 0; i < events.length; i++) {
      at += events[i]!.minutes * 60_000;
      await apply(t, p, events[i]!, i, at);
      if (i === 150) {
        // Half of the history "from before": wipe what the postings maintained and clear the markers.
        await t.run(async (ctx) => {
          for (const table of [
            "ledgerRollupShards",
            "ledgerRollupDays",
            "ledgerKindTotals",
            "advisorMarginDays",
            "advisorEarningHours",
          ] as const) {
            for (const row of await ctx.db.query(table).collect()) await ctx.db.delete(table, row._id);
          }
          // ... and the current-hour buckets on the balance rows (rollupBuckets.ts).
          for (const row of await ctx.db.query("accountBalances").collect())
            await ctx.db.patch("accountBalances", row._id, { hourSums: undefined, earning: undefined });
          for (const j of await ctx.db.query("journals").collect())
            await ctx.db.patch("journals", j._id, { rolledUp: undefined });
          for (const a of await ctx.db.query("accounts").collect())
            await ctx.db.patch("accounts", a._id, { inTotals: undefined });
        });
        expect(await t.run(async (ctx) => await liveFigures(ctx))).toBeNull(); // not live until every account is counted
      }
    }
    // Postings after the wipe counted the accounts they touched; the backfill (small batches, self-rescheduling) does the rest.
    for (let step = 0; step < 200 && (await t.mutation(internal.rollups.fold, { batch: 17 })).more; step++);
    await expectRollupsExact(inTest(t));
  }, 120_000);

  it("the paged checker walks the ledger in pages and finds an injected imbalance", async () => {
    const t = newTest();
    const p = await setupPeople(t);
    const events = fc.sample(fc.array(eventArb, { minLength: 120, maxLength: 120 }), { numRuns: 1, seed: 3 })[0]!;
    for (let i = 0; i < events.length; i++) await apply(t, p, events[i]!, i, T0 + i * 60_000);
    const small = { journalsPerPage: 7, accountsPerPage: 3, entriesPerAccount: 4, entriesPerPage: 5 };
    const ok = (await t.action(internal.ledgerChecker.run, small))!;
    expect(ok).not.toBeNull();
    expect(ok.problems).toEqual([]);
    expect(ok.ok).toBe(true);
    expect(ok.pages).toBeGreaterThan(20);
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
    const whole = await t.mutation(internal.ledger.runChecker, {});
    expect({ journals: ok.journalsChecked, entries: ok.entriesChecked, accounts: ok.accountsChecked }).toEqual({
      journals: whole.journalsChecked,
      entries: whole.entriesChecked,
      accounts: whole.accountsChecked,
    });
    // The same walk cut into one page per action (sliceMs 0): each action hands the rest to a scheduled continuation,
    // with its state and position in the arguments. Driven by hand here (the fake timers hold other side jobs), the
    // continuations record the same run.
    const sliced = { ...small, sliceMs: 0, requestId: "sliced" };
    let actions = 1;
    let last = await t.action(internal.ledgerChecker.run, sliced);
    while (last === null && actions < 1_000) {
      const job = await t.run(async (ctx) =>
        (await ctx.db.system.query("_scheduled_functions").collect())
          .filter((j) => j.name.startsWith("ledgerChecker") && j.state.kind === "pending")
          .at(-1),
      );
      expect(job?.args[0]).toMatchObject({ requestId: "sliced", sliceMs: 0 });
      last = await t.action(internal.ledgerChecker.run, job!.args[0] as typeof sliced);
      actions++;
    }
    expect(actions).toBe(ok.pages);
    expect(last).toMatchObject({
      ok: true,
      pages: ok.pages,
      journalsChecked: ok.journalsChecked,
      entriesChecked: ok.entriesChecked,
      accountsChecked: ok.accountsChecked,
    });
    // Inject: one entry off by a cent (its journal no longer balances, its house shard no longer matches).
    await t.run(async (ctx) => {
      const entry = (await ctx.db.query("entries").collect()).find(
        (e) => e.journalType === "session_settled" && e.creditCents > 0,
      )!;
      await ctx.db.patch("entries", entry._id, { creditCents: entry.creditCents + 1 });
    });
    const bad = (await t.action(internal.ledgerChecker.run, { ...small, trigger: "internal" }))!;
    expect(bad).not.toBeNull();
    expect(bad.ok).toBe(false);
    const text = bad.problems.join("\n");
    expect(text).toMatch(/does not balance/);
    expect(text).toMatch(/total debits/);
    expect(text).toMatch(/entries sum to/);
    const run = await t.run(async (ctx) => await ctx.db.get("ledgerCheckRuns", bad.runId));
    expect(run).toMatchObject({ ok: false, pages: bad.pages });
  }, 120_000);

  it("a range across a daylight-saving change: each hour lands on its local day (tz), not a fixed offset's", async () => {
    const t = newTest();
    const p = await setupPeople(t);
    await insertUser(t, "admin1", "admin");
    await t.run(async (ctx) => {
      await postEvent(ctx, {
        event: { kind: "top_up", clientId: p.clients[0]!, amountCents: 10_000 },
        idempotencyKey: "dst:top",
        createdAt: Date.UTC(2026, 2, 7, 12),
      });
      // 00:30 EDT on 2026-03-09 (the day after spring-forward) = 04:30 UTC; a fixed UTC−5 offset would call it 03-08.
      await postEvent(ctx, {
        event: {
          kind: "session_settled",
          clientId: p.clients[0]!,
          advisorId: p.advisors[0]!,
          costCents: 1_000,
          feeCents: 100,
        },
        idempotencyKey: "dst:settle",
        createdAt: Date.UTC(2026, 2, 9, 4, 30),
      });
    });
    const admin = t.withIdentity(localIdentity("admin1"));
    const byTz = await admin.query(api.margins.report, {
      from: "2026-03-07",
      to: "2026-03-09",
      tz: "America/New_York",
    });
    expect(byTz.byDay.map((d) => [d.date, d.grossCents])).toEqual([
      ["2026-03-07", 0],
      ["2026-03-08", 0],
      ["2026-03-09", 1_000],
    ]);
    const byOffset = await admin.query(api.margins.report, {
      from: "2026-03-07",
      to: "2026-03-09",
      tzOffsetMinutes: -300,
    });
    expect(byOffset.byDay.map((d) => [d.date, d.grossCents])).toEqual([
      ["2026-03-07", 0],
      ["2026-03-08", 1_000],
      ["2026-03-09", 0],
    ]);
    const dash = await admin.query(api.admin.dashboard, { today: "2026-03-09", tz: "America/New_York" });
    expect(dash.todayFigures.grossCents).toBe(1_000);
    await expect(admin.query(api.admin.dashboard, { today: "2026-03-09", tz: "Mars/Olympus" })).rejects.toThrow();
  });
});
