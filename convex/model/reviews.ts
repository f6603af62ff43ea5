// Review replies, reports and moderation (issue 24). The rating average (profile ratingSum/ratingCount) and the
// per-star distribution (ratingDistributions) are maintained on every rating and every hide, never scanned on read;
// a hidden review leaves both.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { patchProfile, profileForUser } from "./advisors";
import { fail, requireText } from "./errors";
import { writeAudit } from "./users";

export const REVIEW_RULES = {
  replyMaxChars: 1_000,
  reportReasonMin: 5,
  reportReasonMax: 500,
  decisionNoteMin: 3,
  decisionNoteMax: 500,
} as const;
/** Reviews read once to build a distribution row for an advisor rated before rows were maintained. */
const BACKFILL_LIMIT = 2_000;

type Review = Doc<"reviews">;

function starIndex(rating: number): number {
  return Math.min(5, Math.max(1, Math.round(rating))) - 1;
}

async function distributionRow(ctx: QueryCtx, advisorId: Id<"users">) {
  return await ctx.db
    .query("ratingDistributions")
    .withIndex("by_advisor", (q) => q.eq("advisorId", advisorId))
    .unique();
}

async function scanVisible(ctx: QueryCtx, advisorId: Id<"users">): Promise<number[]> {
  const counts = [0, 0, 0, 0, 0];
  const reviews = await ctx.db
    .query("reviews")
    .withIndex("by_advisor", (q) => q.eq("advisorId", advisorId))
    .take(BACKFILL_LIMIT);
  for (const r of reviews) if (r.hiddenAt === undefined) counts[starIndex(r.rating)]! += 1;
  return counts;
}

/** Visible reviews per star (index 0 = 1 star). Reads the maintained row; older advisors without one are counted once. */
export async function distributionOf(ctx: QueryCtx, advisorId: Id<"users">): Promise<number[]> {
  return (await distributionRow(ctx, advisorId))?.counts ?? (await scanVisible(ctx, advisorId));
}

/**
 * Adds `delta` reviews of `rating` stars to the advisor's distribution. Call it BEFORE inserting a new review
 * (or after hiding one): a missing row is built from the reviews as they are, then the change applies.
 */
export async function countRating(
  ctx: MutationCtx,
  advisorId: Id<"users">,
  rating: number,
  delta: 1 | -1,
): Promise<void> {
  const row = await distributionRow(ctx, advisorId);
  const counts = row?.counts.slice() ?? (await scanVisible(ctx, advisorId));
  counts[starIndex(rating)] = Math.max(0, counts[starIndex(rating)]! + delta);
  if (row === null) await ctx.db.insert("ratingDistributions", { advisorId, counts });
  else await ctx.db.patch("ratingDistributions", row._id, { counts });
}

async function ownReview(ctx: QueryCtx, advisor: Doc<"users">, reviewId: Id<"reviews">): Promise<Review> {
  const review = await ctx.db.get("reviews", reviewId);
  if (review === null || review.advisorId !== advisor._id) fail("NOT_FOUND", "That review does not exist.");
  return review;
}

/** A reply's text, trimmed and within the limit (INVALID_ARGUMENT otherwise), for a first reply and an edit. */
function replyText(text: string): string {
  return requireText(
    text,
    { min: 1, max: REVIEW_RULES.replyMaxChars },
    `Write a reply of 1 to ${REVIEW_RULES.replyMaxChars.toLocaleString("en-US")} characters.`,
  );
}

/** The advisor's one reply to a review of them. */
export async function replyToReview(
  ctx: MutationCtx,
  advisor: Doc<"users">,
  reviewId: Id<"reviews">,
  text: string,
  now: number,
): Promise<void> {
  const review = await ownReview(ctx, advisor, reviewId);
  if (review.reply !== undefined) fail("CONFLICT", "You have already replied to this review; edit your reply instead.");
  if (review.hiddenAt !== undefined) fail("CONFLICT", "This review was hidden by a moderator.");
  const reply = replyText(text);
  await ctx.db.patch("reviews", reviewId, { reply, repliedAt: now });
}

export async function editReviewReply(
  ctx: MutationCtx,
  advisor: Doc<"users">,
  reviewId: Id<"reviews">,
  text: string,
  now: number,
): Promise<void> {
  const review = await ownReview(ctx, advisor, reviewId);
  if (review.reply === undefined) fail("CONFLICT", "There is no reply to edit yet.");
  const reply = replyText(text);
  await ctx.db.patch("reviews", reviewId, { reply, replyEditedAt: now });
}

