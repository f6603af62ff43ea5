// "Notify me when online" (issue 24). When an advisor's availability becomes online (not merely free again
// after a session), followers get an in-app notification and an email, at most once per FOLLOW_RULES window
// per pair. Due followers are read through an index on (advisor, active, lastNotifiedAt), so each batch takes
// only those due, and marking them notified moves them out of the range: batches need no cursor, and a
// repeated or overlapping batch notifies nobody twice.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { FOLLOW_RULES } from "../../lib/queue";
import { requireProfile, type Profile } from "./advisors";
import { fail } from "./errors";
import { notify } from "./notifications";

type UserId = Id<"users">;
type ProfileId = Id<"advisorProfiles">;

const notifyFollowersRef = makeFunctionReference<"mutation", { advisorId: UserId }>("follows:notifyFollowers");

export async function followRow(ctx: QueryCtx, clientId: UserId, profileId: ProfileId): Promise<Doc<"follows"> | null> {
  return await ctx.db
    .query("follows")
    .withIndex("by_client_profile", (q) => q.eq("clientId", clientId).eq("profileId", profileId))
    .unique();
}

export async function followAdvisor(
  ctx: MutationCtx,
  clientId: UserId,
  profileId: ProfileId,
  at: number,
): Promise<void> {
  const profile = await requireProfile(ctx, profileId);
  if (profile.status !== "approved") fail("NOT_FOUND", "That advisor is not listed.");
  if (profile.userId === clientId) fail("INVALID_ARGUMENT", "You cannot follow yourself.");
  const existing = await followRow(ctx, clientId, profileId);
  if (existing?.active === true) return;
  const active = await ctx.db
    .query("follows")
    .withIndex("by_client_active", (q) => q.eq("clientId", clientId).eq("active", true))
    .take(FOLLOW_RULES.maxFollows);
  if (active.length >= FOLLOW_RULES.maxFollows)
    fail("CONFLICT", `You can follow at most ${FOLLOW_RULES.maxFollows} advisors.`);
  // Following again keeps lastNotifiedAt: unfollow + follow cannot reset the throttle.
  if (existing !== null) await ctx.db.patch("follows", existing._id, { active: true, createdAt: at });
  else
    await ctx.db.insert("follows", {
      clientId,
      advisorId: profile.userId,
      profileId,
      active: true,
      createdAt: at,
      lastNotifiedAt: 0,
    });
}

export async function unfollowAdvisor(ctx: MutationCtx, clientId: UserId, profileId: ProfileId): Promise<void> {
  const existing = await followRow(ctx, clientId, profileId);
  if (existing?.active === true) await ctx.db.patch("follows", existing._id, { active: false });
}

/** Unfollow from an "online" notification: the advisor is the one the (own) notification links to. */
export async function unfollowByNotification(
  ctx: MutationCtx,
  clientId: UserId,
  notificationId: Id<"notifications">,
): Promise<ProfileId> {
  const row = await ctx.db.get("notifications", notificationId);
  if (row === null || row.userId !== clientId) fail("NOT_FOUND", "That notification does not exist.");
  const match = row.kind === "advisor_online" ? /^\/advisors\/([^/?#]+)/.exec(row.href ?? "") : null;
  const profileId = match ? ctx.db.normalizeId("advisorProfiles", match[1]!) : null;
  if (profileId === null) fail("INVALID_ARGUMENT", "That notification is not about an advisor you follow.");
  await unfollowAdvisor(ctx, clientId, profileId);
  return profileId;
}

/** Called by patchProfile on an availability change; tells followers in a scheduled batch. */
export async function onAdvisorOnline(ctx: MutationCtx, before: Profile, after: Profile): Promise<void> {
  if (after.availability !== "online" || before.availability === "online") return;
  // Free again after a session is not "coming online" (the queue covers that moment).
  if (before.inSession === true && after.inSession !== true) return;
  await ctx.scheduler.runAfter(0, notifyFollowersRef, { advisorId: after.userId });
}

/** One batch: notifies followers not told within the window; re-schedules itself while a full batch was due. */
export async function notifyFollowersBatch(ctx: MutationCtx, advisorId: UserId, now: number): Promise<number> {
  const profile = await ctx.db
    .query("advisorProfiles")
    .withIndex("by_user", (q) => q.eq("userId", advisorId))
    .unique();
  if (profile === null || profile.availability !== "online") return 0;
  const due = await ctx.db
    .query("follows")
    .withIndex("by_advisor_notified", (q) =>
      q
        .eq("advisorId", advisorId)
        .eq("active", true)
        .lte("lastNotifiedAt", now - FOLLOW_RULES.notifyEveryMs),
    )
    .take(FOLLOW_RULES.batchSize);
  for (const row of due) {
    await ctx.db.patch("follows", row._id, { lastNotifiedAt: now });
    await notify(ctx, row.clientId, {
      kind: "advisor_online",
      title: `${profile.displayName} is online now`,
      body: `${profile.displayName}, whom you follow, just came online. Start a session while they are free. (You get this at most once every 6 hours; unfollow any time.)`,
      href: `/advisors/${profile._id}`,
      email: true,
    });
  }
  if (due.length === FOLLOW_RULES.batchSize) await ctx.scheduler.runAfter(0, notifyFollowersRef, { advisorId });
  return due.length;
}
