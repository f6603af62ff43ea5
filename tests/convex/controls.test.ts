// Risk and controls (issue 19), as a rogue admin would try them: four-eyes over the 24 h sum of adjustments,
// adjustments never straight to available, admin grants needing a second admin, no self-approval; payouts
// over the 24 h sum wait for approval and are held (not failed) while the reserve is critical; the transfer
// success rate; critical alerts reach every admin once, in the app and by email.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { RECENT_ADJUSTMENTS_READ } from "../../convex/model/adjustments";
import { raiseAlert } from "../../convex/model/alerts";
import { RECENT_PAYOUTS_READ } from "../../convex/model/payoutControls";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";
import { settledSession } from "./sessionFixtures";

const admin = localIdentity("admin1");
const admin2 = localIdentity("admin2");
const advisor = localIdentity("advisor1");
const HOUR = 60 * 60_000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
  vi.stubEnv("EMAIL_DEV_MAILBOX", "1");
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function people() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  const advisorId = await insertUser(t, "advisor1", "advisor");
  const adminId = await insertUser(t, "admin1", "admin");
  const admin2Id = await insertUser(t, "admin2", "admin");
  await t.mutation(internal.ledger.postEvents, {
    items: [{ event: { kind: "top_up", clientId, amountCents: 200_000 }, idempotencyKey: "seed" }],
  }); // $2,000.00
  return { t, clientId, advisorId, adminId, admin2Id };
}

describe("four-eyes on adjustments", { timeout: 30_000 }, () => {
  it("two $60 adjustments by one admin to one advisor in a day: the second needs a second admin", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500, { release: true });
    const first = await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
      sessionId,
      direction: "advisor_underpaid",
      amountCents: 6_000,
      reason: "Rate typo",
    });
    expect(first.status).toBe("posted");
    const second = await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
      sessionId,
      direction: "advisor_underpaid",
      amountCents: 6_000,
      reason: "Rate typo again",
    });
    expect(second.status).toBe("pending_approval");
    await expectAppError(
      t
        .withIdentity(admin)
        .mutation(api.disputes.decideSessionAdjustment, { adjustmentId: second.adjustmentId, approve: true }),
      "FORBIDDEN",
    );
    // Never straight to available: the posted one waits in pending for the earnings hold.
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(6_000);
    // The creator cannot release it early either; a second admin can.
    await expectAppError(
      t.withIdentity(admin).mutation(api.disputes.releaseAdjustmentNow, { adjustmentId: first.adjustmentId }),
      "FORBIDDEN",
    );
    await t.withIdentity(admin2).mutation(api.disputes.releaseAdjustmentNow, { adjustmentId: first.adjustmentId });
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350 + 6_000);
    // The second admin approves the other; it follows the hold and is released by the scheduler after 24 h.
    await t
      .withIdentity(admin2)
      .mutation(api.disputes.decideSessionAdjustment, { adjustmentId: second.adjustmentId, approve: true });
    expect(await balance(t, "advisor_pending", advisorId)).toBe(6_000);
    vi.advanceTimersByTime(24 * HOUR + 1_000);
    await t.finishInProgressScheduledFunctions();
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350 + 12_000);
    await expectChecker(t);
  });

  it("another admin's adjustments start their own sum; a rejected one does not count", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500);
    expect(
      (
        await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
          sessionId,
          direction: "advisor_overpaid",
          amountCents: 6_000,
          reason: "Overpaid",
        })
      ).status,
    ).toBe("posted");
    expect(
      (
        await t.withIdentity(admin2).mutation(api.disputes.createSessionAdjustment, {
          sessionId,
          direction: "advisor_overpaid",
          amountCents: 6_000,
          reason: "Overpaid",
        })
      ).status,
    ).toBe("posted");
    // A day later the window has moved on.
    vi.advanceTimersByTime(24 * HOUR + 1);
    expect(
      (
        await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
          sessionId,
          direction: "advisor_overpaid",
          amountCents: 6_000,
          reason: "Overpaid",
        })
      ).status,
    ).toBe("posted");
    await expectChecker(t);
  });
  it("more adjustments in the window than one check reads: the next one needs a second admin, however small", async () => {
    const { t, clientId, advisorId, adminId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500);
    // A rogue admin's 200 one-cent adjustments would hide the rest of the window from a capped sum.
    await t.run(async (ctx) => {
      for (let i = 0; i < RECENT_ADJUSTMENTS_READ; i++)
        await ctx.db.insert("adjustments", {
          sessionId,
          advisorId,
          direction: "advisor_underpaid",
          amountCents: 1,
          reason: "Tiny",
          status: "posted",
          createdBy: adminId,
          createdAt: Date.now() - 60_000 + i,
        });
    });
    const next = await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
      sessionId,
      direction: "advisor_underpaid",
      amountCents: 5_000,
      reason: "Under the threshold alone",
    });
    expect(next.status).toBe("pending_approval");
  });
});

