// Built-in video signaling (WebRTC offers, answers, ICE candidates, hangups) between the two
// parties of a live video session. Logic in ./model/video.ts.
import { v } from "convex/values";
import { mutation, query } from "./functions";
import { sendSignal, signalsFor } from "./model/video";

const signalKindValidator = v.union(
  v.literal("offer"),
  v.literal("answer"),
  v.literal("candidate"),
  v.literal("hangup"),
);

/** Sends one signal to the other party of an active video session (SESSION_NOT_ACTIVE otherwise); returns its createdAt. */
export const signal = mutation({
  permission: "sessions:participate",
  args: { sessionId: v.id("sessions"), kind: signalKindValidator, payload: v.string() },
  handler: async (ctx, args) => {
    // A goodbye once the meter stopped (pause, or the room unmounting on the receipt) reaches no one: no-op.
    if (args.kind === "hangup") {
      const session = await ctx.db.get("sessions", args.sessionId);
      if (
        session !== null &&
        session.status !== "active" &&
        (session.clientId === ctx.viewer._id || session.advisorId === ctx.viewer._id)
      ) {
        return { createdAt: session.endedAt ?? session.pausedAt ?? Date.now() };
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
