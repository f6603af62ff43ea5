// Advisor profile logic: derived keys, rate history, availability and presence, public shapes.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { DEFAULT_FEE_BPS, derivedProfileFields, type Availability } from "../../lib/advisors/rules";
import { fail } from "./errors";
import { writeAudit } from "./users";
import { onAdvisorOnline } from "./follows";
import { onAvailabilityChanged } from "./queue";

export type Profile = Doc<"advisorProfiles">;

export async function profileForUser(ctx: QueryCtx, userId: Id<"users">): Promise<Profile | null> {
  return await ctx.db
    .query("advisorProfiles")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .unique();
}

export async function requireProfile(ctx: QueryCtx, profileId: Id<"advisorProfiles">): Promise<Profile> {
  const profile = await ctx.db.get("advisorProfiles", profileId);
  if (profile === null) fail("NOT_FOUND", "That advisor profile does not exist.");
  return profile;
}

export function feeBpsOf(profile: Profile): number {
  return profile.feeBps ?? DEFAULT_FEE_BPS;
}

type EditableFields = Partial<
  Pick<
    Profile,
    | "displayName"
    | "headline"
    | "bio"
    | "categories"
    | "tags"
    | "languages"
    | "yearsExperience"
    | "avatarUrl"
    | "photoStorageId"
    | "chatRateCentsPerMinute"
    | "videoRateCentsPerMinute"
    | "status"
    | "statusReason"
    | "submittedAt"
    | "reviewedAt"
    | "reviewedBy"
    | "onboardingStep"
    | "feeBps"
    | "preferredAvailability"
    | "inSession"
    | "ratingSum"
    | "ratingCount"
    | "completedSessions"
  >
>;

/** The effective availability: offline unless approved; busy in a session; otherwise the preference. */
export function effectiveAvailability(
  p: Pick<Profile, "status" | "inSession" | "preferredAvailability">,
): Availability {
  if (p.status !== "approved") return "offline";
  if (p.inSession === true) return "busy";
  return p.preferredAvailability ?? "offline";
}

/** Patches a profile and rewrites the derived keys (search text, rating and sort scores, availability). */
export async function patchProfile(ctx: MutationCtx, profile: Profile, patch: EditableFields): Promise<Profile> {
  const next = { ...profile, ...patch };
  const availability = effectiveAvailability(next);
  const full = { ...patch, availability, ...derivedProfileFields({ ...next, availability }) };
  await ctx.db.patch("advisorProfiles", profile._id, full);
  const after = { ...profile, ...full };
  // Issue 24: the queue's offer and followers' "online" notice follow availability changes.
  if (after.availability !== profile.availability) {
    await onAvailabilityChanged(ctx, profile, after, Date.now());
    await onAdvisorOnline(ctx, profile, after);
  }
  return after;
}

/** A fresh draft for a user applying to advise. */
export async function createDraft(ctx: MutationCtx, user: Doc<"users">): Promise<Profile> {
  const base = {
    userId: user._id,
    displayName: user.name.slice(0, 60),
    headline: "",
    bio: "",
    categories: [],
    tags: [],
    languages: [],
    yearsExperience: 0,
    chatRateCentsPerMinute: 0,
    videoRateCentsPerMinute: null,
    status: "draft" as const,
    onboardingStep: 0,
    preferredAvailability: "offline" as const,
    availability: "offline" as const,
    ratingSum: 0,
    ratingCount: 0,
    completedSessions: 0,
    createdAt: Date.now(),
  };
  const id = await ctx.db.insert("advisorProfiles", { ...base, ...derivedProfileFields(base) });
  const created = await ctx.db.get("advisorProfiles", id);
  if (created === null) fail("INTERNAL", "The draft was not created.");
  return created;
}

