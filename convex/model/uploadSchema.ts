import { defineTable } from "convex/server";
import { v } from "convex/values";

export const uploadPurposeValidator = v.union(v.literal("photo"), v.literal("document"));

export const uploadTables = {
  // One row per upload URL handed out (a grant): who asked and when. The first attach of a file claims the
  // grant (storageId set), binding the file to its uploader; attachedAt marks it in use. Rows never attached
  // are swept with their files after 24 h (convex/model/uploads.ts).
  uploads: defineTable({
    userId: v.id("users"),
    purpose: uploadPurposeValidator,
    createdAt: v.number(),
    storageId: v.optional(v.id("_storage")),
    attachedAt: v.optional(v.number()),
  })
    .index("by_storage", ["storageId"])
    .index("by_user", ["userId", "createdAt"])
    .index("by_attached", ["attachedAt", "createdAt"]),
};