/** A client or advisor reports a visible review with a reason; once per person and review. */
export async function reportReview(
  ctx: MutationCtx,
  reporter: Doc<"users">,
  reviewId: Id<"reviews">,
  reason: string,
  now: number,
): Promise<Id<"reviewReports">> {
  if (reporter.role === "admin") fail("FORBIDDEN", "Admins moderate reviews from the reports queue.");
  const review = await ctx.db.get("reviews", reviewId);
  if (review === null || review.hiddenAt !== undefined) fail("NOT_FOUND", "That review does not exist.");
  const text = requireText(
    reason,
    { min: REVIEW_RULES.reportReasonMin, max: REVIEW_RULES.reportReasonMax },
    `Give a reason of ${REVIEW_RULES.reportReasonMin} to ${REVIEW_RULES.reportReasonMax} characters.`,
  );
  const existing = await ctx.db
    .query("reviewReports")
    .withIndex("by_review_reporter", (q) => q.eq("reviewId", reviewId).eq("reporterId", reporter._id))
    .first();
  if (existing !== null) fail("CONFLICT", "You have already reported this review.");
  return await ctx.db.insert("reviewReports", {
    reviewId,
    advisorId: review.advisorId,
    reporterId: reporter._id,
    reason: text,
    status: "open",
    createdAt: now,
  });
}

async function closeOpenReports(
  ctx: MutationCtx,
  reviewId: Id<"reviews">,
  status: "hidden" | "dismissed",
  admin: Doc<"users">,
  note: string,
  now: number,
) {
  const open = await ctx.db
    .query("reviewReports")
    .withIndex("by_review_status", (q) => q.eq("reviewId", reviewId).eq("status", "open"))
    .take(100);
  for (const report of open)
    await ctx.db.patch("reviewReports", report._id, {
      status,
      decidedBy: admin._id,
      decidedAt: now,
      decisionNote: note,
    });
  return open.length;
}

/**
 * An admin decides an open report: "hide" takes the review out of the public list, the average and the
 * distribution (with a reason, audited); "dismiss" keeps it. Either closes every open report of that review.
 */
export async function decideReport(
  ctx: MutationCtx,
  admin: Doc<"users">,
  input: { reportId: Id<"reviewReports">; decision: "hide" | "dismiss"; note: string },
  now: number,
): Promise<void> {
  const report = await ctx.db.get("reviewReports", input.reportId);
  if (report === null) fail("NOT_FOUND", "That report does not exist.");
  if (report.status !== "open") fail("CONFLICT", "This report has already been decided.");
  const review = await ctx.db.get("reviews", report.reviewId);
  if (review === null) fail("NOT_FOUND", "That review does not exist.");
  if (review.advisorId === admin._id || review.clientId === admin._id)
    fail("FORBIDDEN", "You cannot moderate a review you are part of; ask another admin.");
  const note = requireText(
    input.note,
    { min: REVIEW_RULES.decisionNoteMin, max: REVIEW_RULES.decisionNoteMax },
    `A reason of ${REVIEW_RULES.decisionNoteMin} to ${REVIEW_RULES.decisionNoteMax} characters is required.`,
  );
  if (input.decision === "hide" && review.hiddenAt === undefined) {
    await ctx.db.patch("reviews", review._id, { hiddenAt: now, hiddenReason: note, hiddenBy: admin._id });
    await countRating(ctx, review.advisorId, review.rating, -1);
    const profile = await profileForUser(ctx, review.advisorId);
    if (profile !== null) {
      await patchProfile(ctx, profile, {
        ratingSum: Math.max(0, profile.ratingSum - review.rating),
        ratingCount: Math.max(0, profile.ratingCount - 1),
      });
    }
  }
  const closed = await closeOpenReports(
    ctx,
    review._id,
    input.decision === "hide" ? "hidden" : "dismissed",
    admin,
    note,
    now,
  );
  await writeAudit(ctx, {
    actorId: admin._id,
    action: input.decision === "hide" ? "review.hidden" : "review.report_dismissed",
    targetTable: "reviews",
    targetId: review._id,
    details: JSON.stringify({ reportId: report._id, reportsClosed: closed, rating: review.rating, note }),
  });
}
