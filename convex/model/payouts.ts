// Payouts: an advisor withdraws from their available balance. The request moves the money to
// advisor_in_transit and writes an outbox row in the same mutation; the worker (convex/payoutWorker.ts)
// makes the processor transfer and payout; webhooks finish it: paid -> in_transit to processor_cash,
// failed -> back to available. Every journal has a key per payout, so no path can pay or return twice.
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import { PAYOUT_RULES, payoutBlocker, withdrawableCents, type PayoutStatus } from "../../lib/payouts";
import { DEFAULT_CURRENCY, formatMoney } from "../../lib/money";
import { fail } from "./errors";
import { balanceOf, raiseAlert } from "./ledger";
import { postEvent } from "./ledgerEvents";
import { enqueue, scheduleOutbox } from "./outbox";
import { payoutAccountOf } from "./payoutAccounts";
import { writeAudit } from "./users";
import { notify } from "./notifications";
import { enforceRateLimit } from "./rateLimits";
import { profileForUser } from "./advisors";
import { payoutGate } from "./payoutControls";

export type Payout = Doc<"payouts">;
type PayoutId = Id<"payouts">;
type UserId = Id<"users">;

function envCents(name: string, fallback: number): number {
  const raw = env[name];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** The amounts in force (defaults in lib/payouts.ts, overridable per deployment). */
export function payoutLimits() {
  return {
    minCents: envCents("PAYOUT_MIN_CENTS", PAYOUT_RULES.minCents),
    approvalThresholdCents: envCents("PAYOUT_APPROVAL_THRESHOLD_CENTS", PAYOUT_RULES.approvalThresholdCents),
    maxCents: PAYOUT_RULES.maxCents,
  };
}

export async function advisorBalances(ctx: QueryCtx, advisorId: UserId) {
  const [pending, available, inTransit, receivable] = await Promise.all([
    balanceOf(ctx, { kind: "advisor_pending", ownerId: advisorId, currency: DEFAULT_CURRENCY }),
    balanceOf(ctx, { kind: "advisor_available", ownerId: advisorId, currency: DEFAULT_CURRENCY }),
    balanceOf(ctx, { kind: "advisor_in_transit", ownerId: advisorId, currency: DEFAULT_CURRENCY }),
    balanceOf(ctx, { kind: "advisor_receivable", ownerId: advisorId, currency: DEFAULT_CURRENCY }),
  ]);
  return {
    pendingCents: pending.balanceCents,
    availableCents: available.balanceCents,
    inTransitCents: inTransit.balanceCents,
    receivableCents: receivable.balanceCents,
    withdrawableCents: withdrawableCents(available.balanceCents, receivable.balanceCents),
  };
}

async function patchPayout(ctx: MutationCtx, payout: Payout, patch: Partial<Omit<Payout, "_id" | "_creationTime">>) {
  await ctx.db.patch("payouts", payout._id, { ...patch, updatedAt: Date.now() });
}

/** Validates, moves the money to in_transit and queues the transfer (or waits for an admin). */
export async function requestPayout(
  ctx: MutationCtx,
  advisor: Doc<"users">,
  amountCents: number,
): Promise<{ payoutId: PayoutId; status: PayoutStatus }> {
  await enforceRateLimit(ctx, "payoutRequest", advisor._id);
  const limits = payoutLimits();
  const account = await payoutAccountOf(ctx, advisor._id);
  // A suspended advisor profile cannot withdraw; money owed (open receivables) is not withdrawable.
  if ((await profileForUser(ctx, advisor._id))?.status === "suspended")
    fail("FORBIDDEN", "Your advisor profile is suspended, so withdrawals are paused. Contact support.");
  const { withdrawableCents: availableCents } = await advisorBalances(ctx, advisor._id);
  const blocker = payoutBlocker({
    amountCents,
    availableCents,
    minCents: limits.minCents,
    maxCents: limits.maxCents,
    payoutsEnabled: account?.status === "enabled",
  });
  if (blocker !== null) fail(blocker.code, blocker.message);
  const now = Date.now();
  // Held while the reserve is critical; four-eyes over the 24 h sum (convex/model/payoutControls.ts).
  const gate = await payoutGate(ctx, advisor._id, amountCents, now, limits.approvalThresholdCents);
  const status: PayoutStatus = gate.status;
  // Insert first so the journal can reference the payout; a failed posting rolls the whole mutation back.
  const payoutId = await ctx.db.insert("payouts", {
    advisorId: advisor._id,
    amountCents,
    currency: DEFAULT_CURRENCY,
    status,
    requestedAt: now,
    connectedAccountId: account!.accountId,
    ...(gate.heldReason ? { heldReason: gate.heldReason } : {}),
    updatedAt: now,
  });
  const { journalId } = await postEvent(ctx, {
    event: { kind: "payout_requested", advisorId: advisor._id, amountCents },
    idempotencyKey: `payout:${payoutId}:requested`,
    refs: { payoutId },
    actorId: advisor._id,
    memo: `withdrawal of ${formatMoney(amountCents)}`,
  });
  await ctx.db.patch("payouts", payoutId, { requestJournalId: journalId });
  if (status === "queued") await enqueue(ctx, "payout_transfer", payoutId);
  return { payoutId, status };
}

/** Returns a payout's money to the advisor's available balance (once, whatever the path). */
async function returnMoney(
  ctx: MutationCtx,
  payout: Payout,
  status: "failed" | "rejected" | "cancelled",
  reason: string,
  actorId: UserId | null,
) {
  const { journalId } = await postEvent(ctx, {
    event: { kind: "payout_failed", advisorId: payout.advisorId, amountCents: payout.amountCents },
    idempotencyKey: `payout:${payout._id}:returned`,
    refs: { payoutId: payout._id },
    actorId,
    memo: `${status}: ${reason}`,
  });
  await patchPayout(ctx, payout, {
    status,
    settleJournalId: journalId,
    returnedAt: Date.now(),
    ...(status === "rejected" ? { rejectedReason: reason } : { failureReason: reason }),
  });
}

export async function requirePayout(ctx: QueryCtx, payoutId: PayoutId): Promise<Payout> {
  const payout = await ctx.db.get("payouts", payoutId);
  if (payout === null) fail("NOT_FOUND", "That payout does not exist.");
  return payout;
}

export async function approvePayout(ctx: MutationCtx, admin: Doc<"users">, payoutId: PayoutId): Promise<void> {
  const payout = await requirePayout(ctx, payoutId);
  if (payout.status !== "awaiting_approval") fail("CONFLICT", "This payout is not waiting for approval.");
  if (payout.advisorId === admin._id) fail("FORBIDDEN", "You cannot approve a payout to yourself.");
  await patchPayout(ctx, payout, { status: "queued", decidedBy: admin._id, decidedAt: Date.now() });
  await enqueue(ctx, "payout_transfer", payoutId);
  await writeAudit(ctx, {
    actorId: admin._id,
    action: "payout.approve",
    targetTable: "payouts",
    targetId: payoutId,
    details: formatMoney(payout.amountCents),
  });
}

export async function rejectPayout(
  ctx: MutationCtx,
  admin: Doc<"users">,
  payoutId: PayoutId,
  reason: string,
): Promise<void> {
  const payout = await requirePayout(ctx, payoutId);
  if (payout.status !== "awaiting_approval") fail("CONFLICT", "This payout is not waiting for approval.");
  await returnMoney(ctx, payout, "rejected", reason, admin._id);
  await ctx.db.patch("payouts", payoutId, { decidedBy: admin._id, decidedAt: Date.now() });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: "payout.reject",
    targetTable: "payouts",
    targetId: payoutId,
    details: reason,
  });
  await notify(ctx, payout.advisorId, {
    kind: "payout_rejected",
    title: `Your payout of ${formatMoney(payout.amountCents)} was not approved`,
    body: `Reason: ${reason}. The money is back in your available balance.`,
    href: "/advisor-dashboard/payouts",
    email: true,
  });
}

