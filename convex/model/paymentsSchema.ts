// Payments tables (issue 5: top-ups through Stripe), spread into convex/schema.ts.
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const topupStatusValidator = v.union(
  v.literal("pending"),
  v.literal("succeeded"),
  v.literal("failed"),
  v.literal("refunded"),
);
export const topupKindValidator = v.union(v.literal("checkout"), v.literal("auto_reload"));

export const paymentsTables = {
  /** One per attempt to add money to a wallet. The ledger is credited once, keyed `topup:<id>`. */
  topups: defineTable({
    userId: v.id("users"),
    kind: topupKindValidator,
    amountCents: v.number(),
    currency: v.string(),
    /** pending -> succeeded | failed (a failed checkout may still succeed when the payer retries); succeeded -> refunded. */
    status: topupStatusValidator,
    failureCode: v.optional(v.string()),
    failureReason: v.optional(v.string()),
    checkoutSessionId: v.optional(v.string()),
    paymentIntentId: v.optional(v.string()),
    chargeId: v.optional(v.string()),
    /** Ask the processor to keep the card for auto-reload. */
    saveCard: v.boolean(),
    journalId: v.optional(v.id("journals")),
    /** The processor's fee on this charge, from its balance transaction (issue 19), and that transaction. */
    feeCents: v.optional(v.number()),
    balanceTransactionId: v.optional(v.string()),
    feeJournalId: v.optional(v.id("journals")),
    /** Cumulative amount refunded to the card (charge.amount_refunded). */
    refundedCents: v.number(),
    createdAt: v.number(),
    updatedAt: v.number(),
    succeededAt: v.optional(v.number()),
    /** The client hid this failed top-up from the wallet's "Pending and failed" list. */
    dismissedAt: v.optional(v.number()),
  })
    .index("by_user", ["userId", "createdAt"])
    .index("by_user_status", ["userId", "status", "createdAt"])
    .index("by_checkout_session", ["checkoutSessionId"])
    .index("by_payment_intent", ["paymentIntentId"]),

  /** Every processor event id seen (duplicates are acknowledged and change nothing). */
  processorEvents: defineTable({
    eventId: v.string(),
    type: v.string(),
    /** processed | ignored (type not handled) | unmatched (no top-up or payout account; alerted) | mismatch (alerted). */
    outcome: v.union(v.literal("processed"), v.literal("ignored"), v.literal("unmatched"), v.literal("mismatch")),
    objectId: v.optional(v.string()),
    topupId: v.optional(v.id("topups")),
    note: v.optional(v.string()),
    eventCreated: v.number(),
    receivedAt: v.number(),
  })
    .index("by_event_id", ["eventId"])
    .index("by_received", ["receivedAt"]),

  /** Card disputes (chargebacks) by processor dispute id. */
  disputes: defineTable({
    disputeId: v.string(),
    userId: v.id("users"),
    topupId: v.id("topups"),
    amountCents: v.number(),
    feeCents: v.number(),
    /** What the opening journal took from the wallet (the rest was a loss at once). */
    walletDebitedCents: v.number(),
    /** Clawed back from advisors whose sessions spent the top-up (issue 19, convex/model/funding.ts). */
    recoveredCents: v.optional(v.number()),
    status: v.union(v.literal("open"), v.literal("won"), v.literal("lost")),
    openedJournalId: v.id("journals"),
    closedJournalId: v.optional(v.id("journals")),
    createdAt: v.number(),
    closedAt: v.optional(v.number()),
  })
    .index("by_dispute_id", ["disputeId"])
    .index("by_user", ["userId", "createdAt"]),

  /** Restrictions on a client (a chargeback freezes new sessions until it is won or an admin lifts it). */
  clientRestrictions: defineTable({
    userId: v.id("users"),
    kind: v.literal("sessions_frozen"),
    reason: v.string(),
    disputeId: v.optional(v.string()),
    active: v.boolean(),
    createdAt: v.number(),
    liftedAt: v.optional(v.number()),
  }).index("by_user_active", ["userId", "active"]),

  /** A client's processor customer, saved card and auto-reload settings. */
  paymentProfiles: defineTable({
    userId: v.id("users"),
    customerId: v.optional(v.string()),
    paymentMethodId: v.optional(v.string()),
    cardBrand: v.optional(v.string()),
    cardLast4: v.optional(v.string()),
    autoReloadEnabled: v.boolean(),
    autoReloadThresholdCents: v.number(),
    autoReloadAmountCents: v.number(),
    /** Re-armed when the balance is back at or above the threshold: one charge per crossing. */
    autoReloadArmed: v.boolean(),
    /** Why auto-reload turned itself off (shown to the client until they change the settings). */
    autoReloadNotice: v.optional(v.string()),
    updatedAt: v.number(),
  })
    .index("by_user", ["userId"])
    .index("by_customer", ["customerId"]),
};
