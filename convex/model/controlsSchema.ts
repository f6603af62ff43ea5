// Risk and controls tables (issue 19), spread into convex/schema.ts: four-eyes role grants and rolling reserves.
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const controlsTables = {
  /** Granting the admin role waits for a second admin (not the requester, not the target). */
  roleGrants: defineTable({
    userId: v.id("users"),
    role: v.literal("admin"),
    requestedBy: v.id("users"),
    reason: v.optional(v.string()),
    status: v.union(v.literal("pending"), v.literal("approved"), v.literal("rejected")),
    decidedBy: v.optional(v.id("users")),
    decidedAt: v.optional(v.number()),
    createdAt: v.number(),
  })
    .index("by_status", ["status", "createdAt"])
    .index("by_user_status", ["userId", "status"]),

  /** Optional rolling reserve per advisor (off unless an admin switches it on, with a reason). */
  riskHolds: defineTable({
    advisorId: v.id("users"),
    /** Share of each earning held back, basis points (1000 = 10%). */
    reserveBps: v.number(),
    holdDays: v.number(),
    active: v.boolean(),
    reason: v.string(),
    setBy: v.id("users"),
    updatedAt: v.number(),
  }).index("by_advisor", ["advisorId"]),
};
