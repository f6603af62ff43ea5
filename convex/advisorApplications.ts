// The applicant's / advisor's own profile: onboarding steps, uploads, submit for review.
// Any signed-in user may apply; every function works on the viewer's own profile only.
import { v } from "convex/values";
import { mutation, query } from "./functions";
import { categoryValidator } from "./schema";
import { createDraft, patchProfile, profileForUser, recordRateChanges, feeBpsOf, type Profile } from "./model/advisors";
import { fail } from "./model/errors";
import { writeAudit } from "./model/users";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import type { Id } from "./_generated/dataModel";
import { advisorProfilePatchSchema, advisorProfileSchema, firstIssue } from "../lib/schemas/advisorProfile";
import { claimUpload, discardUpload, grantUpload, markAttached } from "./model/uploads";
import { uploadPurposeValidator } from "./model/uploadSchema";
import { baseContentType, isPhotoContentType } from "../lib/uploads";
import { DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, ONBOARDING_STEPS, PHOTO_MAX_BYTES } from "../lib/advisors/rules";

const PERMISSION = "advisor_application:manage_own" as const;

async function documentsOf(ctx: QueryCtx, profileId: Id<"advisorProfiles">) {
  const docs = await ctx.db
    .query("advisorDocuments")
    .withIndex("by_profile", (q) => q.eq("profileId", profileId))
    .order("desc")
    .take(10);
  return docs.map((d) => ({
    _id: d._id,
    fileName: d.fileName,
    contentType: d.contentType,
    size: d.size,
    uploadedAt: d.uploadedAt,
  }));
}

/** The viewer's own profile with private fields (status reason, fee, documents), or null before applying. */
export const myProfile = query({
  permission: PERMISSION,
  args: {},
  handler: async (ctx) => {
    const profile = await profileForUser(ctx, ctx.viewer._id);
    if (profile === null) return null;
    return {
      _id: profile._id,
      status: profile.status,
      statusReason: profile.statusReason ?? null,
      onboardingStep: profile.onboardingStep ?? 0,
      displayName: profile.displayName,
      headline: profile.headline,
      bio: profile.bio,
      categories: profile.categories,
      tags: profile.tags,
      languages: profile.languages,
      yearsExperience: profile.yearsExperience,
      avatarUrl: profile.avatarUrl ?? null,
      hasUploadedPhoto: profile.photoStorageId !== undefined,
      chatRateCentsPerMinute: profile.chatRateCentsPerMinute === 0 ? null : profile.chatRateCentsPerMinute,
      videoRateCentsPerMinute: profile.videoRateCentsPerMinute,
      feeBps: feeBpsOf(profile),
      availability: profile.availability,
      preferredAvailability: profile.preferredAvailability ?? "offline",
      submittedAt: profile.submittedAt ?? null,
      documents: await documentsOf(ctx, profile._id),
      /** Payout accounts (Stripe Connect Express) arrive with the payouts work. */
      payoutAccount: "not_connected" as const,
    };
  },
});

async function ensureDraftable(ctx: MutationCtx, viewer: { _id: Id<"users">; name: string }): Promise<Profile> {
  const existing = await profileForUser(ctx, viewer._id);
  if (existing !== null) {
    if (existing.status === "suspended")
      fail("FORBIDDEN", "Your advisor profile is suspended; contact support to change it.");
    return existing;
  }
  const user = await ctx.db.get("users", viewer._id);
  if (user === null) fail("UNAUTHENTICATED", "Please sign in to continue.");
  return await createDraft(ctx, user);
}

/** Starts an application (idempotent): creates the draft profile. */
export const start = mutation({
  permission: PERMISSION,
  args: {},
  handler: async (ctx) => (await ensureDraftable(ctx, ctx.viewer))._id,
});

const patchArgs = {
  displayName: v.optional(v.string()),
  headline: v.optional(v.string()),
  bio: v.optional(v.string()),
  categories: v.optional(v.array(categoryValidator)),
  tags: v.optional(v.array(v.string())),
  languages: v.optional(v.array(v.string())),
  yearsExperience: v.optional(v.number()),
  chatRateCentsPerMinute: v.optional(v.number()),
  videoRateCentsPerMinute: v.optional(v.union(v.number(), v.null())),
};

