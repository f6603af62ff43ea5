// Funding lots (issue 19), spread into convex/schema.ts: which top-up paid for which session, so a chargeback
// on a top-up can be traced to the advisors whose sessions spent its money (convex/model/funding.ts).
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const fundingTables = {
  /** One per wallet credit from a top-up; spent first in, first out by session settlements. */
  fundingLots: defineTable({
    userId: v.id("users"),
    topupId: v.id("topups"),
    amountCents: v.number(),
    remainingCents: v.number(),
    /** remainingCents > 0: the FIFO index reads only open lots. */
    open: v.boolean(),
    createdAt: v.number(),
  })
    .index("by_user_open", ["userId", "open", "createdAt"])
    .index("by_topup", ["topupId"]),

  /** Part of a lot spent on one settled session or answered offline message, with the advisor's share of that part (exact cents). */
  fundingUses: defineTable({
    topupId: v.id("topups"),
    lotId: v.id("fundingLots"),
    /** What the money paid for: a session, or else an offline message (exactly one is set). */
    sessionId: v.optional(v.id("sessions")),
    offlineMessageId: v.optional(v.id("offlineMessages")),
    advisorId: v.id("users"),
    amountCents: v.number(),
    advisorPartCents: v.number(),
    /** Set once a chargeback on the top-up clawed this part back. */
    recoveredCents: v.optional(v.number()),
    recoverySource: v.optional(v.union(v.literal("pending"), v.literal("available"), v.literal("receivable"))),
    receivableId: v.optional(v.id("receivables")),
    at: v.number(),
  }).index("by_topup", ["topupId", "at"]),
};
