// Built-in video signaling (WebRTC offers, answers, ICE candidates, hangups) between the two
// parties of a live video session. Logic in ./model/video.ts.
import { v } from "convex/values";
import { mutation, query } from "./functions";
import { sendSignal, signalsFor } from "./model/video";

const signalKindValidator = v.union(v.literal("offer"), v.literal("answer"), v.literal("candidate"), v.literal("hangup"));

/** Sends one signal to the other party of an active or paused video session; returns its createdAt. */
export const signal = mutation({
  permission: "sessions:read_own",
  args: { sessionId: v.id("sessions"), kind: signalKindValidator, payload: v.string() },
  handler: async (ctx, args) => {
    // A goodbye after the session ended (the room unmounting on the receipt) has no one to reach: no-op.
    if (args.kind === "hangup") {
      const session = await ctx.db.get("sessions", args.sessionId);
      if (session !== null && session.status === "ended" && (session.clientId === ctx.viewer._id || session.advisorId === ctx.viewer._id)) {
        return { createdAt: session.endedAt ?? Date.now() };
      }
    }
    const { createdAt } = await sendSignal(ctx, ctx.viewer, args);
    return { createdAt };
  },
});

/** Signals addressed to the viewer newer than `afterCreatedAt`, oldest first (at most 200). */
export const signals = query({
  permission: "sessions:read_own",
  args: { sessionId: v.id("sessions"), afterCreatedAt: v.number() },
  handler: async (ctx, args) => await signalsFor(ctx, ctx.viewer, args),
});
