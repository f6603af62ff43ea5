// Review replies, reports and moderation (issue 24): thin public functions over convex/model/reviews.ts.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { mutation, query } from "./functions";
import { reviewReportStatusValidator } from "./model/offlineMessageSchema";
import { decideReport, editReviewReply, replyToReview, reportReview } from "./model/reviews";

const MAX_PAGE = 50;
const reviewId = v.id("reviews");

/** Reviews of the signed-in advisor, newest first, hidden ones included (marked). */
export const listMine = query({
  permission: "reviews:reply",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const viewerId = ctx.viewer._id;
    const result = await ctx.db
      .query("reviews")
      .withIndex("by_advisor", (q) => q.eq("advisorId", viewerId))
      .order("desc")
      .paginate({ ...paginationOpts, numItems: Math.max(1, Math.min(paginationOpts.numItems, MAX_PAGE)) });
    const page = await Promise.all(
      result.page.map(async (r) => {
        const client = await ctx.db.get("users", r.clientId);
        return {
          _id: r._id,
          rating: r.rating,
          comment: r.comment,
          createdAt: r.createdAt,
          reviewerName: client === null ? "Former client" : (client.name.split(/\s+/)[0] ?? "Client"),
          reply: r.reply ?? null,
          repliedAt: r.repliedAt ?? null,
          replyEditedAt: r.replyEditedAt ?? null,
          hidden: r.hiddenAt !== undefined,
          hiddenReason: r.hiddenReason ?? null,
        };
      }),
    );
    return { ...result, page };
  },
});

/** The advisor's one reply to a review of them. */
export const reply = mutation({
  permission: "reviews:reply",
  args: { reviewId, reply: v.string() },
  handler: async (ctx, args) => await replyToReview(ctx, ctx.viewer, args.reviewId, args.reply, Date.now()),
});

export const editReply = mutation({
  permission: "reviews:reply",
  args: { reviewId, reply: v.string() },
  handler: async (ctx, args) => await editReviewReply(ctx, ctx.viewer, args.reviewId, args.reply, Date.now()),
});

/** A client or advisor reports a review (once per review). */
export const report = mutation({
  permission: "reviews:report",
  args: { reviewId, reason: v.string() },
  handler: async (ctx, args) => ({
    reportId: await reportReview(ctx, ctx.viewer, args.reviewId, args.reason, Date.now()),
  }),
});

/** Reports by status (open by default), oldest first, with the review and who reported it. */
export const adminReports = query({
  permission: "admin:reviews",
  args: { status: v.optional(reviewReportStatusValidator), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { status, paginationOpts }) => {
    const result = await ctx.db
      .query("reviewReports")
      .withIndex("by_status", (q) => q.eq("status", status ?? "open"))
      .order("asc")
      .paginate({ ...paginationOpts, numItems: Math.max(1, Math.min(paginationOpts.numItems, MAX_PAGE)) });
    const page = await Promise.all(
      result.page.map(async (report) => {
        const review = await ctx.db.get("reviews", report.reviewId);
        const reporter = await ctx.db.get("users", report.reporterId);
        const profile = await ctx.db
          .query("advisorProfiles")
          .withIndex("by_user", (q) => q.eq("userId", report.advisorId))
          .unique();
        return {
          _id: report._id,
          status: report.status,
          reason: report.reason,
          createdAt: report.createdAt,
          decisionNote: report.decisionNote ?? null,
          reporterName: reporter?.name ?? "Former user",
          reporterRole: reporter?.role ?? null,
          advisorName: profile?.displayName ?? "Advisor",
          review:
            review === null
              ? null
              : {
                  _id: review._id,
                  rating: review.rating,
                  comment: review.comment,
                  reply: review.reply ?? null,
                  hidden: review.hiddenAt !== undefined,
                },
        };
      }),
    );
    return { ...result, page };
  },
});

/** Hide the review (with a reason, audited) or dismiss the report. */
export const decide = mutation({
  permission: "admin:reviews",
  args: {
    reportId: v.id("reviewReports"),
    decision: v.union(v.literal("hide"), v.literal("dismiss")),
    note: v.string(),
  },
  handler: async (ctx, args) => await decideReport(ctx, ctx.viewer, args, Date.now()),
});
