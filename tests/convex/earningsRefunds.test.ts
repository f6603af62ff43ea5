// Earnings rows and totals follow refunds at once, and agree with the advisor's ledger accounts after full and
// partial refunds, before and after release (and after a payout, when the refund becomes a clawback).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { insertUser, localIdentity, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";
import { clientAndAdvisor, settledSession } from "./sessionFixtures";

const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const admin = localIdentity("admin1");
const HOUR = 60 * 60_000;
const EARLY = { earlyDecisionReason: "Decided in a test before the window closed." };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 11, 2, 12));
});
afterEach(() => vi.useRealTimers());

/** A $15.00 session (advisor's net $13.50), disputed, optionally released (and paid out) first. */
async function disputed(opts: { release?: boolean; paidOut?: boolean } = {}) {
  const { t, clientId, advisorId } = await clientAndAdvisor();
  await insertUser(t, "admin1", "admin");
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: 100_00 },
    idempotencyKey: "topup",
  });
  const { sessionId, earningId } = await settledSession(t, { clientId, advisorId }, 1_500, {
    release: opts.release === true,
  });
  if (opts.paidOut) {
    await t.mutation(internal.ledger.postEvents, {
      items: [
        { event: { kind: "payout_requested", advisorId, amountCents: 1_350 }, idempotencyKey: "po:req" },
        { event: { kind: "payout_paid", advisorId, amountCents: 1_350 }, idempotencyKey: "po:paid" },
      ],
    });
  }
  const { disputeId } = await t.withIdentity(client).mutation(api.disputes.file, {
    sessionId,
    category: "technical_problem",
    description: "The chat kept dropping out.",
    requestedRefundCents: 1_500,
  });
  return { t, advisorId, earningId, disputeId, paidOutCents: opts.paidOut ? 1_350 : 0 };
}

async function refund(t: Test, disputeId: Id<"sessionDisputes">, refundCents?: number) {
  await t.withIdentity(admin).mutation(api.disputes.resolve, {
    disputeId,
    outcome: refundCents === undefined ? "full_refund" : "partial_refund",
    note: "Reviewed the transcript.",
    ...(refundCents === undefined ? {} : { refundCents }),
    ...EARLY,
  });
}

async function row(t: Test) {
  const { page } = await t
    .withIdentity(advisor)
    .query(api.earnings.list, { paginationOpts: { numItems: 10, cursor: null } });
  expect(page).toHaveLength(1);
  return page[0]!;
}

/**
 * What the dashboard says against the ledger: every total equals what the advisor keeps, which is what the
 * ledger holds for her (pending + available + in transit + paid out − owed back); the Pending card is the
 * pending account, the same as the kept part of the rows still on hold.
 */
async function expectAgreement(t: Test, advisorId: Id<"users">, paidOutCents: number, keptCents: number) {
  const summary = await t.withIdentity(advisor).query(api.earnings.summary, { tzOffsetMinutes: 0 });
  const ledger =
    (await balance(t, "advisor_pending", advisorId)) +
    (await balance(t, "advisor_available", advisorId)) +
    (await balance(t, "advisor_in_transit", advisorId)) +
    paidOutCents -
    (await balance(t, "advisor_receivable", advisorId));
  expect(ledger).toBe(keptCents);
  expect(summary.monthCents).toBe(keptCents);
  expect(summary.weekCents).toBe(keptCents);
  expect(summary.daily.reduce((sum, d) => sum + d.netCents, 0)).toBe(keptCents);
  const r = await row(t);
  expect(r.keptCents).toBe(keptCents);
  expect(summary.pendingCents).toBe(r.onHold ? r.keptCents : 0);
  await expectChecker(t);
}

describe("refunds before release", () => {
  it("a full refund: the row says Refunded at once ($0.00 kept), totals and chart $0.00, and after release too", async () => {
    const { t, advisorId, earningId, disputeId, paidOutCents } = await disputed();
    await expectAgreement(t, advisorId, paidOutCents, 1_350);
    expect(await row(t)).toMatchObject({ state: "pending", onHold: true, refundedCents: 0 });
    await refund(t, disputeId);
    expect(await row(t)).toMatchObject({ state: "refunded", refundedCents: 1_350, keptCents: 0, netCents: 1_350 });
    const today = await t.withIdentity(advisor).query(api.earnings.summary, { tzOffsetMinutes: 0 });
    expect(today.todayCents).toBe(0);
    await expectAgreement(t, advisorId, paidOutCents, 0);
    vi.setSystemTime(Date.now() + 25 * HOUR);
    await t.mutation(internal.earnings.release, { earningId });
    expect(await row(t)).toMatchObject({ state: "refunded", keptCents: 0 });
    await expectAgreement(t, advisorId, paidOutCents, 0);
  });

  it("a partial refund of $5.00: the row says partly refunded, $4.50 refunded and $9.00 kept, still pending; then released", async () => {
    const { t, advisorId, earningId, disputeId, paidOutCents } = await disputed();
    await refund(t, disputeId, 500);
    expect(await row(t)).toMatchObject({
      state: "partially_refunded",
      onHold: true,
      refundedCents: 450,
      keptCents: 900,
    });
    expect((await t.withIdentity(advisor).query(api.earnings.summary, { tzOffsetMinutes: 0 })).todayCents).toBe(900);
    await expectAgreement(t, advisorId, paidOutCents, 900);
    vi.setSystemTime(Date.now() + 25 * HOUR);
    await t.mutation(internal.earnings.release, { earningId });
    expect(await row(t)).toMatchObject({
      state: "partially_refunded",
      onHold: false,
      refundedCents: 450,
      keptCents: 900,
    });
    expect(await balance(t, "advisor_available", advisorId)).toBe(900);
    await expectAgreement(t, advisorId, paidOutCents, 900);
  });
});

describe("refunds after release", () => {
  it("a full refund from the available balance", async () => {
    const { t, advisorId, disputeId, paidOutCents } = await disputed({ release: true });
    await expectAgreement(t, advisorId, paidOutCents, 1_350);
    await refund(t, disputeId);
    expect(await row(t)).toMatchObject({ state: "refunded", onHold: false, refundedCents: 1_350, keptCents: 0 });
    await expectAgreement(t, advisorId, paidOutCents, 0);
  });

  it("a partial refund from the available balance", async () => {
    const { t, advisorId, disputeId, paidOutCents } = await disputed({ release: true });
    await refund(t, disputeId, 500);
    expect(await row(t)).toMatchObject({ state: "partially_refunded", refundedCents: 450, keptCents: 900 });
    await expectAgreement(t, advisorId, paidOutCents, 900);
  });

  it("after a payout: a partial refund is clawed back ($4.50 owed), a full one all of it", async () => {
    const partial = await disputed({ release: true, paidOut: true });
    await refund(partial.t, partial.disputeId, 500);
    expect(await row(partial.t)).toMatchObject({ state: "clawed_back", refundedCents: 450, keptCents: 900 });
    expect(await balance(partial.t, "advisor_receivable", partial.advisorId)).toBe(450);
    await expectAgreement(partial.t, partial.advisorId, partial.paidOutCents, 900);

    const full = await disputed({ release: true, paidOut: true });
    await refund(full.t, full.disputeId);
    expect(await row(full.t)).toMatchObject({ state: "clawed_back", refundedCents: 1_350, keptCents: 0 });
    await expectAgreement(full.t, full.advisorId, full.paidOutCents, 0);
  });
});
