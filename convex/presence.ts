// Advisor availability: the header toggle (online / busy / offline), heartbeats from the open app,
// and a cron sweep that marks advisors offline after more than 2 minutes without a heartbeat.
import { internalMutation, mutation, query } from "./functions";
import { availabilityValidator } from "./model/advisorSchema";
import { patchProfile, profileForUser, sweepPresence, touchPresence } from "./model/advisors";
import { fail } from "./model/errors";
import { PRESENCE_TIMEOUT_MS } from "../lib/advisors/rules";

/** The viewer's own availability for the header toggle; null when the viewer has no approved profile. */
export const mine = query({
  permission: "advisor:availability",
  args: {},
  handler: async (ctx) => {
    const profile = await profileForUser(ctx, ctx.viewer._id);
    if (profile === null || profile.status !== "approved") return null;
    return {
      availability: profile.availability,
      preferred: profile.preferredAvailability ?? "offline",
      inSession: profile.inSession === true,
    };
  },
});

export const setAvailability = mutation({
  permission: "advisor:availability",
  args: { availability: availabilityValidator },
  handler: async (ctx, { availability }) => {
    const profile = await profileForUser(ctx, ctx.viewer._id);
    if (profile === null) fail("NOT_FOUND", "You do not have an advisor profile yet.");
    if (profile.status !== "approved")
      fail("FORBIDDEN", `Your profile is ${profile.status}; only approved advisors can go online.`);
    await patchProfile(ctx, profile, { preferredAvailability: availability });
    if (availability !== "offline") await touchPresence(ctx, profile, Date.now());
    return null;
  },
});

/** Sent every 30 s by the open advisor app. */
export const heartbeat = mutation({
  permission: "advisor:availability",
  args: {},
  handler: async (ctx) => {
    const profile = await profileForUser(ctx, ctx.viewer._id);
    if (profile === null || profile.status !== "approved") return null;
    await touchPresence(ctx, profile, Date.now());
    return null;
  },
});

/** Cron: marks offline every advisor silent for more than PRESENCE_TIMEOUT_MS. */
export const sweep = internalMutation({
  args: {},
  handler: async (ctx) => ({ markedOffline: await sweepPresence(ctx, Date.now() - PRESENCE_TIMEOUT_MS) }),
});
