// Admin console (issue 10): users (search, filters, role changes, suspensions), the audit log and credit limits.
import { requestAdminGrant } from "./roleGrants";
import type { PaginationOptions, PaginationResult } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import type { Role, UserStatus } from "../../lib/rolePermissions";
import { walletSummary } from "./ledger";
import { fail, requireText } from "./errors";
import { writeAudit, type Viewer } from "./users";

export const REASON_MIN = 3;
export const REASON_MAX = 500;
const SEARCH_LIMIT = 25;

export type UserRow = {
  _id: Id<"users">;
  name: string;
  email: string;
  role: Role;
  status: UserStatus;
  statusReason: string | null;
  createdAt: number;
};

export function userRow(user: Doc<"users">): UserRow {
  return {
    _id: user._id,
    name: user.name,
    email: user.email,
    role: user.role,
    status: user.status,
    statusReason: user.statusReason ?? null,
    createdAt: user.createdAt,
  };
}

/** Every user, newest first, narrowed by role and/or status through an index. */
export async function listUsers(
  ctx: QueryCtx,
  { role, status }: { role?: Role; status?: UserStatus },
  paginationOpts: PaginationOptions,
): Promise<PaginationResult<UserRow>> {
  const users = ctx.db.query("users");
  const query =
    role !== undefined && status !== undefined
      ? users.withIndex("by_role_status", (q) => q.eq("role", role).eq("status", status))
      : role !== undefined
        ? users.withIndex("by_role", (q) => q.eq("role", role))
        : status !== undefined
          ? users.withIndex("by_status", (q) => q.eq("status", status))
          : users;
  const result = await query.order("desc").paginate(paginationOpts);
  return { ...result, page: result.page.map(userRow) };
}

/** Full-text search on name and on email (search indexes), role/status as search filters; best matches first. */
export async function searchUsers(
  ctx: QueryCtx,
  { text, role, status }: { text: string; role?: Role; status?: UserStatus },
): Promise<UserRow[]> {
  const term = text.trim().slice(0, 100);
  if (term.length === 0) return [];
  const byName = await ctx.db
    .query("users")
    .withSearchIndex("search_name", (q) => {
      const s = q.search("name", term);
      const r = role === undefined ? s : s.eq("role", role);
      return status === undefined ? r : r.eq("status", status);
    })
    .take(SEARCH_LIMIT);
  const byEmail = await ctx.db
    .query("users")
    .withSearchIndex("search_email", (q) => {
      const s = q.search("email", term);
      const r = role === undefined ? s : s.eq("role", role);
      return status === undefined ? r : r.eq("status", status);
    })
    .take(SEARCH_LIMIT);
  const seen = new Set<string>();
  const rows: UserRow[] = [];
  for (const user of [...byEmail, ...byName]) {
    if (seen.has(user._id)) continue;
    seen.add(user._id);
    rows.push(userRow(user));
  }
  return rows;
}

function checkReason(reason: string): string {
  return requireText(
    reason,
    { min: REASON_MIN, max: REASON_MAX },
    `Give a reason (${REASON_MIN} to ${REASON_MAX} characters).`,
  );
}

async function targetUser(ctx: QueryCtx, admin: Viewer, userId: Id<"users">, verb: string): Promise<Doc<"users">> {
  const user = await ctx.db.get("users", userId);
  if (user === null) fail("NOT_FOUND", "No such user.");
  if (user._id === admin._id) fail("FORBIDDEN", `You cannot ${verb} your own account; ask another admin.`);
  return user;
}