describe("four-eyes on the admin role", () => {
  it("an admin granted by another admin cannot act until a second admin approves; nobody approves their own", async () => {
    const { t, clientId } = await people();
    const puppet = localIdentity("client1");
    await t
      .withIdentity(admin)
      .mutation(api.adminUsers.changeRole, { userId: clientId, role: "admin", reason: "Helping out" });
    expect((await t.run(async (ctx) => ctx.db.get("users", clientId)))!.role).toBe("client");
    await expectAppError(t.withIdentity(puppet).query(api.adminUsers.pendingAdminGrants, {}), "FORBIDDEN");
    const [grant] = await t.withIdentity(admin2).query(api.adminUsers.pendingAdminGrants, {});
    expect(grant).toMatchObject({ userId: clientId, canDecide: true });
    // The requester cannot approve it, and the target (not an admin yet) cannot either.
    await expectAppError(
      t.withIdentity(admin).mutation(api.adminUsers.decideAdminGrant, { grantId: grant!._id, approve: true }),
      "FORBIDDEN",
    );
    await expectAppError(
      t.withIdentity(puppet).mutation(api.adminUsers.decideAdminGrant, { grantId: grant!._id, approve: true }),
      "FORBIDDEN",
    );
    await expectAppError(
      t.withIdentity(admin).mutation(api.adminUsers.changeRole, { userId: clientId, role: "admin" }),
      "CONFLICT",
    );
    await t.withIdentity(admin2).mutation(api.adminUsers.decideAdminGrant, { grantId: grant!._id, approve: true });
    expect((await t.run(async (ctx) => ctx.db.get("users", clientId)))!.role).toBe("admin");
    expect(await t.withIdentity(puppet).query(api.adminUsers.pendingAdminGrants, {})).toEqual([]);
    const audit = await t.run(async (ctx) => (await ctx.db.query("auditLog").collect()).map((a) => a.action));
    expect(audit).toEqual(expect.arrayContaining(["user.admin_grant_requested", "user.role_changed"]));
  });

  it("a new admin cannot approve an adjustment of their own pay or a payout to themselves", async () => {
    const { t, clientId, advisorId } = await people();
    const { sessionId } = await settledSession(t, { clientId, advisorId }, 1_500);
    const big = await t.withIdentity(admin).mutation(api.disputes.createSessionAdjustment, {
      sessionId,
      direction: "advisor_underpaid",
      amountCents: 20_000,
      reason: "Bonus",
    });
    // The advisor is made an admin by two admins, then tries to approve money for themselves.
    await t
      .withIdentity(admin)
      .mutation(api.adminUsers.changeRole, { userId: advisorId, role: "admin", reason: "Promotion" });
    const [grant] = await t.withIdentity(admin2).query(api.adminUsers.pendingAdminGrants, {});
    await t.withIdentity(admin2).mutation(api.adminUsers.decideAdminGrant, { grantId: grant!._id, approve: true });
    await expectAppError(
      t
        .withIdentity(advisor)
        .mutation(api.disputes.decideSessionAdjustment, { adjustmentId: big.adjustmentId, approve: true }),
      "FORBIDDEN",
    );
    await expectAppError(
      t.withIdentity(advisor).mutation(api.disputes.createSessionAdjustment, {
        sessionId,
        direction: "advisor_underpaid",
        amountCents: 100,
        reason: "For me",
      }),
      "FORBIDDEN",
    );
  });
});

