// Payout tables (issue 8), spread into convex/schema.ts: payout requests and the outbox that carries every
// call to the outside world (processor transfers, payouts, reversals) with retries and a dead letter.
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { PAYOUT_STATUSES, type PayoutStatus } from "../../lib/payouts";
import { literalUnion } from "./ledgerSchema";

export const payoutStatusValidator = literalUnion<PayoutStatus>(PAYOUT_STATUSES);
export const outboxKindValidator = v.union(
  v.literal("payout_transfer"),
  v.literal("transfer_reversal"),
  v.literal("clawback_reversal"),
);
export const outboxStatusValidator = v.union(
  v.literal("pending"),
  v.literal("running"),
  v.literal("succeeded"),
  v.literal("dead"),
  v.literal("cancelled"),
);

export const payoutTables = {
  payouts: defineTable({
    advisorId: v.id("users"),
    amountCents: v.number(),
    currency: v.string(),
    status: payoutStatusValidator,
    requestedAt: v.number(),
    /** The connected account (acct_…) at request time. */
    connectedAccountId: v.string(),
    decidedBy: v.optional(v.id("users")),
    decidedAt: v.optional(v.number()),
    rejectedReason: v.optional(v.string()),
    transferId: v.optional(v.string()),
    processorPayoutId: v.optional(v.string()),
    failureCode: v.optional(v.string()),
    failureReason: v.optional(v.string()),
    paidAt: v.optional(v.number()),
    returnedAt: v.optional(v.number()),
    /** Set in the same mutation as the insert (the journal references the payout). */
    requestJournalId: v.optional(v.id("journals")),
    settleJournalId: v.optional(v.id("journals")),
    /** The platform's Connect fee for this payout, from the processor's balance transaction (issue 19). */
    feeCents: v.optional(v.number()),
    feeJournalId: v.optional(v.id("journals")),
    /** Why a `held` payout waits (the reserve is critical), shown to the advisor and the admin. */
    heldReason: v.optional(v.string()),
    /** A second admin (not the requester, not the advisor) approved it: four-eyes over the 24 h sum. */
    approvalReason: v.optional(v.string()),
    updatedAt: v.number(),
  })
    .index("by_advisor", ["advisorId", "requestedAt"])
    .index("by_status", ["status", "requestedAt"])
    .index("by_transfer", ["transferId"]),

  /** Side effects on the outside world. The row id is the processor idempotency key. */
  outbox: defineTable({
    kind: outboxKindValidator,
    payoutId: v.id("payouts"),
    /** clawback_reversal: the receivable it pays down and the amount to reverse. */
    receivableId: v.optional(v.id("receivables")),
    amountCents: v.optional(v.number()),
    status: outboxStatusValidator,
    attempts: v.number(),
    maxAttempts: v.number(),
    nextAttemptAt: v.number(),
    /** While running: when the claim lapses (a crashed worker's row is picked up again). */
    leaseUntil: v.optional(v.number()),
    lastError: v.optional(v.string()),
    /** False when the processor refused (nothing was created), true for a transient failure. */
    lastErrorRetryable: v.optional(v.boolean()),
    /**
     * Bumped when an admin retries after a refusal: the processor keeps an idempotency key's first answer
     * (the refusal), so the retry needs a fresh key. Never bumped after a transient failure, where the
     * processor may have acted and the same key must find it.
     */
    keyGeneration: v.optional(v.number()),
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    .index("by_status_next", ["status", "nextAttemptAt"])
    .index("by_payout", ["payoutId", "createdAt"]),
};
