// Notifications: one in-app row per event and user, and for the important kinds an email through the
// email outbox (provider when RESEND_API_KEY is set on the deployment, else the local dev mailbox).
// Callers add one line at the event: `await notify(ctx, userId, { kind, title, body, href, email })`.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import { localEmailAllowed, readConfig } from "../../lib/config";
import { OUTBOX_RULES, failedAttempt } from "../../lib/payouts";
import { fail } from "./errors";
import { raiseAlert } from "./alerts";
import type { NotificationKind } from "./notificationSchema";

type UserId = Id<"users">;
type NotificationId = Id<"notifications">;
type EmailId = Id<"emailOutbox">;
export type Notification = Doc<"notifications">;
export type EmailRow = Doc<"emailOutbox">;

export type NotifyInput = { kind: NotificationKind; title: string; body: string; href?: string; email?: boolean };

/** Unread counts are counted up to this (the bell shows "99+"). */
export const UNREAD_COUNT_CAP = 99;
const LIST_MAX = 50;

const sendRef = makeFunctionReference<"action", { emailOutboxId: EmailId }>("emailNode:send");

/** "resend" | "local" on this deployment; "refused" when the local stand-in may not run (production). */
export function emailChannel(): "provider" | "dev_mailbox" | "refused" {
  const config = readConfig(env);
  if (config.email.mode === "resend") return "provider";
  // The dev mailbox exists only when explicitly configured (EMAIL_DEV_MAILBOX=1, set by scripts/dev.mjs),
  // never inferred from NODE_ENV: a deployment without either key must not keep (and show) emails.
  if (env.EMAIL_DEV_MAILBOX !== "1") return "refused";
  return localEmailAllowed(config) ? "dev_mailbox" : "refused";
}

function emailText(input: NotifyInput): string {
  const base = env.APP_URL?.replace(/\/$/, "");
  const link = input.href ? `\n\n${base ? `${base}${input.href}` : input.href}` : "";
  return `${input.body}${link}`;
}

export async function notify(ctx: MutationCtx, userId: UserId, input: NotifyInput): Promise<NotificationId> {
  const now = Date.now();
  const notificationId = await ctx.db.insert("notifications", {
    userId,
    kind: input.kind,
    title: input.title.slice(0, 200),
    body: input.body.slice(0, 1000),
    ...(input.href ? { href: input.href } : {}),
    createdAt: now,
  });
  if (input.email) await enqueueEmail(ctx, userId, notificationId, input, now);
  return notificationId;
}

