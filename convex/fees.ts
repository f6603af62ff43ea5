// Internal functions the fee reader (convex/feesNode.ts) reports to; see convex/model/fees.ts.
import { v } from "convex/values";
import { internalMutation, internalQuery } from "./functions";
import { bookPayoutFee, bookTopupFee, feeFetchFailed, scheduleFeeFetch } from "./model/fees";

export const feeTargetValidator = v.union(
  v.object({ kind: v.literal("topup"), topupId: v.id("topups") }),
  v.object({ kind: v.literal("payout"), payoutId: v.id("payouts"), processorPayoutId: v.string() }),
);

/** What the reader needs: the top-up's charge / payment intent, or whether the payout fee is already booked. */
export const feeSource = internalQuery({
  args: { target: feeTargetValidator },
  handler: async (ctx, { target }) => {
    if (target.kind === "topup") {
      const topup = await ctx.db.get("topups", target.topupId);
      if (topup === null) return null;
      return {
        booked: topup.feeCents !== undefined,
        chargeId: topup.chargeId ?? null,
        paymentIntentId: topup.paymentIntentId ?? null,
      };
    }
    const payout = await ctx.db.get("payouts", target.payoutId);
    return payout === null ? null : { booked: payout.feeCents !== undefined, chargeId: null, paymentIntentId: null };
  },
});

export const book = internalMutation({
  args: { target: feeTargetValidator, feeCents: v.number(), balanceTransactionId: v.string() },
  handler: async (ctx, { target, feeCents, balanceTransactionId }) => {
    if (target.kind === "topup") await bookTopupFee(ctx, target.topupId, feeCents, balanceTransactionId);
    else await bookPayoutFee(ctx, target.payoutId, feeCents, balanceTransactionId);
  },
});

export const retryOrGiveUp = internalMutation({
  args: {
    target: feeTargetValidator,
    attempt: v.number(),
    delayMs: v.number(),
    error: v.string(),
    giveUp: v.boolean(),
  },
  handler: async (ctx, { target, attempt, delayMs, error, giveUp }) => {
    if (giveUp) await feeFetchFailed(ctx, target, error);
    else await scheduleFeeFetch(ctx, target, attempt + 1, delayMs);
  },
});