async function payoutAdvisor(t: Test, advisorId: Id<"users">, clientId: Id<"users">, cents: number) {
  await t.run(async (ctx) => {
    const now = Date.now();
    await ctx.db.insert("payoutAccounts", {
      userId: advisorId,
      accountId: "acct_test1",
      status: "enabled",
      chargesEnabled: true,
      payoutsEnabled: true,
      detailsSubmitted: true,
      createdAt: now,
      updatedAt: now,
    });
  });
  await settledSession(t, { clientId, advisorId }, Math.round((cents * 10) / 9), { release: true });
}

describe("payout controls and health", () => {
  it("withdrawals over $1,000 summed over 24 h wait for a second admin", async () => {
    const { t, clientId, advisorId } = await people();
    await payoutAdvisor(t, advisorId, clientId, 135_000);
    const a = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 60_000 });
    expect(a.status).toBe("queued");
    // $600 + $500 > $1,000 within 24 h: the split does not skip the second pair of eyes.
    const b = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 50_000 });
    expect(b.status).toBe("awaiting_approval");
    vi.advanceTimersByTime(24 * HOUR + 1);
    const c = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 10_000 });
    expect(c.status).toBe("queued");
    await expectChecker(t);
  });

  it("more requests in 24 h than one check reads: the next one waits for a second admin, however small", async () => {
    const { t, clientId, advisorId } = await people();
    await payoutAdvisor(t, advisorId, clientId, 20_000);
    await t.run(async (ctx) => {
      const now = Date.now();
      const base = { advisorId, currency: "USD", connectedAccountId: "acct_test1", updatedAt: now };
      for (let i = 0; i < RECENT_PAYOUTS_READ; i++)
        await ctx.db.insert("payouts", { ...base, amountCents: 1, status: "paid", requestedAt: now - HOUR + i });
    });
    const next = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 10_000 });
    expect(next.status).toBe("awaiting_approval");
  });

  it("while the reserve is critical a new payout is held with its reason, and goes on once it recovers", async () => {
    const { t, clientId, advisorId } = await people();
    await payoutAdvisor(t, advisorId, clientId, 9_000);
    const snapshot = {
      processorCashCents: 0,
      clientWalletsCents: 0,
      advisorPendingCents: 0,
      advisorAvailableCents: 0,
      advisorInTransitCents: 0,
      owedCents: 0,
      reserveCents: -1,
      minimumReserveCents: 0,
      warningMarginBps: 0,
      accountsCounted: 0,
      createdAt: Date.now(),
    };
    const snapId = await t.run(async (ctx) =>
      ctx.db.insert("reserveSnapshots", { day: "2026-11-21", ...snapshot, status: "critical" }),
    );
    const { payoutId, status } = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 5_000 });
    expect(status).toBe("held");
    const [mine] = (
      await t.withIdentity(advisor).query(api.payouts.listMine, { paginationOpts: { numItems: 5, cursor: null } })
    ).page;
    expect(mine).toMatchObject({ status: "held", heldReason: expect.stringContaining("reserve") });
    expect(await t.withIdentity(admin).query(api.payouts.health, {})).toMatchObject({
      reserveCritical: true,
      heldCount: 1,
      heldReason: expect.stringContaining("reserve"),
    });
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(5_000);
    await t.run(async (ctx) => ctx.db.patch("reserveSnapshots", snapId, { status: "healthy" }));
    await t.mutation(internal.payouts.dailyHealthCheck, {});
    expect((await t.run(async (ctx) => ctx.db.get("payouts", payoutId)))!.status).toBe("queued");
    await expectChecker(t);
  });

  it("success rate over 7 and 30 days; below 95% one critical alert a day, to every admin in the app and by email", async () => {
    const { t, advisorId, adminId, admin2Id } = await people();
    const now = Date.now();
    await t.run(async (ctx) => {
      const base = { advisorId, amountCents: 5_000, currency: "USD", connectedAccountId: "acct_test1", updatedAt: now };
      for (let i = 0; i < 18; i++)
        await ctx.db.insert("payouts", { ...base, status: "paid", requestedAt: now - i * HOUR });
      await ctx.db.insert("payouts", { ...base, status: "failed", requestedAt: now - 2 * HOUR });
      await ctx.db.insert("payouts", { ...base, status: "dead_lettered", requestedAt: now - 3 * HOUR });
      await ctx.db.insert("payouts", { ...base, status: "rejected", requestedAt: now - 3 * HOUR }); // not a transfer failure
      await ctx.db.insert("payouts", { ...base, status: "failed", requestedAt: now - 20 * 24 * HOUR });
    });
    const health = await t.withIdentity(admin).query(api.payouts.health, {});
    expect(health.week).toMatchObject({ paid: 18, failed: 2, successRateBps: 9000 });
    expect(health.month).toMatchObject({ paid: 18, failed: 3, successRateBps: 8571 });
    expect(health.belowTarget).toBe(true);
    expect((await t.mutation(internal.payouts.dailyHealthCheck, {})).alerted).toBe(true);
    expect((await t.mutation(internal.payouts.dailyHealthCheck, {})).alerted).toBe(false);
    const notes = await t.run(async (ctx) =>
      (await ctx.db.query("notifications").collect())
        .filter((n) => n.kind === "critical_alert")
        .map((n) => n.userId)
        .sort(),
    );
    expect(notes).toEqual([adminId, admin2Id].sort());
    const emails = await t.run(async (ctx) => (await ctx.db.query("devMailbox").collect()).map((m) => m.to).sort());
    expect(emails).toEqual(["admin1@example.test", "admin2@example.test"]);
  });

  it("the same critical alert raised twice reaches each admin once", async () => {
    const { t } = await people();
    await t.run(async (ctx) =>
      raiseAlert(ctx, { kind: "payments_amount_mismatch", severity: "critical", message: "Top-up x mismatched" }),
    );
    await t.run(async (ctx) =>
      raiseAlert(ctx, { kind: "payments_amount_mismatch", severity: "critical", message: "Top-up x mismatched" }),
    );
    await t.run(async (ctx) =>
      raiseAlert(ctx, { kind: "payments_amount_mismatch", severity: "warning", message: "just a warning" }),
    );
    expect(await t.run(async (ctx) => (await ctx.db.query("alerts").collect()).length)).toBe(3);
    expect(await t.run(async (ctx) => (await ctx.db.query("notifications").collect()).length)).toBe(2);
    expect(await t.run(async (ctx) => (await ctx.db.query("devMailbox").collect()).length)).toBe(2);
  });
});

