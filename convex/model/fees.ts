// Processor fees (issue 19): every card fee and Connect payout fee is booked from the processor's own
// balance transaction, never computed here. The wallet is credited the full top-up at once; the fee follows
// as a linked `processor_fee` journal (Dr processor_fees / Cr processor_cash) as soon as the balance
// transaction is read (convex/feesNode.ts), keyed per top-up / payout so it is booked exactly once.
import { makeFunctionReference } from "convex/server";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { processorFee } from "../../lib/ledger/feeTemplates";
import { formatMoney } from "../../lib/money";
import { postDraft, raiseAlert, type UserId } from "./ledger";

type Target =
  { kind: "topup"; topupId: Id<"topups"> } | { kind: "payout"; payoutId: Id<"payouts">; processorPayoutId: string };

const fetchFeeRef = makeFunctionReference<"action", { target: Target; attempt: number }, null>("feesNode:fetchFee");

export const FEE_FETCH_MAX_ATTEMPTS = 6;

/** Reads the fee from the processor after this mutation commits (retried with backoff by the action). */
export async function scheduleFeeFetch(ctx: MutationCtx, target: Target, attempt = 1, delayMs = 0): Promise<void> {
  await ctx.scheduler.runAfter(delayMs, fetchFeeRef, { target, attempt });
}

function checkFee(feeCents: number): void {
  if (!Number.isSafeInteger(feeCents) || feeCents < 0) throw new Error(`Invalid processor fee ${feeCents}.`);
}

/** Books a top-up's card fee once (key `topup-fee:<id>`). A zero fee is recorded without a journal. */
export async function bookTopupFee(
  ctx: MutationCtx,
  topupId: Id<"topups">,
  feeCents: number,
  balanceTransactionId: string,
): Promise<void> {
  checkFee(feeCents);
  const topup = await ctx.db.get("topups", topupId);
  if (topup === null || topup.feeCents !== undefined) return;
  let feeJournalId: Id<"journals"> | undefined;
  if (feeCents > 0) {
    ({ journalId: feeJournalId } = await postDraft(ctx, () => processorFee<UserId>({ amountCents: feeCents }), {
      idempotencyKey: `topup-fee:${topupId}`,
      refs: { processorEventId: balanceTransactionId },
      memo: `Card fee on top-up ${topup.paymentIntentId ?? topupId} (${formatMoney(topup.amountCents)}), balance transaction ${balanceTransactionId}`,
    }));
  }
  await ctx.db.patch("topups", topupId, {
    feeCents,
    balanceTransactionId,
    ...(feeJournalId ? { feeJournalId } : {}),
    updatedAt: Date.now(),
  });
}

/** Books a paid payout's Connect fee once (key `payout-fee:<id>`). */
export async function bookPayoutFee(
  ctx: MutationCtx,
  payoutId: Id<"payouts">,
  feeCents: number,
  balanceTransactionId: string,
): Promise<void> {
  checkFee(feeCents);
  const payout = await ctx.db.get("payouts", payoutId);
  if (payout === null || payout.feeCents !== undefined) return;
  let feeJournalId: Id<"journals"> | undefined;
  if (feeCents > 0) {
    ({ journalId: feeJournalId } = await postDraft(ctx, () => processorFee<UserId>({ amountCents: feeCents }), {
      idempotencyKey: `payout-fee:${payoutId}`,
      refs: { payoutId, processorEventId: balanceTransactionId },
      memo: `Connect payout fee on ${formatMoney(payout.amountCents)}, balance transaction ${balanceTransactionId}`,
    }));
  }
  await ctx.db.patch("payouts", payoutId, {
    feeCents,
    ...(feeJournalId ? { feeJournalId } : {}),
    updatedAt: Date.now(),
  });
}

/** The fee could not be read after every attempt: reconciliation will drift by it, so an admin is told. */
export async function feeFetchFailed(ctx: MutationCtx, target: Target, error: string): Promise<void> {
  const what = target.kind === "topup" ? `top-up ${target.topupId}` : `payout ${target.payoutId}`;
  await raiseAlert(ctx, {
    kind: "payments_fee_unknown",
    severity: "warning",
    message: `The processor fee for ${what} could not be read (${error.slice(0, 200)}); reconciliation will show it as drift until it is booked.`,
    details: JSON.stringify(target),
  });
}
