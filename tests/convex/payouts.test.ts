// Payouts on convex-test with an injected processor and fake timers: the request journal and outbox row,
// the worker's retries with backoff, dead letters, webhooks in any order, admin decisions, hold releases.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import {
  ProcessorCallError,
  setPayoutProcessorForTests,
  type PayoutProcessor,
} from "../../convex/model/payoutProcessor";
import { backoffDelayMs, OUTBOX_RULES } from "../../lib/payouts";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";

const advisor = localIdentity("advisor1");
const admin = localIdentity("admin1");

/** A fake processor that records calls and honours idempotency keys like Stripe does. */
function fakeProcessor(plan: { transferFailures?: ProcessorCallError[] } = {}) {
  const calls: string[] = [];
  const byKey = new Map<string, { id: string }>();
  let n = 0;
  const once = (key: string, make: () => { id: string }) => {
    const existing = byKey.get(key);
    if (existing) return existing;
    const made = make();
    byKey.set(key, made);
    return made;
  };
  const failures = [...(plan.transferFailures ?? [])];
  const processor: PayoutProcessor = {
    async createTransfer(input, key) {
      calls.push(`transfer:${input.amountCents}:${key}`);
      const failure = failures.shift();
      if (failure) throw failure;
      return once(key, () => ({ id: `tr_${++n}` }));
    },
    async createPayout(input, account, key) {
      calls.push(`payout:${input.amountCents}:${account}:${key}`);
      return once(key, () => ({ id: `po_${++n}` }));
    },
    async reverseTransfer(transferId, _input, key) {
      calls.push(`reversal:${transferId}:${key}`);
      return once(key, () => ({ id: `trr_${++n}` }));
    },
  };
  return { processor, calls, transfers: () => [...byKey.keys()].filter((k) => k.endsWith("_transfer")).length };
}

/** Runs due jobs, repeatedly, until nothing new is due within `ms`. */
async function advance(t: Test, ms: number) {
  vi.advanceTimersByTime(ms);
  await t.finishInProgressScheduledFunctions();
}

async function setup(opts: { availableCents: number; payoutsEnabled?: boolean }) {
  const t = newTest();
  const advisorId = await insertUser(t, "advisor1", "advisor");
  await insertUser(t, "admin1", "admin");
  const clientId = await insertUser(t, "client1", "client");
  await t.run(async (ctx) => {
    const now = Date.now();
    await ctx.db.insert("payoutAccounts", {
      userId: advisorId,
      accountId: "acct_test1",
      status: opts.payoutsEnabled === false ? "pending" : "enabled",
      chargesEnabled: true,
      payoutsEnabled: opts.payoutsEnabled !== false,
      detailsSubmitted: true,
      createdAt: now,
      updatedAt: now,
    });
  });
  if (opts.availableCents > 0) {
    // Real money path: a top-up, a settled session, the release.
    const fee = Math.round(opts.availableCents / 9);
    await t.mutation(internal.ledger.postEvents, {
      items: [
        { event: { kind: "top_up", clientId, amountCents: opts.availableCents + fee }, idempotencyKey: "seed:topup" },
        {
          event: { kind: "session_settled", clientId, advisorId, costCents: opts.availableCents + fee, feeCents: fee },
          idempotencyKey: "seed:settle",
        },
        {
          event: { kind: "earnings_released", advisorId, amountCents: opts.availableCents },
          idempotencyKey: "seed:release",
        },
      ],
    });
  }
  return { t, advisorId };
}

async function payoutRow(t: Test, payoutId: Id<"payouts">) {
  return (await t.run(async (ctx) => ctx.db.get("payouts", payoutId)))!;
}

function event(type: string, obj: Record<string, unknown>, id = `evt_${type}_${Math.random().toString(36).slice(2)}`) {
  return JSON.stringify({ id, type, created: Math.floor(Date.now() / 1000), data: { object: obj } });
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  setPayoutProcessorForTests(null);
  vi.useRealTimers();
});

