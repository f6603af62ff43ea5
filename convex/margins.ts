import { v } from "convex/values";
import { query } from "./functions";
import { marginReport } from "./model/adminStats";

/**
 * Margin analytics for `from`..`to` (inclusive days, YYYY-MM-DD, in the viewer's time zone; at most 92 days):
 * gross, fees, refunds, promotions, chargebacks and net margin, by day, by advisor and by category.
 */
export const report = query({
  permission: "admin:billing",
  args: { from: v.string(), to: v.string(), tzOffsetMinutes: v.number() },
  handler: async (ctx, args) => await marginReport(ctx, args),
});
