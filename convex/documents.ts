// Private verification documents: readable by their owner and by admins only. They are never given a storage
// URL (those never expire): the bytes are served by the HTTP action GET /documents/file (convex/http.ts),
// which checks the viewer's identity, status and role on every request; the app reaches it through
// /api/documents/[id] with the viewer's token.
import { v } from "convex/values";
import { internalQuery } from "./functions";
import { viewerOrNull } from "./model/users";
import { can } from "../lib/rolePermissions";
import type { Id } from "./_generated/dataModel";

type DocumentAccess =
  | { ok: true; storageId: Id<"_storage">; fileName: string; contentType: string }
  | { ok: false; status: 401 | 403 | 404; message: string };

/** The document for the calling identity, or why not (run by the HTTP action with the caller's auth). */
export const documentForViewer = internalQuery({
  args: { documentId: v.string() },
  handler: async (ctx, { documentId }): Promise<DocumentAccess> => {
    const viewer = await viewerOrNull(ctx);
    if (viewer === null) return { ok: false, status: 401, message: "Please sign in to continue." };
    if (viewer.status === "suspended") return { ok: false, status: 403, message: "Your account is suspended." };
    if (!can(viewer.role, "documents:read"))
      return { ok: false, status: 403, message: "You are not allowed to do that." };
    const id = ctx.db.normalizeId("advisorDocuments", documentId);
    const doc = id === null ? null : await ctx.db.get("advisorDocuments", id);
    if (doc === null) return { ok: false, status: 404, message: "That document was not found." };
    if (doc.userId !== viewer._id && !can(viewer.role, "admin:advisors")) {
      return { ok: false, status: 403, message: "Verification documents are private to the advisor and admins." };
    }
    return { ok: true, storageId: doc.storageId, fileName: doc.fileName, contentType: doc.contentType };
  },
});
