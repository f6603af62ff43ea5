// Wallet top-ups: the client's top-up list and auto-reload settings, admin credit limits, and the internal
// mutations the Stripe actions (convex/stripeNode.ts) and the webhook use. SDK calls live in stripeNode.ts.
import { v } from "convex/values";
import { internalMutation, internalQuery, mutation, query } from "./functions";
import { REASON_LENGTH, fail, requireText } from "./model/errors";
import { setCreditLimit, walletSummary } from "./model/ledger";
import { onWalletChanged } from "./model/sessionChecks";
import {
  createPendingTopup,
  ensurePaymentProfile,
  isClientFrozen,
  markTopupFailed,
  maybeAutoReload as maybeAutoReloadModel,
  paymentProfile,
} from "./model/topups";
import { applyProcessorEvent } from "./model/processorEvents";
import { writeAudit } from "./model/users";
import { formatMoney } from "../lib/money";
import { CREDIT_LIMIT_MAX_CENTS, checkAutoReload } from "../lib/payments/topupAmounts";

const topupView = (t: {
  _id: string;
  kind: "checkout" | "auto_reload";
  amountCents: number;
  currency: string;
  status: "pending" | "succeeded" | "failed" | "refunded";
  failureReason?: string;
  refundedCents: number;
  createdAt: number;
  succeededAt?: number;
  dismissedAt?: number;
}) => ({
  _id: t._id,
  kind: t.kind,
  amountCents: t.amountCents,
  currency: t.currency,
  status: t.status,
  failureReason: t.failureReason ?? null,
  refundedCents: t.refundedCents,
  createdAt: t.createdAt,
  succeededAt: t.succeededAt ?? null,
  dismissed: t.dismissedAt !== undefined,
});

/** The viewer's recent top-ups (pending, failed with reason, succeeded), newest first. */
export const listMine = query({
  permission: "wallet:read_own",
  args: { limit: v.optional(v.number()) },
  handler: async (ctx, { limit }) => {
    const take = Math.min(Math.max(Math.trunc(limit ?? 10), 1), 50);
    const rows = await ctx.db
      .query("topups")
      .withIndex("by_user", (q) => q.eq("userId", ctx.viewer._id))
      .order("desc")
      .take(take);
    return rows.map(topupView);
  },
});

/** One of the viewer's top-ups (the checkout return page polls it live). */
export const getMine = query({
  permission: "wallet:read_own",
  args: { topupId: v.string() },
  handler: async (ctx, { topupId }) => {
    const id = ctx.db.normalizeId("topups", topupId);
    const topup = id === null ? null : await ctx.db.get("topups", id);
    if (topup === null || topup.userId !== ctx.viewer._id) return null;
    return topupView(topup);
  },
});

/** Saved card, auto-reload settings and freeze state for the wallet page. */
export const myPaymentSettings = query({
  permission: "wallet:read_own",
  args: {},
  handler: async (ctx) => {
    const profile = await paymentProfile(ctx, ctx.viewer._id);
    return {
      card: profile?.paymentMethodId ? { brand: profile.cardBrand ?? null, last4: profile.cardLast4 ?? null } : null,
      autoReload: {
        enabled: profile?.autoReloadEnabled ?? false,
        thresholdCents: profile?.autoReloadThresholdCents ?? 1000,
        amountCents: profile?.autoReloadAmountCents ?? 2500,
        notice: profile?.autoReloadNotice ?? null,
      },
      frozen: await isClientFrozen(ctx, ctx.viewer._id),
    };
  },
});

/** Turn auto-reload on/off: "when my balance falls below X, add Y" (needs a saved card to turn on). */
export const setAutoReload = mutation({
  permission: "wallet:top_up",
  args: { enabled: v.boolean(), thresholdCents: v.number(), amountCents: v.number() },
  handler: async (ctx, args) => {
    const problem = checkAutoReload(args.thresholdCents, args.amountCents);
    if (problem !== null) fail("INVALID_ARGUMENT", problem);
    const profile = await ensurePaymentProfile(ctx, ctx.viewer._id);
    if (args.enabled && profile.paymentMethodId === undefined) {
      fail("CONFLICT", "Save a card first: tick “Save this card for auto-reload” on your next top-up.");
    }
    const { balanceCents } = await walletSummary(ctx, ctx.viewer._id);
    await ctx.db.patch("paymentProfiles", profile._id, {
      autoReloadEnabled: args.enabled,
      autoReloadThresholdCents: args.thresholdCents,
      autoReloadAmountCents: args.amountCents,
      // Armed when the balance is at or above the threshold now; below it, the next debit triggers a reload.
      autoReloadArmed: true,
      autoReloadNotice: undefined,
      updatedAt: Date.now(),
    });
    if (args.enabled && balanceCents < args.thresholdCents) await maybeAutoReloadModel(ctx, ctx.viewer._id);
    return null;
  },
});