/** Dead-lettered: try again from the start (same outbox idempotency keys for what already happened). */
export async function retryPayout(ctx: MutationCtx, admin: Doc<"users">, payoutId: PayoutId): Promise<void> {
  const payout = await requirePayout(ctx, payoutId);
  if (payout.status !== "dead_lettered") fail("CONFLICT", "Only a stuck payout can be retried.");
  const row = await ctx.db
    .query("outbox")
    .withIndex("by_payout", (q) => q.eq("payoutId", payoutId))
    .order("desc")
    .first();
  if (row === null || row.status !== "dead") fail("CONFLICT", "This payout has no failed delivery to retry.");
  await patchPayout(ctx, payout, { status: "queued", failureReason: undefined, failureCode: undefined });
  const now = Date.now();
  const keyGeneration = (row.keyGeneration ?? 0) + (row.lastErrorRetryable === false ? 1 : 0);
  await ctx.db.patch("outbox", row._id, {
    status: "pending",
    attempts: 0,
    nextAttemptAt: now,
    lastError: undefined,
    keyGeneration,
    updatedAt: now,
  });
  await scheduleOutbox(ctx, row._id, now);
  await writeAudit(ctx, { actorId: admin._id, action: "payout.retry", targetTable: "payouts", targetId: payoutId });
}

