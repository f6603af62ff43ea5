// Credit-limit usage (issue 25): the backfill that counts wallets whose limit was set before the totals existed. A cron
// starts it; it reschedules itself while wallets remain and costs one read once done. Now: `npx convex run creditLimits:backfill`.
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation } from "./functions";
import { creditBackfillStep } from "./model/creditLimits";

const BACKFILL_BATCH = 200;

export const backfill = internalMutation({
  args: { batch: v.optional(v.number()) },
  handler: async (ctx, { batch }): Promise<{ more: boolean }> => {
    const size = Math.max(1, Math.min(BACKFILL_BATCH, Math.floor(batch ?? BACKFILL_BATCH)));
    const more = await creditBackfillStep(ctx, size);
    if (more) await ctx.scheduler.runAfter(0, internal.creditLimits.backfill, batch === undefined ? {} : { batch });
    return { more };
  },
});
