import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { ledgerTables } from "./model/ledgerSchema";
import { paymentsTables } from "./model/paymentsSchema";
import { advisorTables } from "./model/advisorSchema";

export const roleValidator = v.union(v.literal("client"), v.literal("advisor"), v.literal("admin"));
export const userStatusValidator = v.union(v.literal("active"), v.literal("suspended"));
export { advisorProfileStatusValidator, categoryValidator } from "./model/advisorSchema";
export const sessionKindValidator = v.union(v.literal("chat"), v.literal("video"));
export const sessionStatusValidator = v.union(
  v.literal("requested"),
  v.literal("active"),
  v.literal("paused"),
  v.literal("ended"),
  v.literal("declined"),
  v.literal("expired"),
  v.literal("cancelled"),
);

export default defineSchema({
  users: defineTable({
    tokenIdentifier: v.string(),
    name: v.string(),
    email: v.string(),
    role: roleValidator,
    status: userStatusValidator,
    statusReason: v.optional(v.string()),
    avatarUrl: v.optional(v.string()),
    createdAt: v.number(),
  })
    .index("by_token", ["tokenIdentifier"])
    .index("by_email", ["email"])
    .index("by_role", ["role"]),

  // Advisor marketplace (issue 6): advisorProfiles, advisorDocuments, rateChanges, feeChanges, favourites, advisorPresence.
  ...advisorTables,

  sessions: defineTable({
    clientId: v.id("users"),
    advisorId: v.id("users"),
    kind: sessionKindValidator,
    status: sessionStatusValidator,
    /** Copied from the advisor's profile at request time; later rate changes never touch it. */
    rateCentsPerMinute: v.number(),
    feeBps: v.number(),
    requestedAt: v.number(),
    startedAt: v.optional(v.number()),
    endedAt: v.optional(v.number()),
    billableSeconds: v.optional(v.number()),
    costCents: v.optional(v.number()),
  })
    .index("by_client", ["clientId", "requestedAt"])
    .index("by_advisor", ["advisorId", "requestedAt"])
    .index("by_status", ["status"]),

  reviews: defineTable({
    sessionId: v.id("sessions"),
    clientId: v.id("users"),
    advisorId: v.id("users"),
    rating: v.number(),
    comment: v.string(),
    createdAt: v.number(),
  })
    .index("by_session", ["sessionId"])
    .index("by_advisor", ["advisorId", "createdAt"]),

  auditLog: defineTable({
    actorId: v.union(v.id("users"), v.null()),
    action: v.string(),
    targetTable: v.string(),
    targetId: v.string(),
    details: v.optional(v.string()),
    createdAt: v.number(),
  })
    .index("by_target", ["targetTable", "targetId", "createdAt"])
    .index("by_actor", ["actorId", "createdAt"]),

  // Ledger (issue 4): accounts, accountBalances, journals, entries, ledgerCheckRuns, alerts.
  ...ledgerTables,
  // Payments (issue 5): topups, processorEvents, disputes, clientRestrictions, paymentProfiles.
  ...paymentsTables,
});
