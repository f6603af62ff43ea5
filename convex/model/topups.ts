// Top-ups, client freezes and auto-reload; processor events are dispatched in processorEvents.ts. The wallet is only
// ever credited or debited through ledgerEvents.postEvent, keyed by the top-up / dispute, so every event is applied once.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { fail } from "./errors";
import { postJournal, raiseAlert, walletSummary } from "./ledger";
import { postEvent } from "./ledgerEvents";
import { scheduleFeeFetch } from "./fees";
import { addLot } from "./funding";
import { formatMoney } from "../../lib/money";
import { checkTopUpAmount } from "../../lib/payments/topupAmounts";
import { enforceRateLimit } from "./rateLimits";

export type UserId = Id<"users">;
export type TopupId = Id<"topups">;

const MAX_PENDING_PER_10_MIN = 10;

// Referenced by name to keep model code free of the generated api types (no import cycle).
const chargeAutoReloadRef = makeFunctionReference<"action", { topupId: TopupId }, null>("stripeNode:chargeAutoReload");
const syncSavedCardRef = makeFunctionReference<"action", { userId: UserId; paymentMethodId: string }, null>(
  "stripeNode:syncSavedCard",
);

// ---------------------------------------------------------------------------------------------
// Top-up records
// ---------------------------------------------------------------------------------------------

/** Validates the typed amount on the server and creates a pending checkout top-up. */
export async function createPendingTopup(
  ctx: MutationCtx,
  userId: UserId,
  input: { amount: string; saveCard: boolean },
): Promise<Doc<"topups">> {
  const check = checkTopUpAmount(input.amount);
  if (!check.ok) fail("INVALID_ARGUMENT", check.error);
  await enforceRateLimit(ctx, "topupCheckout", userId);
  const since = Date.now() - 10 * 60 * 1000;
  const recentPending = await ctx.db
    .query("topups")
    .withIndex("by_user_status", (q) => q.eq("userId", userId).eq("status", "pending").gte("createdAt", since))
    .take(MAX_PENDING_PER_10_MIN);
  if (recentPending.length >= MAX_PENDING_PER_10_MIN) {
    fail("RATE_LIMITED", "Too many unfinished top-ups. Finish or wait a few minutes before starting another.", {
      retryAfterMs: 10 * 60 * 1000,
    });
  }
  const now = Date.now();
  const id = await ctx.db.insert("topups", {
    userId,
    kind: "checkout",
    amountCents: check.cents,
    currency: "USD",
    status: "pending",
    saveCard: input.saveCard,
    refundedCents: 0,
    createdAt: now,
    updatedAt: now,
  });
  return (await ctx.db.get("topups", id))!;
}

export async function paymentProfile(ctx: QueryCtx, userId: UserId): Promise<Doc<"paymentProfiles"> | null> {
  return await ctx.db
    .query("paymentProfiles")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .unique();
}

export async function ensurePaymentProfile(ctx: MutationCtx, userId: UserId): Promise<Doc<"paymentProfiles">> {
  const existing = await paymentProfile(ctx, userId);
  if (existing !== null) return existing;
  const id = await ctx.db.insert("paymentProfiles", {
    userId,
    autoReloadEnabled: false,
    autoReloadThresholdCents: 1000,
    autoReloadAmountCents: 2500,
    autoReloadArmed: true,
    updatedAt: Date.now(),
  });
  return (await ctx.db.get("paymentProfiles", id))!;
}

// ---------------------------------------------------------------------------------------------
// Freezes
// ---------------------------------------------------------------------------------------------

/** True while a chargeback (or an admin) has frozen new sessions for this client. Sessions call this. */
export async function isClientFrozen(ctx: QueryCtx, userId: UserId): Promise<boolean> {
  const active = await ctx.db
    .query("clientRestrictions")
    .withIndex("by_user_active", (q) => q.eq("userId", userId).eq("active", true))
    .first();
  return active !== null;
}

// ---------------------------------------------------------------------------------------------
// Applying processor events (dispatched by processorEvents.ts)
// ---------------------------------------------------------------------------------------------

/** Thrown (and turned into a 500) when an event refers to a payment the app has not matched yet. */
export class RetryLater extends Error {}

