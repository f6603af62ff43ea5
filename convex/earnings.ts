// Advisor earnings (the dashboard and payouts build on these in a later issue).
import { v } from "convex/values";
import { internalMutation } from "./functions";
import { releaseDue, releaseEarning } from "./model/earnings";

/** Scheduled at settlement for the end of the hold period. */
export const release = internalMutation({
  args: { earningId: v.id("earnings") },
  handler: async (ctx, { earningId }) => {
    await releaseEarning(ctx, earningId, Date.now());
  },
});

/** Cron: catches any release whose scheduled run was missed. */
export const releaseDueEarnings = internalMutation({
  args: {},
  handler: async (ctx) => await releaseDue(ctx, Date.now()),
});
