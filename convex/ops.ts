// Billing operations (issue 10): reserve monitoring, reconciliation history, the alerts center and the
// billing landing page's statuses. Thin: validate, check permission, call convex/model/ops.ts.
// The reconciliation itself (it calls the processor) is in convex/opsNode.ts.
import { releaseHeldPayouts } from "./model/payoutControls";
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { internalMutation, internalQuery, mutation, query } from "./functions";
import type { Doc } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import {
  LIABILITY_KINDS,
  acknowledgeAlert as acknowledge,
  assess,
  getReserveSettings,
  liveFigures,
  processorCashCents,
  recordReconciliation as record,
  sumAccountsPage as sumPage,
  updateReserveSettings,
  webhookFailed as recordWebhookFailure,
} from "./model/ops";
import {
  nearLimitValidator,
  reconciliationResumeValidator,
  reconciliationTriggerValidator,
  reserveFiguresValidator,
} from "./model/opsSchema";
import { internal } from "./_generated/api";
import { fail } from "./model/errors";
import { enforceRateLimit } from "./model/rateLimits";
import { newRequestId } from "./model/backgroundJobs";
import {
  acquireReconciliationLock,
  reconciliationProgress,
  releaseReconciliationLock,
  touchReconciliationLock,
} from "./model/reconciliationJobs";
import { literalUnion } from "./model/ledgerSchema";
import { maintainedCount } from "./model/counts";

const liabilityKindValidator = literalUnion(LIABILITY_KINDS);

// ---------------------------------------------------------------------------------------------
// Reserve
// ---------------------------------------------------------------------------------------------

async function reserveNow(ctx: QueryCtx) {
  const settings = await getReserveSettings(ctx);
  const live = await liveFigures(ctx);
  if (live !== null) {
    return {
      source: "live" as const,
      asOf: null,
      accountsCounted: live.accountsCounted,
      ...assess(live.figures, settings),
    };
  }
  // Too many accounts to sum in one reactive query: the latest daily snapshot, re-assessed with today's settings.
  const snapshot = await ctx.db.query("reserveSnapshots").withIndex("by_day").order("desc").first();
  if (snapshot === null) return null;
  return {
    source: "snapshot" as const,
    asOf: snapshot.createdAt,
    accountsCounted: snapshot.accountsCounted,
    ...assess(snapshot, settings),
  };
}

/** Live reserve (or the latest snapshot when there are too many accounts), settings and the daily history. */
export const reserveOverview = query({
  permission: "admin:billing",
  args: {},
  handler: async (ctx) => {
    const settings = await getReserveSettings(ctx);
    const history = await ctx.db.query("reserveSnapshots").withIndex("by_day").order("desc").take(90);
    return {
      settings,
      current: await reserveNow(ctx),
      history: history.reverse().map((s) => ({
        day: s.day,
        reserveCents: s.reserveCents,
        owedCents: s.owedCents,
        processorCashCents: s.processorCashCents,
        minimumReserveCents: s.minimumReserveCents,
        status: s.status,
      })),
    };
  },
});

export const setReserveSettings = mutation({
  permission: "admin:billing",
  args: {
    minimumReserveCents: v.optional(v.number()),
    warningMarginBps: v.optional(v.number()),
    expectedDifferenceCents: v.optional(v.number()),
    reason: v.string(),
  },
  handler: async (ctx, args) => await updateReserveSettings(ctx, ctx.viewer._id, args),
});

// ---------------------------------------------------------------------------------------------
// Reconciliation (the action is in convex/opsNode.ts)
// ---------------------------------------------------------------------------------------------

export const reconciliationHistory = query({
  permission: "admin:billing",
  args: {},
  handler: async (ctx) => {
    const runs = await ctx.db.query("reconciliationRuns").withIndex("by_started").order("desc").take(30);
    const settings = await getReserveSettings(ctx);
    return { runs, expectedDifferenceCents: settings.expectedDifferenceCents };
  },
});

export const reconciliationInputs = internalQuery({
  args: {},
  handler: async (ctx) => ({ ledgerCashCents: await processorCashCents(ctx) }),
});

