/// <reference types="vite/client" />
// Billing operations: reconciliation (injected processor balance), reserve settings, alerts center, permissions.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { setProcessorBalanceForTests } from "../../convex/model/ops";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";

const admin = localIdentity("admin1");
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");

function fixedBalance(cents: number) {
  setProcessorBalanceForTests({ mode: "test", retrieveBalanceCents: async () => cents });
}

async function setup() {
  const t = newTest();
  const adminId = await insertUser(t, "admin1", "admin");
  const clientId = await insertUser(t, "client1", "client");
  const advisorId = await insertUser(t, "advisor1", "advisor");
  // Ledger: client tops up $100.00, a $30.00 session (fee $3.00), $27.00 released to available.
  await t.mutation(internal.ledger.postEvents, {
    items: [
      { event: { kind: "top_up", clientId, amountCents: 10_000 }, idempotencyKey: "t:topup" },
      {
        event: { kind: "session_settled", clientId, advisorId, costCents: 3_000, feeCents: 300 },
        idempotencyKey: "t:settle",
      },
      { event: { kind: "earnings_released", advisorId, amountCents: 2_700 }, idempotencyKey: "t:release" },
    ],
  });
  return { t, adminId, clientId, advisorId };
}

async function alertsOfKind(t: Test, kind: string) {
  return await t.run(async (ctx) =>
    ctx.db
      .query("alerts")
      .withIndex("by_kind", (q) => q.eq("kind", kind))
      .collect(),
  );
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  setProcessorBalanceForTests(null);
  vi.useRealTimers();
});

describe("reconciliation", () => {
  it("records zero drift when the processor matches the ledger", async () => {
    const { t } = await setup();
    fixedBalance(10_000);
    // "Reconcile now" starts the paged run as a background job; the page follows it until its run is recorded.
    const request = await t.withIdentity(admin).mutation(api.ops.reconcileNow, {});
    expect((await t.withIdentity(admin).query(api.ops.reconcileRequest, request)).status).toBe("queued");
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const done = await t.withIdentity(admin).query(api.ops.reconcileRequest, request);
    expect(done.status).toBe("done");
    const out = done.run!;
    expect(out.driftCents).toBe(0);
    expect(out.alerted).toBe(false);
    const { runs } = await t.withIdentity(admin).query(api.ops.reconciliationHistory, {});
    expect(runs[0]).toMatchObject({
      trigger: "manual",
      ok: true,
      processorBalanceCents: 10_000,
      ledgerCashCents: 10_000,
      driftCents: 0,
    });
    expect(await alertsOfKind(t, "reconciliation_drift")).toHaveLength(0);
  });

  it("detects an injected drift and alerts at |drift| >= $10.00, not below", async () => {
    const { t } = await setup();
    fixedBalance(10_000 - 999);
    let out = await t.action(internal.opsNode.runReconciliation, { trigger: "cron" });
    expect(out).toMatchObject({ driftCents: -999, alerted: false });
    expect(await alertsOfKind(t, "reconciliation_drift")).toHaveLength(0);

    fixedBalance(10_000 + 1_000);
    out = await t.action(internal.opsNode.runReconciliation, { trigger: "cron" });
    expect(out).toMatchObject({ driftCents: 1_000, alerted: true });
    const alerts = await alertsOfKind(t, "reconciliation_drift");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.severity).toBe("critical");
    expect(alerts[0]!.message).toContain("$10.00");

    fixedBalance(10_000 - 1_000);
    out = await t.action(internal.opsNode.runReconciliation, { trigger: "cron" });
    expect(out).toMatchObject({ driftCents: -1_000, alerted: true });
    expect(await alertsOfKind(t, "reconciliation_drift")).toHaveLength(2);
  });

  it("subtracts the configured expected difference (e.g. the local processor's opening balance)", async () => {
    const { t } = await setup();
    await t
      .withIdentity(admin)
      .mutation(api.ops.setReserveSettings, { expectedDifferenceCents: 100_000, reason: "local opening balance" });
    fixedBalance(110_000);
    const out = await t.action(internal.opsNode.runReconciliation, {});
    expect(out!.driftCents).toBe(0);
  });

  it("records a failed run and a warning when the processor cannot be reached", async () => {
    const { t } = await setup();
    setProcessorBalanceForTests({
      mode: "test",
      retrieveBalanceCents: async () => Promise.reject(new Error("connection refused")),
    });
    const out = await t.action(internal.opsNode.runReconciliation, {});
    expect(out!.driftCents).toBeNull();
    const { runs } = await t.withIdentity(admin).query(api.ops.reconciliationHistory, {});
    expect(runs[0]).toMatchObject({ ok: false, error: "connection refused" });
    expect(await alertsOfKind(t, "reconciliation_failed")).toHaveLength(1);
  });

  it("writes the day's reserve snapshot and, from the cron, reserve and credit-limit alerts", async () => {
    const { t, clientId, advisorId } = await setup();
    // A second client with a $50 credit limit who has used $45 of it.
    const client2 = await insertUser(t, "client2", "client");
    await t.run(async (ctx) => {
      const { setCreditLimit } = await import("../../convex/model/ledger");
      await setCreditLimit(ctx, client2, 5_000);
    });
    await t.mutation(internal.ledger.postEvents, {
      items: [
        {
          event: { kind: "session_settled", clientId: client2, advisorId, costCents: 4_500, feeCents: 450 },
          idempotencyKey: "t:settle2",
        },
      ],
    });
    await t
      .withIdentity(admin)
      .mutation(api.ops.setReserveSettings, { minimumReserveCents: 500, reason: "test minimum" });
    fixedBalance(10_000);
    await t.action(internal.opsNode.runReconciliation, { trigger: "cron" });
    const overview = await t.withIdentity(admin).query(api.ops.reserveOverview, {});
    // cash $100; owed: wallet $70 (client2 at -$45 counts 0) + pending $4.05 + available $27 = $101.05
    expect(overview.current).toMatchObject({
      source: "live",
      processorCashCents: 10_000,
      clientWalletsCents: 7_000,
      advisorPendingCents: 4_050,
      advisorAvailableCents: 2_700,
      advisorInTransitCents: 0,
      reserveCents: 10_000 - 13_750,
      status: "critical",
    });
    expect(overview.history).toHaveLength(1);
    expect(overview.history[0]).toMatchObject({ day: "2026-11-21", status: "critical", reserveCents: -3_750 });
    expect(await alertsOfKind(t, "reserve_warning")).toHaveLength(1);
    const near = await alertsOfKind(t, "credit_limit_near");
    expect(near).toHaveLength(1);
    expect(near[0]!.message).toContain("User client2");
    expect(clientId).toBeDefined();
  });
});

