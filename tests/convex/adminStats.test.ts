// Admin dashboard and margin analytics: exact figures from a few settled sessions, a promotion, a refund
// and a chargeback; clients and advisors are refused.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { feeSplit } from "../../lib/ledger/templates";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";
import { endedSessionDoc } from "./sessionFixtures";
import { addAdvisor } from "./advisorHelpers";

type UserId = Id<"users">;
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const admin = localIdentity("admin1");
const HOUR = 60 * 60_000;
const NOW = Date.UTC(2026, 10, 21, 12);
const TODAY = { today: "2026-11-21", tzOffsetMinutes: 0 };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

async function setup() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  await addAdvisor(t, "advisor1", { displayName: "Luna", categories: ["tarot"], status: "approved", online: true });
  await addAdvisor(t, "advisor2", { displayName: "Marcus", categories: ["career"], status: "approved" });
  await insertUser(t, "admin1", "admin");
  const [advisorId, advisor2Id] = await t.run(async (ctx) =>
    Promise.all(
      ["advisor1", "advisor2"].map(
        async (s) =>
          (await ctx.db.query("advisorProfiles").collect()).find(
            (p) => p.displayName === (s === "advisor1" ? "Luna" : "Marcus"),
          )!.userId,
      ),
    ),
  );
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: 500_00 },
    idempotencyKey: "topup",
  });
  return { t, clientId, advisorId: advisorId!, advisor2Id: advisor2Id! };
}

/** A settled session of `costCents` (10% fee) with `promoCents` paid by the platform, `agoMs` before now. */
async function settle(
  t: Test,
  clientId: UserId,
  advisorId: UserId,
  costCents: number,
  opts: { promoCents?: number; agoMs?: number } = {},
) {
  const at = NOW - (opts.agoMs ?? HOUR);
  vi.setSystemTime(at);
  const { feeCents } = feeSplit(costCents, 1000);
  const promoCents = opts.promoCents ?? 0;
  const sessionId = await t.run(async (ctx) =>
    ctx.db.insert(
      "sessions",
      endedSessionDoc({ clientId, advisorId }, { endedAt: at, rateCentsPerMinute: 100, costCents, promoCents }),
    ),
  );
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "session_settled", clientId, advisorId, costCents, feeCents, promoCents },
    idempotencyKey: `settle:${sessionId}`,
    refs: { sessionId },
  });
  vi.setSystemTime(NOW);
  return sessionId;
}

async function scenario() {
  const s = await setup();
  const { t, clientId, advisorId, advisor2Id } = s;
  // Today: $15.00 (Luna) with a $2.00 promotion, $10.00 (Marcus); 3 days ago: $20.00 (Luna).
  const luna = await settle(t, clientId, advisorId, 1_500, { promoCents: 200 });
  await settle(t, clientId, advisor2Id, 1_000, { agoMs: 2 * HOUR });
  await settle(t, clientId, advisorId, 2_000, { agoMs: 3 * 24 * HOUR });
  // A $5.00 refund of Luna's session today: fee part $0.50.
  await t.mutation(internal.ledger.postEvent, {
    event: {
      kind: "session_refunded",
      clientId,
      advisorId,
      refundCents: 500,
      shareCents: 1_350,
      feeCents: 150,
      source: "pending",
    },
    idempotencyKey: "refund:1",
    refs: { sessionId: luna },
  });
  return s;
}