describe("requesting a payout", () => {
  it("moves the amount to in transit and sends one transfer and one bank payout; payout.paid settles it", async () => {
    const { t, advisorId } = await setup({ availableCents: 10_000 });
    const fake = fakeProcessor();
    setPayoutProcessorForTests(fake.processor);
    const { payoutId, status } = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 6_000 });
    expect(status).toBe("queued");
    expect(await balance(t, "advisor_available", advisorId)).toBe(4_000);
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(6_000);
    const outbox = await t.run(async (ctx) => ctx.db.query("outbox").collect());
    expect(outbox).toHaveLength(1);
    await advance(t, 0);
    expect(fake.calls).toEqual([
      `transfer:6000:outbox_${outbox[0]!._id}_transfer`,
      `payout:6000:acct_test1:outbox_${outbox[0]!._id}_payout`,
    ]);
    expect(await payoutRow(t, payoutId)).toMatchObject({
      status: "in_transit",
      transferId: "tr_1",
      processorPayoutId: "po_2",
    });
    await t.mutation(internal.topups.applyEvent, {
      eventJson: event("payout.paid", { id: "po_2", metadata: { payoutId } }),
    });
    expect(await payoutRow(t, payoutId)).toMatchObject({ status: "paid" });
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(0);
    const list = await t
      .withIdentity(advisor)
      .query(api.payouts.listMine, { paginationOpts: { numItems: 10, cursor: null } });
    expect(list.page[0]).toMatchObject({ status: "paid", statusLabel: "Paid", amountCents: 6_000 });
    await expectChecker(t);
  });

  it("refuses bad amounts and missing accounts with clear errors and writes nothing", async () => {
    const { t } = await setup({ availableCents: 5_000 });
    const counts = async () =>
      t.run(async (ctx) => [
        (await ctx.db.query("payouts").collect()).length,
        (await ctx.db.query("journals").collect()).length,
      ]);
    const before = await counts();
    const as = t.withIdentity(advisor);
    await expectAppError(as.mutation(api.payouts.request, { amountCents: 2_499 }), "INVALID_ARGUMENT");
    await expectAppError(as.mutation(api.payouts.request, { amountCents: 5_001 }), "INSUFFICIENT_FUNDS");
    await expectAppError(as.mutation(api.payouts.request, { amountCents: 30.5 }), "INVALID_ARGUMENT");
    await expectAppError(as.mutation(api.payouts.request, { amountCents: Number.NaN }), "INVALID_ARGUMENT");
    await expectAppError(
      t.withIdentity(localIdentity("client1")).mutation(api.payouts.request, { amountCents: 3_000 }),
      "FORBIDDEN",
    );
    expect(await counts()).toEqual(before);
    await t.run(async (ctx) => {
      const row = (await ctx.db.query("payoutAccounts").first())!;
      await ctx.db.patch("payoutAccounts", row._id, { status: "pending", payoutsEnabled: false });
    });
    await expectAppError(as.mutation(api.payouts.request, { amountCents: 3_000 }), "FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  it("two requests at once for the whole balance: exactly one succeeds", async () => {
    const { t, advisorId } = await setup({ availableCents: 5_000 });
    setPayoutProcessorForTests(fakeProcessor().processor);
    const results = await Promise.allSettled([
      t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 5_000 }),
      t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 5_000 }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await balance(t, "advisor_available", advisorId)).toBe(0);
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(5_000);
    await expectChecker(t);
  });

  it("above the threshold waits for an admin; rejection returns the money, approval sends it", async () => {
    const { t, advisorId } = await setup({ availableCents: 300_000 });
    const fake = fakeProcessor();
    setPayoutProcessorForTests(fake.processor);
    const big = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 150_000 });
    expect(big.status).toBe("awaiting_approval");
    await advance(t, 0);
    expect(fake.calls).toEqual([]);
    await expectAppError(
      t.withIdentity(advisor).mutation(api.payouts.approve, { payoutId: big.payoutId }),
      "FORBIDDEN",
    );
    await expectAppError(
      t.withIdentity(admin).mutation(api.payouts.reject, { payoutId: big.payoutId, reason: "" }),
      "INVALID_ARGUMENT",
    );
    await t
      .withIdentity(admin)
      .mutation(api.payouts.reject, { payoutId: big.payoutId, reason: "Verify your bank details first" });
    expect(await payoutRow(t, big.payoutId)).toMatchObject({
      status: "rejected",
      rejectedReason: "Verify your bank details first",
    });
    expect(await balance(t, "advisor_available", advisorId)).toBe(300_000);
    const second = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 120_000 });
    await t.withIdentity(admin).mutation(api.payouts.approve, { payoutId: second.payoutId });
    await expectAppError(
      t.withIdentity(admin).mutation(api.payouts.approve, { payoutId: second.payoutId }),
      "CONFLICT",
    );
    await advance(t, 0);
    expect(await payoutRow(t, second.payoutId)).toMatchObject({ status: "in_transit" });
    const audit = await t.run(async (ctx) => (await ctx.db.query("auditLog").collect()).map((a) => a.action));
    expect(audit).toEqual(expect.arrayContaining(["payout.reject", "payout.approve"]));
    await expectChecker(t);
  });
});

