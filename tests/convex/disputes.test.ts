// Disputes, refunds, adjustments and clawbacks with the exact numbers; the ledger checker after each.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { setPayoutProcessorForTests } from "../../convex/model/payoutProcessor";
import { expectAppError, insertUser, localIdentity, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";
import { clientAndAdvisor, settledSession } from "./sessionFixtures";

const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const admin = localIdentity("admin1");
const admin2 = localIdentity("admin2");
const HOUR = 60 * 60_000;
/** These tests decide within the advisor's response window (disputeWindow.test.ts covers the window itself). */
const EARLY = { earlyDecisionReason: "Decided in a test before the window closed." };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  setPayoutProcessorForTests(null);
  vi.useRealTimers();
});

async function people() {
  const { t, clientId, advisorId } = await clientAndAdvisor();
  await insertUser(t, "admin1", "admin");
  await insertUser(t, "admin2", "admin");
  await insertUser(t, "stranger", "client");
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: 100_00 },
    idempotencyKey: "topup",
  });
  return { t, clientId, advisorId };
}

async function resolve(
  t: Test,
  disputeId: Id<"sessionDisputes">,
  outcome: "full_refund" | "partial_refund" | "reject",
  refundCents?: number,
) {
  await t.withIdentity(admin).mutation(api.disputes.resolve, {
    disputeId,
    outcome,
    note: "Reviewed the transcript.",
    ...EARLY,
    ...(refundCents !== undefined ? { refundCents } : {}),
  });
}

describe("refunds split pro rata, exact to the cent", () => {
  it("the $15.00 session fully refunded: client +$15.00, advisor −$13.50, platform −$1.50", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500);
    const wallet = await balance(t, "client_wallet", clientId);
    const fees = await balance(t, "platform_fees");
    const { disputeId } = await t.withIdentity(client).mutation(api.disputes.file, {
      sessionId,
      category: "advisor_absent",
      description: "The advisor never answered my questions.",
      requestedRefundCents: 1_500,
    });
    await t.withIdentity(advisor).mutation(api.disputes.respond, { disputeId, response: "I had connection issues." });
    await expectAppError(
      t.withIdentity(advisor).mutation(api.disputes.respond, { disputeId, response: "Again" }),
      "CONFLICT",
    );
    await resolve(t, disputeId, "full_refund");
    expect(await balance(t, "client_wallet", clientId)).toBe(wallet + 1_500);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    expect(await balance(t, "platform_fees")).toBe(fees - 150);
    const view = await t.withIdentity(client).query(api.disputes.forSession, { sessionId });
    expect(view.dispute).toMatchObject({
      status: "refunded",
      refundCents: 1_500,
      resolutionNote: "Reviewed the transcript.",
      advisorResponse: "I had connection issues.",
    });
    // The released earning is nothing now (it was all refunded while pending).
    const earning = await t.run(async (ctx) => ctx.db.query("earnings").first());
    vi.setSystemTime(Date.now() + 25 * HOUR);
    await t.mutation(internal.earnings.release, { earningId: earning!._id });
    expect(await balance(t, "advisor_available", advisorId)).toBe(0);
    await expectChecker(t);
  });

  it("a partial refund of $5.00: advisor −$4.50, platform −$0.50; refunds beyond the charge are refused", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500, { release: true });
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350);
    const { disputeId } = await t.withIdentity(client).mutation(api.disputes.file, {
      sessionId,
      category: "technical_problem",
      description: "Video froze for ten minutes.",
      requestedRefundCents: 500,
    });
    await expectAppError(
      t.withIdentity(admin).mutation(api.disputes.resolve, {
        disputeId,
        outcome: "partial_refund",
        refundCents: 1_501,
        note: "Too much",
        ...EARLY,
      }),
      "INVALID_ARGUMENT",
    );
    const fees = await balance(t, "platform_fees");
    await resolve(t, disputeId, "partial_refund", 500);
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350 - 450);
    expect(await balance(t, "platform_fees")).toBe(fees - 50);
    await expectAppError(
      t.withIdentity(admin2).mutation(api.disputes.resolve, { disputeId, outcome: "full_refund", note: "Second try" }),
      "CONFLICT",
    );
    await expectChecker(t);
  });

  it("a refund after payout becomes a receivable of $13.50, offset against the next $20.00 leaving $6.50 released", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500, { release: true });
    // The advisor's available money has been paid out.
    await t.mutation(internal.ledger.postEvents, {
      items: [
        { event: { kind: "payout_requested", advisorId, amountCents: 1_350 }, idempotencyKey: "po:req" },
        { event: { kind: "payout_paid", advisorId, amountCents: 1_350 }, idempotencyKey: "po:paid" },
      ],
    });
    const { disputeId } = await t.withIdentity(client).mutation(api.disputes.file, {
      sessionId,
      category: "not_as_described",
      description: "It was not a tarot reading at all.",
      requestedRefundCents: 1_500,
    });
    await resolve(t, disputeId, "full_refund");
    expect(await balance(t, "advisor_receivable", advisorId)).toBe(1_350);
    expect(await t.withIdentity(advisor).query(api.disputes.myReceivables, {})).toMatchObject([
      { amountCents: 1_350, remainingCents: 1_350, status: "open" },
    ]);
    // The next earning: $20.00 net.
    const next = await settledSession(t, { clientId, advisorId }, 2_222, {});
    const nextEarning = await t.run(async (ctx) => ctx.db.get("earnings", next.earningId));
    expect(nextEarning?.netCents).toBe(2_000);
    vi.setSystemTime(Date.now() + 25 * HOUR);
    await t.mutation(internal.earnings.release, { earningId: next.earningId });
    expect(await balance(t, "advisor_receivable", advisorId)).toBe(0);
    expect(await balance(t, "advisor_available", advisorId)).toBe(650);
    expect((await t.withIdentity(advisor).query(api.disputes.myReceivables, {}))[0]).toMatchObject({
      remainingCents: 0,
      status: "settled",
      settlements: [{ method: "offset", amountCents: 1_350 }],
    });
    await expectChecker(t);
  });
});

