// Advisor withdrawals: thin public functions over convex/model/payouts.ts, plus the internal mutations the
// outbox worker (convex/payoutWorker.ts) reports to. Amounts are whole cents and checked on the server.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./functions";
import { REASON_LENGTH, requireText } from "./model/errors";
import { raiseAlert } from "./model/ledger";
import { claim, failAttempt, succeed, sweep } from "./model/outbox";
import { settleClawbackReversal } from "./model/receivables";
import { payoutAccountOf } from "./model/payoutAccounts";
import {
  advisorBalances,
  approvePayout,
  cancelPayout,
  markDeadLettered,
  payoutLimits,
  recordProcessorPayout,
  recordTransfer,
  rejectPayout,
  requestPayout,
  retryPayout,
} from "./model/payouts";
import { payoutStatusValidator } from "./model/payoutSchema";
import { checkPayoutHealth, payoutHealth, releaseHeldPayouts } from "./model/payoutControls";
import { PAYOUT_STATUS_LABELS } from "../lib/payouts";
import type { Doc } from "./_generated/dataModel";

function payoutView(p: Doc<"payouts">) {
  return {
    _id: p._id,
    amountCents: p.amountCents,
    currency: p.currency,
    status: p.status,
    statusLabel: PAYOUT_STATUS_LABELS[p.status],
    requestedAt: p.requestedAt,
    paidAt: p.paidAt ?? null,
    returnedAt: p.returnedAt ?? null,
    failureReason: p.failureReason ?? null,
    rejectedReason: p.rejectedReason ?? null,
    heldReason: p.status === "held" ? (p.heldReason ?? null) : null,
  };
}

function checkReason(reason: string): string {
  return requireText(reason, REASON_LENGTH, "Give a reason (3–500 characters).");
}

/** Balances, limits and whether a withdrawal is possible now. */
export const summary = query({
  permission: "advisor:payouts",
  args: {},
  handler: async (ctx) => {
    const account = await payoutAccountOf(ctx, ctx.viewer._id);
    return {
      ...(await advisorBalances(ctx, ctx.viewer._id)),
      ...payoutLimits(),
      payoutAccountStatus: account?.status ?? ("not_connected" as const),
    };
  },
});

export const listMine = query({
  permission: "advisor:payouts",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const page = await ctx.db
      .query("payouts")
      .withIndex("by_advisor", (q) => q.eq("advisorId", ctx.viewer._id))
      .order("desc")
      .paginate(paginationOpts);
    return { ...page, page: page.page.map(payoutView) };
  },
});

/** Withdraw `amountCents` from the available balance (whole cents; minimum and account checked here). */
export const request = mutation({
  permission: "advisor:payouts",
  args: { amountCents: v.number() },
  handler: async (ctx, { amountCents }) => await requestPayout(ctx, ctx.viewer, amountCents),
});

// ---------------------------------------------------------------------------------------------
// Admin
// ---------------------------------------------------------------------------------------------

export const adminList = query({
  permission: "admin:billing",
  args: { status: v.optional(payoutStatusValidator), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { status, paginationOpts }) => {
    const page = status
      ? await ctx.db
          .query("payouts")
          .withIndex("by_status", (q) => q.eq("status", status))
          .order("desc")
          .paginate(paginationOpts)
      : await ctx.db.query("payouts").order("desc").paginate(paginationOpts);
    const rows = await Promise.all(
      page.page.map(async (p) => {
        const advisor = await ctx.db.get("users", p.advisorId);
        const job = await ctx.db
          .query("outbox")
          .withIndex("by_payout", (q) => q.eq("payoutId", p._id))
          .order("desc")
          .first();
        return {
          ...payoutView(p),
          advisorName: advisor?.name ?? "Former advisor",
          advisorEmail: advisor?.email ?? "",
          attempts: job?.attempts ?? 0,
          lastError: job?.lastError ?? null,
          transferId: p.transferId ?? null,
        };
      }),
    );
    return { ...page, page: rows };
  },
});

/** Transfer success rate over 7 and 30 days, the 95% target, and payouts held by a critical reserve. */
export const health = query({
  permission: "admin:billing",
  args: {},
  handler: async (ctx) => await payoutHealth(ctx, Date.now()),
});

/** Daily (crons.ts): alert below 95%, and send held payouts once the reserve is no longer critical. */
export const dailyHealthCheck = internalMutation({
  args: {},
  handler: async (ctx) => ({
    alerted: await checkPayoutHealth(ctx, Date.now()),
    released: await releaseHeldPayouts(ctx),
  }),
});