export const sumAccountsPage = internalQuery({
  args: { kind: liabilityKindValidator, cursor: v.union(v.string(), v.null()), numItems: v.optional(v.number()) },
  handler: async (ctx, { kind, cursor, numItems }) => await sumPage(ctx, kind, cursor, numItems),
});

/**
 * "Reconcile now": starts the paged reconciliation (convex/opsNode.ts) as a background job and returns its request
 * id; the page follows it with reconcileRequest. Refused (CONFLICT) while another run is going on.
 */
export const reconcileNow = mutation({
  permission: "admin:billing",
  args: {},
  // Annotated: the scheduler call references the generated API, which would otherwise infer this type from itself.
  handler: async (ctx): Promise<{ requestId: string; jobId: string }> => {
    // Each run reads every liability account and asks the processor: one admin cannot start them back to back.
    await enforceRateLimit(ctx, "reconciliationRun", ctx.viewer._id);
    const requestId = newRequestId(ctx.viewer._id);
    if (!(await acquireReconciliationLock(ctx, requestId)))
      fail("CONFLICT", "A reconciliation is already running. Follow it on this page; it records its result here.");
    const jobId = await ctx.scheduler.runAfter(0, internal.opsNode.runReconciliation, {
      trigger: "manual",
      requestId,
      actorId: ctx.viewer._id,
    });
    await touchReconciliationLock(ctx, requestId, { jobId, pages: 0 });
    return { requestId, jobId: jobId as string };
  },
});

/** Where a "Reconcile now" request is: queued, running (pages so far), failed (the error) or done (its run). */
export const reconcileRequest = query({
  permission: "admin:billing",
  args: { requestId: v.string(), jobId: v.string() },
  handler: async (ctx, { requestId, jobId }) => await reconciliationProgress(ctx, requestId, jobId),
});

/** The first slice of a cron (or internal) run takes the lock; null while another run holds it. */
export const beginReconciliation = internalMutation({
  args: {},
  handler: async (ctx): Promise<string | null> => {
    const requestId = newRequestId("reconciliation");
    return (await acquireReconciliationLock(ctx, requestId)) ? requestId : null;
  },
});

/** Schedules the run's next slice and records it on the lock, in one transaction; false: the run lost its lock. */
export const continueReconciliation = internalMutation({
  args: {
    trigger: reconciliationTriggerValidator,
    actorId: v.optional(v.id("users")),
    sliceMs: v.optional(v.number()),
    accountsPerPage: v.optional(v.number()),
    resume: reconciliationResumeValidator,
  },
  handler: async (ctx, args): Promise<boolean> => {
    const { requestId, pages } = args.resume;
    const jobId = await ctx.scheduler.runAfter(0, internal.opsNode.runReconciliation, { ...args, requestId });
    if (await touchReconciliationLock(ctx, requestId, { jobId, pages })) return true;
    await ctx.scheduler.cancel(jobId);
    return false;
  },
});

export const recordReconciliation = internalMutation({
  args: {
    trigger: reconciliationTriggerValidator,
    actorId: v.union(v.id("users"), v.null()),
    processorMode: v.string(),
    processorBalanceCents: v.union(v.number(), v.null()),
    error: v.union(v.string(), v.null()),
    ledgerCashCents: v.number(),
    figures: reserveFiguresValidator,
    accountsCounted: v.number(),
    nearLimit: v.array(nearLimitValidator),
    startedAt: v.number(),
    pages: v.optional(v.number()),
    requestId: v.optional(v.string()),
  },
  handler: async (ctx, args) => {
    const result = await record(ctx, args);
    if (args.requestId !== undefined) await releaseReconciliationLock(ctx, args.requestId);
    await releaseHeldPayouts(ctx); // the reserve may have recovered (issue 19)
    return result;
  },
});

// ---------------------------------------------------------------------------------------------
// Alerts center
// ---------------------------------------------------------------------------------------------

async function alertRow(ctx: QueryCtx, alert: Doc<"alerts">) {
  const ackByName =
    alert.ackBy !== undefined ? ((await ctx.db.get("users", alert.ackBy))?.name ?? "Deleted user") : null;
  return { ...alert, ackByName };
}