/** Records rate changes (old, new, who, when) for each channel whose rate changed. */
export async function recordRateChanges(
  ctx: MutationCtx,
  profile: Profile,
  next: { chatRateCentsPerMinute?: number; videoRateCentsPerMinute?: number | null },
  changedBy: Id<"users">,
): Promise<void> {
  const now = Date.now();
  if (next.chatRateCentsPerMinute !== undefined && next.chatRateCentsPerMinute !== profile.chatRateCentsPerMinute) {
    await ctx.db.insert("rateChanges", {
      profileId: profile._id,
      advisorUserId: profile.userId,
      channel: "chat",
      oldCents: profile.chatRateCentsPerMinute === 0 ? null : profile.chatRateCentsPerMinute,
      newCents: next.chatRateCentsPerMinute,
      changedBy,
      changedAt: now,
    });
  }
  if (next.videoRateCentsPerMinute !== undefined && next.videoRateCentsPerMinute !== profile.videoRateCentsPerMinute) {
    await ctx.db.insert("rateChanges", {
      profileId: profile._id,
      advisorUserId: profile.userId,
      channel: "video",
      oldCents: profile.videoRateCentsPerMinute,
      newCents: next.videoRateCentsPerMinute,
      changedBy,
      changedAt: now,
    });
  }
}

/**
 * For the session code (a later issue): mark the advisor busy while a session is live, and back to
 * their chosen availability when it ends. Call inside the mutation that starts or ends the session.
 */
export async function setInSession(ctx: MutationCtx, advisorUserId: Id<"users">, inSession: boolean): Promise<void> {
  const profile = await profileForUser(ctx, advisorUserId);
  if (profile === null) fail("NOT_FOUND", "That advisor has no profile.");
  if ((profile.inSession === true) === inSession) return;
  await patchProfile(ctx, profile, { inSession });
}

/** The rate and fee a session copies at start; refuses when the advisor cannot take the session. */
export function sessionTermsFor(
  profile: Profile,
  kind: "chat" | "video",
): { rateCentsPerMinute: number; feeBps: number } {
  if (profile.status !== "approved") fail("FORBIDDEN", "This advisor is not available.");
  const rate = kind === "chat" ? profile.chatRateCentsPerMinute : profile.videoRateCentsPerMinute;
  if (rate === null) fail("INVALID_ARGUMENT", "This advisor does not offer video sessions.");
  return { rateCentsPerMinute: rate, feeBps: feeBpsOf(profile) };
}

/** Heartbeat from an open advisor app. */
export async function touchPresence(ctx: MutationCtx, profile: Profile, now: number): Promise<void> {
  const row = await ctx.db
    .query("advisorPresence")
    .withIndex("by_user", (q) => q.eq("userId", profile.userId))
    .unique();
  if (row === null)
    await ctx.db.insert("advisorPresence", { userId: profile.userId, profileId: profile._id, lastSeenAt: now });
  else await ctx.db.patch("advisorPresence", row._id, { lastSeenAt: now });
}

/** Marks offline every advisor whose app has been silent since `cutoff`. Returns how many changed. */
export async function sweepPresence(ctx: MutationCtx, cutoff: number, limit = 200): Promise<number> {
  const stale = await ctx.db
    .query("advisorPresence")
    .withIndex("by_last_seen", (q) => q.lt("lastSeenAt", cutoff))
    .take(limit);
  let changed = 0;
  for (const row of stale) {
    const profile = await ctx.db.get("advisorProfiles", row.profileId);
    await ctx.db.delete("advisorPresence", row._id);
    if (profile === null || profile.inSession === true) continue;
    if (profile.preferredAvailability !== undefined && profile.preferredAvailability !== "offline") {
      await patchProfile(ctx, profile, { preferredAvailability: "offline" });
      await writeAudit(ctx, {
        actorId: null,
        action: "advisor.presence_timeout",
        targetTable: "advisorProfiles",
        targetId: profile._id,
        details: `no heartbeat since ${new Date(row.lastSeenAt).toISOString()}`,
      });
      changed++;
    }
  }
  return changed;
}

/** What anyone may see of an approved profile. */
export function publicProfile(profile: Profile) {
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
    availability: profile.availability,
    online: profile.availability === "online",
    ratingCount: profile.ratingCount,
    /** Average rating in tenths of a star (e.g. 45 = 4.5), null without reviews. */
    ratingTenths: profile.ratingCount === 0 ? null : profile.ratingTenths,
    completedSessions: profile.completedSessions,
  };
}
