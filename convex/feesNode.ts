"use node";
// Reads processor fees from the processor's balance transactions (never computed here) and books them:
// a top-up's card fee from its charge's balance_transaction; a Connect payout's fee from the platform's
// `stripe_fee` balance transactions whose source is the payout. Retries with backoff; alerts at the end.
import Stripe from "stripe";
import { v } from "convex/values";
import { internalAction } from "./functions";
import { internal } from "./_generated/api";
import { env } from "./_generated/server";
import { PaymentsNotConfiguredError, stripeSettings } from "../lib/payments/config";
import { backoffDelayMs } from "../lib/payouts";
import { feeTargetValidator } from "./fees";
import { FEE_FETCH_MAX_ATTEMPTS } from "./model/fees";

class NotYet extends Error {}

export const fetchFee = internalAction({
  args: { target: feeTargetValidator, attempt: v.number() },
  handler: async (ctx, { target, attempt }): Promise<null> => {
    let stripe: Stripe;
    try {
      const settings = stripeSettings(env);
      stripe = new Stripe(settings.secretKey, settings.sdkOptions);
    } catch (error) {
      if (error instanceof PaymentsNotConfiguredError) return null; // no processor: nothing to read (tests)
      throw error;
    }
    const source = await ctx.runQuery(internal.fees.feeSource, { target });
    if (source === null || source.booked) return null;
    try {
      if (target.kind === "topup") {
        let chargeId = source.chargeId;
        if (chargeId === null && source.paymentIntentId !== null) {
          const pi = await stripe.paymentIntents.retrieve(source.paymentIntentId);
          chargeId = typeof pi.latest_charge === "string" ? pi.latest_charge : (pi.latest_charge?.id ?? null);
        }
        if (chargeId === null) throw new NotYet("the top-up has no charge yet");
        const charge = await stripe.charges.retrieve(chargeId);
        const txnId =
          typeof charge.balance_transaction === "string"
            ? charge.balance_transaction
            : (charge.balance_transaction?.id ?? null);
        if (txnId === null) throw new NotYet("the charge has no balance transaction yet");
        const txn = await stripe.balanceTransactions.retrieve(txnId);
        await ctx.runMutation(internal.fees.book, { target, feeCents: txn.fee, balanceTransactionId: txn.id });
      } else {
        const list = await stripe.balanceTransactions.list({
          source: target.processorPayoutId,
          type: "stripe_fee",
          limit: 10,
        } as Stripe.BalanceTransactionListParams);
        const txn = list.data[0];
        if (txn === undefined) throw new NotYet("no fee transaction for this payout yet");
        await ctx.runMutation(internal.fees.book, {
          target,
          feeCents: Math.abs(txn.amount),
          balanceTransactionId: txn.id,
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await ctx.runMutation(internal.fees.retryOrGiveUp, {
        target,
        attempt,
        delayMs: backoffDelayMs(attempt),
        error: message,
        giveUp: attempt >= FEE_FETCH_MAX_ATTEMPTS,
      });
    }
    return null;
  },
});
