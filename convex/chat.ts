// Session chat: the built-in chat on Convex (sessions with provider "builtin") and the access check
// behind the Stream token route (provider "stream"). Logic lives in convex/model/chat.ts.
import { v } from "convex/values";
import { mutation, query } from "./functions";
import { fail } from "./model/errors";
import { listForViewer, sendMessage, setTypingFor, streamAccessFor, typingStateFor } from "./model/chat";

/** Sends a message (client or advisor, while the session is active or paused). Returns the message id. */
export const send = mutation({
  permission: "sessions:participate",
  args: { sessionId: v.id("sessions"), body: v.string() },
  handler: async (ctx, { sessionId, body }) => await sendMessage(ctx, ctx.viewer, sessionId, body),
});

/** The newest 500 messages, oldest first, for the session's parties and admins (also after the end). */
export const list = query({
  permission: "sessions:read_own",
  args: { sessionId: v.id("sessions") },
  handler: async (ctx, { sessionId }) => await listForViewer(ctx, ctx.viewer, sessionId),
});

/** Sets or clears the viewer's typing signal (writes at most every 2 s). */
export const setTyping = mutation({
  permission: "sessions:participate",
  args: { sessionId: v.id("sessions"), typing: v.boolean() },
  handler: async (ctx, { sessionId, typing }) => await setTypingFor(ctx, ctx.viewer, sessionId, typing),
});

/** The counterpart's `typingUntil` (server ms) or null; the browser compares it with its clock. */
export const typingState = query({
  permission: "sessions:read_own",
  args: { sessionId: v.id("sessions") },
  handler: async (ctx, { sessionId }) => await typingStateFor(ctx, ctx.viewer, sessionId),
});

/**
 * For app/api/stream/token: both parties' ids and names; refuses anyone but the two parties.
 * Takes the id as a plain string (it comes from a request body): an unknown or malformed id is NOT_FOUND.
 */
export const streamAccess = query({
  permission: "sessions:read_own",
  args: { sessionId: v.string() },
  handler: async (ctx, { sessionId }) => {
    const id = ctx.db.normalizeId("sessions", sessionId);
    if (id === null) fail("NOT_FOUND", "That session does not exist.");
    return await streamAccessFor(ctx, ctx.viewer, id);
  },
});
