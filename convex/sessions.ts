// Live sessions: thin public functions over convex/model/sessions.ts. Every call takes the server clock;
// no argument carries an amount, a rate or a time. Scheduled checks are internal.
import { paginationOptsValidator, type PaginationOptions } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { internalMutation, mutation, query } from "./functions";
import { profileForUser } from "./model/advisors";
import { REASON_LENGTH, fail, requireText } from "./model/errors";
import { walletSummary } from "./model/ledger";
import { counterpartOf, participantRow, requireParticipant, requireParticipantOrAdmin } from "./model/sessionAccess";
import {
  acceptSession,
  closeRequest,
  endSession,
  fundsLimitSeconds,
  openSessionFor,
  pauseSession,
  requestSession,
  resumeSession,
  settlementOf,
} from "./model/sessions";
import { touchParticipant } from "./model/sessionContact";
import {
  onFundsCheck,
  onLivenessCheck,
  onPauseTimeout,
  onWalletChanged as onWalletChangedModel,
  pauseIfCounterpartAway,
} from "./model/sessionChecks";
import { MIN_RATED_SECONDS, rateSession } from "./model/sessionRating";
import { resumerFor } from "../lib/sessionContact";
import { writeAudit } from "./model/users";
import { SESSION_RULES } from "../lib/billingEngine";

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

async function personOf(ctx: QueryCtx, userId: Id<"users">) {
  const user = await ctx.db.get("users", userId);
  return { _id: userId, name: user?.name ?? "Former user", avatarUrl: user?.avatarUrl ?? null };
}

/** Everything the room needs; the browser computes time and money every second from these numbers. */
export const room = query({
  permission: "sessions:read_own",
  args: { sessionId },
  handler: async (ctx, args) => {
    const { session, role } = await requireParticipantOrAdmin(ctx, ctx.viewer, args.sessionId);
    const [client, advisor] = await Promise.all([personOf(ctx, session.clientId), personOf(ctx, session.advisorId)]);
    const advisorProfile = await profileForUser(ctx, session.advisorId);
    const open = session.status === "active" || session.status === "paused";
    const wallet = role === "client" ? await walletSummary(ctx, session.clientId) : null;
    return {
      _id: session._id,
      role,
      kind: session.kind,
      status: session.status,
      provider: session.provider,
      rateCentsPerMinute: session.rateCentsPerMinute,
      feeBps: role === "client" ? null : session.feeBps,
      freeSeconds: session.freeSeconds,
      requestedAt: session.requestedAt,
      expiresAt: session.expiresAt,
      startedAt: session.startedAt ?? null,
      segments: session.segments,
      pausedAt: session.pausedAt ?? null,
      pauseReason: session.pauseReason ?? null,
      /** The side that may resume this pause (null when not paused). */
      resumer: session.pauseReason === undefined ? null : resumerFor(session.pauseReason),
      endedAt: session.endedAt ?? null,
      endReason: session.endReason ?? null,
      /** Most billable seconds the client's funds (and free time) cover; null when not running. */
      limitSeconds: open ? await fundsLimitSeconds(ctx, session) : null,
      /** The client's own available funds (client only). */
      availableCents: wallet?.availableCents ?? null,
      client,
      advisor: { ...advisor, profileId: advisorProfile?._id ?? null },
      graceMs: SESSION_RULES.graceMs[session.kind],
      costCents: session.costCents ?? null,
    };
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
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("sessions")
      .withIndex("by_advisor_status", (q) => q.eq("advisorId", ctx.viewer._id).eq("status", "requested"))
      .take(5);
    return await Promise.all(
      rows.map(async (s) => ({
        _id: s._id,
        kind: s.kind,
        rateCentsPerMinute: s.rateCentsPerMinute,
        requestedAt: s.requestedAt,
        expiresAt: s.expiresAt,
        client: await personOf(ctx, s.clientId),
      })),
    );
  },
});

/** The viewer's open session (either side), for "return to your session" links. */
export const current = query({
  permission: "sessions:read_own",
  args: {},
  handler: async (ctx) => {
    const open = await openSessionFor(ctx, ctx.viewer._id);
    if (open === null) return null;
    const other = await personOf(ctx, counterpartOf(open.session, open.role));
    return {
      _id: open.session._id,
      status: open.session.status,
      kind: open.session.kind,
      role: open.role,
      counterpartName: other.name,
    };
  },
});

function historyRow(
  session: Doc<"sessions">,
  counterpart: { name: string; avatarUrl: string | null },
  role: "client" | "advisor",
) {
  return {
    _id: session._id,
    kind: session.kind,
    status: session.status,
    counterpartName: counterpart.name,
    counterpartAvatarUrl: counterpart.avatarUrl,
    rateCentsPerMinute: session.rateCentsPerMinute,
    requestedAt: session.requestedAt,
    startedAt: session.startedAt ?? null,
    endedAt: session.endedAt ?? null,
    billableSeconds: session.billableSeconds ?? null,
    /** Client: what the wallet paid. Advisor: their share. */
    amountCents:
      session.costCents === undefined
        ? null
        : role === "client"
          ? session.costCents - (session.promoCents ?? 0)
          : (session.shareCents ?? 0),
  };
}

async function historyPage(
  ctx: QueryCtx,
  side: "client" | "advisor",
  userId: Id<"users">,
  paginationOpts: PaginationOptions,
) {
  const page = await ctx.db
    .query("sessions")
    .withIndex(side === "client" ? "by_client" : "by_advisor", (q) =>
      q.eq(side === "client" ? "clientId" : "advisorId", userId),
    )
    .order("desc")
    .paginate(paginationOpts);
  const rows = await Promise.all(
    page.page.map(async (s) => historyRow(s, await personOf(ctx, side === "client" ? s.advisorId : s.clientId), side)),
  );
  return { ...page, page: rows };
}

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
    const [client, advisor] = await Promise.all([personOf(ctx, session.clientId), personOf(ctx, session.advisorId)]);
    const review = await ctx.db
      .query("reviews")
      .withIndex("by_session", (q) => q.eq("sessionId", session._id))
      .first();
    const settled = session.status === "ended" ? settlementOf(session) : null;
    const seesSplit = role !== "client";
    return {
      _id: session._id,
      role,
      kind: session.kind,
      status: session.status,
      endReason: session.endReason ?? null,
      client,
      advisor,
      rateCentsPerMinute: session.rateCentsPerMinute,
      requestedAt: session.requestedAt,
      startedAt: session.startedAt ?? null,
      endedAt: session.endedAt ?? null,
      segments: session.segments,
      billableSeconds: settled?.billableSeconds ?? 0,
      freeSeconds: settled?.freeSeconds ?? 0,
      costCents: settled?.costCents ?? 0,
      promoCents: settled?.promoCents ?? 0,
      clientCents: settled?.clientCents ?? 0,
      feeCents: seesSplit ? (settled?.feeCents ?? 0) : null,
      shareCents: seesSplit ? (settled?.shareCents ?? 0) : null,
      feeBps: seesSplit ? session.feeBps : null,
      journalId: seesSplit ? (settled?.journalId ?? null) : null,
      review: review === null ? null : { rating: review.rating, comment: review.comment, createdAt: review.createdAt },
      canRate:
        role === "client" &&
        session.status === "ended" &&
        review === null &&
        (session.billableSeconds ?? 0) >= MIN_RATED_SECONDS,
    };
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