export const approve = mutation({
  permission: "admin:billing",
  args: { payoutId: v.id("payouts") },
  handler: async (ctx, { payoutId }) => await approvePayout(ctx, ctx.viewer, payoutId),
});

export const reject = mutation({
  permission: "admin:billing",
  args: { payoutId: v.id("payouts"), reason: v.string() },
  handler: async (ctx, { payoutId, reason }) => await rejectPayout(ctx, ctx.viewer, payoutId, checkReason(reason)),
});

export const retry = mutation({
  permission: "admin:billing",
  args: { payoutId: v.id("payouts") },
  handler: async (ctx, { payoutId }) => await retryPayout(ctx, ctx.viewer, payoutId),
});

export const cancel = mutation({
  permission: "admin:billing",
  args: { payoutId: v.id("payouts"), reason: v.string() },
  handler: async (ctx, { payoutId, reason }) => await cancelPayout(ctx, ctx.viewer, payoutId, checkReason(reason)),
});

// ---------------------------------------------------------------------------------------------
// Worker (internal)
// ---------------------------------------------------------------------------------------------

/** Claims a due outbox row and returns what the worker needs, or null. */
export const claimJob = internalMutation({
  args: { outboxId: v.id("outbox") },
  handler: async (ctx, { outboxId }) => {
    const row = await claim(ctx, outboxId, Date.now());
    if (row === null) return null;
    const payout = await ctx.db.get("payouts", row.payoutId);
    if (
      payout === null ||
      (row.kind === "payout_transfer" && (payout.status === "cancelled" || payout.status === "rejected"))
    ) {
      await succeed(ctx, outboxId);
      return null;
    }
    return {
      kind: row.kind,
      payoutId: payout._id,
      amountCents: payout.amountCents,
      currency: payout.currency,
      connectedAccountId: payout.connectedAccountId,
      transferId: payout.transferId,
      /** clawback_reversal: part of the transfer; transfer_reversal: all of it. */
      amountToReverseCents: row.amountCents,
      keyGeneration: row.keyGeneration ?? 0,
    };
  },
});

export const recordTransferResult = internalMutation({
  args: { payoutId: v.id("payouts"), transferId: v.string() },
  handler: async (ctx, { payoutId, transferId }) => await recordTransfer(ctx, payoutId, transferId),
});

export const completeJob = internalMutation({
  args: { outboxId: v.id("outbox"), payoutId: v.id("payouts"), processorPayoutId: v.optional(v.string()) },
  handler: async (ctx, { outboxId, payoutId, processorPayoutId }) => {
    if (processorPayoutId !== undefined) await recordProcessorPayout(ctx, payoutId, processorPayoutId);
    const row = await ctx.db.get("outbox", outboxId);
    if (row?.kind === "clawback_reversal" && row.receivableId !== undefined && row.amountCents !== undefined) {
      await settleClawbackReversal(ctx, row.receivableId, row.amountCents, outboxId);
    }
    await succeed(ctx, outboxId);
  },
});

export const failJob = internalMutation({
  args: { outboxId: v.id("outbox"), message: v.string(), retryable: v.boolean() },
  handler: async (ctx, { outboxId, message, retryable }) => {
    const outcome = await failAttempt(ctx, outboxId, { message, retryable }, Date.now());
    if (outcome !== "dead") return outcome;
    const row = await ctx.db.get("outbox", outboxId);
    if (row?.kind === "payout_transfer") await markDeadLettered(ctx, row.payoutId, message);
    else if (row !== null) {
      if (row.kind === "clawback_reversal" && row.receivableId !== undefined)
        await ctx.db.patch("receivables", row.receivableId, { reversalPendingCents: undefined });
      await raiseAlert(ctx, {
        kind: "outbox_dead_letter",
        severity: "critical",
        message:
          row.kind === "clawback_reversal"
            ? `A clawback transfer reversal for payout ${row.payoutId} could not be made: ${message}. The advisor still owes it; settle it another way.`
            : `A transfer reversal for payout ${row.payoutId} could not be made: ${message}. The money is back in the advisor's balance; reverse the transfer with the processor.`,
        details: JSON.stringify({ outboxId, payoutId: row.payoutId }),
      });
    }
    return outcome;
  },
});

export const sweepOutbox = internalMutation({
  args: {},
  handler: async (ctx) => await sweep(ctx, Date.now()),
});
