import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { literals } from "convex-helpers/validators";
import { ROLES, USER_STATUSES } from "../lib/rolePermissions";
import { ledgerTables } from "./model/ledgerSchema";
import { paymentsTables } from "./model/paymentsSchema";
import { advisorTables } from "./model/advisorSchema";
import { sessionTables } from "./model/sessionSchema";
import { payoutTables } from "./model/payoutSchema";
import { disputeTables } from "./model/disputeSchema";
import { opsTables } from "./model/opsSchema";
import { notificationTables } from "./model/notificationSchema";
import { uploadTables } from "./model/uploadSchema";
import { fundingTables } from "./model/fundingSchema";
import { controlsTables } from "./model/controlsSchema";
import { offlineMessageTables } from "./model/offlineMessageSchema";
import { queueTables } from "./model/queueSchema";
import { rollupTables } from "./model/rollupSchema";
import { countTables } from "./model/countSchema";
import { exportTables } from "./model/exportSchema";

export const roleValidator = literals(...ROLES); // one list: lib/rolePermissions.ts
export const userStatusValidator = literals(...USER_STATUSES);
export { advisorProfileStatusValidator, categoryValidator } from "./model/advisorSchema";
export { sessionKindValidator, sessionStatusValidator } from "./model/sessionSchema";

export default defineSchema({
  // Per-user rate limit state lives in the @convex-dev/rate-limiter component's own tables
  // (convex/convex.config.ts, convex/model/rateLimits.ts), not here.
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
    // eslint-disable-next-line @convex-dev/no-duplicate-indexes -- by_role: any status, in creation order
    .index("by_role", ["role"])
    // Admin users page (issue 10): filter by role and status, newest first; search by name or email.
    .index("by_status", ["status", "createdAt"])
    .index("by_role_status", ["role", "status", "createdAt"])
    .searchIndex("search_name", { searchField: "name", filterFields: ["role", "status"] })
    .searchIndex("search_email", { searchField: "email", filterFields: ["role", "status"] }),

  // Advisor marketplace (issue 6): advisorProfiles, advisorDocuments, rateChanges, feeChanges, favourites, advisorPresence.
  ...advisorTables,

  // Live sessions (issue 7): sessions, sessionParticipants, sessionEvents, sessionMessages, videoSignals, earnings, platformSettings.
  ...sessionTables,

  reviews: defineTable({
    sessionId: v.id("sessions"),
    clientId: v.id("users"),
    advisorId: v.id("users"),
    rating: v.number(),
    comment: v.string(),
    createdAt: v.number(),
    // Issue 24: the advisor's one reply (editable) and admin moderation (hidden reviews leave the average).
    reply: v.optional(v.string()),
    repliedAt: v.optional(v.number()),
    replyEditedAt: v.optional(v.number()),
    hiddenAt: v.optional(v.number()),
    hiddenReason: v.optional(v.string()),
    hiddenBy: v.optional(v.id("users")),
  })
    .index("by_session", ["sessionId"])
    .index("by_advisor", ["advisorId", "createdAt"]),

  auditLog: defineTable({
    actorId: v.union(v.id("users"), v.null()),
    action: v.string(),
    /** The action's area, the part before the first dot ("user" for "user.suspended"): the audit page's filter. */
    area: v.optional(v.string()),
    targetTable: v.string(),
    targetId: v.string(),
    details: v.optional(v.string()),
    createdAt: v.number(),
  })
    .index("by_target", ["targetTable", "targetId", "createdAt"])
    .index("by_actor", ["actorId", "createdAt"])
    .index("by_action", ["action", "createdAt"])
    .index("by_area", ["area", "createdAt"])
    .index("by_actor_action", ["actorId", "action", "createdAt"])
    .index("by_actor_area", ["actorId", "area", "createdAt"]),

  // Ledger (issue 4): accounts, accountBalances, journals, entries, ledgerCheckRuns, alerts.
  ...ledgerTables,
  // Payments (issue 5): topups, processorEvents, disputes, clientRestrictions, paymentProfiles.
  ...paymentsTables,
  // Payouts (issue 8): payouts, outbox.
  ...payoutTables,
  // Disputes (issue 9): sessionDisputes, adjustments, receivables.
  ...disputeTables,
  // Billing operations (issue 10): reconciliation runs, reserve settings and snapshots.
  ...opsTables,
  // Notifications (issue 10): in-app notifications, outgoing email.
  ...notificationTables,
  // Uploads (issue 20): who asked for each upload URL, so only the uploader can attach the file.
  ...uploadTables,

  // Issue 19: funding lots (chargeback attribution) and rolling reserves.
  ...fundingTables,
  ...controlsTables,
  // Issue 24: paid offline messages, review reports, maintained rating distributions.
  ...offlineMessageTables,
  // Issue 24: queue while busy, follows ("notify me when online").
  ...queueTables,
  ...rollupTables,
  // Maintained counts (issue 25): sharded counters kept by every mutation's writes, and their backfill.
  ...countTables,
  // Background margin CSV exports (issue 25): marginExports, marginExportAdvisors.
  ...exportTables,
});