describe("the outbox worker", () => {
  it("transient failures then success: retried with backoff, exactly one transfer", async () => {
    const { t } = await setup({ availableCents: 10_000 });
    const fake = fakeProcessor({
      transferFailures: [new ProcessorCallError("timeout", true), new ProcessorCallError("503", true)],
    });
    setPayoutProcessorForTests(fake.processor);
    const { payoutId } = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 5_000 });
    await advance(t, 0);
    let row = (await t.run(async (ctx) => ctx.db.query("outbox").first()))!;
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "timeout" });
    expect(row.nextAttemptAt - Date.now()).toBeGreaterThanOrEqual(OUTBOX_RULES.baseDelayMs / 2);
    await advance(t, OUTBOX_RULES.baseDelayMs);
    await advance(t, OUTBOX_RULES.baseDelayMs * 2);
    row = (await t.run(async (ctx) => ctx.db.query("outbox").first()))!;
    expect(row).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(fake.transfers()).toBe(1);
    expect(await payoutRow(t, payoutId)).toMatchObject({ status: "in_transit" });
  });

  it("a worker crash after the processor call: the retry gets the same transfer by idempotency key, recorded once", async () => {
    const { t } = await setup({ availableCents: 10_000 });
    const fake = fakeProcessor();
    let crash = true;
    setPayoutProcessorForTests({
      ...fake.processor,
      async createTransfer(input, key) {
        const made = await fake.processor.createTransfer(input, key);
        if (crash) {
          crash = false;
          throw new ProcessorCallError("connection reset after the transfer was made", true);
        }
        return made;
      },
    });
    const { payoutId } = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 5_000 });
    await advance(t, 0);
    await advance(t, OUTBOX_RULES.baseDelayMs);
    expect(fake.transfers()).toBe(1);
    expect(fake.calls.filter((c) => c.startsWith("transfer:"))).toHaveLength(2);
    expect(await payoutRow(t, payoutId)).toMatchObject({ status: "in_transit", transferId: "tr_1" });
  });

  it("a permanent refusal dead-letters the payout with an admin alert; cancel returns the money, retry sends it", async () => {
    const { t, advisorId } = await setup({ availableCents: 10_000 });
    const fake = fakeProcessor({
      transferFailures: [new ProcessorCallError("Destination account cannot receive transfers", false)],
    });
    setPayoutProcessorForTests(fake.processor);
    const first = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 4_000 });
    await advance(t, 0);
    expect(await payoutRow(t, first.payoutId)).toMatchObject({
      status: "dead_lettered",
      failureReason: "Destination account cannot receive transfers",
    });
    const alerts = await t.run(async (ctx) => (await ctx.db.query("alerts").collect()).map((a) => a.kind));
    expect(alerts).toContain("payout_dead_letter");
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(4_000);
    // A retry after a refusal uses a fresh idempotency key (the processor replays a key's first answer).
    await t.withIdentity(admin).mutation(api.payouts.retry, { payoutId: first.payoutId });
    const retryKeys: string[] = [];
    fake.processor.createTransfer = async (_input, key) => {
      retryKeys.push(key);
      throw new ProcessorCallError("Destination account cannot receive transfers", false);
    };
    await advance(t, 0);
    const firstKey = fake.calls.find((c) => c.startsWith("transfer:"))!.split(":")[2]!;
    expect(retryKeys).toHaveLength(1);
    expect(retryKeys[0]).not.toBe(firstKey);
    expect(retryKeys[0]).toMatch(/_g1_transfer$/);
    expect(await payoutRow(t, first.payoutId)).toMatchObject({ status: "dead_lettered" });
    const retried = (await t.run(async (ctx) => ctx.db.query("outbox").collect())).find(
      (r) => r.payoutId === first.payoutId,
    );
    expect(retried?.keyGeneration).toBe(1);
    await t.withIdentity(admin).mutation(api.payouts.cancel, { payoutId: first.payoutId, reason: "Account closed" });
    expect(await payoutRow(t, first.payoutId)).toMatchObject({ status: "cancelled" });
    expect(await balance(t, "advisor_available", advisorId)).toBe(10_000);
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(0);
    // Attempts exhausted on transient errors: dead letter too; the admin retries and it goes through.
    const failures = Array.from({ length: OUTBOX_RULES.maxAttempts }, () => new ProcessorCallError("503", true));
    const flaky = fakeProcessor({ transferFailures: failures });
    setPayoutProcessorForTests(flaky.processor);
    const second = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 3_000 });
    for (let attempt = 1; attempt <= OUTBOX_RULES.maxAttempts; attempt++) await advance(t, OUTBOX_RULES.capDelayMs);
    expect(await payoutRow(t, second.payoutId)).toMatchObject({ status: "dead_lettered" });
    await t.withIdentity(admin).mutation(api.payouts.retry, { payoutId: second.payoutId });
    await advance(t, 0);
    expect(await payoutRow(t, second.payoutId)).toMatchObject({ status: "in_transit" });
    expect(flaky.transfers()).toBe(1);
    await expectChecker(t);
  });
});

