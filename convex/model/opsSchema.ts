// Billing operations tables (issue 10): reconciliation runs and reserve monitoring.
// Owned by the reserve/reconciliation work; spread into convex/schema.ts.
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const reserveStatusValidator = v.union(v.literal("healthy"), v.literal("warning"), v.literal("critical"));
export const reconciliationTriggerValidator = v.union(v.literal("cron"), v.literal("manual"), v.literal("internal"));

export const opsTables = {
  /** One row (the latest wins): minimum reserve, warning margin, known processor/ledger difference. */
  reserveSettings: defineTable({
    minimumReserveCents: v.number(),
    warningMarginBps: v.number(),
    /** Expected processor balance − ledger processor_cash (e.g. the local processor's opening balance). */
    expectedDifferenceCents: v.number(),
    updatedAt: v.number(),
    updatedBy: v.union(v.id("users"), v.null()),
  }).index("by_updated", ["updatedAt"]),

  /** One per UTC day (the latest computation of that day), written by reconciliation. */
  reserveSnapshots: defineTable({
    day: v.string(),
    processorCashCents: v.number(),
    clientWalletsCents: v.number(),
    advisorPendingCents: v.number(),
    advisorAvailableCents: v.number(),
    advisorInTransitCents: v.number(),
    owedCents: v.number(),
    reserveCents: v.number(),
    minimumReserveCents: v.number(),
    warningMarginBps: v.number(),
    status: reserveStatusValidator,
    accountsCounted: v.number(),
    createdAt: v.number(),
  }).index("by_day", ["day"]),

  /** Ledger processor_cash versus the processor's reported balance. */
  reconciliationRuns: defineTable({
    trigger: reconciliationTriggerValidator,
    ok: v.boolean(),
    processorMode: v.string(),
    processorBalanceCents: v.union(v.number(), v.null()),
    ledgerCashCents: v.number(),
    expectedDifferenceCents: v.number(),
    /** processor − ledger − expected; null when the processor could not be reached. */
    driftCents: v.union(v.number(), v.null()),
    alerted: v.boolean(),
    error: v.optional(v.string()),
    actorId: v.union(v.id("users"), v.null()),
    startedAt: v.number(),
    durationMs: v.number(),
    /** Transactions (account pages) the run read; absent on runs from before the paged reconciliation. */
    pages: v.optional(v.number()),
    /** The run this row answers (ops.ts reconcileNow → reconcileRequest; the cron's own id otherwise). */
    requestId: v.optional(v.string()),
  })
    .index("by_started", ["startedAt"])
    .index("by_request", ["requestId"]),

  /**
   * At most one row: the reconciliation running now (its slices continue one another, convex/opsNode.ts), so two
   * runs never interleave. Deleted when the run records its result; taken over when its latest slice failed or it
   * has not moved for RECONCILIATION_STALE_MS.
   */
  reconciliationLocks: defineTable({
    requestId: v.string(),
    /** The scheduled function of the latest slice (absent while a cron's first slice runs). */
    jobId: v.optional(v.string()),
    startedAt: v.number(),
    updatedAt: v.number(),
    pages: v.number(),
  }).index("by_request", ["requestId"]),
};

export const reserveFiguresValidator = v.object({
  processorCashCents: v.number(),
  clientWalletsCents: v.number(),
  advisorPendingCents: v.number(),
  advisorAvailableCents: v.number(),
  advisorInTransitCents: v.number(),
});

export const nearLimitValidator = v.object({
  ownerId: v.id("users"),
  balanceCents: v.number(),
  creditLimitCents: v.number(),
});

/** Where a paged reconciliation is, carried from one slice to the next (convex/opsNode.ts). */
export const reconciliationResumeValidator = v.object({
  requestId: v.string(),
  startedAt: v.number(),
  ledgerCashCents: v.number(),
  processorMode: v.string(),
  processorBalanceCents: v.union(v.number(), v.null()),
  error: v.union(v.string(), v.null()),
  figures: reserveFiguresValidator,
  accountsCounted: v.number(),
  nearLimit: v.array(nearLimitValidator),
  /** Index into LIABILITY_KINDS of the kind being summed, and the cursor within it. */
  kindIndex: v.number(),
  cursor: v.union(v.string(), v.null()),
  pages: v.number(),
});
