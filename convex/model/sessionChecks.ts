// Scheduled checks of live sessions (funds, liveness, pause limits) and the wallet-change hook. Each re-reads
// the session and re-checks its condition, so a stale or duplicate run does nothing.
import { makeFunctionReference } from "convex/server";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { SESSION_RULES, limitReachedAt, openSegmentStart } from "../../lib/billingEngine";
import { invariant } from "./errors";
import { participantRow } from "./sessionAccess";
import { endSession } from "./sessionSettlement";
import {
  fundsLimitSeconds,
  openSessionFor,
  pauseSession,
  rescheduleFunds,
  scheduleLiveness,
  type Session,
} from "./sessions";

type SessionId = Id<"sessions">;
type UserId = Id<"users">;

const pauseTimeoutRef = makeFunctionReference<
  "mutation",
  { sessionId: SessionId; pausedAt: number; stage: "first" | "limit" }
>("sessions:pauseTimeout");

export async function onFundsCheck(ctx: MutationCtx, sessionId: SessionId, now: number): Promise<void> {
  const session = await ctx.db.get("sessions", sessionId);
  if (session === null || session.status !== "active") return;
  const limit = await fundsLimitSeconds(ctx, session);
  const reachedAt = limitReachedAt(session.segments, limit);
  invariant(reachedAt !== null, "active session without an open segment");
  if (reachedAt <= now) await pauseSession(ctx, session, "insufficient_funds", null, now, reachedAt);
  else await rescheduleFunds(ctx, session);
}

/**
 * Called by each heartbeat of the present side: pauses at once when the other side has been silent past the
 * grace period, so the scheduled liveness check only has to be a slow backstop (both sides gone).
 */
export async function pauseIfCounterpartAway(
  ctx: MutationCtx,
  session: Session,
  counterpart: "client" | "advisor",
  now: number,
): Promise<boolean> {
  if (session.status !== "active") return false;
  const segmentStart = openSegmentStart(session.segments)!;
  const row = await participantRow(ctx, session._id, counterpart);
  const lastSeen = Math.max(row?.lastHeartbeatAt ?? segmentStart, counterpart === "advisor" ? segmentStart : 0);
  if (now - lastSeen <= SESSION_RULES.graceMs[session.kind]) return false;
  await pauseSession(ctx, session, counterpart === "client" ? "client_away" : "advisor_away", null, now);
  return true;
}

export async function onLivenessCheck(
  ctx: MutationCtx,
  sessionId: SessionId,
  segmentCount: number,
  now: number,
): Promise<void> {
  const session = await ctx.db.get("sessions", sessionId);
  if (session === null || session.status !== "active" || session.segments.length !== segmentCount) return;
  const graceMs = SESSION_RULES.graceMs[session.kind];
  const segmentStart = openSegmentStart(session.segments)!;
  let earliest = Number.POSITIVE_INFINITY;
  for (const role of ["client", "advisor"] as const) {
    const row = await participantRow(ctx, session._id, role);
    const lastSeen = Math.max(row?.lastHeartbeatAt ?? segmentStart, role === "advisor" ? segmentStart : 0);
    if (now - lastSeen > graceMs) {
      // Billing stops at the earlier side's last presence (convex/model/sessionContact.ts closes the segment).
      await pauseSession(ctx, session, role === "client" ? "client_away" : "advisor_away", null, now);
      return;
    }
    earliest = Math.min(earliest, lastSeen);
  }
  // Heartbeats catch one side going away (pauseIfCounterpartAway); this job only has to notice both going
  // quiet. Checking every 2 grace periods keeps liveness writes low; billing never depends on how late it runs
  // (a lapsed side is billed only to its last presence, and receives nothing after its presence window).
  await scheduleLiveness(ctx, session, Math.max(earliest + graceMs + 1, now + 2 * graceMs));
}

export async function onPauseTimeout(
  ctx: MutationCtx,
  sessionId: SessionId,
  pausedAt: number,
  stage: "first" | "limit",
  now: number,
): Promise<void> {
  const session = await ctx.db.get("sessions", sessionId);
  if (session === null || session.status !== "paused" || session.pausedAt !== pausedAt) return;
  const reason = session.pauseReason;
  if (stage === "limit") {
    await endSession(ctx, session, "paused_too_long", null, now);
    return;
  }
  if (reason === "insufficient_funds") {
    await endSession(ctx, session, "insufficient_funds", null, now);
    return;
  }
  if (reason === "client_away" || reason === "advisor_away") {
    const row = await participantRow(ctx, session._id, reason === "client_away" ? "client" : "advisor");
    if (row === null || row.lastHeartbeatAt <= pausedAt) {
      await endSession(ctx, session, reason, null, now);
      return;
    }
  }
  // The absent side came back but nobody resumed: the general pause limit applies.
  const pauseJobId = await ctx.scheduler.runAt(pausedAt + SESSION_RULES.maxPauseMs, pauseTimeoutRef, {
    sessionId,
    pausedAt,
    stage: "limit",
  });
  await ctx.db.patch("sessions", session._id, { pauseJobId });
}

/** A wallet change (top-up, chargeback) moves the moment funds run out: re-arm the funds job. */
export async function onWalletChanged(ctx: MutationCtx, clientId: UserId): Promise<void> {
  const open = await openSessionFor(ctx, clientId);
  if (open !== null && open.role === "client" && open.session.status === "active")
    await rescheduleFunds(ctx, open.session);
}
