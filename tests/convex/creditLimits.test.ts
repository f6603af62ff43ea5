// Credit-limit usage (issue 25): the maintained totals and ranks equal a full recomputation after random postings,
// limit changes, refunds and chargebacks; the backfill gives the same on data from before; the list pages through
// every wallet with a limit exactly once, over the limit first, then near, then ok.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../convex/_generated/server";
import {
  creditBackfillStep,
  creditState,
  creditTotals,
  listCreditLimits,
  stateOfRank,
  type CreditLimitRow,
} from "../../convex/model/creditLimits";
import { setCreditLimit } from "../../convex/model/ledger";
import { postEvent } from "../../convex/model/ledgerEvents";
import type { LedgerEvent } from "../../convex/model/ledgerEvents";
import { normalBalance } from "../../lib/ledger/accounts";
import { expectAppError, insertUser, localIdentity, newTest } from "./helpers";
import { memoryDb } from "./memoryDb";

type UserId = Id<"users">;
type Row = Record<string, unknown> & { _id: string };
type Tables = Map<string, Map<string, Row>>;

const CLIENTS = 12;
const isRejection = (error: unknown) =>
  error instanceof Error &&
  /INSUFFICIENT_FUNDS|INVALID_ARGUMENT|CONFLICT/.test(
    JSON.stringify((error as { data?: unknown }).data ?? error.message),
  );

async function tolerate(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!isRejection(error)) throw error;
  }
}

const eventArb = fc.record({
  op: fc.constantFrom(
    "top_up",
    "settle",
    "settle",
    "settle",
    "refund",
    "chargeback",
    "chargeback_won",
    "limit",
    "limit",
  ),
  client: fc.nat(CLIENTS - 1),
  amount: fc.integer({ min: 1, max: 4_000 }),
  limit: fc.constantFrom(0, 500, 1_000, 2_500, 5_000, 10_000),
});
type Ev = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

async function applyEvent(ctx: MutationCtx, clients: UserId[], advisor: UserId, ev: Ev, key: string) {
  const clientId = clients[ev.client]!;
  const post = (event: LedgerEvent) => tolerate(() => postEvent(ctx, { event, idempotencyKey: key }));
  switch (ev.op) {
    case "top_up":
      return await post({ kind: "top_up", clientId, amountCents: ev.amount });
    case "settle":
      return await post({ kind: "session_settled", clientId, advisorId: advisor, costCents: ev.amount, feeCents: 0 });
    case "refund":
      // A refund of an earlier sale: the wallet gets money back (the advisor owes it back if nothing is pending).
      return await post({
        kind: "session_refunded",
        clientId,
        advisorId: advisor,
        refundCents: ev.amount,
        shareCents: ev.amount,
        feeCents: 0,
        source: "receivable",
      });
    case "chargeback":
      return await post({ kind: "chargeback_opened", clientId, amountCents: ev.amount, feeCents: 1_500 });
    case "chargeback_won":
      return await post({
        kind: "chargeback_won",
        clientId,
        amountCents: ev.amount,
        feeCents: 1_500,
        walletDebitedCents: 0,
        feeReturned: true,
      });
    case "limit":
      return await tolerate(() => setCreditLimit(ctx, clientId, ev.limit));
  }
}

/** The totals and each wallet's state, recomputed from every wallet and its balance row. */
function recompute(tables: Tables) {
  const balances = new Map<string, Row>();
  for (const row of tables.get("accountBalances")?.values() ?? []) balances.set(row.accountId as string, row);
  const totals = { wallets: 0, limitCents: 0, usedCents: 0, near: 0, over: 0 };
  const states = new Map<string, string>();
  for (const account of tables.get("accounts")?.values() ?? []) {
    if (account.kind !== "client_wallet" || (account.creditLimitCents as number) <= 0) continue;
    const row = balances.get(account._id);
    const balanceCents = row
      ? normalBalance("client_wallet", row.debitsCents as number, row.creditsCents as number)
      : 0;
    const usedCents = Math.max(0, -balanceCents);
    const state = creditState(usedCents, account.creditLimitCents as number);
    totals.wallets += 1;
    totals.limitCents += account.creditLimitCents as number;
    totals.usedCents += usedCents;
    if (state === "near") totals.near += 1;
    if (state === "over") totals.over += 1;
    states.set(account.ownerId as string, state);
  }
  return { totals, states };
}

