// Notification tables (issue 10): in-app notifications and outgoing email.
// Owned by the notifications work; spread into convex/schema.ts.
import { defineTable } from "convex/server";
import { v, type Infer } from "convex/values";

export const NOTIFICATION_KINDS = [
  "session_requested",
  "session_ended",
  "low_balance",
  "payout_paid",
  "payout_failed",
  "payout_rejected",
  "dispute_filed",
  "dispute_resolved",
  "advisor_approved",
  "advisor_rejected",
  "critical_alert",
  "payout_released",
  "offline_message",
  "queue_offer",
  "advisor_online",
] as const;

export const notificationKindValidator = v.union(...NOTIFICATION_KINDS.map((kind) => v.literal(kind)));
export type NotificationKind = Infer<typeof notificationKindValidator>;

export const emailStatusValidator = v.union(
  v.literal("pending"),
  v.literal("running"),
  v.literal("sent"),
  v.literal("dead"),
);

export const notificationTables = {
  /** In-app notifications; `readAt` unset = unread. */
  notifications: defineTable({
    userId: v.id("users"),
    kind: notificationKindValidator,
    title: v.string(),
    body: v.string(),
    href: v.optional(v.string()),
    createdAt: v.number(),
    readAt: v.optional(v.number()),
  })
    .index("by_user", ["userId", "createdAt"])
    .index("by_user_unread", ["userId", "readAt", "createdAt"]),

  /**
   * Email outbox: written in the same mutation as the notification. Provider mode (RESEND_API_KEY on the
   * Convex deployment): the worker in convex/emailNode.ts sends it with the row id as idempotency key,
   * retries with capped backoff, and dead-letters (with an admin alert) after the attempt limit.
   * Local mode: delivered at once into `devMailbox` (shown at /dev/mailbox).
   */
  emailOutbox: defineTable({
    userId: v.id("users"),
    notificationId: v.id("notifications"),
    kind: notificationKindValidator,
    to: v.string(),
    subject: v.string(),
    text: v.string(),
    channel: v.union(v.literal("provider"), v.literal("dev_mailbox")),
    status: emailStatusValidator,
    attempts: v.number(),
    maxAttempts: v.number(),
    nextAttemptAt: v.number(),
    leaseUntil: v.optional(v.number()),
    lastError: v.optional(v.string()),
    providerMessageId: v.optional(v.string()),
    sentAt: v.optional(v.number()),
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    .index("by_status_next", ["status", "nextAttemptAt"])
    .index("by_notification", ["notificationId"]),

  /** Local email stand-in: what would have been sent. */
  devMailbox: defineTable({
    emailOutboxId: v.id("emailOutbox"),
    to: v.string(),
    subject: v.string(),
    text: v.string(),
    kind: notificationKindValidator,
    createdAt: v.number(),
  }).index("by_created", ["createdAt"]),
};
