// The session state machine. The server is the clock and the cashier: every transition takes the server
// time `at`, billing is computed from the session's active segments (lib/billingEngine.ts), and money moves
// exactly once, at settlement (./sessionSettlement.ts), through the ledger. Scheduled jobs (expiry, funds,
// liveness, pause limits) re-read the session and re-check their condition, so a stale or duplicate run does
// nothing.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import {
  SESSION_RULES,
  affordableBillableSeconds,
  billableSecondsAt,
  limitReachedAt,
  minimumResumeCents,
  minimumStartCents,
} from "../../lib/billingEngine";
import { formatMoney } from "../../lib/money";
import { canTransition, type PauseReason, type SessionStatus } from "../../lib/sessionUtils";
import { requireProfile, sessionTermsFor, setInSession } from "./advisors";
import { env } from "../_generated/server";
import { fail, invariant } from "./errors";
import { notify } from "./notifications";
import { walletSummary } from "./ledger";
import { participantRow, type ParticipantRole } from "./sessionAccess";
import { closeOpenSegmentAt, scheduleStreamSync, touchParticipant } from "./sessionContact";
import { resumerFor } from "../../lib/sessionContact";
import { isClientFrozen } from "./topups";
import { enforceRateLimit } from "./rateLimits";
import { enforceRequestCooldown } from "./requestCooldown";
import { claimQueueTurn } from "./queue";

export type Session = Doc<"sessions">;
type SessionId = Id<"sessions">;
type UserId = Id<"users">;

// Scheduled entry points (convex/sessions.ts), referenced by name to avoid an import cycle.
const expireRequestRef = makeFunctionReference<"mutation", { sessionId: SessionId }>("sessions:expireRequest");
const checkFundsRef = makeFunctionReference<"mutation", { sessionId: SessionId }>("sessions:checkFunds");
const checkLivenessRef = makeFunctionReference<"mutation", { sessionId: SessionId; segmentCount: number }>(
  "sessions:checkLiveness",
);
const pauseTimeoutRef = makeFunctionReference<
  "mutation",
  { sessionId: SessionId; pausedAt: number; stage: "first" | "limit" }
>("sessions:pauseTimeout");

const OPEN: readonly SessionStatus[] = ["requested", "active", "paused"];

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

async function openSessionOf(ctx: QueryCtx, side: "client" | "advisor", userId: UserId): Promise<Session | null> {
  for (const status of OPEN) {
    const found =
      side === "client"
        ? await ctx.db
            .query("sessions")
            .withIndex("by_client_status", (q) => q.eq("clientId", userId).eq("status", status))
            .first()
        : await ctx.db
            .query("sessions")
            .withIndex("by_advisor_status", (q) => q.eq("advisorId", userId).eq("status", status))
            .first();
    if (found !== null) return found;
  }
  return null;
}

/** The viewer's live (ringing, active or paused) session on either side, if any. */
export async function openSessionFor(
  ctx: QueryCtx,
  userId: UserId,
): Promise<{ session: Session; role: ParticipantRole } | null> {
  const asClient = await openSessionOf(ctx, "client", userId);
  if (asClient !== null) return { session: asClient, role: "client" };
  const asAdvisor = await openSessionOf(ctx, "advisor", userId);
  return asAdvisor === null ? null : { session: asAdvisor, role: "advisor" };
}

export async function newClientOfferEnabled(ctx: QueryCtx): Promise<boolean> {
  const row = await ctx.db
    .query("platformSettings")
    .withIndex("by_key", (q) => q.eq("key", "newClientOffer"))
    .unique();
  return row?.enabled ?? false;
}

/** True when the client has never had a session start (with any advisor). */
async function isFirstSession(ctx: QueryCtx, clientId: UserId): Promise<boolean> {
  const started = await ctx.db
    .query("sessions")
    .withIndex("by_client_started", (q) => q.eq("clientId", clientId).gt("startedAt", 0))
    .first();
  return started === null;
}