/** Every page of the list, `size` at a time. */
async function allPages(ctx: QueryCtx, size: number): Promise<CreditLimitRow[]> {
  const rows: CreditLimitRow[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1_000; pages++) {
    const result = await listCreditLimits(ctx, { numItems: size, cursor });
    rows.push(...result.page);
    if (result.isDone) return rows;
    cursor = result.continueCursor;
  }
  throw new Error("the list never ended");
}

async function expectExact(ctx: QueryCtx, tables: Tables) {
  const { totals, states } = recompute(tables);
  expect(await creditTotals(ctx)).toEqual({ ...totals, exact: true });
  // Each counted wallet's stored rank is its state; only wallets with a limit carry one.
  for (const account of tables.get("accounts")!.values()) {
    if (account.kind !== "client_wallet") continue;
    const expected = states.get(account.ownerId as string);
    expect(account.creditRank === undefined ? undefined : stateOfRank(account.creditRank as number)).toBe(expected);
  }
  // The list: every wallet with a limit exactly once, over first, then near, then ok.
  const rows = await allPages(ctx, 5);
  expect(rows.map((r) => r.userId).sort()).toEqual([...states.keys()].sort());
  expect(new Set(rows.map((r) => r.userId)).size).toBe(rows.length);
  const order = { over: 0, near: 1, ok: 2 } as const;
  const ranks = rows.map((r) => order[r.state]);
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  for (const r of rows) expect(r.state).toBe(states.get(r.userId));
  return totals;
}

/** Forgets the maintained figures, as on a deployment from before they existed. */
function forget(tables: Tables) {
  tables.get("creditLimitTotals")?.clear();
  for (const account of tables.get("accounts")!.values()) delete account.creditRank;
}

describe("credit-limit totals (issue 25)", () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] }));
  afterEach(() => void vi.useRealTimers());

  async function people(ctx: MutationCtx) {
    const user = (name: string, role: "client" | "advisor") =>
      ctx.db.insert("users", {
        tokenIdentifier: `memory|${name}`,
        name,
        email: `${name}@example.test`,
        role,
        status: "active",
        createdAt: 1,
      });
    const clients: UserId[] = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await user(`client${i}`, "client"));
    return { clients, advisor: await user("advisor", "advisor") };
  }

  it("equal a full recomputation after 1,500 random postings, limit changes, refunds and chargebacks", async () => {
    const { ctx, tables } = memoryDb();
    const { clients, advisor } = await people(ctx);
    const events = fc.sample(fc.array(eventArb, { minLength: 1_500, maxLength: 1_500 }), {
      numRuns: 1,
      seed: 2525,
    })[0]!;
    for (let i = 0; i < events.length; i++) {
      await applyEvent(ctx, clients, advisor, events[i]!, `ev:${i}`);
      // A replayed request or a duplicated webhook: an earlier posting again, with its own key, changes nothing.
      const j = Math.floor(i / 2);
      if (i % 7 === 6 && events[j]!.op !== "limit") await applyEvent(ctx, clients, advisor, events[j]!, `ev:${j}`);
      if (i % 300 === 299) await expectExact(ctx, tables as Tables);
    }
    const totals = await expectExact(ctx, tables as Tables);
    // The run reached every state, with wallets below zero.
    expect(totals.wallets).toBeGreaterThan(3);
    expect(totals.usedCents).toBeGreaterThan(0);
    expect(totals.near + totals.over).toBeGreaterThan(0);
    const states = [...recompute(tables as Tables).states.values()];
    expect(states).toContain("ok");
  }, 60_000);

  it("the backfill counts limits set before the totals existed, while postings and limit changes go on", async () => {
    const { ctx, tables } = memoryDb();
    const { clients, advisor } = await people(ctx);
    const events = fc.sample(fc.array(eventArb, { minLength: 900, maxLength: 900 }), { numRuns: 1, seed: 77 })[0]!;
    for (let i = 0; i < 600; i++) await applyEvent(ctx, clients, advisor, events[i]!, `ev:${i}`);
    const before = recompute(tables as Tables).totals;
    expect(before.wallets).toBeGreaterThan(3);
    forget(tables as Tables);
    expect((await creditTotals(ctx)).exact).toBe(false);
    // Half-old data: steps of 2 wallets, with events between them (a touched wallet is counted whole at once).
    let i = 600;
    while (await creditBackfillStep(ctx, 2)) {
      for (const end = i + 40; i < end && i < events.length; i++)
        await applyEvent(ctx, clients, advisor, events[i]!, `ev:${i}`);
    }
    for (; i < events.length; i++) await applyEvent(ctx, clients, advisor, events[i]!, `ev:${i}`);
    await expectExact(ctx, tables as Tables);
    // A backfill over data with nothing left to count changes nothing.
    const totals = await creditTotals(ctx);
    expect(await creditBackfillStep(ctx, 50)).toBe(false);
    expect(await creditTotals(ctx)).toEqual(totals);
  }, 60_000);
});

