// Audit log (issue 10): read-only. Entries are only ever written through writeAudit (convex/model/users.ts);
// there is deliberately no public function that updates or deletes them.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { query } from "./functions";
import { listAudit } from "./model/adminUsers";

/** Newest first; `actorId` narrows to one admin ("system" for operator/automatic entries), `actionPrefix` to an area ("user.") or one action ("user.suspended"). */
export const list = query({
  permission: "admin:users",
  args: {
    actorId: v.optional(v.string()),
    actionPrefix: v.optional(v.string()),
    paginationOpts: paginationOptsValidator,
  },
  handler: async (ctx, { actorId, actionPrefix, paginationOpts }) => {
    let actor: ReturnType<typeof ctx.db.normalizeId<"users">> | undefined;
    if (actorId === undefined || actorId === "") actor = undefined;
    else if (actorId === "system") actor = null;
    else {
      actor = ctx.db.normalizeId("users", actorId);
      if (actor === null) return { page: [], isDone: true, continueCursor: "" };
    }
    return await listAudit(ctx, { actorId: actor, actionPrefix }, paginationOpts);
  },
});

/** Admins who can appear as actors (for the actor filter). */
export const actors = query({
  permission: "admin:users",
  args: {},
  handler: async (ctx) => {
    const admins = await ctx.db
      .query("users")
      .withIndex("by_role", (q) => q.eq("role", "admin"))
      .take(100);
    return admins.map((a) => ({ _id: a._id, name: a.name, email: a.email }));
  },
});