describe("what is refused", () => {
  it("after the window, someone else's session, nothing charged, a second dispute", async () => {
    const { t, clientId, advisorId } = await people();
    const old = await settledSession(t, { clientId, advisorId }, 1_000, { endedAgoMs: 73 * HOUR });
    await expectAppError(
      t.withIdentity(client).mutation(api.disputes.file, {
        sessionId: old.sessionId,
        category: "other",
        description: "Far too late now.",
        requestedRefundCents: 100,
      }),
      "CONFLICT",
    );
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_000);
    await expectAppError(
      t.withIdentity(localIdentity("stranger")).mutation(api.disputes.file, {
        sessionId,
        category: "other",
        description: "Not my session at all.",
        requestedRefundCents: 100,
      }),
      "NOT_FOUND",
    );
    await expectAppError(
      t
        .withIdentity(client)
        .mutation(api.disputes.file, { sessionId, category: "other", description: "short", requestedRefundCents: 100 }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      t.withIdentity(client).mutation(api.disputes.file, {
        sessionId,
        category: "other",
        description: "Asking for more than I paid.",
        requestedRefundCents: 1_001,
      }),
      "INVALID_ARGUMENT",
    );
    await t.withIdentity(client).mutation(api.disputes.file, {
      sessionId,
      category: "other",
      description: "The first dispute is fine.",
      requestedRefundCents: 100,
    });
    await expectAppError(
      t.withIdentity(client).mutation(api.disputes.file, {
        sessionId,
        category: "other",
        description: "A second dispute is not.",
        requestedRefundCents: 100,
      }),
      "CONFLICT",
    );
    const free = await t.run(async (ctx) => {
      const id = await ctx.db.insert("sessions", {
        clientId,
        advisorId,
        kind: "chat",
        status: "ended",
        rateCentsPerMinute: 50,
        feeBps: 1000,
        freeSeconds: 0,
        requestedAt: 0,
        expiresAt: 0,
        segments: [],
        endedAt: Date.now(),
        billableSeconds: 0,
        costCents: 0,
        provider: "builtin",
      });
      return id;
    });
    await expectAppError(
      t.withIdentity(client).mutation(api.disputes.file, {
        sessionId: free,
        category: "other",
        description: "Nothing was charged here.",
        requestedRefundCents: 0,
      }),
      "CONFLICT",
    );
    await expectAppError(
      t.withIdentity(client).query(api.disputes.adminList, { paginationOpts: { numItems: 5, cursor: null } }),
      "FORBIDDEN",
    );
  });

  it("two admins resolving the same dispute at once: exactly one refund", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500);
    const { disputeId } = await t.withIdentity(client).mutation(api.disputes.file, {
      sessionId,
      category: "billing_error",
      description: "I was charged twice, I think.",
      requestedRefundCents: 1_500,
    });
    const results = await Promise.allSettled([
      t
        .withIdentity(admin)
        .mutation(api.disputes.resolve, { disputeId, outcome: "full_refund", note: "Refund", ...EARLY }),
      t
        .withIdentity(admin2)
        .mutation(api.disputes.resolve, { disputeId, outcome: "full_refund", note: "Refund", ...EARLY }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refunds = await t.run(async (ctx) =>
      (await ctx.db.query("journals").collect()).filter((j) => j.type === "session_refunded"),
    );
    expect(refunds).toHaveLength(1);
    await expectChecker(t);
  });
});

describe("adjustments and clawback settlement", () => {
  it("small adjustments post at once; above $100 a second admin approves; overpayment becomes a receivable", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500, { release: true });
    const small = await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
      sessionId,
      direction: "advisor_underpaid",
      amountCents: 250,
      reason: "Rate typo",
    });
    expect(small.status).toBe("posted");
    // Issue 19: an adjustment never credits available directly; it waits out the earnings hold.
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(250);
    const big = await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
      sessionId,
      direction: "advisor_overpaid",
      amountCents: 12_000,
      reason: "Duplicate settlement",
    });
    expect(big.status).toBe("pending_approval");
    await expectAppError(
      t
        .withIdentity(admin)
        .mutation(api.disputes.decideSessionAdjustment, { adjustmentId: big.adjustmentId, approve: true }),
      "FORBIDDEN",
    );
    await t
      .withIdentity(admin2)
      .mutation(api.disputes.decideSessionAdjustment, { adjustmentId: big.adjustmentId, approve: true });
    expect(await balance(t, "advisor_receivable", advisorId)).toBe(12_000);
    // Manual repayment of part, the rest forgiven.
    const [receivable] = (
      await t.withIdentity(admin).query(api.disputes.listReceivables, { paginationOpts: { numItems: 5, cursor: null } })
    ).page;
    await t.withIdentity(admin).mutation(api.disputes.settleReceivableManually, {
      receivableId: receivable!._id,
      method: "manual",
      amountCents: 2_000,
      note: "Bank transfer received",
    });
    await expectAppError(
      t.withIdentity(admin).mutation(api.disputes.settleReceivableManually, {
        receivableId: receivable!._id,
        method: "forgiven",
        amountCents: 10_001,
        note: "Too much",
      }),
      "INVALID_ARGUMENT",
    );
    await t.withIdentity(admin).mutation(api.disputes.settleReceivableManually, {
      receivableId: receivable!._id,
      method: "forgiven",
      amountCents: 10_000,
      note: "Goodwill",
    });
    expect(await balance(t, "advisor_receivable", advisorId)).toBe(0);
    expect(await balance(t, "forgiven_clawbacks")).toBe(10_000);
    const audit = await t.run(async (ctx) => (await ctx.db.query("auditLog").collect()).map((a) => a.action));
    expect(audit).toEqual(
      expect.arrayContaining(["adjustment.create", "adjustment.approve", "clawback.manual", "clawback.forgiven"]),
    );
    await expectChecker(t);
  });

  it("an amount reserved for a transfer reversal in flight is left alone by offsets and manual settlement", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 5_000);
    await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
      sessionId,
      direction: "advisor_overpaid",
      amountCents: 5_000,
      reason: "Overpaid",
    });
    const receivable = (await t.run(async (ctx) => ctx.db.query("receivables").first()))!;
    await t.run(async (ctx) => ctx.db.patch("receivables", receivable._id, { reversalPendingCents: 3_000 }));
    await expectAppError(
      t.withIdentity(admin).mutation(api.disputes.settleReceivableManually, {
        receivableId: receivable._id,
        method: "manual",
        amountCents: 2_001,
        note: "Too much",
      }),
      "INVALID_ARGUMENT",
    );
    // The next release ($45.00) offsets only the unreserved $20.00 of the $50.00 owed, never the reserved $30.00.
    const earning = (await t.run(async (ctx) => ctx.db.query("earnings").first()))!;
    vi.setSystemTime(Date.now() + 25 * HOUR);
    await t.mutation(internal.earnings.release, { earningId: earning._id });
    const after = (await t.run(async (ctx) => ctx.db.get("receivables", receivable._id)))!;
    expect(after.remainingCents).toBe(3_000);
    expect(await balance(t, "advisor_available", advisorId)).toBe(4_500 - 2_000);
    await expectChecker(t);
  });
});