describe("admin dashboard", () => {
  it("adds up today's and this month's figures from the ledger", async () => {
    const { t } = await scenario();
    const stats = await t.withIdentity(admin).query(api.admin.dashboard, TODAY);
    expect(stats.todayFigures).toEqual({
      grossCents: 2_500,
      feesCents: 250,
      refundsCents: 500,
      refundFeesCents: 50,
      promotionsCents: 200,
      chargebacksCents: 0,
      processorFeesCents: 0, // the scenario's top-ups carry no processor fee
      netMarginCents: 250 - 50 - 200,
      sessions: 2,
    });
    expect(stats.monthFigures).toMatchObject({
      grossCents: 4_500,
      feesCents: 450,
      netMarginCents: 450 - 50 - 200,
      sessions: 3,
    });
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily.at(-1)).toMatchObject({ date: "2026-11-21", grossCents: 2_500 });
    expect(stats.daily.find((d) => d.date === "2026-11-18")).toMatchObject({ grossCents: 2_000, feesCents: 200 });
    expect(stats.counts).toMatchObject({
      activeSessions: 0,
      advisorsOnline: 1,
      openDisputes: 0,
      payoutsAwaitingApproval: 0,
      unresolvedAlerts: 0,
    });
    expect(stats).not.toHaveProperty("truncated"); // issue 25: figures are maintained, never cut
  });

  it("an answered offline message is a sale and its dispute refund a refund, like a session's", async () => {
    const { t } = await scenario();
    await t.withIdentity(advisor).mutation(api.offlineMessages.setPrice, { priceCents: 5_00 });
    const profileId = (await t.run(async (ctx) => ctx.db.query("advisorProfiles").collect())).find(
      (p) => p.displayName === "Luna",
    )!._id;
    const { messageId } = await t.withIdentity(client).mutation(api.offlineMessages.send, {
      advisorProfileId: profileId,
      body: "Will I find the job I want this year?",
      priceCents: 5_00,
      requestKey: "send-0001",
    });
    // Held only: no sale yet.
    expect((await t.withIdentity(admin).query(api.admin.dashboard, TODAY)).todayFigures.grossCents).toBe(2_500);
    await t.withIdentity(advisor).mutation(api.offlineMessages.reply, { messageId, reply: "Yes, in spring." });
    await t
      .withIdentity(client)
      .mutation(api.offlineMessages.dispute, { messageId, reason: "The answer was too vague." });
    await t.withIdentity(admin).mutation(api.offlineMessages.resolveDispute, {
      messageId,
      outcome: "partial_refund",
      refundCents: 2_00,
      note: "Half-hearted answer.",
    });
    const stats = await t.withIdentity(admin).query(api.admin.dashboard, TODAY);
    // $5.00 sold ($0.50 fee at 10%); $2.00 refunded, of which the fee part is $0.20.
    expect(stats.todayFigures).toEqual({
      grossCents: 2_500 + 500,
      feesCents: 250 + 50,
      refundsCents: 500 + 200,
      refundFeesCents: 50 + 20,
      promotionsCents: 200,
      chargebacksCents: 0,
      processorFeesCents: 0,
      netMarginCents: 250 + 50 - (50 + 20) - 200,
      sessions: 2,
    });
    // By advisor: the message is Luna's (today $15.00 session, $5.00 refund; the message's $5.00 and $2.00 refund).
    const report = await t
      .withIdentity(admin)
      .query(api.margins.report, { from: "2026-11-21", to: "2026-11-21", tzOffsetMinutes: 0 });
    expect(report.byAdvisor.find((a) => a.name === "Luna")).toMatchObject({
      grossCents: 1_500 + 500,
      feesCents: 150 + 50,
      refundsCents: 500 + 200,
      refundFeesCents: 50 + 20,
      sessions: 1,
    });
    expect(report.byCategory.reduce((n, c) => n + c.grossCents, 0)).toBe(report.totals.grossCents);
  });

  it("a chargeback loss lowers the net margin", async () => {
    const { t, clientId } = await scenario();
    // The client's wallet can give back what it holds; fee $15.00 is a loss either way.
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "chargeback_opened", clientId, amountCents: 1_000, feeCents: 1_500 },
      idempotencyKey: "cb:1",
    });
    const stats = await t.withIdentity(admin).query(api.admin.dashboard, TODAY);
    expect(stats.todayFigures.chargebacksCents).toBe(1_500);
    expect(stats.todayFigures.netMarginCents).toBe(250 - 50 - 200 - 1_500);
  });

  it("refuses clients and advisors, and bad dates", async () => {
    const { t } = await setup();
    await expectAppError(t.withIdentity(client).query(api.admin.dashboard, TODAY), "FORBIDDEN");
    await expectAppError(t.withIdentity(advisor).query(api.admin.dashboard, TODAY), "FORBIDDEN");
    await expectAppError(t.query(api.admin.dashboard, TODAY), "UNAUTHENTICATED");
    await expectAppError(
      t.withIdentity(admin).query(api.admin.dashboard, { today: "2026-13-01", tzOffsetMinutes: 0 }),
      "INVALID_ARGUMENT",
    );
  });
});

describe("margin analytics", () => {
  it("by day, by advisor and by category", async () => {
    const { t, advisorId, advisor2Id } = await scenario();
    const report = await t
      .withIdentity(admin)
      .query(api.margins.report, { from: "2026-11-01", to: "2026-11-21", tzOffsetMinutes: 0 });
    expect(report.totals).toMatchObject({
      grossCents: 4_500,
      feesCents: 450,
      refundsCents: 500,
      refundFeesCents: 50,
      promotionsCents: 200,
      netMarginCents: 200,
      sessions: 3,
    });
    expect(report.byDay).toHaveLength(21);
    expect(report.byAdvisor).toEqual([
      expect.objectContaining({
        advisorId,
        name: "Luna",
        category: "tarot",
        grossCents: 3_500,
        feesCents: 350,
        refundsCents: 500,
        refundFeesCents: 50,
        promotionsCents: 200,
        netMarginCents: 100,
        sessions: 2,
      }),
      expect.objectContaining({
        advisorId: advisor2Id,
        name: "Marcus",
        category: "career",
        grossCents: 1_000,
        feesCents: 100,
        netMarginCents: 100,
        sessions: 1,
      }),
    ]);
    expect(report.byCategory.map((c) => [c.category, c.netMarginCents])).toEqual([
      ["tarot", 100],
      ["career", 100],
    ]);
    // A time zone moves the day boundaries: 3 days ago 12:00 UTC is still that day at UTC−5.
    const shifted = await t
      .withIdentity(admin)
      .query(api.margins.report, { from: "2026-11-18", to: "2026-11-18", tzOffsetMinutes: -300 });
    expect(shifted.totals.grossCents).toBe(2_000);
  });

  it("refuses clients and advisors, reversed and too long ranges", async () => {
    const { t } = await setup();
    const args = { from: "2026-11-01", to: "2026-11-21", tzOffsetMinutes: 0 };
    await expectAppError(t.withIdentity(client).query(api.margins.report, args), "FORBIDDEN");
    await expectAppError(t.withIdentity(advisor).query(api.margins.report, args), "FORBIDDEN");
    await expectAppError(
      t.withIdentity(admin).query(api.margins.report, { ...args, from: "2026-11-22" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      t.withIdentity(admin).query(api.margins.report, { ...args, from: "2026-01-01" }),
      "INVALID_ARGUMENT",
    );
  });
});