/** Changes a user's role. Refuses your own account and removing the last admin. Audited with before/after. */
export async function changeRole(
  ctx: MutationCtx,
  admin: Viewer,
  { userId, role, reason }: { userId: Id<"users">; role: Role; reason?: string },
): Promise<UserRow> {
  const note = reason === undefined || reason.trim() === "" ? undefined : checkReason(reason);
  const user = await targetUser(ctx, admin, userId, "change the role of");
  if (user.role === role) fail("CONFLICT", `${user.name} is already ${role === "admin" ? "an admin" : `a ${role}`}.`);
  if (user.role === "admin") {
    const admins = await ctx.db
      .query("users")
      .withIndex("by_role_status", (q) => q.eq("role", "admin").eq("status", "active"))
      .take(2);
    if (admins.filter((a) => a._id !== user._id).length === 0) {
      fail("CONFLICT", "This is the last active admin; make someone else an admin first.");
    }
  }
  if (role === "admin") {
    // Four-eyes (issue 19): only a request; a second admin approves it (convex/model/roleGrants.ts).
    await requestAdminGrant(ctx, admin, user, note);
    return userRow(user);
  }
  await ctx.db.patch("users", user._id, { role });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: "user.role_changed",
    targetTable: "users",
    targetId: user._id,
    details: JSON.stringify({ before: { role: user.role }, after: { role }, ...(note ? { reason: note } : {}) }),
  });
  return userRow({ ...user, role });
}

/** Suspends a user with a required reason: they keep read access but every mutation is refused (convex/functions.ts). */
export async function suspendUser(
  ctx: MutationCtx,
  admin: Viewer,
  { userId, reason }: { userId: Id<"users">; reason: string },
): Promise<UserRow> {
  const note = checkReason(reason);
  const user = await targetUser(ctx, admin, userId, "suspend");
  if (user.status === "suspended") fail("CONFLICT", `${user.name} is already suspended.`);
  await ctx.db.patch("users", user._id, { status: "suspended", statusReason: note });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: "user.suspended",
    targetTable: "users",
    targetId: user._id,
    details: JSON.stringify({
      before: { status: user.status, statusReason: user.statusReason ?? null },
      after: { status: "suspended", statusReason: note },
      reason: note,
    }),
  });
  return userRow({ ...user, status: "suspended", statusReason: note });
}

/** Reinstates a suspended user, with a required reason. */
export async function reinstateUser(
  ctx: MutationCtx,
  admin: Viewer,
  { userId, reason }: { userId: Id<"users">; reason: string },
): Promise<UserRow> {
  const note = checkReason(reason);
  const user = await targetUser(ctx, admin, userId, "reinstate");
  if (user.status !== "suspended") fail("CONFLICT", `${user.name} is not suspended.`);
  await ctx.db.patch("users", user._id, { status: "active", statusReason: undefined });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: "user.reinstated",
    targetTable: "users",
    targetId: user._id,
    details: JSON.stringify({
      before: { status: user.status, statusReason: user.statusReason ?? null },
      after: { status: "active", statusReason: null },
      reason: note,
    }),
  });
  return userRow({ ...user, status: "active", statusReason: undefined });
}

const DETAIL_LIMIT = 20;

async function names(ctx: QueryCtx, ids: Iterable<Id<"users"> | null>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of new Set(ids)) {
    if (id === null) continue;
    const user = await ctx.db.get("users", id);
    out.set(id, user?.name ?? "Deleted user");
  }
  return out;
}