async function enqueueEmail(
  ctx: MutationCtx,
  userId: UserId,
  notificationId: NotificationId,
  input: NotifyInput,
  now: number,
) {
  const user = await ctx.db.get("users", userId);
  if (user === null || !user.email) return;
  const channel = emailChannel();
  const row = {
    userId,
    notificationId,
    kind: input.kind,
    to: user.email,
    subject: input.title.slice(0, 200),
    text: emailText(input),
    attempts: 0,
    maxAttempts: OUTBOX_RULES.maxAttempts,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  };
  if (channel === "provider") {
    const emailOutboxId = await ctx.db.insert("emailOutbox", { ...row, channel: "provider", status: "pending" });
    await ctx.scheduler.runAt(now, sendRef, { emailOutboxId });
    return;
  }
  if (channel === "refused") {
    const lastError =
      "Email is not configured: set RESEND_API_KEY (the local dev mailbox refuses NODE_ENV=production).";
    const id = await ctx.db.insert("emailOutbox", { ...row, channel: "dev_mailbox", status: "dead", lastError });
    await raiseAlert(ctx, {
      kind: "email_dead_letter",
      severity: "warning",
      message: lastError,
      details: JSON.stringify({ emailOutboxId: id }),
    });
    return;
  }
  // Local stand-in: delivered at once (no outside call, nothing to retry).
  const emailOutboxId = await ctx.db.insert("emailOutbox", {
    ...row,
    channel: "dev_mailbox",
    status: "sent",
    attempts: 1,
    sentAt: now,
  });
  await ctx.db.insert("devMailbox", {
    emailOutboxId,
    to: row.to,
    subject: row.subject,
    text: row.text,
    kind: input.kind,
    createdAt: now,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading and marking (the viewer's own rows only)
// ---------------------------------------------------------------------------------------------

export async function listFor(ctx: QueryCtx, userId: UserId, limit = 20): Promise<Notification[]> {
  const n = Math.max(1, Math.min(LIST_MAX, Math.floor(limit)));
  return await ctx.db
    .query("notifications")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .order("desc")
    .take(n);
}

export async function unreadCountFor(ctx: QueryCtx, userId: UserId): Promise<{ count: number; capped: boolean }> {
  const rows = await ctx.db
    .query("notifications")
    .withIndex("by_user_unread", (q) => q.eq("userId", userId).eq("readAt", undefined))
    .take(UNREAD_COUNT_CAP + 1);
  return { count: Math.min(rows.length, UNREAD_COUNT_CAP), capped: rows.length > UNREAD_COUNT_CAP };
}

export async function markRead(ctx: MutationCtx, userId: UserId, notificationId: NotificationId): Promise<void> {
  const row = await ctx.db.get("notifications", notificationId);
  if (row === null || row.userId !== userId) fail("NOT_FOUND", "That notification does not exist.");
  if (row.readAt === undefined) await ctx.db.patch("notifications", notificationId, { readAt: Date.now() });
}

/** Marks up to 500 unread notifications read; returns how many. */
export async function markAllRead(ctx: MutationCtx, userId: UserId): Promise<number> {
  const now = Date.now();
  const rows = await ctx.db
    .query("notifications")
    .withIndex("by_user_unread", (q) => q.eq("userId", userId).eq("readAt", undefined))
    .take(500);
  for (const row of rows) await ctx.db.patch("notifications", row._id, { readAt: now });
  return rows.length;
}

export async function devMailbox(ctx: QueryCtx, limit = 100) {
  return await ctx.db
    .query("devMailbox")
    .withIndex("by_created")
    .order("desc")
    .take(Math.max(1, Math.min(200, Math.floor(limit))));
}

// ---------------------------------------------------------------------------------------------
// Email outbox worker steps (provider mode)
// ---------------------------------------------------------------------------------------------

/** Takes a due row for one attempt; null when not due, already taken, sent or dead. */
export async function claimEmail(ctx: MutationCtx, emailOutboxId: EmailId, now: number): Promise<EmailRow | null> {
  const row = await ctx.db.get("emailOutbox", emailOutboxId);
  if (row === null || row.channel !== "provider") return null;
  const lapsed = row.status === "running" && (row.leaseUntil ?? 0) <= now;
  if (!(row.status === "pending" && row.nextAttemptAt <= now) && !lapsed) return null;
  const claimed = {
    status: "running" as const,
    attempts: row.attempts + 1,
    leaseUntil: now + OUTBOX_RULES.leaseMs,
    updatedAt: now,
  };
  await ctx.db.patch("emailOutbox", emailOutboxId, claimed);
  return { ...row, ...claimed };
}

export async function emailSent(
  ctx: MutationCtx,
  emailOutboxId: EmailId,
  providerMessageId: string | undefined,
  now: number,
): Promise<void> {
  const row = await ctx.db.get("emailOutbox", emailOutboxId);
  if (row === null || row.status !== "running") return;
  await ctx.db.patch("emailOutbox", emailOutboxId, {
    status: "sent",
    sentAt: now,
    leaseUntil: undefined,
    lastError: undefined,
    updatedAt: now,
    ...(providerMessageId ? { providerMessageId } : {}),
  });
}

/** A failed attempt: back to pending at the backoff time, or dead (with an admin alert). */
export async function emailFailed(
  ctx: MutationCtx,
  emailOutboxId: EmailId,
  error: { message: string; retryable: boolean },
  now: number,
  random: () => number = Math.random,
): Promise<"retry" | "dead" | "ignored"> {
  const row = await ctx.db.get("emailOutbox", emailOutboxId);
  if (row === null || row.status !== "running") return "ignored";
  const outcome = failedAttempt(row, error, now, random);
  const { lastError } = outcome;
  if (outcome.status === "dead") {
    await ctx.db.patch("emailOutbox", emailOutboxId, {
      status: "dead",
      leaseUntil: undefined,
      lastError,
      updatedAt: now,
    });
    await raiseAlert(ctx, {
      kind: "email_dead_letter",
      severity: "warning",
      message: `An email (${row.kind}) to ${row.to} could not be sent: ${lastError}`,
      details: JSON.stringify({ emailOutboxId }),
    });
    return "dead";
  }
  const { nextAttemptAt } = outcome;
  await ctx.db.patch("emailOutbox", emailOutboxId, {
    status: "pending",
    leaseUntil: undefined,
    lastError,
    nextAttemptAt,
    updatedAt: now,
  });
  await ctx.scheduler.runAt(nextAttemptAt, sendRef, { emailOutboxId });
  return "retry";
}

/**
 * Re-arms provider emails whose scheduled send was lost: pending rows well past their attempt time and
 * running rows whose worker lease lapsed (a crash mid-attempt). The Idempotency-Key makes a resend safe.
 */
export async function sweepEmails(ctx: MutationCtx, now: number, limit = 100): Promise<number> {
  const overdue = await ctx.db
    .query("emailOutbox")
    .withIndex("by_status_next", (q) => q.eq("status", "pending").lt("nextAttemptAt", now - OUTBOX_RULES.leaseMs))
    .take(limit);
  const running = await ctx.db
    .query("emailOutbox")
    .withIndex("by_status_next", (q) => q.eq("status", "running"))
    .take(limit);
  const stuck = [...overdue, ...running.filter((row) => (row.leaseUntil ?? 0) <= now)];
  for (const row of stuck) await ctx.scheduler.runAt(now, sendRef, { emailOutboxId: row._id });
  return stuck.length;
}
