// Races (issue 11, item 6): the same money-moving call launched many times at once with Promise.allSettled.
// Exactly the allowed number may succeed, every refusal carries an expected error code, nothing else is
// written, and the ledger checker passes afterwards.
//
// Note: convex-test runs top-level mutations one at a time (as a serializable Convex deployment would
// order them after OCC retries), so these tests check that every interleaving the backend can produce
// still respects the invariants: the guards read fresh state inside each transaction.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { appErrorData, type ErrorCode } from "../../lib/errors";
import { addAdvisor } from "./advisorHelpers";
import { insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";
import { balance } from "./ledgerHelpers";
import { clientAndAdvisor, settledSession } from "./sessionFixtures";

type UserId = Id<"users">;
type ProfileId = Id<"advisorProfiles">;

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const admin = localIdentity("admin1");

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** The recorded checker run (internal.ledger.runChecker) must pass. */
async function expectCheckerPasses(t: Test) {
  const result = await t.mutation(internal.ledger.runChecker, {});
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
}

/** Splits settled results into values and error codes; a rejection without an app error code fails the test. */
function outcomes<T>(results: PromiseSettledResult<T>[]) {
  const values: T[] = [];
  const codes: ErrorCode[] = [];
  for (const r of results) {
    if (r.status === "fulfilled") values.push(r.value);
    else {
      const data = appErrorData(r.reason);
      if (data === null) throw new Error(`a call failed without an app error code: ${String(r.reason)}`);
      codes.push(data.code);
    }
  }
  return { values, codes };
}

function expectCodesWithin(codes: ErrorCode[], allowed: ErrorCode[]) {
  for (const code of codes) expect(allowed).toContain(code);
}

async function count(t: Test, table: "sessions" | "sessionParticipants" | "payouts" | "outbox" | "journals") {
  return await t.run(async (ctx) => (await ctx.db.query(table).collect()).length);
}

async function fundClient(t: Test, clientId: UserId, amountCents: number) {
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents },
    idempotencyKey: `topup:${clientId}`,
  });
}

async function onlineAdvisor(t: Test, subject: string): Promise<ProfileId> {
  return await addAdvisor(t, subject, {
    displayName: `Advisor ${subject}`,
    categories: ["tarot"],
    status: "approved",
    online: true,
    chatRateCentsPerMinute: 50,
    videoRateCentsPerMinute: 100,
  });
}

// ---------------------------------------------------------------------------------------------
// 1. Session requests
// ---------------------------------------------------------------------------------------------