/** One user for the admin detail page: profile, wallet, recent sessions and disputes, audit trail. */
export async function userDetail(ctx: QueryCtx, userId: Id<"users">) {
  const user = await ctx.db.get("users", userId);
  if (user === null) return null;
  const [asClient, asAdvisor] = await Promise.all([
    ctx.db
      .query("sessions")
      .withIndex("by_client", (q) => q.eq("clientId", userId))
      .order("desc")
      .take(DETAIL_LIMIT),
    ctx.db
      .query("sessions")
      .withIndex("by_advisor", (q) => q.eq("advisorId", userId))
      .order("desc")
      .take(DETAIL_LIMIT),
  ]);
  const sessions = [...asClient, ...asAdvisor].sort((a, b) => b.requestedAt - a.requestedAt).slice(0, DETAIL_LIMIT);
  const [disputesAsClient, disputesAsAdvisor] = await Promise.all([
    ctx.db
      .query("sessionDisputes")
      .withIndex("by_client", (q) => q.eq("clientId", userId))
      .order("desc")
      .take(DETAIL_LIMIT),
    ctx.db
      .query("sessionDisputes")
      .withIndex("by_advisor", (q) => q.eq("advisorId", userId))
      .order("desc")
      .take(DETAIL_LIMIT),
  ]);
  const disputes = [...disputesAsClient, ...disputesAsAdvisor]
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, DETAIL_LIMIT);
  const audit = await ctx.db
    .query("auditLog")
    .withIndex("by_target", (q) => q.eq("targetTable", "users").eq("targetId", userId))
    .order("desc")
    .take(50);
  const who = await names(ctx, [
    ...sessions.flatMap((s) => [s.clientId, s.advisorId]),
    ...disputes.flatMap((d) => [d.clientId, d.advisorId]),
    ...audit.map((a) => a.actorId),
  ]);
  return {
    user: userRow(user),
    wallet: user.role === "client" ? await walletSummary(ctx, userId) : null,
    sessions: sessions.map((s) => ({
      _id: s._id,
      kind: s.kind,
      status: s.status,
      asRole: s.clientId === userId ? ("client" as const) : ("advisor" as const),
      counterpart: who.get(s.clientId === userId ? s.advisorId : s.clientId) ?? "",
      requestedAt: s.requestedAt,
      billableSeconds: s.billableSeconds ?? null,
      costCents: s.costCents ?? null,
    })),
    disputes: disputes.map((d) => ({
      _id: d._id,
      sessionId: d.sessionId,
      status: d.status,
      category: d.category,
      asRole: d.clientId === userId ? ("client" as const) : ("advisor" as const),
      counterpart: who.get(d.clientId === userId ? d.advisorId : d.clientId) ?? "",
      requestedRefundCents: d.requestedRefundCents,
      refundCents: d.refundCents ?? null,
      createdAt: d.createdAt,
    })),
    audit: audit.map((a) => auditRow(a, who)),
  };
}

export type AuditRow = {
  _id: Id<"auditLog">;
  action: string;
  actorId: Id<"users"> | null;
  actorName: string | null;
  targetTable: string;
  targetId: string;
  details: string | null;
  createdAt: number;
};

function auditRow(entry: Doc<"auditLog">, who: Map<string, string>): AuditRow {
  return {
    _id: entry._id,
    action: entry.action,
    actorId: entry.actorId,
    actorName: entry.actorId === null ? null : (who.get(entry.actorId) ?? "Deleted user"),
    targetTable: entry.targetTable,
    targetId: entry.targetId,
    details: entry.details ?? null,
    createdAt: entry.createdAt,
  };
}

/**
 * The audit log, newest first. Actor through the by_actor index; the action prefix is matched on each page
 * (auditLog has no action index, so a page may hold fewer rows than asked; the cursor still advances).
 */
export async function listAudit(
  ctx: QueryCtx,
  { actorId, actionPrefix }: { actorId?: Id<"users"> | null; actionPrefix?: string },
  paginationOpts: PaginationOptions,
): Promise<PaginationResult<AuditRow>> {
  // "user." filters by area, "user.suspended" by exact action; each combination has its own index.
  const wanted = actionPrefix?.trim().toLowerCase() ?? "";
  const area = wanted.endsWith(".") ? wanted.slice(0, -1) : null;
  const action = wanted !== "" && area === null ? wanted : null;
  const table = ctx.db.query("auditLog");
  const query =
    actorId !== undefined
      ? area !== null
        ? table.withIndex("by_actor_area", (q) => q.eq("actorId", actorId).eq("area", area))
        : action !== null
          ? table.withIndex("by_actor_action", (q) => q.eq("actorId", actorId).eq("action", action))
          : table.withIndex("by_actor", (q) => q.eq("actorId", actorId))
      : area !== null
        ? table.withIndex("by_area", (q) => q.eq("area", area))
        : action !== null
          ? table.withIndex("by_action", (q) => q.eq("action", action))
          : table;
  const result = await query.order("desc").paginate(paginationOpts);
  const who = await names(
    ctx,
    result.page.map((e) => e.actorId),
  );
  return { ...result, page: result.page.map((e) => auditRow(e, who)) };
}

// Credit limits (the list and the maintained totals) live in ./creditLimits.
