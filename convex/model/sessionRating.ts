// Reviews of ended sessions: once, by the client, after at least one billed minute.
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { patchProfile, profileForUser } from "./advisors";
import { fail } from "./errors";
import type { Session } from "./sessions";
import { countRating } from "./reviews";

export const MIN_RATED_SECONDS = 60;

export async function rateSession(
  ctx: MutationCtx,
  session: Session,
  input: { rating: number; comment: string },
  at: number,
): Promise<Id<"reviews">> {
  if (session.status !== "ended") fail("CONFLICT", "You can rate a session once it has ended.");
  if ((session.billableSeconds ?? 0) < MIN_RATED_SECONDS)
    fail("CONFLICT", "Only sessions of at least 1 billed minute can be rated.");
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
    fail("INVALID_ARGUMENT", "Choose 1 to 5 stars.");
  const comment = input.comment.trim();
  if (comment.length > 1000) fail("INVALID_ARGUMENT", "Keep the review under 1,000 characters.");
  const existing = await ctx.db
    .query("reviews")
    .withIndex("by_session", (q) => q.eq("sessionId", session._id))
    .first();
  if (existing !== null) fail("CONFLICT", "You have already rated this session.");
  // Before the insert: a distribution row built now from the existing reviews must not count this one twice.
  await countRating(ctx, session.advisorId, input.rating, 1);
  const reviewId = await ctx.db.insert("reviews", {
    sessionId: session._id,
    clientId: session.clientId,
    advisorId: session.advisorId,
    rating: input.rating,
    comment,
    createdAt: at,
  });
  const profile = await profileForUser(ctx, session.advisorId);
  if (profile !== null) {
    await patchProfile(ctx, profile, {
      ratingSum: profile.ratingSum + input.rating,
      ratingCount: profile.ratingCount + 1,
    });
  }
  return reviewId;
}