describe("50 concurrent session requests by one client", () => {
  async function setup(advisors: number) {
    const t = newTest();
    const clientId = await insertUser(t, "client1", "client");
    await fundClient(t, clientId, 50_00);
    const profiles: ProfileId[] = [];
    for (let i = 0; i < advisors; i++) profiles.push(await onlineAdvisor(t, `advisor${i + 1}`));
    const journalsBefore = await count(t, "journals");
    return { t, clientId, profiles, journalsBefore };
  }

  async function expectOneSession(t: Test, clientId: UserId, journalsBefore: number) {
    const sessions = await t.run(async (ctx) => ctx.db.query("sessions").collect());
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ clientId, status: "requested" });
    expect(await count(t, "sessionParticipants")).toBe(1);
    const inSession = await t.run(async (ctx) =>
      (await ctx.db.query("advisorProfiles").collect()).filter((p) => p.inSession === true),
    );
    expect(inSession).toHaveLength(1);
    expect(inSession[0]!.userId).toBe(sessions[0]!.advisorId);
    // A request freezes nothing in the ledger: no journal was written by any of the 50 calls.
    expect(await count(t, "journals")).toBe(journalsBefore);
    expect(await balance(t, "client_wallet", clientId)).toBe(50_00);
    return sessions[0]!;
  }

  it("to one advisor: exactly one succeeds, the rest are CONFLICT (or RATE_LIMITED), one session row", async () => {
    const { t, clientId, profiles, journalsBefore } = await setup(1);
    const firstArgs = await withRate(t, { advisorProfileId: profiles[0]!, kind: "chat" as const });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => t.withIdentity(client).mutation(api.sessions.request, firstArgs)),
    );
    const { values, codes } = outcomes(results);
    expect(values).toHaveLength(1);
    expect(codes).toHaveLength(49);
    expectCodesWithin(codes, ["CONFLICT", "RATE_LIMITED"]);
    const session = await expectOneSession(t, clientId, journalsBefore);
    expect(session._id).toBe(values[0]!.sessionId);
    await expectCheckerPasses(t);
  });

  it("to 50 different online advisors: exactly one succeeds, the rest are CONFLICT (or RATE_LIMITED), one session row", async () => {
    const { t, clientId, profiles, journalsBefore } = await setup(50);
    const allArgs = await Promise.all(
      profiles.map((advisorProfileId) => withRate(t, { advisorProfileId, kind: "chat" as const })),
    );
    const results = await Promise.allSettled(
      allArgs.map((args) => t.withIdentity(client).mutation(api.sessions.request, args)),
    );
    const { values, codes } = outcomes(results);
    expect(values).toHaveLength(1);
    expect(codes).toHaveLength(49);
    expectCodesWithin(codes, ["CONFLICT", "RATE_LIMITED"]);
    const session = await expectOneSession(t, clientId, journalsBefore);
    expect(session._id).toBe(values[0]!.sessionId);
    await expectCheckerPasses(t);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Payout requests
// ---------------------------------------------------------------------------------------------

describe("concurrent payout requests by one advisor", () => {
  async function setup(availableCents: number) {
    const { t, clientId, advisorId } = await clientAndAdvisor();
    await t.run(async (ctx) => {
      await ctx.db.insert("payoutAccounts", {
        userId: advisorId,
        accountId: "acct_test1",
        status: "enabled",
        chargesEnabled: true,
        payoutsEnabled: true,
        detailsSubmitted: true,
        createdAt: T0,
        updatedAt: T0,
      });
    });
    // Real money path: a top-up, a settled session, the release of the advisor's share.
    const fee = Math.round(availableCents / 9);
    await t.mutation(internal.ledger.postEvents, {
      items: [
        { event: { kind: "top_up", clientId, amountCents: availableCents + fee }, idempotencyKey: "seed:topup" },
        {
          event: { kind: "session_settled", clientId, advisorId, costCents: availableCents + fee, feeCents: fee },
          idempotencyKey: "seed:settle",
        },
        {
          event: { kind: "earnings_released", advisorId, amountCents: availableCents },
          idempotencyKey: "seed:release",
        },
      ],
    });
    expect(await balance(t, "advisor_available", advisorId)).toBe(availableCents);
    return { t, advisorId };
  }

  async function expectMoneyConsistent(t: Test, advisorId: UserId, startCents: number) {
    const payouts = await t.run(async (ctx) => ctx.db.query("payouts").collect());
    const requested = payouts.reduce((sum, p) => sum + p.amountCents, 0);
    const available = await balance(t, "advisor_available", advisorId);
    expect(available).toBeGreaterThanOrEqual(0);
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(requested);
    expect(available + requested).toBe(startCents);
    // One request journal and one outbox job per payout row, nothing for the refused calls.
    const journals = await t.run(async (ctx) => ctx.db.query("journals").collect());
    expect(journals.filter((j) => j.idempotencyKey.startsWith("payout:"))).toHaveLength(payouts.length);
    expect(await count(t, "outbox")).toBe(payouts.filter((p) => p.status === "queued").length);
    return payouts;
  }

  it("50 requests for the whole available balance: exactly one succeeds", async () => {
    const { t, advisorId } = await setup(100_00);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 100_00 })),
    );
    const { values, codes } = outcomes(results);
    expect(values).toHaveLength(1);
    expect(codes).toHaveLength(49);
    expectCodesWithin(codes, ["INSUFFICIENT_FUNDS", "RATE_LIMITED"]);
    const payouts = await expectMoneyConsistent(t, advisorId, 100_00);
    expect(payouts).toHaveLength(1);
    expect(payouts[0]!._id).toBe(values[0]!.payoutId);
    expect(await balance(t, "advisor_available", advisorId)).toBe(0);
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(100_00);
    await expectCheckerPasses(t);
  });

  it("5 requests of $25.00 with $100.00 available (the 5/min limit): exactly 4 succeed, 1 INSUFFICIENT_FUNDS", async () => {
    const { t, advisorId } = await setup(100_00);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 25_00 })),
    );
    const { values, codes } = outcomes(results);
    expect(values).toHaveLength(4);
    expect(codes).toEqual(["INSUFFICIENT_FUNDS"]);
    const payouts = await expectMoneyConsistent(t, advisorId, 100_00);
    expect(payouts).toHaveLength(4);
    expect(await balance(t, "advisor_available", advisorId)).toBe(0);
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(100_00);
    await expectCheckerPasses(t);
  });

  it("50 requests of $25.00 with $100.00 available: at most 4 succeed, the rest INSUFFICIENT_FUNDS or RATE_LIMITED", async () => {
    const { t, advisorId } = await setup(100_00);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 25_00 })),
    );
    const { values, codes } = outcomes(results);
    expect(values.length).toBeLessThanOrEqual(4);
    expect(values.length).toBeGreaterThanOrEqual(1);
    expect(codes).toHaveLength(50 - values.length);
    expectCodesWithin(codes, ["INSUFFICIENT_FUNDS", "RATE_LIMITED"]);
    const payouts = await expectMoneyConsistent(t, advisorId, 100_00);
    expect(payouts).toHaveLength(values.length);
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(values.length * 25_00);
    await expectCheckerPasses(t);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Concurrent ends