/** Dead-lettered: give up and return the money to the advisor's available balance. */
export async function cancelPayout(
  ctx: MutationCtx,
  admin: Doc<"users">,
  payoutId: PayoutId,
  reason: string,
): Promise<void> {
  const payout = await requirePayout(ctx, payoutId);
  if (payout.status !== "dead_lettered") fail("CONFLICT", "Only a stuck payout can be cancelled.");
  if (payout.transferId !== undefined)
    fail("CONFLICT", "The processor already has a transfer for this payout; retry it or reverse the transfer first.");
  const rows = await ctx.db
    .query("outbox")
    .withIndex("by_payout", (q) => q.eq("payoutId", payoutId))
    .take(20);
  for (const row of rows)
    if (row.status === "dead" || row.status === "pending")
      await ctx.db.patch("outbox", row._id, { status: "cancelled", updatedAt: Date.now() });
  await returnMoney(ctx, payout, "cancelled", reason, admin._id);
  await writeAudit(ctx, {
    actorId: admin._id,
    action: "payout.cancel",
    targetTable: "payouts",
    targetId: payoutId,
    details: reason,
  });
}

// ---------------------------------------------------------------------------------------------
// Worker results and webhooks
// ---------------------------------------------------------------------------------------------

/** The processor made the transfer (worker result or transfer.created): record its id once. */
export async function recordTransfer(ctx: MutationCtx, payoutId: PayoutId, transferId: string): Promise<void> {
  const payout = await ctx.db.get("payouts", payoutId);
  if (payout === null) return;
  if (payout.transferId === undefined)
    await patchPayout(ctx, payout, {
      transferId,
      ...(payout.status === "queued" ? { status: "processing" as const } : {}),
    });
}

/** The connected account's bank payout exists: the money is on its way (unless a webhook already finished it). */
export async function recordProcessorPayout(
  ctx: MutationCtx,
  payoutId: PayoutId,
  processorPayoutId: string,
): Promise<void> {
  const payout = await ctx.db.get("payouts", payoutId);
  if (payout === null) return;
  const stillSending =
    payout.status === "queued" || payout.status === "processing" || payout.status === "dead_lettered";
  await patchPayout(ctx, payout, { processorPayoutId, ...(stillSending ? { status: "in_transit" as const } : {}) });
}