/** The most billable seconds the client's funds (plus free time) cover, from the wallet now. */
export async function fundsLimitSeconds(ctx: QueryCtx, session: Session): Promise<number> {
  const wallet = await walletSummary(ctx, session.clientId);
  return affordableBillableSeconds({
    rateCentsPerMinute: session.rateCentsPerMinute,
    availableCents: wallet.availableCents,
    freeSeconds: session.freeSeconds,
  });
}

// ---------------------------------------------------------------------------------------------
// Small writes
// ---------------------------------------------------------------------------------------------

export async function logEvent(
  ctx: MutationCtx,
  sessionId: SessionId,
  type: string,
  actorId: UserId | null,
  at: number,
  detail?: string,
) {
  await ctx.db.insert("sessionEvents", { sessionId, type, actorId, at, detail });
}

export async function cancelJob(ctx: MutationCtx, jobId: Id<"_scheduled_functions"> | undefined): Promise<void> {
  if (jobId === undefined) return;
  const job = await ctx.db.system.get("_scheduled_functions", jobId);
  if (job !== null && job.state.kind === "pending") await ctx.scheduler.cancel(jobId);
}

export function assertTransition(session: Session, to: SessionStatus): void {
  if (canTransition(session.status, to)) return;
  const messages: Partial<Record<SessionStatus, string>> = {
    ended: "This session has already ended.",
    declined: "This request was declined.",
    expired: "This request was not answered in time.",
    cancelled: "This request was cancelled.",
    requested: "This session has not started yet.",
    active: "This session is already running.",
    paused: "This session is paused.",
  };
  fail("CONFLICT", messages[session.status] ?? "That is not possible right now.");
}

// ---------------------------------------------------------------------------------------------
// Scheduling
// ---------------------------------------------------------------------------------------------

/** (Re)arms the job that pauses the session the second the client's funds run out. */
export async function rescheduleFunds(ctx: MutationCtx, session: Session): Promise<void> {
  await cancelJob(ctx, session.fundsJobId);
  if (session.status !== "active") {
    if (session.fundsJobId !== undefined) await ctx.db.patch("sessions", session._id, { fundsJobId: undefined });
    return;
  }
  const limit = await fundsLimitSeconds(ctx, session);
  const at = limitReachedAt(session.segments, limit);
  invariant(at !== null, "active session without an open segment");
  const fundsJobId = await ctx.scheduler.runAt(at, checkFundsRef, { sessionId: session._id });
  await ctx.db.patch("sessions", session._id, { fundsJobId });
}

export async function scheduleLiveness(ctx: MutationCtx, session: Session, at: number): Promise<void> {
  await ctx.scheduler.runAt(at, checkLivenessRef, { sessionId: session._id, segmentCount: session.segments.length });
}

// ---------------------------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------------------------

