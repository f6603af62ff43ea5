"use node";
// The outbox worker: one attempt per run. Claims the row, calls the processor with keys derived from the
// row id (a retry after a crash or a lost answer gets the same transfer back, so nothing is paid twice),
// and reports the result. Retries, backoff and dead letters are decided in convex/model/outbox.ts.
import Stripe from "stripe";
import { v } from "convex/values";
import { internalAction } from "./functions";
import { internal } from "./_generated/api";
import { env } from "./_generated/server";
import { stripeSettings } from "../lib/payments/config";
import { ProcessorCallError, injectedPayoutProcessor, type PayoutProcessor } from "./model/payoutProcessor";

function asCallError(error: unknown): ProcessorCallError {
  if (error instanceof ProcessorCallError) return error;
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode ?? 0;
    const retryable =
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeRateLimitError ||
      status === 0 ||
      status >= 500 ||
      status === 409; // idempotency key in use by a concurrent request
    return new ProcessorCallError(error.message, retryable, error.code);
  }
  return new ProcessorCallError(error instanceof Error ? error.message : String(error), true);
}

function stripeProcessor(): PayoutProcessor {
  const settings = stripeSettings(env);
  const stripe = new Stripe(settings.secretKey, settings.sdkOptions);
  return {
    async createTransfer(input, idempotencyKey) {
      const transfer = await stripe.transfers.create(
        {
          amount: input.amountCents,
          currency: input.currency.toLowerCase(),
          destination: input.destination,
          transfer_group: input.transferGroup,
          metadata: input.metadata,
        },
        { idempotencyKey },
      );
      return { id: transfer.id };
    },
    async createPayout(input, connectedAccountId, idempotencyKey) {
      const payout = await stripe.payouts.create(
        { amount: input.amountCents, currency: input.currency.toLowerCase(), metadata: input.metadata },
        { stripeAccount: connectedAccountId, idempotencyKey },
      );
      return { id: payout.id };
    },
    async reverseTransfer(transferId, input, idempotencyKey) {
      const reversal = await stripe.transfers.createReversal(
        transferId,
        { metadata: input.metadata, ...(input.amountCents !== undefined ? { amount: input.amountCents } : {}) },
        { idempotencyKey },
      );
      return { id: reversal.id };
    },
  };
}

export const process = internalAction({
  args: { outboxId: v.id("outbox") },
  handler: async (ctx, { outboxId }) => {
    const job = await ctx.runMutation(internal.payouts.claimJob, { outboxId });
    if (job === null) return null;
    // The row id is the idempotency key (a fresh generation only after a refusal; see the outbox schema).
    const key = `outbox_${outboxId}${job.keyGeneration > 0 ? `_g${job.keyGeneration}` : ""}`;
    try {
      const processor = injectedPayoutProcessor() ?? stripeProcessor();
      const metadata = { payoutId: job.payoutId, outboxId };
      if (job.kind === "payout_transfer") {
        const transferId =
          job.transferId ??
          (
            await processor.createTransfer(
              {
                amountCents: job.amountCents,
                currency: job.currency,
                destination: job.connectedAccountId,
                transferGroup: `payout_${job.payoutId}`,
                metadata,
              },
              `${key}_transfer`,
            )
          ).id;
        await ctx.runMutation(internal.payouts.recordTransferResult, { payoutId: job.payoutId, transferId });
        const payout = await processor.createPayout(
          { amountCents: job.amountCents, currency: job.currency, metadata },
          job.connectedAccountId,
          `${key}_payout`,
        );
        await ctx.runMutation(internal.payouts.completeJob, {
          outboxId,
          payoutId: job.payoutId,
          processorPayoutId: payout.id,
        });
      } else {
        if (job.transferId === undefined) throw new ProcessorCallError("No transfer to reverse.", false);
        await processor.reverseTransfer(
          job.transferId,
          { metadata, amountCents: job.amountToReverseCents },
          `${key}_reversal`,
        );
        await ctx.runMutation(internal.payouts.completeJob, { outboxId, payoutId: job.payoutId });
      }
    } catch (error) {
      const failure = asCallError(error);
      await ctx.runMutation(internal.payouts.failJob, {
        outboxId,
        message: failure.message,
        retryable: failure.retryable,
      });
    }
    return null;
  },
});
