// Notification centre: the viewer's own notifications (list, unread count, mark read) and the local
// dev mailbox. Logic in convex/model/notifications.ts; `notify` is called by the model at each event.
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./functions";
import { fail } from "./model/errors";
import * as model from "./model/notifications";

const PERMISSION = "notifications:read_own" as const;

export const list = query({
  permission: PERMISSION,
  args: { limit: v.optional(v.number()) },
  handler: async (ctx, { limit }) => {
    const rows = await model.listFor(ctx, ctx.viewer._id, limit ?? 20);
    return rows.map((n) => ({
      _id: n._id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      href: n.href ?? null,
      createdAt: n.createdAt,
      read: n.readAt !== undefined,
    }));
  },
});

export const unreadCount = query({
  permission: PERMISSION,
  args: {},
  handler: async (ctx) => await model.unreadCountFor(ctx, ctx.viewer._id),
});

export const markRead = mutation({
  permission: PERMISSION,
  allowSuspended: true,
  args: { notificationId: v.id("notifications") },
  handler: async (ctx, { notificationId }) => {
    await model.markRead(ctx, ctx.viewer._id, notificationId);
    return null;
  },
});

export const markAllRead = mutation({
  permission: PERMISSION,
  allowSuspended: true,
  args: {},
  handler: async (ctx) => ({ marked: await model.markAllRead(ctx, ctx.viewer._id) }),
});

/** The local email stand-in's inbox, admins only: only when the dev mailbox is the configured email channel (404 otherwise). */
export const devMailbox = query({
  permission: "admin:dashboard", // it shows every user's email: admins only (issue 19)
  args: { limit: v.optional(v.number()) },
  handler: async (ctx, { limit }) => {
    if (model.emailChannel() !== "dev_mailbox")
      fail("NOT_FOUND", "There is no dev mailbox: email goes through the provider here.");
    const rows = await model.devMailbox(ctx, limit ?? 100);
    return rows.map((m) => ({
      _id: m._id,
      to: m.to,
      subject: m.subject,
      text: m.text,
      kind: m.kind,
      createdAt: m.createdAt,
    }));
  },
});

// ---------------------------------------------------------------------------------------------
// Email outbox worker steps (called by convex/emailNode.ts)
// ---------------------------------------------------------------------------------------------

export const claimEmail = internalMutation({
  args: { emailOutboxId: v.id("emailOutbox") },
  handler: async (ctx, { emailOutboxId }) => {
    const row = await model.claimEmail(ctx, emailOutboxId, Date.now());
    return row === null ? null : { to: row.to, subject: row.subject, text: row.text, attempts: row.attempts };
  },
});

export const emailSent = internalMutation({
  args: { emailOutboxId: v.id("emailOutbox"), providerMessageId: v.optional(v.string()) },
  handler: async (ctx, { emailOutboxId, providerMessageId }) => {
    await model.emailSent(ctx, emailOutboxId, providerMessageId, Date.now());
    return null;
  },
});

export const emailFailed = internalMutation({
  args: { emailOutboxId: v.id("emailOutbox"), message: v.string(), retryable: v.boolean() },
  handler: async (ctx, { emailOutboxId, message, retryable }) =>
    await model.emailFailed(ctx, emailOutboxId, { message, retryable }, Date.now()),
});

/** Cron: re-arms emails whose scheduled send was lost (see model.sweepEmails). */
export const sweepEmailOutbox = internalMutation({
  args: {},
  handler: async (ctx) => await model.sweepEmails(ctx, Date.now()),
});
