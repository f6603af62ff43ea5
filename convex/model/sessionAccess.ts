// Who may touch a session: its client, its advisor, and (read-only) admins.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { fail } from "./errors";

export type ParticipantRole = "client" | "advisor";

export async function getSessionOrFail(ctx: QueryCtx, sessionId: Id<"sessions">): Promise<Doc<"sessions">> {
  const session = await ctx.db.get("sessions", sessionId);
  if (session === null) fail("NOT_FOUND", "That session does not exist.");
  return session;
}

/** The viewer's side of the session, or null when they are not a party to it. */
export function roleIn(session: Doc<"sessions">, userId: Id<"users">): ParticipantRole | null {
  if (session.clientId === userId) return "client";
  if (session.advisorId === userId) return "advisor";
  return null;
}

/** The session and the viewer's side; refuses anyone else (NOT_FOUND, so ids cannot be probed). */
export async function requireParticipant(
  ctx: QueryCtx,
  viewer: Doc<"users">,
  sessionId: Id<"sessions">,
): Promise<{ session: Doc<"sessions">; role: ParticipantRole }> {
  const session = await getSessionOrFail(ctx, sessionId);
  const role = roleIn(session, viewer._id);
  if (role === null) fail("NOT_FOUND", "That session does not exist.");
  return { session, role };
}

/** Participants, or admins for reading (transcripts, timelines, receipts). */
export async function requireParticipantOrAdmin(
  ctx: QueryCtx,
  viewer: Doc<"users">,
  sessionId: Id<"sessions">,
): Promise<{ session: Doc<"sessions">; role: ParticipantRole | "admin" }> {
  const session = await getSessionOrFail(ctx, sessionId);
  const role = roleIn(session, viewer._id);
  if (role !== null) return { session, role };
  if (viewer.role === "admin") return { session, role: "admin" };
  fail("NOT_FOUND", "That session does not exist.");
}

/** The other party's user id. */
export function counterpartOf(session: Doc<"sessions">, role: ParticipantRole): Id<"users"> {
  return role === "client" ? session.advisorId : session.clientId;
}

/** The participant row (liveness, typing) for one side. */
export async function participantRow(
  ctx: QueryCtx | MutationCtx,
  sessionId: Id<"sessions">,
  role: ParticipantRole,
): Promise<Doc<"sessionParticipants"> | null> {
  return await ctx.db
    .query("sessionParticipants")
    .withIndex("by_session", (q) => q.eq("sessionId", sessionId).eq("role", role))
    .unique();
}