describe("reserve status thresholds through the settings", () => {
  it("is warning under 20% above the minimum and healthy at 20%", async () => {
    const { t } = await setup();
    // cash $100.00; owed $70.00 + $27.00 = $97.00 (pending is 0 after release): reserve $3.00
    const as = t.withIdentity(admin);
    await as.mutation(api.ops.setReserveSettings, { minimumReserveCents: 250, reason: "threshold test" });
    expect((await as.query(api.ops.reserveOverview, {})).current).toMatchObject({
      reserveCents: 300,
      status: "healthy",
      warningLineCents: 300,
    });
    await as.mutation(api.ops.setReserveSettings, { minimumReserveCents: 251, reason: "threshold test" });
    expect((await as.query(api.ops.reserveOverview, {})).current?.status).toBe("warning");
    await as.mutation(api.ops.setReserveSettings, { minimumReserveCents: 301, reason: "threshold test" });
    expect((await as.query(api.ops.reserveOverview, {})).current?.status).toBe("critical");
  });

  it("audits settings changes with before and after, and validates them", async () => {
    const { t, adminId } = await setup();
    const as = t.withIdentity(admin);
    await as.mutation(api.ops.setReserveSettings, {
      minimumReserveCents: 123_400,
      warningMarginBps: 2500,
      reason: "quarterly review",
    });
    const audit = await t.run(async (ctx) => ctx.db.query("auditLog").collect());
    const entry = audit.find((a) => a.action === "billing.reserve_settings_set");
    expect(entry?.actorId).toBe(adminId);
    expect(JSON.parse(entry!.details!)).toMatchObject({
      before: { minimumReserveCents: 0, warningMarginBps: 2000 },
      after: { minimumReserveCents: 123_400, warningMarginBps: 2500 },
      reason: "quarterly review",
    });
    await expectAppError(
      as.mutation(api.ops.setReserveSettings, { minimumReserveCents: 1.5, reason: "bad" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      as.mutation(api.ops.setReserveSettings, { minimumReserveCents: -1, reason: "bad" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      as.mutation(api.ops.setReserveSettings, { minimumReserveCents: 1, reason: "" }),
      "INVALID_ARGUMENT",
    );
  });
});

describe("alerts center", () => {
  async function raise(t: Test, kind: string, severity: "info" | "warning" | "critical" = "warning") {
    return await t.run(async (ctx) =>
      ctx.db.insert("alerts", { kind, severity, message: `${kind} happened`, createdAt: Date.now() }),
    );
  }

  it("lists open and resolved alerts, filters by kind, and acknowledges with a note (audited)", async () => {
    const { t, adminId } = await setup();
    const a1 = await raise(t, "ledger_check", "critical");
    vi.advanceTimersByTime(1000);
    const a2 = await raise(t, "payout_dead_letter");
    const as = t.withIdentity(admin);
    const opts = { numItems: 20, cursor: null };
    let open = await as.query(api.ops.listAlerts, { paginationOpts: opts, status: "open" });
    expect(open.page.map((a) => a._id)).toEqual([a2, a1]);
    const byKind = await as.query(api.ops.listAlerts, { paginationOpts: opts, status: "open", kind: "ledger_check" });
    expect(byKind.page.map((a) => a._id)).toEqual([a1]);

    await expectAppError(as.mutation(api.ops.acknowledgeAlert, { alertId: a1, note: "" }), "INVALID_ARGUMENT");
    await as.mutation(api.ops.acknowledgeAlert, { alertId: a1, note: "Re-ran the checker; fixed." });
    await expectAppError(as.mutation(api.ops.acknowledgeAlert, { alertId: a1, note: "again please" }), "CONFLICT");

    open = await as.query(api.ops.listAlerts, { paginationOpts: opts, status: "open" });
    expect(open.page.map((a) => a._id)).toEqual([a2]);
    const resolved = await as.query(api.ops.listAlerts, { paginationOpts: opts, status: "resolved" });
    expect(resolved.page).toHaveLength(1);
    expect(resolved.page[0]).toMatchObject({
      _id: a1,
      ackNote: "Re-ran the checker; fixed.",
      ackBy: adminId,
      ackByName: "User admin1",
    });
    const resolvedKind = await as.query(api.ops.listAlerts, {
      paginationOpts: opts,
      status: "resolved",
      kind: "payout_dead_letter",
    });
    expect(resolvedKind.page).toHaveLength(0);
    const all = await as.query(api.ops.listAlerts, { paginationOpts: opts, status: "all" });
    expect(all.page).toHaveLength(2);

    const audit = await t.run(async (ctx) => ctx.db.query("auditLog").collect());
    const entry = audit.find((a) => a.action === "alert.acknowledged");
    expect(entry).toMatchObject({ actorId: adminId, targetTable: "alerts", targetId: a1 });

    const status = await as.query(api.ops.billingStatus, {});
    expect(status.alerts).toMatchObject({ count: 1, capped: false, critical: 0 });
  });

  it("a webhook that fails to apply raises one alert per event, however often it is retried", async () => {
    const { t } = await setup();
    const failure = {
      source: "Stripe",
      eventId: "evt_1",
      eventType: "charge.refunded",
      message: "Refund on an unknown charge.",
    };
    expect(await t.mutation(internal.ops.webhookFailed, failure)).toBe(true);
    expect(await t.mutation(internal.ops.webhookFailed, failure)).toBe(false);
    expect(await t.mutation(internal.ops.webhookFailed, { ...failure, eventId: "evt_2" })).toBe(true);
    const alerts = await alertsOfKind(t, "webhook_failed");
    expect(alerts.map((a) => a.severity)).toEqual(["warning", "warning"]);
    expect(alerts[0]!.message).toContain("charge.refunded");
    // Once acknowledged, a new failure of the same event alerts again.
    await t
      .withIdentity(admin)
      .mutation(api.ops.acknowledgeAlert, { alertId: alerts[0]!._id, note: "Looked into it." });
    expect(await t.mutation(internal.ops.webhookFailed, failure)).toBe(true);
  });
});

describe("permissions", () => {
  it("refuses clients and advisors on every ops function", async () => {
    const { t } = await setup();
    const alertId: Id<"alerts"> = await t.run(async (ctx) =>
      ctx.db.insert("alerts", { kind: "x", severity: "info", message: "m", createdAt: Date.now() }),
    );
    fixedBalance(10_000);
    for (const who of [client, advisor]) {
      const as = t.withIdentity(who);
      await expectAppError(as.query(api.ops.reserveOverview, {}), "FORBIDDEN");
      await expectAppError(as.query(api.ops.reconciliationHistory, {}), "FORBIDDEN");
      await expectAppError(as.query(api.ops.billingStatus, {}), "FORBIDDEN");
      await expectAppError(
        as.query(api.ops.listAlerts, { paginationOpts: { numItems: 5, cursor: null }, status: "open" }),
        "FORBIDDEN",
      );
      await expectAppError(as.mutation(api.ops.acknowledgeAlert, { alertId, note: "not mine" }), "FORBIDDEN");
      await expectAppError(
        as.mutation(api.ops.setReserveSettings, { minimumReserveCents: 1, reason: "nope" }),
        "FORBIDDEN",
      );
      await expectAppError(as.mutation(api.ops.reconcileNow, {}), "FORBIDDEN");
      await expectAppError(as.query(api.ops.reconcileRequest, { requestId: "x", jobId: "x" }), "FORBIDDEN");
    }
    await expectAppError(t.query(api.ops.reserveOverview, {}), "UNAUTHENTICATED");
    await expectAppError(t.mutation(api.ops.reconcileNow, {}), "UNAUTHENTICATED");
  });
});
