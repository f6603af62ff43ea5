// Built-in video (used when Stream is not configured): WebRTC signaling relayed through Convex.
// Each side writes offers, answers, ICE candidates and hangups addressed to the other side; the
// other side subscribes to the signals addressed to it, oldest first, and tracks its own cursor.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { fail } from "./errors";
import { openSegmentStart } from "../../lib/billingEngine";
import { counterpartOf, requireParticipant } from "./sessionAccess";
import { deliverable, openCutoffFor, requireContactOpen, touchParticipant } from "./sessionContact";

export type VideoSignalKind = Doc<"videoSignals">["kind"];

/** Largest payload accepted (UTF-8 bytes of the JSON string). SDP offers are typically 2–6 KB. */
export const MAX_SIGNAL_PAYLOAD_BYTES = 16 * 1024;
/** Signals one side may send in one session (bounds storage and abuse; a call uses ~5 per join). */
export const MAX_SIGNALS_PER_SENDER = 200;
/** Signals returned per read; the reader advances its cursor and reads again. */
export const SIGNALS_PAGE_SIZE = 200;
/** Rows deleted per purge call (the caller reschedules while `more` is true). */
export const PURGE_BATCH_SIZE = 256;

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Records one signal from the viewer to the other side of a live video session and returns its
 * createdAt (server time). createdAt is strictly increasing per (session, addressee), so readers can
 * use it as an exclusive cursor without losing signals written in the same millisecond.
 * Throws before writing anything when the viewer, session, payload or budget is not acceptable.
 */
export async function sendSignal(
  ctx: MutationCtx,
  viewer: Doc<"users">,
  args: { sessionId: Id<"sessions">; kind: VideoSignalKind; payload: string },
): Promise<{ signalId: Id<"videoSignals">; createdAt: number }> {
  const { session, role } = await requireParticipant(ctx, viewer, args.sessionId);
  if (session.kind !== "video") fail("INVALID_ARGUMENT", "This is a chat session; it has no video call.");
  requireContactOpen(session, role);
  if (byteLength(args.payload) > MAX_SIGNAL_PAYLOAD_BYTES) {
    fail("INVALID_ARGUMENT", `That call setup message is too large (limit ${MAX_SIGNAL_PAYLOAD_BYTES / 1024} KB).`);
  }
  if (args.kind !== "hangup") {
    try {
      JSON.parse(args.payload);
    } catch {
      fail("INVALID_ARGUMENT", "That call setup message is not valid JSON.");
    }
  }
  const toUserId = counterpartOf(session, role);
  // Only the viewer writes to (session, counterpart), so this range is exactly the viewer's signals.
  const sent = await ctx.db
    .query("videoSignals")
    .withIndex("by_session_to", (q) => q.eq("sessionId", session._id).eq("toUserId", toUserId))
    .order("desc")
    .take(MAX_SIGNALS_PER_SENDER);
  if (sent.length >= MAX_SIGNALS_PER_SENDER) {
    fail(
      "RATE_LIMITED",
      "Too many attempts to connect the call in this session. Continue in chat or start a new session.",
    );
  }
  const last = sent[0];
  const createdAt = Math.max(Date.now(), last === undefined ? 0 : last.createdAt + 1);
  const signalId = await ctx.db.insert("videoSignals", {
    sessionId: session._id,
    fromUserId: viewer._id,
    toUserId,
    kind: args.kind,
    payload: args.payload,
    createdAt,
  });
  await touchParticipant(ctx, session, role, Date.now());
  return { signalId, createdAt };
}

/**
 * Signals addressed to the viewer strictly after `afterCreatedAt`, oldest first (at most one page). Nothing
 * unless the session is active, and nothing sent after the viewer's presence lapsed.
 */
export async function signalsFor(
  ctx: QueryCtx,
  viewer: Doc<"users">,
  args: { sessionId: Id<"sessions">; afterCreatedAt: number },
) {
  const { session, role } = await requireParticipant(ctx, viewer, args.sessionId);
  if (session.kind !== "video") return [];
  const openCutoff = await openCutoffFor(ctx, session, role);
  if (openCutoff === null) return [];
  const rows = await ctx.db
    .query("videoSignals")
    .withIndex("by_session_to", (q) =>
      // Only the open segment: signals from before a pause belong to a call that pause ended.
      q
        .eq("sessionId", session._id)
        .eq("toUserId", viewer._id)
        .gt("createdAt", Math.max(args.afterCreatedAt, openSegmentStart(session.segments)! - 1)),
    )
    .order("asc")
    .take(SIGNALS_PAGE_SIZE);
  return rows
    .filter((row) => deliverable(session, row.createdAt, openCutoff))
    .map((row) => ({
      _id: row._id,
      fromUserId: row.fromUserId,
      kind: row.kind,
      payload: row.payload,
      createdAt: row.createdAt,
    }));
}

/**
 * Deletes one bounded batch of a session's signals (both directions). Call it when the session ends;
 * if `more` is true, call it again (for example from a scheduled internal mutation).
 */
export async function purgeSignals(
  ctx: MutationCtx,
  sessionId: Id<"sessions">,
): Promise<{ deleted: number; more: boolean }> {
  const rows = await ctx.db
    .query("videoSignals")
    .withIndex("by_session_to", (q) => q.eq("sessionId", sessionId))
    .take(PURGE_BATCH_SIZE + 1);
  const batch = rows.slice(0, PURGE_BATCH_SIZE);
  for (const row of batch) await ctx.db.delete("videoSignals", row._id);
  return { deleted: batch.length, more: rows.length > PURGE_BATCH_SIZE };
}