export async function requestSession(
  ctx: MutationCtx,
  client: Doc<"users">,
  input: { advisorProfileId: Id<"advisorProfiles">; kind: "chat" | "video"; rateCentsPerMinute: number },
  at: number,
): Promise<SessionId> {
  await enforceRateLimit(ctx, "sessionRequest", client._id);
  const profile = await requireProfile(ctx, input.advisorProfileId);
  if (profile.status !== "approved") fail("CONFLICT", "This advisor is not taking sessions.");
  if (profile.userId === client._id) fail("INVALID_ARGUMENT", "You cannot start a session with yourself.");
  await enforceRequestCooldown(ctx, client._id, profile, at);
  const terms = sessionTermsFor(profile, input.kind);
  // The client agrees to the rate they saw; a rate changed since then is refused before anything is written.
  if (!Number.isSafeInteger(input.rateCentsPerMinute) || input.rateCentsPerMinute <= 0)
    fail("INVALID_ARGUMENT", "Send the rate you agreed to, in whole cents per minute.");
  if (terms.rateCentsPerMinute !== input.rateCentsPerMinute)
    fail(
      "RATE_CHANGED",
      `The advisor's rate is now ${formatMoney(terms.rateCentsPerMinute)}/min (you saw ${formatMoney(input.rateCentsPerMinute)}/min). Check the new rate and request again.`,
    );
  if (await isClientFrozen(ctx, client._id)) {
    fail(
      "FORBIDDEN",
      "Your account is on hold because of a card dispute, so new sessions are paused. Contact support.",
    );
  }
  const mine = await openSessionFor(ctx, client._id);
  if (mine !== null) fail("CONFLICT", "You already have a session in progress. Finish it before starting another.");
  if (profile.availability === "offline") fail("CONFLICT", "The advisor is offline right now.");
  if (profile.availability === "busy" || (await openSessionOf(ctx, "advisor", profile.userId)) !== null) {
    fail("CONFLICT", "The advisor is in another session. Try again in a few minutes.");
  }
  const wallet = await walletSummary(ctx, client._id);
  const neededCents = minimumStartCents(terms.rateCentsPerMinute);
  if (wallet.availableCents < neededCents) {
    fail(
      "INSUFFICIENT_FUNDS",
      `You need at least ${formatMoney(neededCents)} (${SESSION_RULES.minStartMinutes} minutes at this rate) to start. Top up your wallet first.`,
    );
  }
  // Issue 24: while the advisor has a queue, only the client holding the offer may request (uses up their turn).
  await claimQueueTurn(ctx, profile, client._id, at);
  const sessionId = await ctx.db.insert("sessions", {
    clientId: client._id,
    advisorId: profile.userId,
    kind: input.kind,
    status: "requested",
    rateCentsPerMinute: terms.rateCentsPerMinute,
    feeBps: terms.feeBps,
    freeSeconds: 0,
    requestedAt: at,
    expiresAt: at + SESSION_RULES.ringTimeoutMs,
    segments: [],
    provider: env.STREAM_API_KEY ? "stream" : "builtin",
  });
  await ctx.db.insert("sessionParticipants", { sessionId, userId: client._id, role: "client", lastHeartbeatAt: at });
  await setInSession(ctx, profile.userId, true);
  await ctx.scheduler.runAt(at + SESSION_RULES.ringTimeoutMs, expireRequestRef, { sessionId });
  await logEvent(
    ctx,
    sessionId,
    "requested",
    client._id,
    at,
    `${input.kind} at ${formatMoney(terms.rateCentsPerMinute)}/min`,
  );
  await notify(ctx, profile.userId, {
    kind: "session_requested",
    title: `New ${input.kind} request from ${client.name}`,
    body: `${client.name} wants a ${input.kind} session at ${formatMoney(terms.rateCentsPerMinute)}/min. Answer before it expires.`,
    href: `/session/${sessionId}`,
  });
  return sessionId;
}

/** Ringing ends: declined by the advisor, cancelled by the client, or expired. Nothing is charged. */
export async function closeRequest(
  ctx: MutationCtx,
  session: Session,
  to: "declined" | "cancelled" | "expired",
  actorId: UserId | null,
  at: number,
  detail?: string,
): Promise<void> {
  assertTransition(session, to);
  await ctx.db.patch("sessions", session._id, { status: to, endedAt: at });
  await setInSession(ctx, session.advisorId, false);
  await logEvent(ctx, session._id, to, actorId, at, detail);
}

export async function acceptSession(ctx: MutationCtx, session: Session, at: number): Promise<void> {
  assertTransition(session, "active");
  if (at >= session.expiresAt) fail("CONFLICT", "This request was not answered in time.");
  const freeSeconds =
    (await newClientOfferEnabled(ctx)) && (await isFirstSession(ctx, session.clientId))
      ? SESSION_RULES.newClientFreeSeconds
      : 0;
  await ctx.db.patch("sessions", session._id, {
    status: "active",
    startedAt: at,
    segments: [{ startedAt: at }],
    freeSeconds,
  });
  await touchParticipant(ctx, session, "advisor", at);
  const started = (await ctx.db.get("sessions", session._id))!;
  await rescheduleFunds(ctx, started);
  await scheduleLiveness(ctx, started, at + SESSION_RULES.graceMs[session.kind]);
  await logEvent(
    ctx,
    session._id,
    "started",
    session.advisorId,
    at,
    freeSeconds > 0 ? `new-client offer: first ${freeSeconds / 60} minutes free` : undefined,
  );
}