/** Shared by saveStep and the API route: validates a partial profile and writes it (rates recorded). */
async function applyPatch(
  ctx: MutationCtx,
  viewerId: Id<"users">,
  profile: Profile,
  raw: Record<string, unknown>,
  step?: number,
) {
  const parsed = advisorProfilePatchSchema.safeParse(raw);
  if (!parsed.success) fail("INVALID_ARGUMENT", firstIssue(parsed.error));
  const patch = parsed.data;
  await recordRateChanges(ctx, profile, patch, viewerId);
  const onboardingStep = step === undefined ? profile.onboardingStep : Math.max(profile.onboardingStep ?? 0, step);
  return await patchProfile(ctx, profile, { ...patch, onboardingStep });
}

/** Saves one onboarding step (any subset of fields, each validated). Nothing is written on bad input. */
export const saveStep = mutation({
  permission: PERMISSION,
  args: { step: v.number(), ...patchArgs },
  handler: async (ctx, { step, ...fields }) => {
    if (!Number.isInteger(step) || step < 0 || step >= ONBOARDING_STEPS.length)
      fail("INVALID_ARGUMENT", "Unknown onboarding step.");
    const profile = await ensureDraftable(ctx, ctx.viewer);
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    await applyPatch(ctx, ctx.viewer._id, profile, defined, step + 1);
    return null;
  },
});

/** Replaces the editable profile (PUT /api/advisor/profile). */
export const updateProfile = mutation({
  permission: PERMISSION,
  args: patchArgs,
  handler: async (ctx, fields) => {
    const profile = await ensureDraftable(ctx, ctx.viewer);
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    await applyPatch(ctx, ctx.viewer._id, profile, defined);
    return null;
  },
});

/** An upload URL for the photo or the verification document (rate-limited; recorded so only you can attach it). */
export const generateUploadUrl = mutation({
  permission: PERMISSION,
  args: { purpose: v.optional(uploadPurposeValidator) },
  handler: async (ctx, { purpose }) => {
    await ensureDraftable(ctx, ctx.viewer);
    await grantUpload(ctx, ctx.viewer._id, purpose ?? "photo", Date.now());
    return await ctx.storage.generateUploadUrl();
  },
});

type AttachResult = { ok: true } | { ok: false; message: string };

/** Claims the caller's own upload (FORBIDDEN for anyone else's file, which is left alone). */
async function checkUploadedFile(
  ctx: MutationCtx,
  userId: Id<"users">,
  storageId: Id<"_storage">,
  purpose: "photo" | "document",
) {
  const claimed = await claimUpload(ctx, userId, storageId, purpose);
  const used = await ctx.db
    .query("advisorDocuments")
    .withIndex("by_storage", (q) => q.eq("storageId", storageId))
    .first();
  if (used !== null) fail("FORBIDDEN", "That file is already attached.");
  return claimed;
}

/**
 * Attaches an uploaded profile photo: raster images only, at most 5 MB. A refused file (the caller's own)
 * is deleted and the result says why (the profile is untouched); throwing would roll back the deletion too.
 */
export const attachPhoto = mutation({
  permission: PERMISSION,
  args: { storageId: v.id("_storage") },
  handler: async (ctx, { storageId }): Promise<AttachResult> => {
    const profile = await ensureDraftable(ctx, ctx.viewer);
    if (profile.photoStorageId === storageId) return { ok: true };
    const { upload, contentType, size } = await checkUploadedFile(ctx, ctx.viewer._id, storageId, "photo");
    let problem: string | null = null;
    if (!isPhotoContentType(contentType)) problem = "The photo must be an image (JPEG, PNG, WebP or GIF).";
    else if (size > PHOTO_MAX_BYTES) problem = "The photo is too large: the limit is 5 MB.";
    else if (size === 0) problem = "The photo file is empty.";
    if (problem !== null) {
      await discardUpload(ctx, ctx.viewer._id, storageId, false);
      return { ok: false, message: problem };
    }
    const url = await ctx.storage.getUrl(storageId);
    if (url === null) fail("INTERNAL", "The uploaded photo could not be served.");
    const previous = profile.photoStorageId;
    const now = Date.now();
    await patchProfile(ctx, profile, {
      photoStorageId: storageId,
      avatarUrl: url,
      onboardingStep: Math.max(profile.onboardingStep ?? 0, 3),
    });
    await markAttached(ctx, upload, now);
    // Only a file this user uploaded is deleted: an older photo may have been someone else's id.
    if (previous !== undefined) await discardUpload(ctx, ctx.viewer._id, previous, false);
    return { ok: true };
  },
});