export async function linkTopup(
  ctx: MutationCtx,
  topup: Doc<"topups">,
  ids: { checkoutSessionId?: string; paymentIntentId?: string; chargeId?: string },
) {
  const patch: Partial<Doc<"topups">> = {};
  if (ids.checkoutSessionId && topup.checkoutSessionId === undefined) patch.checkoutSessionId = ids.checkoutSessionId;
  if (ids.paymentIntentId && topup.paymentIntentId === undefined) patch.paymentIntentId = ids.paymentIntentId;
  if (ids.chargeId && topup.chargeId === undefined) patch.chargeId = ids.chargeId;
  if (Object.keys(patch).length > 0) await ctx.db.patch("topups", topup._id, { ...patch, updatedAt: Date.now() });
}

/** Credits the wallet for a top-up exactly once (journal key `topup:<id>`). */
export async function creditTopup(
  ctx: MutationCtx,
  topupId: TopupId,
  amountCents: number,
  currency: string,
  eventId: string,
): Promise<"ok" | { outcome: "mismatch"; note: string }> {
  const topup = (await ctx.db.get("topups", topupId))!;
  if (topup.journalId !== undefined) return "ok";
  if (amountCents !== topup.amountCents || currency.toUpperCase() !== topup.currency) {
    const note = `Top-up ${topup._id} expected ${formatMoney(topup.amountCents)} ${topup.currency}, the processor reported ${amountCents} ${currency}; nothing credited.`;
    await raiseAlert(ctx, {
      kind: "payments_amount_mismatch",
      severity: "critical",
      message: note,
      details: JSON.stringify({ eventId }),
    });
    return { outcome: "mismatch", note };
  }
  const { journalId } = await postEvent(ctx, {
    event: { kind: "top_up", clientId: topup.userId, amountCents: topup.amountCents },
    idempotencyKey: `topup:${topup._id}`,
    refs: { processorEventId: eventId },
    memo: `${topup.kind === "auto_reload" ? "Auto-reload" : "Top-up"} ${topup.paymentIntentId ?? topup.checkoutSessionId ?? ""}`.trim(),
  });
  const now = Date.now();
  await ctx.db.patch("topups", topup._id, {
    status: topup.status === "refunded" ? "refunded" : "succeeded",
    journalId,
    succeededAt: now,
    updatedAt: now,
    failureCode: undefined,
    failureReason: undefined,
  });
  await addLot(ctx, topup, now); // FIFO attribution of this money to the sessions it pays (funding.ts)
  await scheduleFeeFetch(ctx, { kind: "topup", topupId: topup._id }); // the card fee, from the balance transaction
  await rearmAutoReload(ctx, topup.userId);
  return "ok";
}

/** Marks a pending top-up failed with a reason; a succeeded one stays succeeded (late or stale failure). */
export async function markTopupFailed(ctx: MutationCtx, topupId: TopupId, code: string, reason: string): Promise<void> {
  const topup = await ctx.db.get("topups", topupId);
  if (topup === null || (topup.status !== "pending" && topup.status !== "failed")) return;
  await ctx.db.patch("topups", topupId, {
    status: "failed",
    failureCode: code,
    failureReason: reason,
    updatedAt: Date.now(),
  });
  if (topup.kind === "auto_reload") {
    const profile = await ensurePaymentProfile(ctx, topup.userId);
    if (profile.autoReloadEnabled) {
      await ctx.db.patch("paymentProfiles", profile._id, {
        autoReloadEnabled: false,
        autoReloadNotice: `Auto-reload was turned off: the ${formatMoney(topup.amountCents)} charge on your saved card failed (${reason}).`,
        updatedAt: Date.now(),
      });
    }
  }
}

