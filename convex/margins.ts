import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { query } from "./functions";
import { ZERO_FIGURES } from "../lib/moneyFigures";
import { advisorRowFigures, describeAdvisors, marginRange, marginReport, type AdvisorMargin } from "./model/adminStats";
import { advisorMarginPage } from "./model/rollups";
import { DEFAULT_CURRENCY } from "../lib/money";

const rangeArgs = {
  from: v.string(),
  to: v.string(),
  tzOffsetMinutes: v.optional(v.number()),
  tz: v.optional(v.string()),
};

/**
 * Margin analytics for `from`..`to` (inclusive days, YYYY-MM-DD, in the viewer's time zone `tz`; at most 92 days):
 * gross, fees, refunds, promotions, chargebacks and net margin, by day, by advisor and by category.
 * From the maintained rollups; when the range holds more advisor-days than one report reads
 * (`advisorsComplete: false`), the advisors come page by page from `advisorPage`.
 */
export const report = query({
  permission: "admin:billing",
  args: rangeArgs,
  handler: async (ctx, args) => await marginReport(ctx, args),
});

/**
 * One page of advisor-day figures in the range (an advisor may appear on several pages: callers add them up by
 * advisorId). Each page reads at most numItems rollup rows plus a user and profile per advisor.
 */
export const advisorPage = query({
  permission: "admin:billing",
  args: { ...rangeArgs, paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts, ...range }) => {
    const { fromMs, toMs } = marginRange(range);
    const numItems = Math.min(Math.max(1, paginationOpts.numItems), 200);
    const page = await advisorMarginPage(ctx, DEFAULT_CURRENCY, fromMs, toMs, paginationOpts.cursor, numItems);
    const rows: AdvisorMargin[] = page.page.map((row) => ({
      ...ZERO_FIGURES,
      ...advisorRowFigures(row, fromMs, toMs),
      advisorId: row.advisorId,
      name: "",
      category: null,
    }));
    await describeAdvisors(ctx, rows);
    return { ...page, page: rows };
  },
});
