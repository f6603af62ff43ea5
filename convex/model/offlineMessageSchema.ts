// Paid offline messages and review moderation (issue 24), spread into convex/schema.ts.
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { OFFLINE_MESSAGE_STATUSES, type OfflineMessageStatus } from "../../lib/offlineMessages";
import { literalUnion } from "./ledgerSchema";

export const offlineMessageStatusValidator = literalUnion<OfflineMessageStatus>(OFFLINE_MESSAGE_STATUSES);
export const reviewReportStatusValidator = v.union(v.literal("open"), v.literal("hidden"), v.literal("dismissed"));

export const offlineMessageTables = {
  /** An advisor's flat price for an offline reply; null (or no row) = switched off. */
  offlineMessageSettings: defineTable({
    advisorId: v.id("users"),
    priceCents: v.union(v.number(), v.null()),
    updatedAt: v.number(),
  }).index("by_advisor", ["advisorId"]),

  /** One paid message of a client to an advisor, and the advisor's one reply. Money: lib/ledger/offlineMessageTemplates.ts. */
  offlineMessages: defineTable({
    clientId: v.id("users"),
    advisorId: v.id("users"),
    body: v.string(),
    /** Copied at send time, like a session's rate and fee: later changes never touch it. */
    priceCents: v.number(),
    feeBps: v.number(),
    status: offlineMessageStatusValidator,
    /** The client's key for this send (a replay returns this message and holds nothing more). */
    requestKey: v.string(),
    sentAt: v.number(),
    replyDueAt: v.number(),
    holdJournalId: v.id("journals"),
    reply: v.optional(v.string()),
    repliedAt: v.optional(v.number()),
    feeCents: v.optional(v.number()),
    shareCents: v.optional(v.number()),
    payJournalId: v.optional(v.id("journals")),
    /** The advisor's share waits in advisor_pending until the dispute window is over. */
    releaseAt: v.optional(v.number()),
    releaseJournalId: v.optional(v.id("journals")),
    expireJournalId: v.optional(v.id("journals")),
    disputeReason: v.optional(v.string()),
    disputedAt: v.optional(v.number()),
    disputeOutcome: v.optional(v.union(v.literal("full_refund"), v.literal("partial_refund"), v.literal("reject"))),
    disputeNote: v.optional(v.string()),
    refundCents: v.optional(v.number()),
    refundJournalId: v.optional(v.id("journals")),
    /** The advisor's share clawed back from pending by a chargeback on the top-up that paid (not released later). */
    recoveredShareCents: v.optional(v.number()),
    resolvedBy: v.optional(v.id("users")),
    resolvedAt: v.optional(v.number()),
  })
    .index("by_client", ["clientId", "sentAt"])
    .index("by_advisor", ["advisorId", "sentAt"])
    .index("by_status", ["status", "sentAt"])
    .index("by_client_request", ["clientId", "requestKey"]),

  /** A client's or advisor's report of a review; an admin hides the review or dismisses the report. */
  reviewReports: defineTable({
    reviewId: v.id("reviews"),
    advisorId: v.id("users"),
    reporterId: v.id("users"),
    reason: v.string(),
    status: reviewReportStatusValidator,
    createdAt: v.number(),
    decidedBy: v.optional(v.id("users")),
    decidedAt: v.optional(v.number()),
    decisionNote: v.optional(v.string()),
  })
    .index("by_status", ["status", "createdAt"])
    .index("by_review_reporter", ["reviewId", "reporterId"])
    .index("by_review_status", ["reviewId", "status"]),

  /** Visible reviews per star (1..5) for an advisor, maintained with every rating and hide: never scanned on read. */
  ratingDistributions: defineTable({
    advisorId: v.id("users"),
    counts: v.array(v.number()),
  }).index("by_advisor", ["advisorId"]),
};
