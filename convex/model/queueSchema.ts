// Queue while busy and follows (issue 24). Spread into convex/schema.ts.
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const queueStatusValidator = v.union(v.literal("waiting"), v.literal("offered"));

export const queueTables = {
  /**
   * One row per client waiting for a busy advisor (a client waits in one queue at a time). Order is `joinedAt`.
   * `offered`: the client's 60-second turn; only the server sets it (convex/model/queue.ts), never a caller.
   */
  queueEntries: defineTable({
    advisorId: v.id("users"),
    profileId: v.id("advisorProfiles"),
    clientId: v.id("users"),
    kind: v.union(v.literal("chat"), v.literal("video")),
    joinedAt: v.number(),
    status: queueStatusValidator,
    offeredAt: v.optional(v.number()),
    offerExpiresAt: v.optional(v.number()),
  })
    .index("by_advisor", ["advisorId", "joinedAt"])
    .index("by_advisor_status", ["advisorId", "status"])
    .index("by_client", ["clientId"]),

  /** Per advisor: the maximum queue length they chose, and the last change told to the queue in words. */
  advisorQueues: defineTable({
    advisorId: v.id("users"),
    maxLength: v.number(),
    lastChange: v.optional(v.string()),
    lastChangeAt: v.optional(v.number()),
  }).index("by_advisor", ["advisorId"]),

  /**
   * "Notify me when online". Unfollowing keeps the row inactive, so following again cannot reset the
   * once-per-6-hours throttle (`lastNotifiedAt`, 0 = never).
   */
  follows: defineTable({
    clientId: v.id("users"),
    advisorId: v.id("users"),
    profileId: v.id("advisorProfiles"),
    active: v.boolean(),
    createdAt: v.number(),
    lastNotifiedAt: v.number(),
  })
    .index("by_client_active", ["clientId", "active", "createdAt"])
    .index("by_client_profile", ["clientId", "profileId"])
    .index("by_advisor_notified", ["advisorId", "active", "lastNotifiedAt"]),
};
