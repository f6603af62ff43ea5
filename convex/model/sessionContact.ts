// The server side of the contact rules (lib/sessionContact.ts): the guard every contact path (chat, typing,
// video signalling, Stream tokens) calls, presence from any activity, and what a side may still receive.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { SESSION_RULES, openSegmentStart, type Segment } from "../../lib/billingEngine";
import {
  closeSegment,
  contactClosedMessage,
  deliverableAt,
  isContactOpen,
  receiveCutoff,
  type SegmentClose,
} from "../../lib/sessionContact";
import { fail, invariant } from "./errors";
import { participantRow, type ParticipantRole } from "./sessionAccess";

type Session = Doc<"sessions">;

/** Refuses contact (SESSION_NOT_ACTIVE, 409 on routes) unless the meter is running. Writes nothing. */
export function requireContactOpen(session: Session, viewer?: ParticipantRole): void {
  if (!isContactOpen(session.status)) {
    fail("SESSION_NOT_ACTIVE", contactClosedMessage(session.status, session.pauseReason ?? null, viewer));
  }
}

/** Records that a side is present now: heartbeats, messages, signals and the side's own actions all count. */
export async function touchParticipant(
  ctx: MutationCtx,
  session: Session,
  role: ParticipantRole,
  at: number,
  clearTyping = false,
): Promise<void> {
  const row = await participantRow(ctx, session._id, role);
  const userId = role === "client" ? session.clientId : session.advisorId;
  if (row === null) {
    await ctx.db.insert("sessionParticipants", { sessionId: session._id, userId, role, lastHeartbeatAt: at });
    return;
  }
  const typingPatch = clearTyping && row.typingUntil !== undefined ? { typingUntil: undefined } : {};
  if (row.lastHeartbeatAt < at)
    await ctx.db.patch("sessionParticipants", row._id, { lastHeartbeatAt: at, ...typingPatch });
  else if ("typingUntil" in typingPatch) await ctx.db.patch("sessionParticipants", row._id, typingPatch);
}

/** A side's last presence (server time); a side never heard from counts from `fallback`. */
export async function lastSeenOf(
  ctx: QueryCtx,
  session: Session,
  role: ParticipantRole,
  fallback: number,
): Promise<number> {
  const row = await participantRow(ctx, session._id, role);
  return row?.lastHeartbeatAt ?? fallback;
}

export function unbilledBudgetLeftMs(session: Session): number {
  return Math.max(0, SESSION_RULES.unbilledContactBudgetMs - (session.unbilledContactMs ?? 0));
}

/** How the open segment closes at `at`: billing stops at the earlier side's last presence (lib/sessionContact.ts). */
export async function closeOpenSegmentAt(
  ctx: QueryCtx,
  session: Session,
  at: number,
  capAt?: number,
): Promise<{ segments: Segment[]; close: SegmentClose }> {
  const start = openSegmentStart(session.segments);
  invariant(start !== null, "closing needs an open segment");
  const lastSeen = [await lastSeenOf(ctx, session, "client", start), await lastSeenOf(ctx, session, "advisor", start)];
  const close = closeSegment({ startedAt: start, at, lastSeen, budgetLeftMs: unbilledBudgetLeftMs(session), capAt });
  const closed: Segment = {
    startedAt: start,
    endedAt: close.endedAt,
    ...(close.contactEndedAt === undefined ? {} : { contactEndedAt: close.contactEndedAt }),
  };
  return { segments: [...session.segments.slice(0, -1), closed], close };
}

/**
 * The newest createdAt a viewer may receive in the open segment (null when the session is not active): their
 * own last presence plus the presence window. Reads the stored presence, never the clock, so it stays reactive.
 */
export async function openCutoffFor(ctx: QueryCtx, session: Session, role: ParticipantRole): Promise<number | null> {
  const start = openSegmentStart(session.segments);
  if (session.status !== "active" || start === null) return null;
  return receiveCutoff(await lastSeenOf(ctx, session, role, start));
}

/** Whether the other side's message or signal sent at `createdAt` reaches the viewer. */
export function deliverable(session: Session, createdAt: number, openCutoff: number | null): boolean {
  return deliverableAt(createdAt, session.segments, openCutoff);
}

// Stream channels follow the session: frozen unless active, the call ended at the end (convex/streamChannels.ts).
const streamSyncRef = makeFunctionReference<"action", { sessionId: Id<"sessions">; attempt: number }>(
  "streamChannels:sync",
);

/** Schedules the Stream channel/call to catch up with the session's status (Stream sessions only). */
export async function scheduleStreamSync(ctx: MutationCtx, session: Session): Promise<void> {
  if (session.provider === "stream")
    await ctx.scheduler.runAfter(0, streamSyncRef, { sessionId: session._id, attempt: 0 });
}