/** payout.paid: the advisor has the money. Dr advisor_in_transit / Cr processor_cash. */
export async function markPaid(
  ctx: MutationCtx,
  payoutId: PayoutId,
  processorPayoutId: string | undefined,
): Promise<string | undefined> {
  const payout = await ctx.db.get("payouts", payoutId);
  if (payout === null) return "unknown payout";
  if (payout.status === "paid") return "already paid";
  if (payout.status === "failed" || payout.status === "rejected" || payout.status === "cancelled") {
    await raiseAlert(ctx, {
      kind: "payout_state_conflict",
      severity: "critical",
      message: `Payout ${payoutId} was reported paid after it was ${payout.status}; check the processor.`,
    });
    return `ignored: already ${payout.status}`;
  }
  const { journalId } = await postEvent(ctx, {
    event: { kind: "payout_paid", advisorId: payout.advisorId, amountCents: payout.amountCents },
    idempotencyKey: `payout:${payoutId}:paid`,
    refs: { payoutId },
    memo: "paid to the advisor's bank",
  });
  await patchPayout(ctx, payout, {
    status: "paid",
    paidAt: Date.now(),
    settleJournalId: journalId,
    ...(processorPayoutId ? { processorPayoutId } : {}),
  });
  await notify(ctx, payout.advisorId, {
    kind: "payout_paid",
    title: `Your payout of ${formatMoney(payout.amountCents)} was paid`,
    body: `${formatMoney(payout.amountCents)} is on its way to your bank account.`,
    href: "/advisor-dashboard/payouts",
    email: true,
  });
  return undefined;
}

/** payout.failed: the bank refused it. Money back to available; the transfer is reversed through the outbox. */
export async function markFailed(
  ctx: MutationCtx,
  payoutId: PayoutId,
  failure: { code?: string; message: string },
): Promise<string | undefined> {
  const payout = await ctx.db.get("payouts", payoutId);
  if (payout === null) return "unknown payout";
  if (payout.status === "paid") {
    await raiseAlert(ctx, {
      kind: "payout_state_conflict",
      severity: "critical",
      message: `Payout ${payoutId} was reported failed after it was paid; check the processor.`,
    });
    return "ignored: already paid";
  }
  if (payout.status === "failed" || payout.status === "cancelled" || payout.status === "rejected")
    return `already ${payout.status}`;
  await returnMoney(ctx, payout, "failed", failure.message, null);
  if (failure.code) await ctx.db.patch("payouts", payoutId, { failureCode: failure.code });
  if (payout.transferId !== undefined) await enqueue(ctx, "transfer_reversal", payoutId);
  await notify(ctx, payout.advisorId, {
    kind: "payout_failed",
    title: `Your payout of ${formatMoney(payout.amountCents)} failed`,
    body: `Your bank refused it: ${failure.message}. The money is back in your available balance; check your payout account.`,
    href: "/advisor-dashboard/payouts",
    email: true,
  });
  return undefined;
}

/** The outbox gave up on a payout: hold the money in transit, alert admins (retry or cancel). */
export async function markDeadLettered(ctx: MutationCtx, payoutId: PayoutId, error: string): Promise<void> {
  const payout = await ctx.db.get("payouts", payoutId);
  if (payout === null || payout.status === "paid" || payout.status === "in_transit") return;
  await patchPayout(ctx, payout, { status: "dead_lettered", failureReason: error });
  await raiseAlert(ctx, {
    kind: "payout_dead_letter",
    severity: "critical",
    message: `Payout of ${formatMoney(payout.amountCents)} could not be sent: ${error}. Retry or cancel it at /admin/payouts.`,
    details: JSON.stringify({ payoutId }),
  });
}

export function payoutIdFrom(ctx: QueryCtx, obj: Record<string, unknown>): PayoutId | null {
  const meta = obj.metadata;
  const raw = meta !== null && typeof meta === "object" ? (meta as Record<string, unknown>).payoutId : undefined;
  return typeof raw === "string" ? ctx.db.normalizeId("payouts", raw) : null;
}
