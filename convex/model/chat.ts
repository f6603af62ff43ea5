// Built-in session chat (used when Stream is not configured): messages, typing, transcript.
// Rules (lengths, rate limit, typing timings) live in lib/chat.ts, shared with the UI.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import {
  RATE_LIMIT_MESSAGES,
  RATE_LIMIT_WINDOW_MS,
  TRANSCRIPT_LIMIT,
  TYPING_REFRESH_MS,
  TYPING_TTL_MS,
  checkMessageBody,
  isChatLive,
} from "../../lib/chat";
import { profileForUser } from "./advisors";
import { fail, invariant } from "./errors";
import { deliverable, openCutoffFor, requireContactOpen, touchParticipant } from "./sessionContact";
import { contactClosedMessage } from "../../lib/sessionContact";
import {
  counterpartOf,
  participantRow,
  requireParticipant,
  requireParticipantOrAdmin,
  type ParticipantRole,
} from "./sessionAccess";

export type ChatMessage = {
  _id: Id<"sessionMessages">;
  senderId: Id<"users">;
  senderRole: ParticipantRole;
  body: string;
  createdAt: number;
};

function senderRoleOf(session: Doc<"sessions">, senderId: Id<"users">): ParticipantRole {
  return senderId === session.advisorId ? "advisor" : "client";
}

/**
 * The newest `limit` messages of a session, oldest first, with the sender's side.
 * No access check: callers check it (participants and admins may read a transcript, also after the end).
 * With `viewer`, the other side's messages that never reached them (sent after their presence lapsed) are left out.
 */
export async function transcriptFor(
  ctx: QueryCtx,
  sessionId: Id<"sessions">,
  limit: number = TRANSCRIPT_LIMIT,
  viewer?: { role: ParticipantRole; userId: Id<"users"> },
): Promise<ChatMessage[]> {
  invariant(Number.isSafeInteger(limit) && limit > 0, "transcript limit must be a positive integer");
  const session = await ctx.db.get("sessions", sessionId);
  if (session === null) return [];
  const newestFirst = await ctx.db
    .query("sessionMessages")
    .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
    .order("desc")
    .take(limit);
  const openCutoff = viewer === undefined ? null : await openCutoffFor(ctx, session, viewer.role);
  const shown =
    viewer === undefined
      ? newestFirst
      : newestFirst.filter((m) => m.senderId === viewer.userId || deliverable(session, m.createdAt, openCutoff));
  return shown.reverse().map((m) => ({
    _id: m._id,
    senderId: m.senderId,
    senderRole: senderRoleOf(session, m.senderId),
    body: m.body,
    createdAt: m.createdAt,
  }));
}

/** Why a session in this status does not take messages, in plain words, with what to do next. */
export function notLiveMessage(session: Doc<"sessions">, viewer?: ParticipantRole): string {
  return contactClosedMessage(session.status, session.pauseReason ?? null, viewer);
}

/** The viewer's transcript view: messages, their side, and whether the composer is open. */
export async function listForViewer(ctx: QueryCtx, viewer: Doc<"users">, sessionId: Id<"sessions">) {
  const { session, role } = await requireParticipantOrAdmin(ctx, viewer, sessionId);
  const live = isChatLive(session.status);
  return {
    viewerRole: role,
    status: session.status,
    live,
    canSend: role !== "admin" && live,
    notLiveReason: live ? null : notLiveMessage(session, role === "admin" ? undefined : role),
    messages: await transcriptFor(
      ctx,
      sessionId,
      TRANSCRIPT_LIMIT,
      role === "admin" ? undefined : { role, userId: viewer._id },
    ),
  };
}

/**
 * Sends a message as the viewer (the session's client or advisor) while the session is active; any other state
 * is SESSION_NOT_ACTIVE. Refusals throw before anything is written. Sending is presence (it renews the sender's
 * lastSeen) and clears the sender's typing signal.
 */
