import { v } from "convex/values";
import { publicQuery } from "./functions";
import { categoryValidator } from "./schema";
import type { Doc } from "./_generated/dataModel";

const MAX_LISTED = 100;

export function publicProfile(profile: Doc<"advisorProfiles">) {
  return {
    _id: profile._id,
    userId: profile.userId,
    displayName: profile.displayName,
    headline: profile.headline,
    bio: profile.bio,
    categories: profile.categories,
    tags: profile.tags,
    languages: profile.languages,
    yearsExperience: profile.yearsExperience,
    avatarUrl: profile.avatarUrl ?? null,
    chatRateCentsPerMinute: profile.chatRateCentsPerMinute,
    videoRateCentsPerMinute: profile.videoRateCentsPerMinute,
    online: profile.online,
    ratingCount: profile.ratingCount,
    /** Average rating in tenths of a star (e.g. 45 = 4.5), null without reviews. */
    ratingTenths: profile.ratingCount === 0 ? null : Math.round((profile.ratingSum * 10) / profile.ratingCount),
    completedSessions: profile.completedSessions,
  };
}

/** Approved advisors, online first. Open to everyone, signed in or not. */
export const listApproved = publicQuery({
  args: { category: v.optional(categoryValidator) },
  handler: async (ctx, { category }) => {
    const online = await ctx.db
      .query("advisorProfiles")
      .withIndex("by_status_online", (q) => q.eq("status", "approved").eq("online", true))
      .take(MAX_LISTED);
    const offline = await ctx.db
      .query("advisorProfiles")
      .withIndex("by_status_online", (q) => q.eq("status", "approved").eq("online", false))
      .take(MAX_LISTED);
    return [...online, ...offline]
      .filter((p) => category === undefined || p.categories.includes(category))
      .map(publicProfile);
  },
});

export const getApproved = publicQuery({
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await ctx.db.get("advisorProfiles", profileId);
    if (profile === null || profile.status !== "approved") return null;
    return publicProfile(profile);
  },
});