/** Alerts, newest first: open (unresolved), resolved or all; optionally one kind. One index range each. */
export const listAlerts = query({
  permission: "admin:billing",
  args: {
    paginationOpts: paginationOptsValidator,
    status: v.union(v.literal("open"), v.literal("resolved"), v.literal("all")),
    kind: v.optional(v.string()),
  },
  handler: async (ctx, { paginationOpts, status, kind }) => {
    const alerts = ctx.db.query("alerts");
    const k = kind?.trim() || undefined;
    let page;
    if (k !== undefined) {
      page =
        status === "all"
          ? await alerts
              .withIndex("by_kind", (q) => q.eq("kind", k))
              .order("desc")
              .paginate(paginationOpts)
          : status === "open"
            ? await alerts
                .withIndex("by_kind_resolved", (q) => q.eq("kind", k).eq("resolvedAt", undefined))
                .order("desc")
                .paginate(paginationOpts)
            : await alerts
                .withIndex("by_kind_resolved", (q) => q.eq("kind", k).gt("resolvedAt", 0))
                .order("desc")
                .paginate(paginationOpts);
    } else {
      page =
        status === "all"
          ? await alerts.withIndex("by_created").order("desc").paginate(paginationOpts)
          : status === "open"
            ? await alerts
                .withIndex("by_resolved", (q) => q.eq("resolvedAt", undefined))
                .order("desc")
                .paginate(paginationOpts)
            : await alerts
                .withIndex("by_resolved", (q) => q.gt("resolvedAt", 0))
                .order("desc")
                .paginate(paginationOpts);
    }
    return { ...page, page: await Promise.all(page.page.map((alert) => alertRow(ctx, alert))) };
  },
});

export const acknowledgeAlert = mutation({
  permission: "admin:billing",
  args: { alertId: v.id("alerts"), note: v.string() },
  handler: async (ctx, { alertId, note }) => {
    await acknowledge(ctx, ctx.viewer._id, alertId, note);
    return null;
  },
});

/** Open alerts, counted up to this (shown as "100+") until the maintained counts are backfilled. */
const OPEN_ALERTS_CAP = 100;

async function openAlertCount(ctx: QueryCtx) {
  const [count, critical] = await Promise.all([
    maintainedCount(ctx, "alerts", "alerts.unresolved"),
    maintainedCount(ctx, "alerts", "alerts.unresolved.critical"),
  ]);
  if (count !== null && critical !== null) return { count, capped: false, critical };
  const open = await ctx.db
    .query("alerts")
    .withIndex("by_resolved", (q) => q.eq("resolvedAt", undefined))
    .take(OPEN_ALERTS_CAP + 1);
  return {
    count: Math.min(open.length, OPEN_ALERTS_CAP),
    capped: open.length > OPEN_ALERTS_CAP,
    critical: open.filter((a) => a.severity === "critical").length,
  };
}

// ---------------------------------------------------------------------------------------------
// Billing landing page
// ---------------------------------------------------------------------------------------------

/** Each billing tool's current status for /admin/billing. */
export const billingStatus = query({
  permission: "admin:billing",
  args: {},
  handler: async (ctx) => {
    const ledgerCheck = await ctx.db.query("ledgerCheckRuns").withIndex("by_started").order("desc").first();
    const reconciliation = await ctx.db.query("reconciliationRuns").withIndex("by_started").order("desc").first();
    const reserve = await reserveNow(ctx);
    return {
      ledgerCheck:
        ledgerCheck === null
          ? null
          : { ok: ledgerCheck.ok, problems: ledgerCheck.problems.length, at: ledgerCheck.startedAt },
      reserve:
        reserve === null
          ? null
          : { status: reserve.status, reserveCents: reserve.reserveCents, source: reserve.source },
      reconciliation:
        reconciliation === null
          ? null
          : {
              driftCents: reconciliation.driftCents,
              alerted: reconciliation.alerted,
              ok: reconciliation.ok,
              at: reconciliation.startedAt,
            },
      alerts: await openAlertCount(ctx),
    };
  },
});

/** Called by webhook receivers when a verified event could not be applied (the sender retries it). */
export const webhookFailed = internalMutation({
  args: { source: v.string(), eventId: v.string(), eventType: v.string(), message: v.string() },
  handler: async (ctx, args) => await recordWebhookFailure(ctx, args),
});