export async function sendMessage(
  ctx: MutationCtx,
  viewer: Doc<"users">,
  sessionId: Id<"sessions">,
  rawBody: string,
): Promise<Id<"sessionMessages">> {
  const { session, role } = await requireParticipant(ctx, viewer, sessionId);
  requireContactOpen(session, role);
  const checked = checkMessageBody(rawBody);
  if (!checked.ok) fail("INVALID_ARGUMENT", checked.message);

  const now = Date.now();
  // Both sides together send at most 2 * RATE_LIMIT_MESSAGES in one window, so this read is bounded.
  const recent = await ctx.db
    .query("sessionMessages")
    .withIndex("by_session", (q) => q.eq("sessionId", sessionId).gt("createdAt", now - RATE_LIMIT_WINDOW_MS))
    .order("desc")
    .take(RATE_LIMIT_MESSAGES * 4);
  const mine = recent.filter((m) => m.senderId === viewer._id);
  const oldestCounted = mine[RATE_LIMIT_MESSAGES - 1];
  if (oldestCounted !== undefined) {
    // A slot frees up when the oldest of the newest RATE_LIMIT_MESSAGES leaves the window.
    const retryAfterMs = Math.max(1, oldestCounted.createdAt + RATE_LIMIT_WINDOW_MS - now);
    fail("RATE_LIMITED", "You're sending messages too quickly. Wait a moment and try again.", { retryAfterMs });
  }

  const id = await ctx.db.insert("sessionMessages", {
    sessionId,
    senderId: viewer._id,
    body: checked.body,
    createdAt: now,
  });
  await touchParticipant(ctx, session, role, now, true);
  return id;
}

/**
 * Sets (until now + TYPING_TTL_MS) or clears the viewer's typing signal. A renewal within
 * TYPING_REFRESH_MS of the last write is skipped. Setting is contact: refused with SESSION_NOT_ACTIVE unless
 * the session is active. Clearing always works (it reaches no one).
 */
export async function setTypingFor(
  ctx: MutationCtx,
  viewer: Doc<"users">,
  sessionId: Id<"sessions">,
  typing: boolean,
): Promise<null> {
  const { session, role } = await requireParticipant(ctx, viewer, sessionId);
  const row = await participantRow(ctx, sessionId, role);
  if (row === null) return null;
  const now = Date.now();
  if (typing) {
    requireContactOpen(session, role);
    const lastSetAt = row.typingUntil === undefined ? null : row.typingUntil - TYPING_TTL_MS;
    if (lastSetAt !== null && lastSetAt > now - TYPING_REFRESH_MS) return null;
    await ctx.db.patch("sessionParticipants", row._id, { typingUntil: now + TYPING_TTL_MS });
  } else if (row.typingUntil !== undefined) {
    await ctx.db.patch("sessionParticipants", row._id, { typingUntil: undefined });
  }
  return null;
}

/**
 * The counterpart's typing signal (server time, ms) or null. The browser compares it with its own clock;
 * this query never reads the clock, so it only re-runs when the row changes. Admins see null.
 */
export async function typingStateFor(
  ctx: QueryCtx,
  viewer: Doc<"users">,
  sessionId: Id<"sessions">,
): Promise<{ typingUntil: number | null }> {
  const { session, role } = await requireParticipantOrAdmin(ctx, viewer, sessionId);
  if (role === "admin" || !isChatLive(session.status)) return { typingUntil: null };
  const counterpartRole: ParticipantRole = role === "client" ? "advisor" : "client";
  const row = await participantRow(ctx, sessionId, counterpartRole);
  return { typingUntil: row?.typingUntil ?? null };
}

/**
 * What the Stream token route needs: the viewer's side and both parties' ids and display names.
 * Participants only (admins and strangers get NOT_FOUND).
 */
export async function streamAccessFor(ctx: QueryCtx, viewer: Doc<"users">, sessionId: Id<"sessions">) {
  const { session, role } = await requireParticipant(ctx, viewer, sessionId);
  // Tokens and channel membership only while the meter runs (the route maps this to 409).
  requireContactOpen(session, role);
  const [clientUser, advisorUser, advisorProfile] = await Promise.all([
    ctx.db.get("users", session.clientId),
    ctx.db.get("users", session.advisorId),
    profileForUser(ctx, session.advisorId),
  ]);
  return {
    sessionId: session._id,
    provider: session.provider,
    status: session.status,
    /** The active segment's number: each stretch of billed time has its own Stream call (lib/stream.ts). */
    segmentCount: session.segments.length,
    viewerId: viewer._id,
    viewerRole: role,
    counterpartId: counterpartOf(session, role),
    client: { id: session.clientId, name: clientUser?.name ?? "Client" },
    advisor: { id: session.advisorId, name: advisorProfile?.displayName ?? advisorUser?.name ?? "Advisor" },
  };
}
