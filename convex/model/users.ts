import type { UserIdentity } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { can, type Permission } from "../../lib/rolePermissions";
import { fail } from "./errors";

export type Viewer = Doc<"users">;

export async function viewerOrNull(ctx: QueryCtx): Promise<Viewer | null> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) return null;
  return await ctx.db
    .query("users")
    .withIndex("by_token", (q) => q.eq("tokenIdentifier", identity.tokenIdentifier))
    .unique();
}

export async function requireViewer(ctx: QueryCtx): Promise<Viewer> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) fail("UNAUTHENTICATED", "Please sign in to continue.");
  const viewer = await ctx.db
    .query("users")
    .withIndex("by_token", (q) => q.eq("tokenIdentifier", identity.tokenIdentifier))
    .unique();
  if (viewer === null) fail("UNAUTHENTICATED", "Your account is still being set up. Please reload the page.");
  return viewer;
}

export function requirePermission(viewer: Viewer, permission: Permission): void {
  if (!can(viewer.role, permission)) {
    fail("FORBIDDEN", "You are not allowed to do that.");
  }
}

export function requireActive(viewer: Viewer): void {
  if (viewer.status === "suspended") {
    fail("SUSPENDED", "Your account is suspended. Contact support if you think this is a mistake.");
  }
}

/** Creates the user on first sign-in (role client), or refreshes name and email. */
export async function upsertFromIdentity(ctx: MutationCtx, identity: UserIdentity): Promise<Id<"users">> {
  const existing = await ctx.db
    .query("users")
    .withIndex("by_token", (q) => q.eq("tokenIdentifier", identity.tokenIdentifier))
    .unique();
  const name = (identity.name ?? identity.email ?? "New user").slice(0, 80);
  const email = (identity.email ?? "").slice(0, 200);
  if (existing !== null) {
    if (existing.name !== name || existing.email !== email) {
      await ctx.db.patch("users", existing._id, { name, email });
    }
    return existing._id;
  }
  return await ctx.db.insert("users", {
    tokenIdentifier: identity.tokenIdentifier,
    name,
    email,
    role: "client",
    status: "active",
    avatarUrl: identity.pictureUrl,
    createdAt: Date.now(),
  });
}

export async function writeAudit(
  ctx: MutationCtx,
  entry: { actorId: Id<"users"> | null; action: string; targetTable: string; targetId: string; details?: string },
): Promise<void> {
  await ctx.db.insert("auditLog", { ...entry, area: auditArea(entry.action), createdAt: Date.now() });
}

/** "user.suspended" -> "user"; an action without a dot is its own area. */
export function auditArea(action: string): string {
  const dot = action.indexOf(".");
  return dot === -1 ? action : action.slice(0, dot);
}
