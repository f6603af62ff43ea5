// Card chargebacks on top-ups (split out of topups.ts): opening debits the wallet down to its floor and books
// the dispute fee from the dispute's balance transaction; the part the wallet could not give is clawed back
// from the advisors whose sessions spent the top-up (convex/model/funding.ts). Won: everything goes back.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { chargebackWalletPart } from "../../lib/ledger/templates";
import { formatMoney } from "../../lib/money";
import { raiseAlert, walletSummary } from "./ledger";
import { postEvent } from "./ledgerEvents";
import { closeLotForChargeback, recoverChargeback, returnRecoveries } from "./funding";

function n(value: unknown): number {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : 0;
}

function disputeFee(obj: Record<string, unknown>): number {
  const txns = Array.isArray(obj.balance_transactions) ? (obj.balance_transactions as Record<string, unknown>[]) : [];
  const opening = txns.find((t) => n(t.amount) < 0);
  return opening ? n(opening.fee) : 0;
}

/** Opens the chargeback once: debits the wallet (down to its floor), freezes the client, alerts admins. */
export async function openDispute(
  ctx: MutationCtx,
  topup: Doc<"topups">,
  obj: Record<string, unknown>,
  eventId: string,
): Promise<Doc<"disputes">> {
  const disputeId = String(obj.id);
  const existing = await ctx.db
    .query("disputes")
    .withIndex("by_dispute_id", (q) => q.eq("disputeId", disputeId))
    .unique();
  if (existing !== null) return existing;
  const amountCents = n(obj.amount);
  const feeCents = disputeFee(obj);
  const { availableCents } = await walletSummary(ctx, topup.userId);
  const walletDebitedCents = chargebackWalletPart(amountCents, availableCents);
  const { journalId } = await postEvent(ctx, {
    event: { kind: "chargeback_opened", clientId: topup.userId, amountCents, feeCents },
    idempotencyKey: `chargeback:${disputeId}`,
    refs: { disputeId, processorEventId: eventId },
    memo: `Card chargeback on top-up ${topup.paymentIntentId ?? topup._id}`,
  });
  const now = Date.now();
  const id = await ctx.db.insert("disputes", {
    disputeId,
    userId: topup.userId,
    topupId: topup._id,
    amountCents,
    feeCents,
    walletDebitedCents,
    status: "open",
    openedJournalId: journalId,
    createdAt: now,
  });
  await ctx.db.insert("clientRestrictions", {
    userId: topup.userId,
    kind: "sessions_frozen",
    reason: `Card chargeback of ${formatMoney(amountCents)} on a top-up.`,
    disputeId,
    active: true,
    createdAt: now,
  });
  // What the wallet could not give was spent on sessions: claw the advisors' shares back (FIFO lots).
  await closeLotForChargeback(ctx, topup._id, walletDebitedCents);
  const recoveredCents = await recoverChargeback(ctx, {
    topupId: topup._id,
    disputeId,
    lossCents: amountCents - walletDebitedCents,
    now,
  });
  if (recoveredCents > 0) await ctx.db.patch("disputes", id, { recoveredCents });
  await raiseAlert(ctx, {
    kind: "payments_chargeback",
    severity: "critical",
    message: `Chargeback of ${formatMoney(amountCents)} (fee ${formatMoney(feeCents)}) on top-up ${topup._id}; client frozen for new sessions.${recoveredCents > 0 ? ` ${formatMoney(recoveredCents)} clawed back from advisors.` : ""}`,
    details: JSON.stringify({ disputeId, userId: topup.userId, walletDebitedCents, recoveredCents }),
  });
  return (await ctx.db.get("disputes", id))!;
}

export async function closeDispute(
  ctx: MutationCtx,
  dispute: Doc<"disputes">,
  status: "won" | "lost",
  eventId: string,
): Promise<void> {
  if (dispute.status !== "open") return;
  const now = Date.now();
  let closedJournalId: Id<"journals"> | undefined;
  if (status === "won") {
    ({ journalId: closedJournalId } = await postEvent(ctx, {
      event: {
        kind: "chargeback_won",
        clientId: dispute.userId,
        amountCents: dispute.amountCents,
        feeCents: dispute.feeCents,
        walletDebitedCents: dispute.walletDebitedCents,
        feeReturned: false,
      },
      idempotencyKey: `chargeback-won:${dispute.disputeId}`,
      refs: { disputeId: dispute.disputeId, processorEventId: eventId, reversesJournalId: dispute.openedJournalId },
      memo: "Chargeback won",
    }));
    if ((dispute.recoveredCents ?? 0) > 0)
      await returnRecoveries(ctx, { topupId: dispute.topupId, disputeId: dispute.disputeId });
    const restrictions = await ctx.db
      .query("clientRestrictions")
      .withIndex("by_user_active", (q) => q.eq("userId", dispute.userId).eq("active", true))
      .collect();
    for (const r of restrictions)
      if (r.disputeId === dispute.disputeId)
        await ctx.db.patch("clientRestrictions", r._id, { active: false, liftedAt: now });
  }
  await ctx.db.patch("disputes", dispute._id, {
    status,
    closedAt: now,
    ...(closedJournalId ? { closedJournalId } : {}),
  });
  await raiseAlert(ctx, {
    kind: "payments_chargeback",
    severity: "info",
    message: `Chargeback ${dispute.disputeId} ${status === "won" ? "won: money back in the wallet, freeze lifted" : "lost: the client stays frozen"}.`,
  });
}
