// Stream follows the session (provider "stream" only): the chat channel is frozen unless the session is active
// (pause and end), reopened at resume, and a video segment's call is ended server-side when the meter stops.
// Scheduled by convex/model/sessionContact.ts (scheduleStreamSync) in the same mutation as the transition. The
// action re-reads the session's current status, so late, duplicate or out-of-order runs converge on the truth.
import { v } from "convex/values";
import { internalAction, internalQuery } from "./functions";
import { internal } from "./_generated/api";
import { env } from "./_generated/server";
import { mintStreamServerToken, streamSyncCalls } from "../lib/stream";

/** Attempts per transition (then the failure is logged; the token route already refuses every other state). */
export const STREAM_SYNC_MAX_ATTEMPTS = 5;

export const sessionState = internalQuery({
  args: { sessionId: v.id("sessions") },
  handler: async (ctx, { sessionId }) => {
    const session = await ctx.db.get("sessions", sessionId);
    if (session === null) return null;
    return {
      status: session.status,
      segmentCount: session.segments.length,
      kind: session.kind,
      provider: session.provider,
    };
  },
});

export const sync = internalAction({
  args: { sessionId: v.id("sessions"), attempt: v.number() },
  handler: async (ctx, { sessionId, attempt }) => {
    const apiKey = env.STREAM_API_KEY;
    const apiSecret = env.STREAM_API_SECRET;
    if (!apiKey || !apiSecret) return { calls: 0 };
    const state = await ctx.runQuery(internal.streamChannels.sessionState, { sessionId });
    if (state === null || state.provider !== "stream") return { calls: 0 };
    const token = await mintStreamServerToken(apiSecret);
    const calls = streamSyncCalls({
      apiKey,
      sessionId,
      status: state.status,
      segmentCount: state.segmentCount,
      kind: state.kind,
    });
    try {
      for (const call of calls) {
        const response = await fetch(call.url, {
          method: call.method,
          headers: { Authorization: token, "stream-auth-type": "jwt", "Content-Type": "application/json" },
          body: JSON.stringify(call.body),
          signal: AbortSignal.timeout(15_000),
        });
        // 404: nobody ever opened that channel or joined that call, so there is nothing to freeze or end.
        if (!response.ok && response.status !== 404) {
          throw new Error(`Stream ${call.method} ${new URL(call.url).pathname} answered ${response.status}`);
        }
      }
      return { calls: calls.length };
    } catch (error) {
      if (attempt + 1 >= STREAM_SYNC_MAX_ATTEMPTS) {
        console.error(`Stream sync for session ${sessionId} gave up after ${attempt + 1} attempts`, error);
        return { calls: -1 };
      }
      // Capped exponential backoff: 2 s, 4 s, 8 s, 16 s.
      await ctx.scheduler.runAfter(Math.min(16_000, 2_000 * 2 ** attempt), internal.streamChannels.sync, {
        sessionId,
        attempt: attempt + 1,
      });
      return { calls: -1 };
    }
  },
});