/** Forget the saved card (auto-reload turns off). */
/** The client hides one of her failed top-ups from the wallet's list (it stays in the records). */
export const dismissFailed = mutation({
  permission: "wallet:read_own",
  args: { topupId: v.id("topups") },
  handler: async (ctx, { topupId }) => {
    const topup = await ctx.db.get("topups", topupId);
    if (topup === null || topup.userId !== ctx.viewer._id) fail("NOT_FOUND", "That top-up does not exist.");
    if (topup.status !== "failed") fail("CONFLICT", "Only a failed top-up can be dismissed.");
    if (topup.dismissedAt === undefined) await ctx.db.patch("topups", topupId, { dismissedAt: Date.now() });
  },
});

export const removeSavedCard = mutation({
  permission: "wallet:top_up",
  args: {},
  handler: async (ctx) => {
    const profile = await paymentProfile(ctx, ctx.viewer._id);
    if (profile === null) return null;
    await ctx.db.patch("paymentProfiles", profile._id, {
      paymentMethodId: undefined,
      cardBrand: undefined,
      cardLast4: undefined,
      autoReloadEnabled: false,
      updatedAt: Date.now(),
    });
    return null;
  },
});

// ---------------------------------------------------------------------------------------------
// Admin: credit limits
// ---------------------------------------------------------------------------------------------

/** A client's wallet, credit limit history and freeze state (admin). */
export const adminClientWallet = query({
  permission: "admin:users",
  args: { userId: v.string() },
  handler: async (ctx, { userId }) => {
    const id = ctx.db.normalizeId("users", userId);
    const user = id === null ? null : await ctx.db.get("users", id);
    if (user === null) return null;
    const changes = await ctx.db
      .query("auditLog")
      .withIndex("by_target", (q) => q.eq("targetTable", "users").eq("targetId", user._id))
      .order("desc")
      .take(50);
    return {
      user: { _id: user._id, name: user.name, email: user.email, role: user.role },
      wallet: await walletSummary(ctx, user._id),
      frozen: await isClientFrozen(ctx, user._id),
      creditLimitChanges: changes
        .filter((c) => c.action === "wallet.credit_limit_set")
        .map((c) => ({ _id: c._id, at: c.createdAt, details: c.details ?? "" })),
    };
  },
});

/** Sets a client's credit limit ($0–$200) with a reason; audited. */
export const setClientCreditLimit = mutation({
  permission: "admin:users",
  args: { userId: v.id("users"), creditLimitCents: v.number(), reason: v.string() },
  handler: async (ctx, { userId, creditLimitCents, reason }) => {
    if (!Number.isSafeInteger(creditLimitCents) || creditLimitCents < 0 || creditLimitCents > CREDIT_LIMIT_MAX_CENTS) {
      fail(
        "INVALID_ARGUMENT",
        `The credit limit must be between $0.00 and ${formatMoney(CREDIT_LIMIT_MAX_CENTS)}, in whole cents.`,
      );
    }
    const trimmed = requireText(reason, REASON_LENGTH, "Give a reason (3 to 500 characters).");
    const user = await ctx.db.get("users", userId);
    if (user === null) fail("NOT_FOUND", "No such user.");
    if (user.role !== "client") fail("INVALID_ARGUMENT", "Credit limits apply to clients only.");
    const before = await walletSummary(ctx, userId);
    await setCreditLimit(ctx, userId, creditLimitCents);
    // Available funds moved: a live session's funds timer must fire at the new moment (raised or lowered).
    await onWalletChanged(ctx, userId);
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "wallet.credit_limit_set",
      targetTable: "users",
      targetId: userId,
      details: JSON.stringify({ fromCents: before.creditLimitCents, toCents: creditLimitCents, reason: trimmed }),
    });
    return null;
  },
});

// ---------------------------------------------------------------------------------------------
// Internal: used by convex/stripeNode.ts, the webhook and the scheduler
// ---------------------------------------------------------------------------------------------