describe("credit limits through the API", () => {
  it("pages, totals and the cron backfill; admins only", async () => {
    const t = newTest();
    const admin = await insertUser(t, "admin1", "admin");
    const advisor = await insertUser(t, "advisor1", "advisor");
    const clients: UserId[] = [];
    for (let i = 0; i < 7; i++) clients.push(await insertUser(t, `client${i}`, "client"));
    const as = t.withIdentity(localIdentity("admin1"));
    expect(admin).toBeDefined();
    const limits = [1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000];
    for (let i = 0; i < clients.length; i++)
      await as.mutation(api.topups.setClientCreditLimit, {
        userId: clients[i]!,
        creditLimitCents: limits[i]!,
        reason: "Trusted",
      });
    // client0 over (1,000 of 1,000), client1 near (1,700 of 2,000), the rest ok.
    await t.run(async (ctx) => {
      const spend = (clientId: UserId, costCents: number, key: string) =>
        postEvent(ctx, {
          event: { kind: "session_settled", clientId, advisorId: advisor, costCents, feeCents: 0 },
          idempotencyKey: key,
        });
      await spend(clients[0]!, 1_000, "s0");
      await spend(clients[1]!, 1_700, "s1");
      await spend(clients[2]!, 100, "s2");
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const result: { page: CreditLimitRow[]; isDone: boolean; continueCursor: string } = await as.query(
        api.adminUsers.creditLimits,
        { paginationOpts: { numItems: 3, cursor } },
      );
      expect(result.page.length).toBeLessThanOrEqual(3);
      seen.push(...result.page.map((r) => `${r.email}:${r.state}`));
      if (result.isDone) break;
      cursor = result.continueCursor;
    }
    // Over, near, then ok with larger limits first.
    expect(seen).toEqual([
      "client0@example.test:over",
      "client1@example.test:near",
      ...[6, 5, 4, 3, 2].map((i) => `client${i}@example.test:ok`),
    ]);
    expect(await as.query(api.adminUsers.creditLimitTotals, {})).toEqual({
      wallets: 7,
      limitCents: 28_000,
      usedCents: 2_800,
      near: 1,
      over: 1,
      exact: true,
    });

    // Data from before the totals: forgotten, the page says so; the cron's backfill (rescheduling itself) restores them.
    await t.run(async (ctx) => {
      for (const row of await ctx.db.query("creditLimitTotals").collect()) await ctx.db.delete(row._id);
      for (const account of await ctx.db.query("accounts").collect())
        if (account.creditRank !== undefined) await ctx.db.patch(account._id, { creditRank: undefined });
    });
    expect((await as.query(api.adminUsers.creditLimitTotals, {})).exact).toBe(false);
    vi.useFakeTimers();
    try {
      await t.mutation(internal.creditLimits.backfill, { batch: 2 });
      await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    } finally {
      vi.useRealTimers();
    }
    expect(await as.query(api.adminUsers.creditLimitTotals, {})).toEqual({
      wallets: 7,
      limitCents: 28_000,
      usedCents: 2_800,
      near: 1,
      over: 1,
      exact: true,
    });

    // Removing a limit takes the wallet out of the totals and the list.
    await as.mutation(api.topups.setClientCreditLimit, { userId: clients[6]!, creditLimitCents: 0, reason: "Closed" });
    const totals = await as.query(api.adminUsers.creditLimitTotals, {});
    expect([totals.wallets, totals.limitCents]).toEqual([6, 21_000]);
    const page = await as.query(api.adminUsers.creditLimits, { paginationOpts: { numItems: 50, cursor: null } });
    expect(page.page.map((r) => r.email)).not.toContain("client6@example.test");

    for (const who of ["client1", "advisor1"]) {
      const other = t.withIdentity(localIdentity(who));
      await expectAppError(
        other.query(api.adminUsers.creditLimits, { paginationOpts: { numItems: 5, cursor: null } }),
        "FORBIDDEN",
      );
      await expectAppError(other.query(api.adminUsers.creditLimitTotals, {}), "FORBIDDEN");
    }
  });
});
