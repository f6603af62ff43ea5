// Live sessions: thin public functions over convex/model/sessions.ts. Every call takes the server clock;
// no argument carries an amount, a rate or a time. Scheduled checks are internal.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./functions";
import { REASON_LENGTH, fail, requireText } from "./model/errors";
import { participantRow, requireParticipant, requireParticipantOrAdmin } from "./model/sessionAccess";
import { acceptSession, closeRequest, pauseSession, requestSession, resumeSession } from "./model/sessions";
import { endSession } from "./model/sessionSettlement";
import { currentFor, historyPage, incomingFor, receiptView, roomView } from "./model/sessionViews";
import { touchParticipant } from "./model/sessionContact";
import {
  onFundsCheck,
  onLivenessCheck,
  onPauseTimeout,
  onWalletChanged as onWalletChangedModel,
  pauseIfCounterpartAway,
} from "./model/sessionChecks";
import { rateSession } from "./model/sessionRating";
import { writeAudit } from "./model/users";

const sessionId = v.id("sessions");

// ---------------------------------------------------------------------------------------------
// Client and advisor actions
// ---------------------------------------------------------------------------------------------

/**
 * A client rings an online advisor at the rate they saw (RATE_CHANGED when it differs from the current one).
 * Checks funds (3 minutes), freezes, one open session per side.
 */
export const request = mutation({
  permission: "sessions:request",
  args: {
    advisorProfileId: v.id("advisorProfiles"),
    kind: v.union(v.literal("chat"), v.literal("video")),
    rateCentsPerMinute: v.number(),
  },
  handler: async (ctx, args) => {
    const id = await requestSession(ctx, ctx.viewer, args, Date.now());
    return { sessionId: id };
  },
});

/** The client stops ringing. */
export const cancel = mutation({
  permission: "sessions:participate",
  allowSuspended: true,
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipant(ctx, ctx.viewer, args.sessionId);
    if (role !== "client") fail("FORBIDDEN", "Only the client can cancel a request.");
    await closeRequest(ctx, session, "cancelled", ctx.viewer._id, Date.now());
  },
});

export const accept = mutation({
  permission: "sessions:answer",
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipant(ctx, ctx.viewer, args.sessionId);
    if (role !== "advisor") fail("FORBIDDEN", "Only the advisor can accept this request.");
    await acceptSession(ctx, session, Date.now());
  },
});

export const decline = mutation({
  permission: "sessions:answer",
  allowSuspended: true,
  args: { sessionId, reason: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipant(ctx, ctx.viewer, args.sessionId);
    if (role !== "advisor") fail("FORBIDDEN", "Only the advisor can decline this request.");
    const reason = args.reason?.trim().slice(0, 200) || undefined;
    await closeRequest(ctx, session, "declined", ctx.viewer._id, Date.now(), reason);
  },
});

/** Either side pauses: billing stops at once. */
export const pause = mutation({
  permission: "sessions:participate",
  allowSuspended: true,
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipant(ctx, ctx.viewer, args.sessionId);
    const at = Date.now();
    await touchParticipant(ctx, session, role, at);
    await pauseSession(ctx, session, role === "client" ? "client_paused" : "advisor_paused", ctx.viewer._id, at);
  },
});

/** The side that paused resumes (the client after a funds pause), with fresh presence and funds. */
export const resume = mutation({
  permission: "sessions:participate",
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipant(ctx, ctx.viewer, args.sessionId);
    await resumeSession(ctx, session, role, ctx.viewer._id, Date.now());
  },
});

/** Either side ends; settles once. Ending an ended session returns the same settlement. */
export const end = mutation({
  permission: "sessions:participate",
  allowSuspended: true,
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipant(ctx, ctx.viewer, args.sessionId);
    const at = Date.now();
    if (session.status !== "ended") await touchParticipant(ctx, session, role, at);
    const fresh = (await ctx.db.get("sessions", session._id))!;
    const settlement = await endSession(
      ctx,
      fresh,
      role === "client" ? "client_ended" : "advisor_ended",
      ctx.viewer._id,
      at,
    );
    return { billableSeconds: settlement.billableSeconds, costCents: settlement.costCents };
  },
});

/** Liveness: each open room calls this every 30 s (messages and signals count too). Returns the server clock. */
export const heartbeat = mutation({
  permission: "sessions:participate",
  allowSuspended: true,
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipant(ctx, ctx.viewer, args.sessionId);
    const at = Date.now();
    if (session.status === "requested" || session.status === "active" || session.status === "paused") {
      await touchParticipant(ctx, session, role, at);
    }
    if (await pauseIfCounterpartAway(ctx, session, role === "client" ? "advisor" : "client", at))
      return { serverNow: at, status: "paused" as const };
    return { serverNow: at, status: session.status };
  },
});

/** 1–5 stars and optional text, once, by the client, after at least a billed minute. */
export const rate = mutation({
  permission: "sessions:participate",
  args: { sessionId, rating: v.number(), comment: v.string() },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipant(ctx, ctx.viewer, args.sessionId);
    if (role !== "client") fail("FORBIDDEN", "Only the client can rate this session.");
    await rateSession(ctx, session, args, Date.now());
  },
});