export const createPending = internalMutation({
  args: { userId: v.id("users"), amount: v.string(), saveCard: v.boolean() },
  handler: async (ctx, { userId, amount, saveCard }) => {
    const topup = await createPendingTopup(ctx, userId, { amount, saveCard });
    const profile = saveCard ? await ensurePaymentProfile(ctx, userId) : await paymentProfile(ctx, userId);
    return {
      topupId: topup._id,
      amountCents: topup.amountCents,
      currency: topup.currency,
      customerId: profile?.customerId ?? null,
    };
  },
});

export const setCustomer = internalMutation({
  args: { userId: v.id("users"), customerId: v.string() },
  handler: async (ctx, { userId, customerId }) => {
    const profile = await ensurePaymentProfile(ctx, userId);
    if (profile.customerId === undefined)
      await ctx.db.patch("paymentProfiles", profile._id, { customerId, updatedAt: Date.now() });
    return (await ctx.db.get("paymentProfiles", profile._id))!.customerId!;
  },
});

export const attachCheckoutSession = internalMutation({
  args: { topupId: v.id("topups"), checkoutSessionId: v.string() },
  handler: async (ctx, { topupId, checkoutSessionId }) => {
    const topup = await ctx.db.get("topups", topupId);
    if (topup !== null && topup.checkoutSessionId === undefined) {
      await ctx.db.patch("topups", topupId, { checkoutSessionId, updatedAt: Date.now() });
    }
  },
});

export const markFailed = internalMutation({
  args: { topupId: v.id("topups"), code: v.string(), reason: v.string() },
  handler: async (ctx, { topupId, code, reason }) => {
    await markTopupFailed(ctx, topupId, code, reason);
  },
});

export const autoReloadTarget = internalQuery({
  args: { topupId: v.id("topups") },
  handler: async (ctx, { topupId }) => {
    const topup = await ctx.db.get("topups", topupId);
    if (topup === null || topup.kind !== "auto_reload" || topup.status !== "pending") return null;
    const profile = await paymentProfile(ctx, topup.userId);
    if (profile?.customerId === undefined || profile.paymentMethodId === undefined) return null;
    return {
      amountCents: topup.amountCents,
      currency: topup.currency,
      userId: topup.userId,
      customerId: profile.customerId,
      paymentMethodId: profile.paymentMethodId,
    };
  },
});

export const recordAutoReloadIntent = internalMutation({
  args: { topupId: v.id("topups"), paymentIntentId: v.string() },
  handler: async (ctx, { topupId, paymentIntentId }) => {
    const topup = await ctx.db.get("topups", topupId);
    if (topup !== null && topup.paymentIntentId === undefined)
      await ctx.db.patch("topups", topupId, { paymentIntentId, updatedAt: Date.now() });
  },
});

export const setCardDetails = internalMutation({
  args: { userId: v.id("users"), paymentMethodId: v.string(), brand: v.string(), last4: v.string() },
  handler: async (ctx, { userId, paymentMethodId, brand, last4 }) => {
    const profile = await paymentProfile(ctx, userId);
    if (profile?.paymentMethodId === paymentMethodId) {
      await ctx.db.patch("paymentProfiles", profile._id, { cardBrand: brand, cardLast4: last4, updatedAt: Date.now() });
    }
  },
});

/** Scheduled after wallet debits (convex/model/ledgerEvents.ts). */
export const maybeAutoReload = internalMutation({
  args: { userId: v.id("users") },
  handler: async (ctx, { userId }) => await maybeAutoReloadModel(ctx, userId),
});

/** Applies a verified webhook event (JSON text) and returns the outcome. */
export const applyEvent = internalMutation({
  args: { eventJson: v.string() },
  handler: async (ctx, { eventJson }) => {
    const event = JSON.parse(eventJson) as {
      id?: unknown;
      type?: unknown;
      created?: unknown;
      data?: { object?: unknown };
    };
    if (
      typeof event.id !== "string" ||
      typeof event.type !== "string" ||
      typeof event.data?.object !== "object" ||
      event.data.object === null
    ) {
      fail("INVALID_ARGUMENT", "Not a Stripe event.");
    }
    // Throws (RetryLater or any failure) roll the whole event back; the webhook answers 500 and the processor retries.
    return await applyProcessorEvent(ctx, {
      id: event.id,
      type: event.type,
      created: typeof event.created === "number" ? event.created : Math.floor(Date.now() / 1000),
      data: { object: event.data.object as Record<string, unknown> },
    });
  },
});