/** Refund to the card: the cumulative refunded amount makes events order-independent. */
export async function applyRefund(
  ctx: MutationCtx,
  topup: Doc<"topups">,
  refundedTotalCents: number,
  eventId: string,
): Promise<string | undefined> {
  if (topup.journalId === undefined)
    throw new RetryLater(`Refund for top-up ${topup._id} arrived before it was credited.`);
  if (refundedTotalCents <= topup.refundedCents) return "Refund already applied.";
  const delta = refundedTotalCents - topup.refundedCents;
  const { availableCents } = await walletSummary(ctx, topup.userId);
  // The wallet gives back what it can (never below its floor); the rest is a loss like a chargeback.
  const walletPart = Math.min(delta, Math.max(0, availableCents));
  const legs = [
    ...(walletPart > 0
      ? [
          {
            account: { kind: "client_wallet" as const, ownerId: topup.userId, currency: "USD" as const },
            side: "debit" as const,
            amountCents: walletPart,
          },
        ]
      : []),
    ...(delta - walletPart > 0
      ? [
          {
            account: { kind: "chargeback_losses" as const, ownerId: null, currency: "USD" as const },
            side: "debit" as const,
            amountCents: delta - walletPart,
          },
        ]
      : []),
    {
      account: { kind: "processor_cash" as const, ownerId: null, currency: "USD" as const },
      side: "credit" as const,
      amountCents: delta,
    },
  ];
  await postJournal(ctx, {
    type: "reversal",
    idempotencyKey: `topup-refund:${topup._id}:${refundedTotalCents}`,
    legs,
    refs: { processorEventId: eventId, reversesJournalId: topup.journalId },
    memo: `Refund to card of top-up ${topup.paymentIntentId ?? topup._id}`,
  });
  await ctx.db.patch("topups", topup._id, {
    refundedCents: refundedTotalCents,
    status: refundedTotalCents >= topup.amountCents ? "refunded" : topup.status,
    updatedAt: Date.now(),
  });
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Saved card and auto-reload
// ---------------------------------------------------------------------------------------------

export async function saveCard(
  ctx: MutationCtx,
  userId: UserId,
  customerId: string,
  paymentMethodId: string,
): Promise<void> {
  const profile = await ensurePaymentProfile(ctx, userId);
  if (profile.paymentMethodId === paymentMethodId) return;
  await ctx.db.patch("paymentProfiles", profile._id, {
    customerId,
    paymentMethodId,
    cardBrand: undefined,
    cardLast4: undefined,
    updatedAt: Date.now(),
  });
  await ctx.scheduler.runAfter(0, syncSavedCardRef, { userId, paymentMethodId });
}

async function rearmAutoReload(ctx: MutationCtx, userId: UserId): Promise<void> {
  const profile = await paymentProfile(ctx, userId);
  if (profile === null || profile.autoReloadArmed) return;
  const { balanceCents } = await walletSummary(ctx, userId);
  if (balanceCents >= profile.autoReloadThresholdCents) {
    await ctx.db.patch("paymentProfiles", profile._id, { autoReloadArmed: true, updatedAt: Date.now() });
  }
}

/**
 * Called (scheduled) after every wallet debit. When auto-reload is on, armed, a card is saved and the balance
 * is below the threshold: disarm (one charge per crossing), create an auto_reload top-up and schedule the
 * off-session charge. Returns the new top-up id, or null when nothing was due.
 */
export async function maybeAutoReload(ctx: MutationCtx, userId: UserId): Promise<TopupId | null> {
  const profile = await paymentProfile(ctx, userId);
  if (
    profile === null ||
    !profile.autoReloadEnabled ||
    profile.paymentMethodId === undefined ||
    profile.customerId === undefined
  )
    return null;
  if (await isClientFrozen(ctx, userId)) return null; // never charge a card again while a chargeback is open
  const { balanceCents } = await walletSummary(ctx, userId);
  if (balanceCents >= profile.autoReloadThresholdCents) {
    if (!profile.autoReloadArmed)
      await ctx.db.patch("paymentProfiles", profile._id, { autoReloadArmed: true, updatedAt: Date.now() });
    return null;
  }
  if (!profile.autoReloadArmed) return null;
  const now = Date.now();
  await ctx.db.patch("paymentProfiles", profile._id, { autoReloadArmed: false, updatedAt: now });
  const topupId = await ctx.db.insert("topups", {
    userId,
    kind: "auto_reload",
    amountCents: profile.autoReloadAmountCents,
    currency: "USD",
    status: "pending",
    saveCard: false,
    refundedCents: 0,
    createdAt: now,
    updatedAt: now,
  });
  await ctx.scheduler.runAfter(0, chargeAutoReloadRef, { topupId });
  return topupId;
}
