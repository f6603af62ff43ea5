// Disputes, adjustments and clawback receivables (issue 9), spread into convex/schema.ts.
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { DISPUTE_CATEGORIES, DISPUTE_STATUSES, type DisputeCategory, type DisputeStatus } from "../../lib/disputes";
import { literalUnion } from "./ledgerSchema";

export const disputeCategoryValidator = literalUnion<DisputeCategory>(DISPUTE_CATEGORIES);
export const disputeStatusValidator = literalUnion<DisputeStatus>(DISPUTE_STATUSES);
export const clawbackMethodValidator = v.union(
  v.literal("offset"),
  v.literal("transfer_reversal"),
  v.literal("manual"),
  v.literal("forgiven"),
);

export const disputeTables = {
  /** A client's dispute of a completed session (one per session). Card chargebacks are `disputes`. */
  sessionDisputes: defineTable({
    sessionId: v.id("sessions"),
    clientId: v.id("users"),
    advisorId: v.id("users"),
    category: disputeCategoryValidator,
    description: v.string(),
    /** What the client thinks is fair to get back. */
    requestedRefundCents: v.number(),
    status: disputeStatusValidator,
    advisorResponse: v.optional(v.string()),
    advisorRespondedAt: v.optional(v.number()),
    /** End of the advisor's response window, fixed when the dispute is filed (older rows: createdAt + window). */
    responseDueAt: v.optional(v.number()),
    /** Why an admin decided before the advisor answered or the window closed (also in the audit log). */
    earlyDecisionReason: v.optional(v.string()),
    refundCents: v.optional(v.number()),
    resolutionNote: v.optional(v.string()),
    resolvedBy: v.optional(v.id("users")),
    resolvedAt: v.optional(v.number()),
    refundJournalId: v.optional(v.id("journals")),
    createdAt: v.number(),
  })
    .index("by_session", ["sessionId"])
    .index("by_status", ["status", "createdAt"])
    .index("by_client", ["clientId", "createdAt"])
    .index("by_advisor", ["advisorId", "createdAt"]),

  /** Admin corrections of an advisor's pay for a session; above the threshold a second admin approves. */
  adjustments: defineTable({
    sessionId: v.id("sessions"),
    advisorId: v.id("users"),
    direction: v.union(v.literal("advisor_underpaid"), v.literal("advisor_overpaid")),
    amountCents: v.number(),
    reason: v.string(),
    status: v.union(v.literal("pending_approval"), v.literal("posted"), v.literal("rejected")),
    createdBy: v.id("users"),
    decidedBy: v.optional(v.id("users")),
    decidedAt: v.optional(v.number()),
    journalId: v.optional(v.id("journals")),
    /** Underpaid credits wait in advisor_pending for the earnings hold (issue 19), unless a second admin released them. */
    releaseAt: v.optional(v.number()),
    releaseJournalId: v.optional(v.id("journals")),
    createdAt: v.number(),
  })
    .index("by_status", ["status", "createdAt"])
    .index("by_session", ["sessionId", "createdAt"])
    .index("by_creator_advisor", ["createdBy", "advisorId", "createdAt"]),

  /** What an advisor owes the platform (a refund after payout, an overpayment), and how it was settled. */
  receivables: defineTable({
    advisorId: v.id("users"),
    /** What the clawed-back money was earned on: a session, or else a paid offline message. */
    sessionId: v.optional(v.id("sessions")),
    offlineMessageId: v.optional(v.id("offlineMessages")),
    source: v.union(v.literal("refund"), v.literal("adjustment"), v.literal("chargeback")),
    reason: v.string(),
    amountCents: v.number(),
    remainingCents: v.number(),
    /** Reserved for a processor transfer reversal in flight (offsets leave it alone). */
    reversalPendingCents: v.optional(v.number()),
    status: v.union(v.literal("open"), v.literal("settled")),
    settlements: v.array(
      v.object({
        method: clawbackMethodValidator,
        amountCents: v.number(),
        at: v.number(),
        journalId: v.id("journals"),
        byUserId: v.union(v.id("users"), v.null()),
      }),
    ),
    createdAt: v.number(),
  })
    .index("by_advisor_status", ["advisorId", "status", "createdAt"])
    .index("by_status", ["status", "createdAt"]),
};
