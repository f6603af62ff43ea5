"use node";
// Every call to the payment processor goes through the official `stripe` SDK from these actions (Node
// runtime on a deployment; the local backend runs everything in Node anyway). Locally the SDK points at the
// local Stripe-compatible processor (lib/payments/config.ts); nothing else differs.
import Stripe from "stripe";
import { v } from "convex/values";
import { action, internalAction } from "./functions";
import { internal } from "./_generated/api";
import { env } from "./_generated/server";
import { fail } from "./model/errors";
import {
  PaymentsNotConfiguredError,
  connectWebhookSecret,
  stripeSettings,
  webhookSecret,
} from "../lib/payments/config";
import { checkTopUpAmount } from "../lib/payments/topupAmounts";

function stripeClient(): Stripe {
  try {
    const settings = stripeSettings(env);
    return new Stripe(settings.secretKey, settings.sdkOptions);
  } catch (error) {
    if (error instanceof PaymentsNotConfiguredError)
      fail("UNAVAILABLE", "Payments are not available right now. Please try again later.");
    throw error;
  }
}

function appUrl(): string {
  return (env.APP_URL ?? env.SITE_URL ?? "http://localhost:3000").replace(/\/$/, "");
}

/**
 * Starts a top-up: the amount typed by the client is validated on the server (createPending), a pending
 * `topups` row is written, and a Checkout Session is created with the server's amount, metadata linking it
 * to the user and the top-up, and the top-up id as idempotency key. Returns the hosted checkout URL.
 */
export const createTopUpCheckout = action({
  permission: "wallet:top_up",
  args: { amount: v.string(), saveCard: v.optional(v.boolean()), returnTo: v.optional(v.literal("popup")) },
  handler: async (ctx, { amount, saveCard, returnTo }): Promise<{ topupId: string; url: string }> => {
    const check = checkTopUpAmount(amount);
    if (!check.ok) fail("INVALID_ARGUMENT", check.error); // nothing created
    const stripe = stripeClient();
    const pending = await ctx.runMutation(internal.topups.createPending, {
      userId: ctx.viewer._id,
      amount,
      saveCard: saveCard ?? false,
    });
    let customerId = pending.customerId;
    try {
      if (saveCard && customerId === null) {
        const customer = await stripe.customers.create(
          { email: ctx.viewer.email, name: ctx.viewer.name, metadata: { userId: ctx.viewer._id } },
          { idempotencyKey: `customer:${ctx.viewer._id}` },
        );
        customerId = await ctx.runMutation(internal.topups.setCustomer, {
          userId: ctx.viewer._id,
          customerId: customer.id,
        });
      }
      const metadata = { topupId: pending.topupId, userId: ctx.viewer._id };
      // From a live session the checkout opens in a popup that closes itself; the room stays open.
      const base = `${appUrl()}/user-dashboard/wallet${returnTo === "popup" ? "/topup-complete" : ""}`;
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: pending.currency.toLowerCase(),
                unit_amount: pending.amountCents,
                product_data: { name: "Wallet top-up" },
              },
            },
          ],
          client_reference_id: pending.topupId,
          metadata,
          payment_intent_data: { metadata, ...(saveCard ? { setup_future_usage: "off_session" as const } : {}) },
          ...(customerId ? { customer: customerId } : { customer_email: ctx.viewer.email || undefined }),
          success_url: `${base}?topup=${pending.topupId}&checkout=success`,
          cancel_url: `${base}?topup=${pending.topupId}&checkout=cancel`,
        },
        { idempotencyKey: `checkout:${pending.topupId}` },
      );
      await ctx.runMutation(internal.topups.attachCheckoutSession, {
        topupId: pending.topupId,
        checkoutSessionId: session.id,
      });
      if (!session.url) fail("INTERNAL", "The processor returned no checkout URL.");
      return { topupId: pending.topupId, url: session.url };
    } catch (error) {
      const message = error instanceof Stripe.errors.StripeError ? error.message : "Could not start the payment.";
      await ctx.runMutation(internal.topups.markFailed, {
        topupId: pending.topupId,
        code: "checkout_not_created",
        reason: message,
      });
      if (error instanceof Stripe.errors.StripeError)
        fail("UNAVAILABLE", "The payment page could not be opened. Please try again.");
      throw error;
    }
  },
});

/** Off-session charge of the saved card for an auto-reload top-up (idempotency key from the top-up). */
export const chargeAutoReload = internalAction({
  args: { topupId: v.id("topups") },
  handler: async (ctx, { topupId }) => {
    const target = await ctx.runQuery(internal.topups.autoReloadTarget, { topupId });
    if (target === null) return null;
    let stripe: Stripe;
    try {
      stripe = stripeClient();
    } catch {
      await ctx.runMutation(internal.topups.markFailed, {
        topupId,
        code: "not_configured",
        reason: "Payments are not configured.",
      });
      return null;
    }
    const metadata = { topupId, userId: target.userId, kind: "auto_reload" };
    try {
      const intent = await stripe.paymentIntents.create(
        {
          amount: target.amountCents,
          currency: target.currency.toLowerCase(),
          customer: target.customerId,
          payment_method: target.paymentMethodId,
          off_session: true,
          confirm: true,
          metadata,
        },
        { idempotencyKey: `autoreload:${topupId}` },
      );
      await ctx.runMutation(internal.topups.recordAutoReloadIntent, { topupId, paymentIntentId: intent.id });
      // The wallet is credited by the payment_intent.succeeded webhook, like any top-up.
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        await ctx.runMutation(internal.topups.markFailed, {
          topupId,
          code: error.decline_code ?? error.code ?? "card_error",
          reason: error.message,
        });
      } else if (
        error instanceof Stripe.errors.StripeError &&
        error.statusCode !== undefined &&
        error.statusCode < 500
      ) {
        await ctx.runMutation(internal.topups.markFailed, {
          topupId,
          code: error.code ?? "invalid_request",
          reason: error.message,
        });
      } else {
        throw error; // network or processor outage: the action fails and is visible in logs; the top-up stays pending
      }
    }
    return null;
  },
});

