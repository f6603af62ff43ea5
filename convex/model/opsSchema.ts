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
  }).index("by_started", ["startedAt"]),
};