/** Admin force-end with a reason; settles normally. */
export const adminEnd = mutation({
  permission: "admin:sessions",
  args: { sessionId, reason: v.string() },
  handler: async (ctx, args) => {
    const reason = requireText(args.reason, REASON_LENGTH, "Give a reason (3–500 characters).");
    const session = await ctx.db.get("sessions", args.sessionId);
    if (session === null) fail("NOT_FOUND", "That session does not exist.");
    const at = Date.now();
    if (session.status === "requested")
      await closeRequest(ctx, session, "cancelled", ctx.viewer._id, at, `admin: ${reason}`);
    else await endSession(ctx, session, "admin_ended", ctx.viewer._id, at);
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "session.force_end",
      targetTable: "sessions",
      targetId: session._id,
      details: reason,
    });
  },
});

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/** Everything the room needs; the browser computes time and money every second from these numbers. */
export const room = query({
  permission: "sessions:read_own",
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipantOrAdmin(ctx, ctx.viewer, args.sessionId);
    return await roomView(ctx, session, role);
  },
});

/**
 * Each side's last heartbeat (server time), for "… seems offline". Kept out of `room` on purpose: heartbeats
 * arrive every 10 s from both sides, and only this small query (two indexed reads) re-runs for them, not the room.
 */
export const presence = query({
  permission: "sessions:read_own",
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session } = await requireParticipantOrAdmin(ctx, ctx.viewer, args.sessionId);
    const [client, advisor] = await Promise.all([
      participantRow(ctx, session._id, "client"),
      participantRow(ctx, session._id, "advisor"),
    ]);
    return { client: client?.lastHeartbeatAt ?? null, advisor: advisor?.lastHeartbeatAt ?? null };
  },
});

/** Ringing requests for the signed-in advisor (shown with sound on any page). */
export const incoming = query({
  permission: "sessions:answer",
  args: {},
  handler: async (ctx) => await incomingFor(ctx, ctx.viewer._id),
});

/** The viewer's open session (either side), for "return to your session" links. */
export const current = query({
  permission: "sessions:read_own",
  args: {},
  handler: async (ctx) => await currentFor(ctx, ctx.viewer._id),
});

/** The viewer's sessions as a client, newest first. */
export const listMine = query({
  permission: "sessions:read_own",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => await historyPage(ctx, "client", ctx.viewer._id, paginationOpts),
});

/** The advisor's sessions, newest first. */
export const listAsAdvisor = query({
  permission: "advisor:dashboard",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => await historyPage(ctx, "advisor", ctx.viewer._id, paginationOpts),
});

/** The receipt of an ended session. The advisor (and admins) also see the share and the platform fee. */
export const receipt = query({
  permission: "sessions:read_own",
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipantOrAdmin(ctx, ctx.viewer, args.sessionId);
    return await receiptView(ctx, session, role);
  },
});

/** State changes with who and when (receipts, disputes, admin). */
export const timeline = query({
  permission: "sessions:read_own",
  args: { sessionId },
  handler: async (ctx, args) => {
    await requireParticipantOrAdmin(ctx, ctx.viewer, args.sessionId);
    const events = await ctx.db
      .query("sessionEvents")
      .withIndex("by_session", (q) => q.eq("sessionId", args.sessionId))
      .take(500);
    return events.map((e) => ({ _id: e._id, type: e.type, at: e.at, detail: e.detail ?? null, byUserId: e.actorId }));
  },
});

// ---------------------------------------------------------------------------------------------
// Scheduled (internal)
// ---------------------------------------------------------------------------------------------

export const expireRequest = internalMutation({
  args: { sessionId },
  handler: async (ctx, args) => {
    const session = await ctx.db.get("sessions", args.sessionId);
    const now = Date.now();
    if (session === null || session.status !== "requested" || now < session.expiresAt) return;
    await closeRequest(ctx, session, "expired", null, now);
  },
});

export const checkFunds = internalMutation({
  args: { sessionId },
  handler: async (ctx, args) => {
    await onFundsCheck(ctx, args.sessionId, Date.now());
  },
});

export const checkLiveness = internalMutation({
  args: { sessionId, segmentCount: v.number() },
  handler: async (ctx, args) => {
    await onLivenessCheck(ctx, args.sessionId, args.segmentCount, Date.now());
  },
});

export const pauseTimeout = internalMutation({
  args: { sessionId, pausedAt: v.number(), stage: v.union(v.literal("first"), v.literal("limit")) },
  handler: async (ctx, args) => {
    await onPauseTimeout(ctx, args.sessionId, args.pausedAt, args.stage, Date.now());
  },
});

export const onWalletChanged = internalMutation({
  args: { clientId: v.id("users") },
  handler: async (ctx, args) => {
    await onWalletChangedModel(ctx, args.clientId);
  },
});
