import { v } from "convex/values";
import { identityMutation, internalMutation, internalQuery, publicQuery } from "./functions";
import { roleValidator } from "./schema";
import { upsertFromIdentity, viewerOrNull, writeAudit } from "./model/users";
import { fail } from "./model/errors";
import type { Doc } from "./_generated/dataModel";

const viewerFields = (user: Doc<"users">) => ({
  _id: user._id,
  name: user.name,
  email: user.email,
  role: user.role,
  status: user.status,
  avatarUrl: user.avatarUrl ?? null,
});

/** The signed-in user, or null when signed out or not yet created. */
export const viewer = publicQuery({
  args: {},
  handler: async (ctx) => (ctx.viewer === null ? null : viewerFields(ctx.viewer)),
});

/** Called by the browser after sign-in: creates the user row on first sign-in (role client). */
export const ensureViewer = identityMutation({
  args: {},
  handler: async (ctx) => {
    const userId = await upsertFromIdentity(ctx, ctx.identity);
    const user = await ctx.db.get("users", userId);
    if (user === null) fail("INTERNAL", "User was not created.");
    return viewerFields(user);
  },
});

export const viewerForAction = internalQuery({
  args: {},
  handler: async (ctx) => await viewerOrNull(ctx),
});

/** Operator bootstrap (e.g. the first admin on a real deployment): `npx convex run users:setRoleByEmail`. */
export const setRoleByEmail = internalMutation({
  args: { email: v.string(), role: roleValidator },
  handler: async (ctx, { email, role }) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email))
      .first();
    if (user === null) fail("NOT_FOUND", `No user with email ${email}.`);
    await ctx.db.patch("users", user._id, { role });
    await writeAudit(ctx, {
      actorId: null,
      action: "user.role_changed",
      targetTable: "users",
      targetId: user._id,
      details: `${user.role} -> ${role} (operator)`,
    });
    return user._id;
  },
});