// ---------------------------------------------------------------------------------------------

describe("concurrent ends of an active session", () => {
  it("client and advisor each call end 10 times at once: one settlement journal, every call returns the same numbers", async () => {
    const t = newTest();
    const clientId = await insertUser(t, "client1", "client");
    await fundClient(t, clientId, 50_00);
    const profileId = await onlineAdvisor(t, "advisor1");
    const advisorId = (await t.run(async (ctx) => (await ctx.db.get("advisorProfiles", profileId))!.userId)) as UserId;
    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    vi.advanceTimersByTime(2_000);
    await t.finishInProgressScheduledFunctions();
    await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
    // Five minutes of conversation, both sides heart-beating every 10 s.
    for (let i = 0; i < 30; i++) {
      vi.advanceTimersByTime(10_000);
      await t.finishInProgressScheduledFunctions();
      await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
      await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
    const calls = [
      ...Array.from({ length: 10 }, () => t.withIdentity(client).mutation(api.sessions.end, { sessionId })),
      ...Array.from({ length: 10 }, () => t.withIdentity(advisor).mutation(api.sessions.end, { sessionId })),
    ];
    const { values, codes } = outcomes(await Promise.allSettled(calls));
    expect(codes).toEqual([]);
    expect(values).toHaveLength(20);
    expect(values[0]).toEqual({ billableSeconds: 300, costCents: 250 });
    for (const v of values) expect(v).toEqual(values[0]);

    const session = (await t.run(async (ctx) => ctx.db.get("sessions", sessionId)))!;
    expect(session).toMatchObject({ status: "ended", billableSeconds: 300, costCents: 250 });
    const journals = await t.run(async (ctx) => ctx.db.query("journals").collect());
    expect(journals.filter((j) => j.idempotencyKey === `session:${sessionId}:settlement`)).toHaveLength(1);
    expect(journals.filter((j) => j.type === "session_settled")).toHaveLength(1);
    expect(await t.run(async (ctx) => (await ctx.db.query("earnings").collect()).length)).toBe(1);
    expect(await balance(t, "client_wallet", clientId)).toBe(50_00 - 250);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(session.shareCents);
    expect(await balance(t, "platform_fees")).toBe(session.feeCents);
    await expectCheckerPasses(t);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Concurrent refunds
// ---------------------------------------------------------------------------------------------

describe("concurrent dispute refunds", () => {
  async function setup(costCents: number) {
    const { t, clientId, advisorId } = await clientAndAdvisor();
    await insertUser(t, "admin1", "admin");
    await fundClient(t, clientId, 100_00);
    const { sessionId } = await settledSession(t, { clientId, advisorId }, costCents);
    const { disputeId } = await t.withIdentity(client).mutation(api.disputes.file, {
      sessionId,
      category: "advisor_absent",
      description: "The advisor never answered my questions.",
      requestedRefundCents: costCents,
    });
    const walletBefore = await balance(t, "client_wallet", clientId);
    return { t, clientId, advisorId, sessionId, disputeId, walletBefore };
  }

  type Resolution = { outcome: "full_refund" | "partial_refund"; refundCents?: number };

  async function race(t: Test, disputeId: Id<"sessionDisputes">, resolutions: Resolution[]) {
    return outcomes(
      await Promise.allSettled(
        resolutions.map((r) =>
          t.withIdentity(admin).mutation(api.disputes.resolve, {
            disputeId,
            note: "Reviewed the transcript.",
            earlyDecisionReason: "Decided in a test before the window closed.",
            ...r,
          }),
        ),
      ),
    );
  }

  async function expectRefundedOnce(
    t: Test,
    ids: { clientId: UserId; sessionId: Id<"sessions">; disputeId: Id<"sessionDisputes"> },
    walletBefore: number,
    costCents: number,
  ) {
    const session = (await t.run(async (ctx) => ctx.db.get("sessions", ids.sessionId)))!;
    const dispute = (await t.run(async (ctx) => ctx.db.get("sessionDisputes", ids.disputeId)))!;
    const journals = await t.run(async (ctx) => ctx.db.query("journals").collect());
    const refundJournals = journals.filter((j) => j.idempotencyKey === `dispute:${ids.disputeId}:refund`);
    expect(refundJournals).toHaveLength(1);
    expect(dispute.refundJournalId).toBe(refundJournals[0]!._id);
    const refunded = (await balance(t, "client_wallet", ids.clientId)) - walletBefore;
    expect(refunded).toBe(dispute.refundCents);
    expect(session.refundedCents ?? 0).toBe(refunded);
    expect(refunded).toBeLessThanOrEqual(costCents);
    return { refunded, dispute };
  }

  it("two full refunds of the same dispute at once: one succeeds, the other is CONFLICT; refunded once", async () => {
    const { t, clientId, sessionId, disputeId, walletBefore } = await setup(1_500);
    const { values, codes } = await race(t, disputeId, [{ outcome: "full_refund" }, { outcome: "full_refund" }]);
    expect(values).toHaveLength(1);
    expect(codes).toEqual(["CONFLICT"]);
    const { refunded, dispute } = await expectRefundedOnce(t, { clientId, sessionId, disputeId }, walletBefore, 1_500);
    expect(refunded).toBe(1_500);
    expect(dispute.status).toBe("refunded");
    await expectCheckerPasses(t);
  });

  it("ten full refunds of the same dispute at once: one succeeds; refunded once", async () => {
    const { t, clientId, sessionId, disputeId, walletBefore } = await setup(1_500);
    const { values, codes } = await race(
      t,
      disputeId,
      Array.from({ length: 10 }, () => ({ outcome: "full_refund" as const })),
    );
    expect(values).toHaveLength(1);
    expect(codes).toHaveLength(9);
    expectCodesWithin(codes, ["CONFLICT"]);
    const { refunded } = await expectRefundedOnce(t, { clientId, sessionId, disputeId }, walletBefore, 1_500);
    expect(refunded).toBe(1_500);
    await expectCheckerPasses(t);
  });

  it("a partial refund racing a full refund (both orders): exactly one resolution, never more than the cost", async () => {
    for (const order of [
      [{ outcome: "partial_refund", refundCents: 500 }, { outcome: "full_refund" }],
      [{ outcome: "full_refund" }, { outcome: "partial_refund", refundCents: 500 }],
    ] satisfies Resolution[][]) {
      const { t, clientId, sessionId, disputeId, walletBefore } = await setup(1_500);
      const { values, codes } = await race(t, disputeId, order);
      expect(values).toHaveLength(1);
      expect(codes).toEqual(["CONFLICT"]);
      const { refunded, dispute } = await expectRefundedOnce(
        t,
        { clientId, sessionId, disputeId },
        walletBefore,
        1_500,
      );
      expect([500, 1_500]).toContain(refunded);
      expect(dispute.status).toBe(refunded === 1_500 ? "refunded" : "partially_refunded");
      await expectCheckerPasses(t);
    }
  });
});