describe("risk hold (rolling reserve)", { timeout: 60_000 }, () => {
  it("off by default; switched on per advisor with a reason, it keeps 10% in pending for 30 more days", async () => {
    const { t, clientId, advisorId } = await people();
    // Off: the whole $13.50 is released.
    await settledSession(t, { clientId, advisorId }, 1_500, { release: true });
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350);
    await expectAppError(
      t
        .withIdentity(admin)
        .mutation(api.riskHolds.set, { advisorId, active: true, reserveBps: 1_000, holdDays: 30, reason: "" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      t
        .withIdentity(advisor)
        .mutation(api.riskHolds.set, { advisorId, active: true, reserveBps: 1_000, holdDays: 30, reason: "Mine" }),
      "FORBIDDEN",
    );
    await t.withIdentity(admin).mutation(api.riskHolds.set, {
      advisorId,
      active: true,
      reserveBps: 1_000,
      holdDays: 30,
      reason: "New account, many chargebacks",
    });
    expect(await t.withIdentity(admin).query(api.riskHolds.get, { advisorId })).toMatchObject({
      active: true,
      reserveBps: 1_000,
      holdDays: 30,
    });
    const { earningId } = await settledSession(t, { clientId, advisorId }, 2_000, { release: true });
    // $18.00 share: $16.20 released, $1.80 kept back.
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350 + 1_620);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(180);
    expect((await t.run(async (ctx) => ctx.db.get("earnings", earningId)))!.reserveCents).toBe(180);
    vi.advanceTimersByTime(30 * 24 * HOUR + 1_000);
    await t.finishInProgressScheduledFunctions();
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    expect(await balance(t, "advisor_available", advisorId)).toBe(1_350 + 1_800);
    const audit = await t.run(async (ctx) => (await ctx.db.query("auditLog").collect()).map((a) => a.action));
    expect(audit).toContain("advisor.risk_hold_on");
    await expectChecker(t);
  });
});
