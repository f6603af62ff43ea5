// Upload ownership. A file in Convex storage has no owner, and photo storage ids are visible in avatar URLs,
// so an attach must prove the caller uploaded the file: generateUploadUrl records a grant per user, and the
// first attach of a file claims a grant of the caller's that was handed out before the file arrived (within
// the upload URL's one-hour lifetime). A file claimed by someone else is refused and never deleted.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { UPLOAD_TTL_MS, UPLOAD_URL_LIFETIME_MS } from "../../lib/uploads";
import { enforceRateLimit } from "./rateLimits";
import { fail } from "./errors";

export type UploadPurpose = Doc<"uploads">["purpose"];

/** Records an upload grant for the user (rate-limited), before the upload URL is handed out. */
export async function grantUpload(
  ctx: MutationCtx,
  userId: Id<"users">,
  purpose: UploadPurpose,
  now: number,
): Promise<void> {
  await enforceRateLimit(ctx, "uploadUrl", userId);
  await ctx.db.insert("uploads", { userId, purpose, createdAt: now });
}

/**
 * The caller's upload row for `storageId`, claiming a grant on first use. Throws NOT_FOUND for a missing
 * file and FORBIDDEN for a file the caller did not upload (nothing is deleted or written then).
 */
export async function claimUpload(
  ctx: MutationCtx,
  userId: Id<"users">,
  storageId: Id<"_storage">,
  purpose: UploadPurpose,
): Promise<{ upload: Doc<"uploads">; contentType: string; size: number }> {
  const meta = await ctx.db.system.get("_storage", storageId);
  if (meta === null) fail("NOT_FOUND", "That upload was not found. Please upload the file again.");
  const file = { contentType: meta.contentType ?? "", size: meta.size };
  const existing = await ctx.db
    .query("uploads")
    .withIndex("by_storage", (q) => q.eq("storageId", storageId))
    .first();
  if (existing !== null) {
    if (existing.userId !== userId) fail("FORBIDDEN", "That file was not uploaded from your account.");
    return { upload: existing, ...file };
  }
  // Bounded: the rate limit keeps a user's recent grants few; the newest 50 cover the last hour.
  const grants = await ctx.db
    .query("uploads")
    .withIndex("by_user", (q) => q.eq("userId", userId).gte("createdAt", meta._creationTime - UPLOAD_URL_LIFETIME_MS))
    .order("desc")
    .take(50);
  const grant = grants.find((g) => g.storageId === undefined && g.createdAt <= meta._creationTime);
  if (grant === undefined) fail("FORBIDDEN", "That file was not uploaded from your account.");
  await ctx.db.patch("uploads", grant._id, { storageId, purpose });
  return { upload: { ...grant, storageId, purpose }, ...file };
}

export async function markAttached(ctx: MutationCtx, upload: Doc<"uploads">, now: number): Promise<void> {
  await ctx.db.patch("uploads", upload._id, { attachedAt: now });
}

/**
 * Deletes a file the user uploaded (a refused attach, a replaced photo, a removed document) with its row.
 * A file with another user's upload row is left alone. `legacy`: files attached before uploads were
 * recorded have no row; the caller says whether such a file is safe to delete.
 */
export async function discardUpload(
  ctx: MutationCtx,
  userId: Id<"users">,
  storageId: Id<"_storage">,
  legacy: boolean,
): Promise<void> {
  const row = await ctx.db
    .query("uploads")
    .withIndex("by_storage", (q) => q.eq("storageId", storageId))
    .first();
  if (row === null ? !legacy : row.userId !== userId) return;
  if (row !== null) await ctx.db.delete("uploads", row._id);
  if ((await ctx.db.system.get("_storage", storageId)) !== null) await ctx.storage.delete(storageId);
}

/**
 * Deletes uploads never attached within 24 h. A claimed row names its file; an unclaimed grant's file (the
 * client uploaded but never attached) is found by time: a file created within the grant's URL lifetime
 * that no upload row or document references.
 */
export async function sweepUnattached(
  ctx: MutationCtx,
  now: number,
  limit = 50,
): Promise<{ rows: number; files: number }> {
  const cutoff = now - UPLOAD_TTL_MS;
  const stale = await ctx.db
    .query("uploads")
    .withIndex("by_attached", (q) => q.eq("attachedAt", undefined).lt("createdAt", cutoff))
    .take(limit);
  let files = 0;
  for (const row of stale) {
    if (row.storageId !== undefined) {
      if ((await ctx.db.system.get("_storage", row.storageId)) !== null) {
        await ctx.storage.delete(row.storageId);
        files += 1;
      }
    } else {
      const candidates = await ctx.db.system
        .query("_storage")
        .withIndex("by_creation_time", (q) =>
          q
            .gte("_creationTime", row.createdAt)
            .lte("_creationTime", Math.min(row.createdAt + UPLOAD_URL_LIFETIME_MS, cutoff)),
        )
        .take(20);
      for (const file of candidates) {
        if (await isReferenced(ctx, file._id)) continue;
        await ctx.storage.delete(file._id);
        files += 1;
      }
    }
    await ctx.db.delete("uploads", row._id);
  }
  return { rows: stale.length, files };
}

async function isReferenced(ctx: MutationCtx, storageId: Id<"_storage">): Promise<boolean> {
  const upload = await ctx.db
    .query("uploads")
    .withIndex("by_storage", (q) => q.eq("storageId", storageId))
    .first();
  if (upload !== null) return true;
  const doc = await ctx.db
    .query("advisorDocuments")
    .withIndex("by_storage", (q) => q.eq("storageId", storageId))
    .first();
  return doc !== null;
}