export async function pauseSession(
  ctx: MutationCtx,
  session: Session,
  reason: PauseReason,
  actorId: UserId | null,
  at: number,
  billingStopsAt?: number,
): Promise<void> {
  assertTransition(session, "paused");
  const { segments, close } = await closeOpenSegmentAt(ctx, session, at, billingStopsAt);
  await cancelJob(ctx, session.fundsJobId);
  const firstDelay =
    reason === "insufficient_funds"
      ? SESSION_RULES.insufficientFundsHoldMs
      : reason === "client_away" || reason === "advisor_away"
        ? SESSION_RULES.awayEndMs
        : SESSION_RULES.maxPauseMs;
  const pauseJobId = await ctx.scheduler.runAt(at + firstDelay, pauseTimeoutRef, {
    sessionId: session._id,
    pausedAt: at,
    stage: firstDelay === SESSION_RULES.maxPauseMs ? "limit" : "first",
  });
  await ctx.db.patch("sessions", session._id, {
    status: "paused",
    segments,
    unbilledContactMs: (session.unbilledContactMs ?? 0) + close.unbilledMs,
    pausedAt: at,
    pauseReason: reason,
    fundsJobId: undefined,
    pauseJobId,
  });
  await logEvent(ctx, session._id, "paused", actorId, at, reason);
  await scheduleStreamSync(ctx, session);
  if (reason === "insufficient_funds")
    await notify(ctx, session.clientId, {
      kind: "low_balance",
      title: "Your session is paused: low balance",
      body: `Top up at least ${formatMoney(minimumResumeCents(session.rateCentsPerMinute))} to continue your ${session.kind} session.`,
      href: `/session/${session._id}`,
    });
}

/**
 * Only the side that paused resumes (the client after a funds pause), and only with fresh presence: the resume
 * call itself does not count, so a side that never heart-beats cannot restart the meter at zero cost.
 */
export async function resumeSession(
  ctx: MutationCtx,
  session: Session,
  role: ParticipantRole,
  actorId: UserId,
  at: number,
): Promise<void> {
  assertTransition(session, "active");
  const resumer = session.pauseReason === undefined ? role : resumerFor(session.pauseReason);
  if (resumer !== role) fail("FORBIDDEN", `Only the ${resumer} can resume this pause.`);
  if (session.segments.length >= SESSION_RULES.maxSegments) {
    fail("CONFLICT", "This session has been paused too many times. End it and start a new one.");
  }
  for (const side of ["client", "advisor"] as const) {
    const row = await participantRow(ctx, session._id, side);
    const windowMs = side === role ? SESSION_RULES.presentWindowMs : SESSION_RULES.graceMs[session.kind];
    if (row === null || at - row.lastHeartbeatAt > windowMs) {
      fail(
        "CONFLICT",
        side === role
          ? "You are not connected right now. Reload the room and try again."
          : `The ${side} is not connected right now.`,
      );
    }
  }
  const limit = await fundsLimitSeconds(ctx, session);
  const secondsLeft = limit - billableSecondsAt(session.segments, at);
  const neededSeconds = session.pauseReason === "insufficient_funds" ? SESSION_RULES.minResumeSeconds : 1;
  if (secondsLeft < neededSeconds) {
    fail(
      "INSUFFICIENT_FUNDS",
      `Top up at least ${formatMoney(minimumResumeCents(session.rateCentsPerMinute))} to continue the session.`,
    );
  }
  await cancelJob(ctx, session.pauseJobId);
  await ctx.db.patch("sessions", session._id, {
    status: "active",
    segments: [...session.segments, { startedAt: at }],
    pausedAt: undefined,
    pauseReason: undefined,
    pauseJobId: undefined,
  });
  await touchParticipant(ctx, session, role, at);
  const resumed = (await ctx.db.get("sessions", session._id))!;
  await rescheduleFunds(ctx, resumed);
  await scheduleLiveness(ctx, resumed, at + SESSION_RULES.graceMs[session.kind]);
  await logEvent(ctx, session._id, "resumed", actorId, at);
  await scheduleStreamSync(ctx, resumed);
}
