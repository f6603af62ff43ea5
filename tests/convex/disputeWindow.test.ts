// The advisor's response window: 48 h by default (DISPUTE_RESPONSE_WINDOW_HOURS overrides it), deciding early
// only with an audited reason, and "did not respond" only once the window has closed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import { advisorAnswerState, responseWindowMs, timeLeftInWords } from "../../lib/disputes";
import { expectAppError, insertUser, localIdentity } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";
import { clientAndAdvisor, settledSession } from "./sessionFixtures";

const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const admin = localIdentity("admin1");
const HOUR = 60 * 60_000;
const FILED_AT = Date.UTC(2026, 11, 2, 12);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(FILED_AT);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function filed() {
  const { t, clientId, advisorId } = await clientAndAdvisor();
  await insertUser(t, "admin1", "admin");
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: 100_00 },
    idempotencyKey: "topup",
  });
  const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500);
  const { disputeId } = await t.withIdentity(client).mutation(api.disputes.file, {
    sessionId,
    category: "advisor_absent",
    description: "The advisor never answered my questions.",
    requestedRefundCents: 1_500,
  });
  return { t, clientId, advisorId, sessionId, disputeId };
}

const audits = (t: Awaited<ReturnType<typeof filed>>["t"]) =>
  t.run(async (ctx) =>
    (await ctx.db.query("auditLog").collect()).map((a) => ({ action: a.action, details: a.details ?? "" })),
  );

describe("the advisor's response window", () => {
  it("is 48 hours from filing, and the admin sees how long is left", async () => {
    const { t, disputeId } = await filed();
    vi.setSystemTime(FILED_AT + 17_000);
    const { dispute } = await t.withIdentity(admin).query(api.disputes.adminGet, { disputeId });
    expect(dispute.responseDueAt).toBe(FILED_AT + 48 * HOUR);
    const state = advisorAnswerState(dispute, Date.now());
    expect(state).toEqual({ kind: "waiting", msLeft: 48 * HOUR - 17_000 });
    expect(timeLeftInWords(48 * HOUR - 17_000)).toBe("2 d");
    expect(timeLeftInWords(5 * HOUR + 19 * 60_000 + 1)).toBe("5 h 20 min");
  });

  it("17 seconds after filing, a decision without the advisor's answer is refused; with a short reason too", async () => {
    const { t, clientId, disputeId } = await filed();
    const wallet = await balance(t, "client_wallet", clientId);
    vi.setSystemTime(FILED_AT + 17_000);
    await expectAppError(
      t.withIdentity(admin).mutation(api.disputes.resolve, { disputeId, outcome: "full_refund", note: "Refund it." }),
      "CONFLICT",
    );
    await expectAppError(
      t.withIdentity(admin).mutation(api.disputes.resolve, {
        disputeId,
        outcome: "full_refund",
        note: "Refund it.",
        earlyDecisionReason: "  urgent  ",
      }),
      "INVALID_ARGUMENT",
    );
    expect(await balance(t, "client_wallet", clientId)).toBe(wallet);
    expect((await t.withIdentity(admin).query(api.disputes.adminGet, { disputeId })).dispute.status).toBe("open");
    expect((await audits(t)).filter((a) => a.action.startsWith("dispute."))).toEqual([]);
  });

  it("deciding early with a reason refunds, stores the reason and audits it", async () => {
    const { t, clientId, disputeId } = await filed();
    const wallet = await balance(t, "client_wallet", clientId);
    vi.setSystemTime(FILED_AT + HOUR);
    await t.withIdentity(admin).mutation(api.disputes.resolve, {
      disputeId,
      outcome: "full_refund",
      note: "Refund it.",
      earlyDecisionReason: "The transcript shows no advisor message at all.",
    });
    expect(await balance(t, "client_wallet", clientId)).toBe(wallet + 1_500);
    const { dispute } = await t.withIdentity(admin).query(api.disputes.adminGet, { disputeId });
    expect(dispute).toMatchObject({
      status: "refunded",
      earlyDecisionReason: "The transcript shows no advisor message at all.",
    });
    // Judged at the decision, the advisor had not missed her window.
    expect(advisorAnswerState(dispute, dispute.resolvedAt!).kind).toBe("waiting");
    const early = (await audits(t)).find((a) => a.action === "dispute.decided_without_advisor");
    expect(early?.details).toContain("The transcript shows no advisor message at all.");
    await expectChecker(t);
  });

  it("once the advisor answered, or the window closed, no reason is needed; only then is it 'did not respond'", async () => {
    const answered = await filed();
    await answered.t
      .withIdentity(advisor)
      .mutation(api.disputes.respond, { disputeId: answered.disputeId, response: "I was there all along." });
    await answered.t.withIdentity(admin).mutation(api.disputes.resolve, {
      disputeId: answered.disputeId,
      outcome: "reject",
      note: "The advisor answered.",
    });
    const a = await answered.t.withIdentity(admin).query(api.disputes.adminGet, { disputeId: answered.disputeId });
    expect(a.dispute).toMatchObject({ status: "rejected", earlyDecisionReason: null });
    expect(advisorAnswerState(a.dispute, Date.now()).kind).toBe("answered");

    const silent = await filed();
    vi.setSystemTime(FILED_AT + 48 * HOUR - 1);
    await expectAppError(
      silent.t
        .withIdentity(admin)
        .mutation(api.disputes.resolve, { disputeId: silent.disputeId, outcome: "reject", note: "No answer." }),
      "CONFLICT",
    );
    vi.setSystemTime(FILED_AT + 48 * HOUR);
    await silent.t
      .withIdentity(admin)
      .mutation(api.disputes.resolve, { disputeId: silent.disputeId, outcome: "reject", note: "No answer." });
    const s = await silent.t.withIdentity(admin).query(api.disputes.adminGet, { disputeId: silent.disputeId });
    expect(advisorAnswerState(s.dispute, s.dispute.resolvedAt!).kind).toBe("missed");
    expect((await audits(silent.t)).map((x) => x.action)).not.toContain("dispute.decided_without_advisor");
  });

  it("DISPUTE_RESPONSE_WINDOW_HOURS configures the window; nonsense falls back to 48 h", async () => {
    expect(responseWindowMs(undefined)).toBe(48 * HOUR);
    expect(responseWindowMs("abc")).toBe(48 * HOUR);
    expect(responseWindowMs("-3")).toBe(48 * HOUR);
    expect(responseWindowMs("24")).toBe(24 * HOUR);
    vi.stubEnv("DISPUTE_RESPONSE_WINDOW_HOURS", "2");
    const { t, disputeId } = await filed();
    expect((await t.withIdentity(admin).query(api.disputes.adminGet, { disputeId })).dispute.responseDueAt).toBe(
      FILED_AT + 2 * HOUR,
    );
    vi.setSystemTime(FILED_AT + 2 * HOUR);
    await t.withIdentity(admin).mutation(api.disputes.resolve, { disputeId, outcome: "reject", note: "No answer." });
  });
});
