// Funding lots: wallet credits from top-ups are spent first in, first out, and each settled session (and each
// answered offline message) records which top-ups paid for it (fundingUses). A chargeback on a top-up then claws
// back the advisors' shares of what its money paid for, within CHARGEBACK_ATTRIBUTION_DAYS (default 120): from pending earnings,
// else available, else a receivable that later releases offset. The platform absorbs only what is left.
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx } from "../_generated/server";
import { advisorPartOf, chargebackRecovered, fifoTake, type RecoverySource } from "../../lib/ledger/feeTemplates";
import { reversal } from "../../lib/ledger/templates";
import { allocate, formatMoney } from "../../lib/money";
import { balanceOf, postDraft, type UserId } from "./ledger";
import { openReceivable } from "./receivables";

const DAY_MS = 24 * 60 * 60_000;
export const DEFAULT_CHARGEBACK_ATTRIBUTION_DAYS = 120;
const MAX_LOTS_PER_SETTLEMENT = 50;
const MAX_USES_PER_TOPUP = 500;

/** Days back from a chargeback within which sessions paid by the top-up are clawed back (env override). */
export function chargebackAttributionDays(): number {
  const value = Number(env.CHARGEBACK_ATTRIBUTION_DAYS);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_CHARGEBACK_ATTRIBUTION_DAYS;
}

/** A credited top-up becomes a lot of wallet money (once per top-up). */
export async function addLot(ctx: MutationCtx, topup: Doc<"topups">, at: number): Promise<void> {
  const existing = await ctx.db
    .query("fundingLots")
    .withIndex("by_topup", (q) => q.eq("topupId", topup._id))
    .first();
  if (existing !== null) return;
  await ctx.db.insert("fundingLots", {
    userId: topup.userId,
    topupId: topup._id,
    amountCents: topup.amountCents,
    remainingCents: topup.amountCents,
    open: true,
    createdAt: at,
  });
}

/** Takes `amountCents` out of the client's lots, oldest first; returns what each lot gave. */
async function take(ctx: MutationCtx, userId: UserId, amountCents: number) {
  const lots = await ctx.db
    .query("fundingLots")
    .withIndex("by_user_open", (q) => q.eq("userId", userId).eq("open", true))
    .take(MAX_LOTS_PER_SETTLEMENT);
  const { taken } = fifoTake(lots, amountCents);
  for (const { lot, amountCents: part } of taken) {
    const remainingCents = lot.remainingCents - part;
    await ctx.db.patch("fundingLots", lot._id, { remainingCents, open: remainingCents > 0 });
  }
  return taken;
}

/** What wallet money paid for: a settled session or an answered offline message. */
export type PaidFor = { sessionId: Id<"sessions"> } | { offlineMessageId: Id<"offlineMessages"> };

function paidForOf(input: Partial<{ sessionId: Id<"sessions">; offlineMessageId: Id<"offlineMessages"> }>): PaidFor {
  if (input.sessionId !== undefined) return { sessionId: input.sessionId };
  if (input.offlineMessageId !== undefined) return { offlineMessageId: input.offlineMessageId };
  throw new Error("funding use without a session or an offline message");
}

/**
 * A session settled (or an offline message was answered) and debited `walletDebitCents` from the client's wallet: record which top-ups paid and
 * the advisor's exact part of each (allocation over share and fee, so the parts sum to the share).
 * Money without a lot (seeded balances, refunds back to the wallet) is not attributed to any top-up.
 */
export async function spendLots(
  ctx: MutationCtx,
  spender: PaidFor & { clientId: UserId; advisorId: UserId },
  charge: { walletDebitCents: number; shareCents: number; feeCents: number },
  at: number,
): Promise<void> {
  if (charge.walletDebitCents <= 0) return;
  const taken = await take(ctx, spender.clientId, charge.walletDebitCents);
  if (taken.length === 0) return;
  // The advisor's part of the whole wallet debit, split over the lots that paid it (sums exactly).
  const advisorTotal = advisorPartOf({
    spentCents: charge.walletDebitCents,
    shareCents: charge.shareCents,
    feeCents: charge.feeCents,
  });
  const coveredCents = taken.reduce((sum, t) => sum + t.amountCents, 0);
  const advisorCovered =
    coveredCents === charge.walletDebitCents
      ? advisorTotal
      : allocate(advisorTotal, [coveredCents, charge.walletDebitCents - coveredCents])[0]!;
  const parts = allocate(
    advisorCovered,
    taken.map((t) => t.amountCents),
  );
  for (const [i, { lot, amountCents }] of taken.entries()) {
    await ctx.db.insert("fundingUses", {
      topupId: lot.topupId,
      lotId: lot._id,
      ...paidForOf(spender),
      advisorId: spender.advisorId,
      amountCents,
      advisorPartCents: parts[i]!,
      at,
    });
  }
}

/** The wallet gave back `walletDebitedCents` of a charged-back top-up: that money is no longer in its lot. */
export async function closeLotForChargeback(
  ctx: MutationCtx,
  topupId: Id<"topups">,
  walletDebitedCents: number,
): Promise<void> {
  const lot = await ctx.db
    .query("fundingLots")
    .withIndex("by_topup", (q) => q.eq("topupId", topupId))
    .first();
  if (lot === null) return;
  const fromLot = Math.min(lot.remainingCents, walletDebitedCents);
  await ctx.db.patch("fundingLots", lot._id, {
    remainingCents: lot.remainingCents - fromLot,
    open: lot.remainingCents - fromLot > 0,
  });
  if (walletDebitedCents > fromLot) await take(ctx, lot.userId, walletDebitedCents - fromLot); // the rest came out of later lots
}

