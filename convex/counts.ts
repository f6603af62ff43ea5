// Maintained counts (issue 25): the backfill that counts rows written before the counters existed. A cron starts it;
// it reschedules itself while rows remain and costs a few reads once done. Now: `npx convex run counts:backfill`.
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation } from "./functions";
import { backfillCountsStep } from "./model/counts";

const BACKFILL_BATCH = 500;

export const backfill = internalMutation({
  args: { batch: v.optional(v.number()) },
  handler: async (ctx, { batch }): Promise<{ more: boolean }> => {
    const more = await backfillCountsStep(ctx, batch ?? BACKFILL_BATCH);
    if (more) await ctx.scheduler.runAfter(0, internal.counts.backfill, batch === undefined ? {} : { batch });
    return { more };
  },
});
