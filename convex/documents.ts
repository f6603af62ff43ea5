// Private verification documents: readable by their owner and by admins only.
import { v } from "convex/values";
import { query } from "./functions";
import { fail } from "./model/errors";
import { can } from "../lib/rolePermissions";

/** A short-lived URL for one document, for its owner or an admin. Anyone else: FORBIDDEN. */
export const getDocumentUrl = query({
  permission: "documents:read",
  args: { documentId: v.id("advisorDocuments") },
  handler: async (ctx, { documentId }) => {
    const doc = await ctx.db.get("advisorDocuments", documentId);
    if (doc === null) fail("NOT_FOUND", "That document was not found.");
    const isOwner = doc.userId === ctx.viewer._id;
    if (!isOwner && !can(ctx.viewer.role, "admin:advisors")) {
      fail("FORBIDDEN", "Verification documents are private to the advisor and admins.");
    }
    const url = await ctx.storage.getUrl(doc.storageId);
    if (url === null) fail("NOT_FOUND", "The file is no longer stored.");
    return { url, fileName: doc.fileName, contentType: doc.contentType, size: doc.size };
  },
});