async function recoverySource(
  ctx: MutationCtx,
  paidFor: PaidFor,
  advisorId: UserId,
  amountCents: number,
): Promise<{ source: RecoverySource; earning: Doc<"earnings"> | null; message: Doc<"offlineMessages"> | null }> {
  let earning: Doc<"earnings"> | null = null;
  let message: Doc<"offlineMessages"> | null = null;
  if ("sessionId" in paidFor) {
    earning = await ctx.db
      .query("earnings")
      .withIndex("by_session", (q) => q.eq("sessionId", paidFor.sessionId))
      .first();
    if (earning?.status === "pending") return { source: "pending", earning, message };
  } else {
    // A message's share waits in advisor_pending from the reply until its release journal.
    message = await ctx.db.get("offlineMessages", paidFor.offlineMessageId);
    if (message !== null && message.releaseJournalId === undefined) return { source: "pending", earning, message };
  }
  const available = await balanceOf(ctx, { kind: "advisor_available", ownerId: advisorId, currency: "USD" });
  return { source: available.balanceCents >= amountCents ? "available" : "receivable", earning, message };
}

/**
 * Chargeback on a top-up: the platform lost `lossCents` (what the wallet could not give back). Claws back the
 * advisors' parts of the sessions that spent the top-up's money within the attribution window, oldest first,
 * never more than the loss. Returns the cents recovered.
 */
export async function recoverChargeback(
  ctx: MutationCtx,
  input: { topupId: Id<"topups">; disputeId: string; lossCents: number; now: number },
): Promise<number> {
  if (input.lossCents <= 0) return 0;
  const since = input.now - chargebackAttributionDays() * DAY_MS;
  const uses = await ctx.db
    .query("fundingUses")
    .withIndex("by_topup", (q) => q.eq("topupId", input.topupId).gte("at", since))
    .take(MAX_USES_PER_TOPUP);
  let lossLeft = input.lossCents;
  let recovered = 0;
  for (const use of uses) {
    if (lossLeft <= 0) break;
    if (use.recoveredCents !== undefined) continue;
    const spent = Math.min(use.amountCents, lossLeft);
    lossLeft -= spent;
    const part =
      spent === use.amountCents
        ? use.advisorPartCents
        : allocate(use.advisorPartCents, [spent, use.amountCents - spent])[0]!;
    if (part <= 0) continue;
    const paidFor = paidForOf(use);
    const { source, earning, message } = await recoverySource(ctx, paidFor, use.advisorId, part);
    const what = "sessionId" in paidFor ? "session" : "offline message";
    await postDraft(ctx, () => chargebackRecovered<UserId>({ advisorId: use.advisorId, amountCents: part, source }), {
      idempotencyKey: `chargeback-recovery:${input.disputeId}:${use._id}`,
      refs: { disputeId: input.disputeId, ...("sessionId" in paidFor ? paidFor : {}) },
      memo: `chargeback on a top-up that paid for this ${what}: ${formatMoney(part)} of the advisor's share`,
    });
    let receivableId: Id<"receivables"> | undefined;
    if (source === "pending" && earning !== null) {
      await ctx.db.patch("earnings", earning._id, { refundedShareCents: (earning.refundedShareCents ?? 0) + part });
    } else if (source === "pending" && message !== null) {
      // Its release then moves only what is left of the share.
      await ctx.db.patch("offlineMessages", message._id, {
        recoveredShareCents: (message.recoveredShareCents ?? 0) + part,
      });
    } else if (source === "receivable") {
      receivableId = await openReceivable(ctx, {
        advisorId: use.advisorId,
        ...paidFor,
        source: "chargeback",
        reason: "Card chargeback on the client's top-up",
        amountCents: part,
      });
    }
    await ctx.db.patch("fundingUses", use._id, {
      recoveredCents: part,
      recoverySource: source,
      ...(receivableId ? { receivableId } : {}),
    });
    recovered += part;
  }
  return recovered;
}

/** Chargeback won: what was clawed back goes back to the advisors (an open receivable is reduced instead). */
export async function returnRecoveries(
  ctx: MutationCtx,
  input: { topupId: Id<"topups">; disputeId: string },
): Promise<void> {
  const uses = await ctx.db
    .query("fundingUses")
    .withIndex("by_topup", (q) => q.eq("topupId", input.topupId))
    .take(MAX_USES_PER_TOPUP);
  for (const use of uses) {
    const part = use.recoveredCents ?? 0;
    if (part <= 0) continue;
    const receivable = use.receivableId ? await ctx.db.get("receivables", use.receivableId) : null;
    const cancelCents =
      receivable !== null && receivable.status === "open"
        ? Math.min(part, receivable.remainingCents - (receivable.reversalPendingCents ?? 0))
        : 0;
    const backCents = part - cancelCents;
    const legs = [
      ...(cancelCents > 0
        ? chargebackRecovered<UserId>({ advisorId: use.advisorId, amountCents: cancelCents, source: "receivable" }).legs
        : []),
      ...(backCents > 0
        ? chargebackRecovered<UserId>({ advisorId: use.advisorId, amountCents: backCents, source: "available" }).legs
        : []),
    ];
    await postDraft(ctx, () => reversal(legs), {
      idempotencyKey: `chargeback-recovery-returned:${input.disputeId}:${use._id}`,
      refs: { disputeId: input.disputeId, ...(use.sessionId !== undefined ? { sessionId: use.sessionId } : {}) },
      memo: "chargeback won: the advisor's share is returned",
    });
    if (receivable !== null && cancelCents > 0) {
      const remainingCents = receivable.remainingCents - cancelCents;
      await ctx.db.patch("receivables", receivable._id, {
        remainingCents,
        status: remainingCents === 0 ? "settled" : "open",
      });
    }
    await ctx.db.patch("fundingUses", use._id, { recoveredCents: 0 });
  }
}
