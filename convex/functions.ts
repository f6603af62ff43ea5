// Wrapped builders: every public function is built from these, never from the raw
// `query`/`mutation`/`action` of ./_generated/server (an ESLint rule enforces it).
// Authenticated builders take a `permission` from lib/rolePermissions.ts, resolve the
// viewer, and refuse unauthenticated or unauthorized callers before the handler runs.
import { customAction, customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import {
  action as rawAction,
  internalAction,
  internalMutation as rawInternalMutation,
  internalQuery,
  httpAction,
  mutation as rawMutation,
  query as rawQuery,
} from "./_generated/server";
import { makeFunctionReference } from "convex/server";
import type { Doc } from "./_generated/dataModel";
import type { Permission } from "../lib/rolePermissions";
import { can } from "../lib/rolePermissions";
import { countedDb } from "./model/counts";
import { fail } from "./model/errors";
import { requireActive, requirePermission, requireViewer, viewerOrNull } from "./model/users";

export { internalAction, internalQuery, httpAction };

/** Internal mutations (crons, workers, webhooks via actions, seed): their writes keep the maintained counts. */
export const internalMutation = customMutation(rawInternalMutation, {
  args: {},
  // Synchronous: customCtx's async wrapper would add two promises to every internal mutation (postings included).
  input: (ctx) => ({ ctx: { db: countedDb(ctx.db) }, args: {} }),
});

type PermissionArg = {
  permission: Permission;
  /**
   * Suspended users are refused every query, mutation and action unless this is set: only writes that stop
   * something (end or cancel a session, mark notifications read) set it. Their account status stays readable
   * through users:viewer (a public query).
   */
  allowSuspended?: boolean;
};

// Referenced by name: importing `internal` here would make the generated API types circular.
const viewerForAction = makeFunctionReference<"query", Record<string, never>, Doc<"users"> | null>(
  "users:viewerForAction",
);

/** Readable without signing in; `ctx.viewer` is the signed-in user or null. */
export const publicQuery = customQuery(
  rawQuery,
  customCtx(async (ctx) => ({ viewer: await viewerOrNull(ctx) })),
);

/** Signed-in, with a permission. `ctx.viewer` is the user document. */
export const query = customQuery(rawQuery, {
  args: {},
  input: async (ctx, _args, { permission, allowSuspended }: PermissionArg) => {
    const viewer = await requireViewer(ctx);
    requirePermission(viewer, permission);
    if (!allowSuspended) requireActive(viewer);
    return { ctx: { viewer }, args: {} };
  },
});

export const mutation = customMutation(rawMutation, {
  args: {},
  input: async (ctx, _args, { permission, allowSuspended }: PermissionArg) => {
    const viewer = await requireViewer(ctx);
    requirePermission(viewer, permission);
    if (!allowSuspended) requireActive(viewer);
    return { ctx: { viewer, db: countedDb(ctx.db) }, args: {} };
  },
});

/** Mutations that only need a verified identity (the user row may not exist yet). */
export const identityMutation = customMutation(rawMutation, {
  args: {},
  input: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) fail("UNAUTHENTICATED", "Please sign in to continue.");
    return { ctx: { identity, db: countedDb(ctx.db) }, args: {} };
  },
});

export const action = customAction(rawAction, {
  args: {},
  input: async (ctx, _args, { permission, allowSuspended }: PermissionArg) => {
    const viewer = await ctx.runQuery(viewerForAction, {});
    if (viewer === null) fail("UNAUTHENTICATED", "Please sign in to continue.");
    if (!can(viewer.role, permission)) fail("FORBIDDEN", "You are not allowed to do that.");
    if (!allowSuspended) requireActive(viewer);
    return { ctx: { viewer }, args: {} };
  },
});
