// Admin review of advisor applications: queue, documents, approve / reject / suspend / reinstate,
// per-advisor platform fee, and the rate and fee change history. Every change is audited.
import { v } from "convex/values";
import { paginationOptsValidator } from "convex/server";
import { mutation, query } from "./functions";
import { advisorProfileStatusValidator } from "./schema";
import { feeBpsOf, patchProfile, requireProfile } from "./model/advisors";
import { REASON_LENGTH, fail, requireText } from "./model/errors";
import { writeAudit } from "./model/users";
import { notify } from "./model/notifications";
import { countOrScan } from "./model/counts";
import { MAX_FEE_BPS } from "../lib/advisors/rules";
import { firstIssue, rejectReasonSchema } from "../lib/schemas/advisorProfile";
import type { Doc, Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";

const PERMISSION = "admin:advisors" as const;

async function summary(ctx: QueryCtx, p: Doc<"advisorProfiles">) {
  const user = await ctx.db.get("users", p.userId);
  const documents = await ctx.db
    .query("advisorDocuments")
    .withIndex("by_profile", (q) => q.eq("profileId", p._id))
    .order("desc")
    .take(10);
  return {
    _id: p._id,
    userId: p.userId,
    email: user?.email ?? "",
    userRole: user?.role ?? null,
    displayName: p.displayName,
    headline: p.headline,
    bio: p.bio,
    categories: p.categories,
    tags: p.tags,
    languages: p.languages,
    yearsExperience: p.yearsExperience,
    avatarUrl: p.avatarUrl ?? null,
    chatRateCentsPerMinute: p.chatRateCentsPerMinute,
    videoRateCentsPerMinute: p.videoRateCentsPerMinute,
    status: p.status,
    statusReason: p.statusReason ?? null,
    submittedAt: p.submittedAt ?? null,
    reviewedAt: p.reviewedAt ?? null,
    feeBps: feeBpsOf(p),
    availability: p.availability,
    documents: documents.map((d) => ({
      _id: d._id,
      fileName: d.fileName,
      contentType: d.contentType,
      size: d.size,
      uploadedAt: d.uploadedAt,
    })),
  };
}

/** Profiles by status; the submitted queue is oldest first. */
export const listByStatus = query({
  permission: PERMISSION,
  args: { status: advisorProfileStatusValidator, paginationOpts: paginationOptsValidator },
  handler: async (ctx, { status, paginationOpts }) => {
    const result = await ctx.db
      .query("advisorProfiles")
      .withIndex("by_status_submitted", (q) => q.eq("status", status))
      .order(status === "submitted" ? "asc" : "desc")
      .paginate({ ...paginationOpts, numItems: Math.min(paginationOpts.numItems, 50) });
    return { ...result, page: await Promise.all(result.page.map((p) => summary(ctx, p))) };
  },
});

/** Counts per status for the queue tabs (bounded). */
export const statusCounts = query({
  permission: PERMISSION,
  args: {},
  handler: async (ctx) => {
    const statuses = ["submitted", "approved", "rejected", "suspended", "draft"] as const;
    const counts = await Promise.all(
      // Maintained counters; until their backfill is done, a scan capped at 1,000 per status.
      statuses.map(async (status) => {
        const count = await countOrScan(ctx, "advisorProfiles", `advisors.status.${status}`, () =>
          ctx.db
            .query("advisorProfiles")
            .withIndex("by_status_submitted", (q) => q.eq("status", status))
            .take(1000),
        );
        return [status, count] as const;
      }),
    );
    return Object.fromEntries(counts) as Record<(typeof statuses)[number], number>;
  },
});

export const getApplication = query({
  permission: PERMISSION,
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await ctx.db.get("advisorProfiles", profileId);
    return profile === null ? null : await summary(ctx, profile);
  },
});

export const approve = mutation({
  permission: PERMISSION,
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await requireProfile(ctx, profileId);
    if (profile.status !== "submitted")
      fail("CONFLICT", `Only submitted applications can be approved (this one is ${profile.status}).`);
    const user = await ctx.db.get("users", profile.userId);
    if (user === null) fail("NOT_FOUND", "The applicant's account no longer exists.");
    await patchProfile(ctx, profile, {
      status: "approved",
      statusReason: undefined,
      reviewedAt: Date.now(),
      reviewedBy: ctx.viewer._id,
    });
    if (user.role === "client") await ctx.db.patch("users", user._id, { role: "advisor" });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "advisor.approved",
      targetTable: "advisorProfiles",
      targetId: profileId,
    });
    await notify(ctx, profile.userId, {
      kind: "advisor_approved",
      title: "Your advisor application was approved",
      body: "Welcome aboard! Go online from your dashboard to start taking sessions.",
      href: "/advisor-dashboard",
      email: true,
    });
    return null;
  },
});

