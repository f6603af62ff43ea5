// Four-eyes on the admin role (issue 19): making someone an admin only files a request; a second admin, who
// is neither the requester nor the person being granted, approves it. Both steps are audited. So one admin
// cannot mint a sock-puppet admin and then approve their own large adjustments through it.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { fail } from "./errors";
import { writeAudit } from "./users";

export async function requestAdminGrant(
  ctx: MutationCtx,
  admin: Doc<"users">,
  user: Doc<"users">,
  reason: string | undefined,
): Promise<Id<"roleGrants">> {
  const pending = await ctx.db
    .query("roleGrants")
    .withIndex("by_user_status", (q) => q.eq("userId", user._id).eq("status", "pending"))
    .first();
  if (pending !== null)
    fail("CONFLICT", `Making ${user.name} an admin is already waiting for a second admin's approval.`);
  const grantId = await ctx.db.insert("roleGrants", {
    userId: user._id,
    role: "admin",
    requestedBy: admin._id,
    ...(reason ? { reason } : {}),
    status: "pending",
    createdAt: Date.now(),
  });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: "user.admin_grant_requested",
    targetTable: "users",
    targetId: user._id,
    details: JSON.stringify({
      grantId,
      before: { role: user.role },
      requested: { role: "admin" },
      ...(reason ? { reason } : {}),
    }),
  });
  return grantId;
}

export async function decideAdminGrant(
  ctx: MutationCtx,
  admin: Doc<"users">,
  grantId: Id<"roleGrants">,
  approve: boolean,
): Promise<void> {
  const grant = await ctx.db.get("roleGrants", grantId);
  if (grant === null) fail("NOT_FOUND", "That request does not exist.");
  if (grant.status !== "pending") fail("CONFLICT", "This request has already been decided.");
  if (grant.requestedBy === admin._id) fail("FORBIDDEN", "A second admin must approve an admin role you asked for.");
  if (grant.userId === admin._id) fail("FORBIDDEN", "You cannot approve your own admin role.");
  const user = await ctx.db.get("users", grant.userId);
  const now = Date.now();
  if (approve) {
    if (user === null || user.status !== "active") fail("CONFLICT", "This account is no longer active.");
    await ctx.db.patch("users", user._id, { role: "admin" });
  }
  await ctx.db.patch("roleGrants", grantId, {
    status: approve ? "approved" : "rejected",
    decidedBy: admin._id,
    decidedAt: now,
  });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: approve ? "user.role_changed" : "user.admin_grant_rejected",
    targetTable: "users",
    targetId: grant.userId,
    details: JSON.stringify({
      grantId,
      requestedBy: grant.requestedBy,
      ...(approve && user ? { before: { role: user.role }, after: { role: "admin" } } : {}),
    }),
  });
}

/** Pending admin grants, oldest first, with whether the viewer may decide each. */
export async function pendingAdminGrants(ctx: QueryCtx, viewer: Doc<"users">) {
  const rows = await ctx.db
    .query("roleGrants")
    .withIndex("by_status", (q) => q.eq("status", "pending"))
    .take(50);
  return await Promise.all(
    rows.map(async (g) => ({
      _id: g._id,
      userId: g.userId,
      userName: (await ctx.db.get("users", g.userId))?.name ?? "Deleted user",
      requestedByName: (await ctx.db.get("users", g.requestedBy))?.name ?? "Deleted user",
      reason: g.reason ?? null,
      createdAt: g.createdAt,
      canDecide: g.requestedBy !== viewer._id && g.userId !== viewer._id,
    })),
  );
}
