// Admin sessions console: the live board, the history and one session's detail (issue 10).
// Thin: permission "admin:sessions", validate, call convex/model/adminSessions.ts. Force-end is sessions:adminEnd.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { query } from "./functions";
import { historyPage, liveSessions, sessionDetail } from "./model/adminSessions";
import { sessionKindValidator, sessionStatusValidator } from "./model/sessionSchema";

const openStatus = v.union(v.literal("requested"), v.literal("active"), v.literal("paused"));

/** Ringing, live and paused sessions, newest request first; the browser ticks time and cost every second. */
export const live = query({
  permission: "admin:sessions",
  args: { status: v.optional(openStatus) },
  handler: async (ctx, { status }) => await liveSessions(ctx, status),
});

/** Finished sessions (or one status), newest first, with kind, participant email and date range filters. */
export const history = query({
  permission: "admin:sessions",
  args: {
    paginationOpts: paginationOptsValidator,
    status: v.optional(sessionStatusValidator),
    kind: v.optional(sessionKindValidator),
    participantEmail: v.optional(v.string()),
    fromMs: v.optional(v.number()),
    toMs: v.optional(v.number()),
  },
  handler: async (ctx, { paginationOpts, ...filters }) => await historyPage(ctx, filters, paginationOpts),
});

/** One session with its people, presence, settlement, earning, dispute id and audit trail. */
export const get = query({
  permission: "admin:sessions",
  args: { sessionId: v.id("sessions") },
  handler: async (ctx, { sessionId }) => await sessionDetail(ctx, sessionId),
});
