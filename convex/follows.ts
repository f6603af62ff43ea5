// "Notify me when online" (issue 24): thin public functions over convex/model/follows.ts (own rows only).
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./functions";
import {
  followAdvisor,
  followRow,
  notifyFollowersBatch,
  unfollowAdvisor,
  unfollowByNotification,
} from "./model/follows";
import { FOLLOW_RULES } from "../lib/queue";

const profileId = v.id("advisorProfiles");

export const follow = mutation({
  permission: "queue:manage_own",
  args: { profileId },
  handler: async (ctx, args) => {
    await followAdvisor(ctx, ctx.viewer._id, args.profileId, Date.now());
    return null;
  },
});

export const unfollow = mutation({
  permission: "queue:manage_own",
  allowSuspended: true,
  args: { profileId },
  handler: async (ctx, args) => {
    await unfollowAdvisor(ctx, ctx.viewer._id, args.profileId);
    return null;
  },
});

/** "Stop notifying me" on an "online" notification. */
export const unfollowFromNotification = mutation({
  permission: "queue:manage_own",
  allowSuspended: true,
  args: { notificationId: v.id("notifications") },
  handler: async (ctx, { notificationId }) => ({
    profileId: await unfollowByNotification(ctx, ctx.viewer._id, notificationId),
  }),
});

export const isFollowing = query({
  permission: "queue:manage_own",
  args: { profileId },
  handler: async (ctx, args) => (await followRow(ctx, ctx.viewer._id, args.profileId))?.active === true,
});

/** Profile ids the viewer follows (favourites list and cards). */
export const myIds = query({
  permission: "queue:manage_own",
  args: {},
  handler: async (ctx) => {
    const clientId = ctx.viewer._id;
    const rows = await ctx.db
      .query("follows")
      .withIndex("by_client_active", (q) => q.eq("clientId", clientId).eq("active", true))
      .take(FOLLOW_RULES.maxFollows);
    return rows.map((r) => r.profileId);
  },
});

/** Scheduled when an advisor comes online: one batch of due followers. */
export const notifyFollowers = internalMutation({
  args: { advisorId: v.id("users") },
  handler: async (ctx, { advisorId }) => ({ notified: await notifyFollowersBatch(ctx, advisorId, Date.now()) }),
});