/** Fills in the brand and last 4 digits of a newly saved card. */
export const syncSavedCard = internalAction({
  args: { userId: v.id("users"), paymentMethodId: v.string() },
  handler: async (ctx, { userId, paymentMethodId }) => {
    let stripe: Stripe;
    try {
      stripe = stripeClient();
    } catch {
      return null;
    }
    const pm = await stripe.paymentMethods.retrieve(paymentMethodId);
    if (pm.card)
      await ctx.runMutation(internal.topups.setCardDetails, {
        userId,
        paymentMethodId,
        brand: pm.card.brand,
        last4: pm.card.last4,
      });
    return null;
  },
});

/**
 * Payout account onboarding (Stripe Connect Express): creates the advisor's Express account once (idempotency
 * key from the advisor id), stores it, and returns a fresh account link to the hosted onboarding. Returning
 * and refreshing land back on the profile page; `account.updated` webhooks record what is enabled.
 */
export const startPayoutOnboarding = action({
  permission: "advisor:payouts",
  args: {},
  handler: async (ctx): Promise<{ url: string }> => {
    const stripe = stripeClient();
    const userId = ctx.viewer._id;
    let account = await ctx.runQuery(internal.payoutAccounts.forUser, { userId });
    if (account?.status === "enabled") fail("CONFLICT", "Your payout account is already set up.");
    try {
      if (account === null) {
        const created = await stripe.accounts.create(
          {
            type: "express",
            country: "US",
            email: ctx.viewer.email || undefined,
            capabilities: { transfers: { requested: true } },
            metadata: { userId },
          },
          { idempotencyKey: `payout-account:${userId}` },
        );
        account = await ctx.runMutation(internal.payoutAccounts.attach, {
          userId,
          accountId: created.id,
          chargesEnabled: created.charges_enabled,
          payoutsEnabled: created.payouts_enabled,
          detailsSubmitted: created.details_submitted,
        });
      }
      const base = `${appUrl()}/advisor/setup`;
      const link = await stripe.accountLinks.create({
        account: account.accountId,
        type: "account_onboarding",
        return_url: `${base}?payouts=return`,
        refresh_url: `${base}?payouts=refresh`,
      });
      return { url: link.url };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) {
        console.error(`payout onboarding for ${userId} failed: ${error.type} ${error.message}`);
        fail("UNAVAILABLE", "The payout setup page could not be opened. Please try again.");
      }
      throw error;
    }
  },
});

/**
 * The webhook's work (called by the /stripe/webhook HTTP action with the raw body): verify the signature
 * with constructEventAsync, then apply the event in one mutation. 400 on a bad signature (nothing written),
 * 200 for processed / duplicate / ignored / unmatched, 500 when applying failed (the processor retries).
 */
export const receiveWebhook = internalAction({
  args: { payload: v.string(), signature: v.string() },
  handler: async (ctx, { payload, signature }): Promise<{ status: number; body: string }> => {
    const secrets = [webhookSecret(env), connectWebhookSecret(env)].filter((s): s is string => s !== null);
    if (secrets.length === 0) return { status: 404, body: "Stripe webhook not configured" };
    let event: Stripe.Event | null = null;
    // Verification needs no API key; constructEventAsync uses the secret and the raw body only. In Stripe
    // mode the Connect endpoint (account.updated of connected accounts) may have its own signing secret.
    for (const secret of secrets) {
      try {
        event = await Stripe.webhooks.constructEventAsync(payload, signature, secret);
        break;
      } catch {
        // try the next secret
      }
    }
    if (event === null) return { status: 400, body: "Invalid signature" };
    try {
      const outcome = await ctx.runMutation(internal.topups.applyEvent, { eventJson: payload });
      return { status: 200, body: JSON.stringify({ received: true, id: event.id, outcome }) };
    } catch (error) {
      const message = (error as Error).message;
      console.error(`stripe webhook ${event.type} ${event.id} failed: ${message}`);
      // One admin alert per failing event (retries do not add more); the alert must never mask the 500.
      await ctx
        .runMutation(internal.ops.webhookFailed, {
          source: "Stripe",
          eventId: event.id,
          eventType: event.type,
          message,
        })
        .catch((alertError: unknown) => console.error(`could not record the webhook failure: ${String(alertError)}`));
      return { status: 500, body: "Processing failed; retry later" };
    }
  },
});