export const reject = mutation({
  permission: PERMISSION,
  args: { profileId: v.id("advisorProfiles"), reason: v.string() },
  handler: async (ctx, { profileId, reason }) => {
    const parsed = rejectReasonSchema.safeParse(reason);
    if (!parsed.success) fail("INVALID_ARGUMENT", firstIssue(parsed.error));
    const profile = await requireProfile(ctx, profileId);
    if (profile.status !== "submitted")
      fail("CONFLICT", `Only submitted applications can be rejected (this one is ${profile.status}).`);
    await patchProfile(ctx, profile, {
      status: "rejected",
      statusReason: parsed.data,
      reviewedAt: Date.now(),
      reviewedBy: ctx.viewer._id,
    });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "advisor.rejected",
      targetTable: "advisorProfiles",
      targetId: profileId,
      details: parsed.data,
    });
    await notify(ctx, profile.userId, {
      kind: "advisor_rejected",
      title: "Your advisor application was not approved",
      body: `Reason: ${parsed.data}. You can update your profile and apply again.`,
      href: "/advisor/setup",
      email: true,
    });
    return null;
  },
});

/** Suspends an approved advisor: unlisted and offline at once; the reason is shown to them. */
export const suspend = mutation({
  permission: PERMISSION,
  args: { profileId: v.id("advisorProfiles"), reason: v.string() },
  handler: async (ctx, { profileId, reason }) => {
    const parsed = rejectReasonSchema.safeParse(reason);
    if (!parsed.success) fail("INVALID_ARGUMENT", firstIssue(parsed.error));
    const profile = await requireProfile(ctx, profileId);
    if (profile.status !== "approved")
      fail("CONFLICT", `Only approved advisors can be suspended (this one is ${profile.status}).`);
    await patchProfile(ctx, profile, {
      status: "suspended",
      statusReason: parsed.data,
      preferredAvailability: "offline",
      reviewedAt: Date.now(),
      reviewedBy: ctx.viewer._id,
    });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "advisor.suspended",
      targetTable: "advisorProfiles",
      targetId: profileId,
      details: parsed.data,
    });
    return null;
  },
});

export const reinstate = mutation({
  permission: PERMISSION,
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await requireProfile(ctx, profileId);
    if (profile.status !== "suspended") fail("CONFLICT", "Only suspended advisors can be reinstated.");
    await patchProfile(ctx, profile, {
      status: "approved",
      statusReason: undefined,
      reviewedAt: Date.now(),
      reviewedBy: ctx.viewer._id,
    });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "advisor.reinstated",
      targetTable: "advisorProfiles",
      targetId: profileId,
    });
    return null;
  },
});

/** Sets the advisor's platform fee for new sessions (basis points, 0..5000), audited with a reason. */
export const setFeeBps = mutation({
  permission: PERMISSION,
  args: { profileId: v.id("advisorProfiles"), feeBps: v.number(), reason: v.string() },
  handler: async (ctx, { profileId, feeBps, reason }) => {
    if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > MAX_FEE_BPS) {
      fail("INVALID_ARGUMENT", "The fee must be a whole number of basis points between 0 (0%) and 5000 (50%).");
    }
    const text = requireText(reason, REASON_LENGTH, "Give a reason for the fee change (3 to 500 characters).");
    const profile = await requireProfile(ctx, profileId);
    const oldBps = feeBpsOf(profile);
    if (oldBps === feeBps) return null;
    await patchProfile(ctx, profile, { feeBps });
    await ctx.db.insert("feeChanges", {
      profileId,
      advisorUserId: profile.userId,
      oldBps,
      newBps: feeBps,
      reason: text,
      changedBy: ctx.viewer._id,
      changedAt: Date.now(),
    });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "advisor.fee_changed",
      targetTable: "advisorProfiles",
      targetId: profileId,
      details: `${oldBps} -> ${feeBps} bps: ${text}`,
    });
    return null;
  },
});

/** The advisor a rate or fee change belongs to, and who made it. */
async function changeContext(ctx: QueryCtx, change: { profileId: Id<"advisorProfiles">; changedBy: Id<"users"> }) {
  const profile = await ctx.db.get("advisorProfiles", change.profileId);
  const who = await ctx.db.get("users", change.changedBy);
  return { advisorName: profile?.displayName ?? "Removed advisor", who };
}

/** Rate changes, newest first: advisor, channel, old, new, who, when. */
export const listRateChanges = query({
  permission: PERMISSION,
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const result = await ctx.db.query("rateChanges").withIndex("by_changed_at").order("desc").paginate(paginationOpts);
    const page = await Promise.all(
      result.page.map(async (c) => {
        const { advisorName, who } = await changeContext(ctx, c);
        return {
          _id: c._id,
          profileId: c.profileId,
          advisorName,
          channel: c.channel,
          oldCents: c.oldCents,
          newCents: c.newCents,
          changedByName: who?.name ?? "Unknown",
          changedByRole: who?.role ?? null,
          changedAt: c.changedAt,
        };
      }),
    );
    return { ...result, page };
  },
});

/** Fee changes, newest first. */
export const listFeeChanges = query({
  permission: PERMISSION,
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const result = await ctx.db.query("feeChanges").withIndex("by_changed_at").order("desc").paginate(paginationOpts);
    const page = await Promise.all(
      result.page.map(async (c) => {
        const { advisorName, who } = await changeContext(ctx, c);
        return {
          _id: c._id,
          profileId: c.profileId,
          advisorName,
          oldBps: c.oldBps,
          newBps: c.newBps,
          reason: c.reason,
          changedByName: who?.name ?? "Unknown",
          changedAt: c.changedAt,
        };
      }),
    );
    return { ...result, page };
  },
});