describe("webhooks", () => {
  it("duplicate and out-of-order events change the ledger once; payout.failed returns the money and reverses the transfer", async () => {
    const { t, advisorId } = await setup({ availableCents: 10_000 });
    const fake = fakeProcessor();
    setPayoutProcessorForTests(fake.processor);
    const { payoutId } = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 7_000 });
    // payout.paid arrives before the worker ran (out of order) and twice (duplicate delivery).
    const paid = event("payout.paid", { id: "po_x", metadata: { payoutId } }, "evt_paid_1");
    await t.mutation(internal.topups.applyEvent, { eventJson: paid });
    expect(await t.mutation(internal.topups.applyEvent, { eventJson: paid })).toBe("duplicate");
    await advance(t, 0);
    expect(await payoutRow(t, payoutId)).toMatchObject({ status: "paid" });
    const settled = await t.run(async (ctx) =>
      (await ctx.db.query("journals").collect()).filter((j) => j.type === "payout_paid"),
    );
    expect(settled).toHaveLength(1);
    // A second payout fails at the bank.
    const second = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 3_000 });
    await advance(t, 0);
    const failed = event("payout.failed", {
      id: "po_y",
      failure_code: "account_closed",
      failure_message: "The bank account is closed.",
      metadata: { payoutId: second.payoutId },
    });
    await t.mutation(internal.topups.applyEvent, { eventJson: failed });
    await t.mutation(internal.topups.applyEvent, {
      eventJson: event("payout.failed", { id: "po_y", metadata: { payoutId: second.payoutId } }),
    });
    expect(await payoutRow(t, second.payoutId)).toMatchObject({
      status: "failed",
      failureCode: "account_closed",
      failureReason: "The bank account is closed.",
    });
    expect(await balance(t, "advisor_available", advisorId)).toBe(3_000);
    await advance(t, 0);
    expect(fake.calls.some((c) => c.startsWith("reversal:"))).toBe(true);
    // A late "paid" for the failed payout moves nothing and raises an alert.
    await t.mutation(internal.topups.applyEvent, {
      eventJson: event("payout.paid", { id: "po_y", metadata: { payoutId: second.payoutId } }),
    });
    expect(await balance(t, "advisor_available", advisorId)).toBe(3_000);
    const alerts = await t.run(async (ctx) => (await ctx.db.query("alerts").collect()).map((a) => a.kind));
    expect(alerts).toContain("payout_state_conflict");
    await expectChecker(t);
  });
});

describe("hold period and backoff", () => {
  it("the daily sweep releases an earning whose scheduled release was missed, once", async () => {
    const t = newTest();
    const advisorId = await insertUser(t, "advisor1", "advisor");
    const clientId = await insertUser(t, "client1", "client");
    const sessionId = await t.run(async (ctx) =>
      ctx.db.insert("sessions", {
        clientId,
        advisorId,
        kind: "chat",
        status: "ended",
        rateCentsPerMinute: 100,
        feeBps: 1000,
        requestedAt: 0,
        expiresAt: 0,
        freeSeconds: 0,
        segments: [],
        provider: "builtin",
      }),
    );
    await t.mutation(internal.ledger.postEvents, {
      items: [
        { event: { kind: "top_up", clientId, amountCents: 1_000 }, idempotencyKey: "t" },
        {
          event: { kind: "session_settled", clientId, advisorId, costCents: 1_000, feeCents: 100 },
          idempotencyKey: "s",
        },
      ],
    });
    await t.run(async (ctx) => {
      const journal = (await ctx.db.query("journals").collect()).find((j) => j.type === "session_settled")!;
      await ctx.db.insert("earnings", {
        advisorId,
        sessionId,
        grossCents: 1_000,
        feeCents: 100,
        netCents: 900,
        feeBps: 1000,
        status: "pending",
        settledAt: Date.now(),
        availableAt: Date.now() + 1_000,
        settlementJournalId: journal._id,
      });
    });
    expect(await t.mutation(internal.earnings.releaseDueEarnings, {})).toBe(0);
    vi.setSystemTime(Date.now() + 2_000);
    expect(await t.mutation(internal.earnings.releaseDueEarnings, {})).toBe(1);
    expect(await t.mutation(internal.earnings.releaseDueEarnings, {})).toBe(0);
    expect(await balance(t, "advisor_available", advisorId)).toBe(900);
    await expectChecker(t);
  });

  it("backoff doubles up to the cap with jitter in [half, full]", () => {
    expect(backoffDelayMs(1, () => 0)).toBe(OUTBOX_RULES.baseDelayMs / 2);
    expect(backoffDelayMs(1, () => 0.999)).toBeLessThan(OUTBOX_RULES.baseDelayMs);
    expect(backoffDelayMs(3, () => 0)).toBe(OUTBOX_RULES.baseDelayMs * 2);
    expect(backoffDelayMs(40, () => 0.999)).toBeLessThanOrEqual(OUTBOX_RULES.capDelayMs);
    expect(() => backoffDelayMs(0)).toThrow();
  });
});
