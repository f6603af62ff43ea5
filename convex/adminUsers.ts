// Admin users page (issue 10): list, search, detail, role changes, suspensions; credit-limit overview.
import {
  decideAdminGrant as decideAdminGrantModel,
  pendingAdminGrants as pendingAdminGrantsModel,
} from "./model/roleGrants";
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { mutation, query } from "./functions";
import { roleValidator, userStatusValidator } from "./schema";
import {
  changeRole as changeRoleModel,
  listUsers,
  reinstateUser,
  searchUsers,
  suspendUser,
  userDetail,
} from "./model/adminUsers";
import { creditTotals, listCreditLimits } from "./model/creditLimits";

/** Every user, newest first, optionally by role and status (paginated). */
export const list = query({
  permission: "admin:users",
  args: {
    role: v.optional(roleValidator),
    status: v.optional(userStatusValidator),
    paginationOpts: paginationOptsValidator,
  },
  handler: async (ctx, { role, status, paginationOpts }) => await listUsers(ctx, { role, status }, paginationOpts),
});

/** Name or email search (best matches first, up to 50), with the same role/status filters. */
export const search = query({
  permission: "admin:users",
  args: { text: v.string(), role: v.optional(roleValidator), status: v.optional(userStatusValidator) },
  handler: async (ctx, args) => await searchUsers(ctx, args),
});

/** One user: profile, wallet, sessions, disputes and audit trail; null for an unknown id. */
export const detail = query({
  permission: "admin:users",
  args: { userId: v.string() },
  handler: async (ctx, { userId }) => {
    const id = ctx.db.normalizeId("users", userId);
    const detail = id === null ? null : await userDetail(ctx, id);
    return detail === null ? null : { ...detail, isSelf: detail.user._id === ctx.viewer._id };
  },
});

/** Changes a user's role (not your own; never the last admin). Audited with before/after. */
export const changeRole = mutation({
  permission: "admin:users",
  args: { userId: v.id("users"), role: roleValidator, reason: v.optional(v.string()) },
  handler: async (ctx, args) => await changeRoleModel(ctx, ctx.viewer, args),
});

/** Suspends a user with a required reason (they can still sign in and read, but cannot act). */
export const suspend = mutation({
  permission: "admin:users",
  args: { userId: v.id("users"), reason: v.string() },
  handler: async (ctx, args) => await suspendUser(ctx, ctx.viewer, args),
});

/** Reinstates a suspended user, with a required reason. */
export const reinstate = mutation({
  permission: "admin:users",
  args: { userId: v.id("users"), reason: v.string() },
  handler: async (ctx, args) => await reinstateUser(ctx, ctx.viewer, args),
});

/** Clients with a credit limit and their usage, a page at a time: over the limit first, then near (>= 80 %), then ok. */
export const creditLimits = query({
  permission: "admin:billing",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => await listCreditLimits(ctx, paginationOpts),
});

/** Maintained credit-limit totals (wallets, limits, in use, near, over); `exact` is false until the backfill is done. */
export const creditLimitTotals = query({
  permission: "admin:billing",
  args: {},
  handler: async (ctx) => await creditTotals(ctx),
});

/** Admin role requests waiting for a second admin (four-eyes, issue 19). */
export const pendingAdminGrants = query({
  permission: "admin:users",
  args: {},
  handler: async (ctx) => await pendingAdminGrantsModel(ctx, ctx.viewer),
});

/** A second admin (not the requester, not the person granted) approves or rejects an admin role request. */
export const decideAdminGrant = mutation({
  permission: "admin:users",
  args: { grantId: v.id("roleGrants"), approve: v.boolean() },
  handler: async (ctx, { grantId, approve }) => await decideAdminGrantModel(ctx, ctx.viewer, grantId, approve),
});
