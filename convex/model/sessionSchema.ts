// Live session tables (issue 7), spread into convex/schema.ts.
// The session document holds everything needed to compute billing (rate, fee, active segments, free
// seconds); nothing is written per second. Heartbeats, chat, typing and video signaling live in their
// own small tables so they never invalidate subscriptions to the session itself.
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { literals } from "convex-helpers/validators";
import { END_REASONS, PARTICIPANT_ROLES, PAUSE_REASONS, SESSION_KINDS, SESSION_STATUSES } from "../../lib/sessionUtils";

export const sessionKindValidator = literals(...SESSION_KINDS);
export const sessionStatusValidator = literals(...SESSION_STATUSES);
export const participantRoleValidator = literals(...PARTICIPANT_ROLES);
export const pauseReasonValidator = literals(...PAUSE_REASONS);
export const endReasonValidator = literals(...END_REASONS);

export const segmentValidator = v.object({
  startedAt: v.number(),
  endedAt: v.optional(v.number()),
  /** Set when a side's presence had lapsed: nothing sent after it reached the other side (lib/sessionContact.ts). */
  contactEndedAt: v.optional(v.number()),
});

export const sessionTables = {
  sessions: defineTable({
    clientId: v.id("users"),
    advisorId: v.id("users"),
    kind: sessionKindValidator,
    status: sessionStatusValidator,
    /** Copied from the advisor's profile at request time; later rate changes never touch it. */
    rateCentsPerMinute: v.number(),
    feeBps: v.number(),
    /** New-client offer: the first seconds of billable time are paid by the platform (0 when off). */
    freeSeconds: v.number(),
    requestedAt: v.number(),
    /** Ringing ends here (requestedAt + 60 s) unless answered. */
    expiresAt: v.number(),
    startedAt: v.optional(v.number()),
    /** Active segments, oldest first; the last is open while active. Bounded (MAX_SEGMENTS). */
    segments: v.array(segmentValidator),
    pausedAt: v.optional(v.number()),
    pauseReason: v.optional(pauseReasonValidator),
    /** The pending job that pauses the session when the client's funds run out. */
    fundsJobId: v.optional(v.id("_scheduled_functions")),
    /** The pending job that ends a paused session (hold, absence or pause limit). */
    pauseJobId: v.optional(v.id("_scheduled_functions")),
    endedAt: v.optional(v.number()),
    endReason: v.optional(endReasonValidator),
    endedBy: v.optional(v.union(v.id("users"), v.null())),
    /** Settlement (set once, when the session ends). */
    billableSeconds: v.optional(v.number()),
    costCents: v.optional(v.number()),
    promoCents: v.optional(v.number()),
    feeCents: v.optional(v.number()),
    shareCents: v.optional(v.number()),
    settlementJournalId: v.optional(v.id("journals")),
    /** Refunded to the client so far (disputes); never more than what the client paid. */
    refundedCents: v.optional(v.number()),
    /** Which chat/video implementation the room uses (fixed at request time). */
    provider: v.union(v.literal("builtin"), v.literal("stream")),
    /** Contact not billed so far (presence window after a lapse); at most SESSION_RULES.unbilledContactBudgetMs. */
    unbilledContactMs: v.optional(v.number()),
  })
    .index("by_client", ["clientId", "requestedAt"])
    .index("by_advisor", ["advisorId", "requestedAt"])
    .index("by_client_status", ["clientId", "status"])
    .index("by_advisor_status", ["advisorId", "status"])
    .index("by_client_started", ["clientId", "startedAt"])
    .index("by_status", ["status", "requestedAt"]),

  /** Liveness: one row per (session, side), written by that side's heartbeat every 10 s. */
  sessionParticipants: defineTable({
    sessionId: v.id("sessions"),
    userId: v.id("users"),
    role: participantRoleValidator,
    lastHeartbeatAt: v.number(),
    /** Chat typing indicator: typing until this time. */
    typingUntil: v.optional(v.number()),
  })
    .index("by_session", ["sessionId", "role"])
    .index("by_user", ["userId"]),

  /** The session timeline: state changes with who and why (shown in receipts, disputes and admin). */
  sessionEvents: defineTable({
    sessionId: v.id("sessions"),
    type: v.string(),
    actorId: v.union(v.id("users"), v.null()),
    at: v.number(),
    detail: v.optional(v.string()),
  }).index("by_session", ["sessionId", "at"]),

  /** Built-in chat (used when Stream is not configured): the transcript kept with the session. */
  sessionMessages: defineTable({
    sessionId: v.id("sessions"),
    senderId: v.id("users"),
    body: v.string(),
    createdAt: v.number(),
  }).index("by_session", ["sessionId", "createdAt"]),

  /** Built-in video: WebRTC signaling (offers, answers, ICE candidates) relayed through Convex. */
  videoSignals: defineTable({
    sessionId: v.id("sessions"),
    fromUserId: v.id("users"),
    toUserId: v.id("users"),
    kind: v.union(v.literal("offer"), v.literal("answer"), v.literal("candidate"), v.literal("hangup")),
    /** JSON of the RTCSessionDescriptionInit / RTCIceCandidateInit (bounded size). */
    payload: v.string(),
    createdAt: v.number(),
  }).index("by_session_to", ["sessionId", "toUserId", "createdAt"]),

  /** An advisor's earning from one settled session; available after the hold period. */
  earnings: defineTable({
    advisorId: v.id("users"),
    sessionId: v.id("sessions"),
    grossCents: v.number(),
    feeCents: v.number(),
    netCents: v.number(),
    feeBps: v.number(),
    status: v.union(v.literal("pending"), v.literal("available"), v.literal("refunded"), v.literal("clawed_back")),
    settledAt: v.number(),
    availableAt: v.number(),
    releasedAt: v.optional(v.number()),
    /** The advisor's part of refunds of this session (taken from pending, available or a receivable). */
    refundedShareCents: v.optional(v.number()),
    settlementJournalId: v.id("journals"),
    releaseJournalId: v.optional(v.id("journals")),
    /** Rolling reserve (issue 19, convex/model/riskHolds.ts): held back at release, freed at reserveReleaseAt. */
    reserveCents: v.optional(v.number()),
    reserveReleaseAt: v.optional(v.number()),
    reserveJournalId: v.optional(v.id("journals")),
  })
    .index("by_advisor", ["advisorId", "settledAt"])
    .index("by_session", ["sessionId"])
    .index("by_status_available_at", ["status", "availableAt"]),

  /** Platform switches admins can flip (one row per key). */
  platformSettings: defineTable({
    key: v.literal("newClientOffer"),
    enabled: v.boolean(),
    updatedBy: v.union(v.id("users"), v.null()),
    updatedAt: v.number(),
  }).index("by_key", ["key"]),
};