/** Attaches the private verification document: PDF or image, at most 10 MB. Refused files are deleted. */
export const attachDocument = mutation({
  permission: PERMISSION,
  args: { storageId: v.id("_storage"), fileName: v.string() },
  handler: async (ctx, { storageId, fileName }): Promise<AttachResult> => {
    const profile = await ensureDraftable(ctx, ctx.viewer);
    const name = fileName.trim().slice(0, 120);
    if (name === "") fail("INVALID_ARGUMENT", "The document needs a file name.");
    const { upload, contentType: rawType, size } = await checkUploadedFile(ctx, ctx.viewer._id, storageId, "document");
    const contentType = baseContentType(rawType);
    let problem: string | null = null;
    if (!(DOCUMENT_TYPES as readonly string[]).includes(contentType))
      problem = "The document must be a PDF or an image (PNG, JPEG, WebP).";
    else if (size > DOCUMENT_MAX_BYTES) problem = "The document is too large: the limit is 10 MB.";
    else if (size === 0) problem = "The document file is empty.";
    if (problem === null) {
      const existing = await ctx.db
        .query("advisorDocuments")
        .withIndex("by_profile", (q) => q.eq("profileId", profile._id))
        .take(10);
      if (existing.length >= 5) problem = "You can keep at most 5 documents; remove one first.";
    }
    if (problem !== null) {
      await discardUpload(ctx, ctx.viewer._id, storageId, false);
      return { ok: false, message: problem };
    }
    const now = Date.now();
    await ctx.db.insert("advisorDocuments", {
      profileId: profile._id,
      userId: ctx.viewer._id,
      kind: "verification",
      storageId,
      fileName: name,
      contentType,
      size,
      uploadedAt: now,
    });
    await markAttached(ctx, upload, now);
    await patchProfile(ctx, profile, { onboardingStep: Math.max(profile.onboardingStep ?? 0, 5) });
    return { ok: true };
  },
});

/** Removes one of the viewer's own documents (not while under review). */
export const removeDocument = mutation({
  permission: PERMISSION,
  args: { documentId: v.id("advisorDocuments") },
  handler: async (ctx, { documentId }) => {
    const doc = await ctx.db.get("advisorDocuments", documentId);
    if (doc === null || doc.userId !== ctx.viewer._id) fail("NOT_FOUND", "That document was not found.");
    const profile = await ctx.db.get("advisorProfiles", doc.profileId);
    if (profile?.status === "submitted")
      fail("CONFLICT", "Documents cannot be removed while your application is under review.");
    await ctx.db.delete("advisorDocuments", documentId);
    // Document ids were never public, so a document attached before uploads were recorded is the owner's own.
    await discardUpload(ctx, ctx.viewer._id, doc.storageId, true);
    return null;
  },
});

/** Submits the application for review: the whole profile must be valid and a document attached. */
export const submit = mutation({
  permission: PERMISSION,
  args: {},
  handler: async (ctx) => {
    const profile = await profileForUser(ctx, ctx.viewer._id);
    if (profile === null) fail("NOT_FOUND", "Start your application first.");
    if (profile.status === "submitted") fail("CONFLICT", "Your application is already under review.");
    if (profile.status === "approved") fail("CONFLICT", "Your profile is already approved.");
    if (profile.status === "suspended") fail("FORBIDDEN", "Your advisor profile is suspended.");
    const parsed = advisorProfileSchema.safeParse(profile);
    if (!parsed.success) fail("INVALID_ARGUMENT", `Your profile is not complete: ${firstIssue(parsed.error)}`);
    const docs = await ctx.db
      .query("advisorDocuments")
      .withIndex("by_profile", (q) => q.eq("profileId", profile._id))
      .first();
    if (docs === null) fail("INVALID_ARGUMENT", "Upload a verification document before submitting.");
    await patchProfile(ctx, profile, {
      status: "submitted",
      submittedAt: Date.now(),
      statusReason: undefined,
      onboardingStep: ONBOARDING_STEPS.length - 1,
    });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "advisor.application_submitted",
      targetTable: "advisorProfiles",
      targetId: profile._id,
    });
    return null;
  },
});
