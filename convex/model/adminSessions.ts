// Admin view of sessions across the marketplace: the live board, the history (paginated, indexed) and the
// detail of one session. Reads only; force-end is sessions:adminEnd.
import type { PaginationOptions, PaginationResult } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { FINAL_STATUSES, OPEN_STATUSES, type SessionKind, type SessionStatus } from "../../lib/sessionUtils";
import { fail } from "./errors";
import { fundsLimitSeconds } from "./sessions";

/** At most this many rows per open status on the live board (requested, active, paused). */
export const LIVE_LIMIT_PER_STATUS = 100;
/** Audit entries shown on a session's detail. */
const AUDIT_LIMIT = 50;
/** Journals shown on a session's detail (settlement, release and a few refunds). */
const JOURNAL_LIMIT = 50;

type Session = Doc<"sessions">;
export type Person = { _id: Id<"users">; name: string; email: string | null };

/** Looks users up once per query (a page often repeats the same advisor). */
function personCache(ctx: QueryCtx) {
  const cache = new Map<Id<"users">, Promise<Person>>();
  return (userId: Id<"users">): Promise<Person> => {
    let found = cache.get(userId);
    if (found === undefined) {
      found = ctx.db
        .get("users", userId)
        .then((u) => ({ _id: userId, name: u?.name ?? "Former user", email: u?.email ?? null }));
      cache.set(userId, found);
    }
    return found;
  };
}

/** One row of the live board or the history: enough for the browser to project time and money every second. */
async function rowOf(ctx: QueryCtx, s: Session, person: (id: Id<"users">) => Promise<Person>) {
  const open = s.status === "active" || s.status === "paused";
  const [client, advisor] = await Promise.all([person(s.clientId), person(s.advisorId)]);
  return {
    _id: s._id,
    kind: s.kind,
    status: s.status,
    client,
    advisor,
    rateCentsPerMinute: s.rateCentsPerMinute,
    feeBps: s.feeBps,
    freeSeconds: s.freeSeconds,
    requestedAt: s.requestedAt,
    expiresAt: s.expiresAt,
    startedAt: s.startedAt ?? null,
    segments: s.segments,
    pausedAt: s.pausedAt ?? null,
    pauseReason: s.pauseReason ?? null,
    endedAt: s.endedAt ?? null,
    endReason: s.endReason ?? null,
    /** Most billable seconds the client's funds cover (open sessions only): caps the live projection. */
    limitSeconds: open ? await fundsLimitSeconds(ctx, s) : null,
    billableSeconds: s.billableSeconds ?? null,
    costCents: s.costCents ?? null,
    clientCents: s.costCents === undefined ? null : s.costCents - (s.promoCents ?? 0),
    feeCents: s.feeCents ?? null,
    shareCents: s.shareCents ?? null,
    refundedCents: s.refundedCents ?? 0,
  };
}

export type AdminSessionRow = Awaited<ReturnType<typeof rowOf>>;

/** Every open session (ringing, live, paused), newest request first. Bounded per status. */
export async function liveSessions(ctx: QueryCtx, only?: SessionStatus): Promise<AdminSessionRow[]> {
  const statuses = only ? [only] : OPEN_STATUSES;
  const person = personCache(ctx);
  const groups = await Promise.all(
    statuses.map((status) =>
      ctx.db
        .query("sessions")
        .withIndex("by_status", (q) => q.eq("status", status))
        .order("desc")
        .take(LIVE_LIMIT_PER_STATUS),
    ),
  );
  const sessions = groups.flat().sort((a, b) => b.requestedAt - a.requestedAt);
  return await Promise.all(sessions.map((s) => rowOf(ctx, s, person)));
}

export type HistoryFilters = {
  /** One status; without it, every finished session (ended, declined, expired, cancelled). */
  status?: SessionStatus;
  kind?: SessionKind;
  /** A participant's exact email: their sessions as a client or as an advisor (by their role). */
  participantEmail?: string;
  /** requestedAt range, inclusive, in ms. */
  fromMs?: number;
  toMs?: number;
};

const EMPTY_PAGE: PaginationResult<never> = { page: [], isDone: true, continueCursor: "" };

/**
 * Past sessions, newest first, paginated over an index that narrows them: by participant
 * (by_client / by_advisor), by status (by_status) or all (by creation time, which is the request time).
 * The date range is part of the index range. Kind, and status when another index is used, narrow each
 * page afterwards, so a page may hold fewer rows than asked for (the browser loads more).
 */
export async function historyPage(
  ctx: QueryCtx,
  filters: HistoryFilters,
  paginationOpts: PaginationOptions,
): Promise<PaginationResult<AdminSessionRow>> {
  const from = filters.fromMs ?? 0;
  const to = filters.toMs ?? Number.MAX_SAFE_INTEGER;
  if (from > to) fail("INVALID_ARGUMENT", "The start date is after the end date.");
  let page: PaginationResult<Session>;
  const email = filters.participantEmail?.trim();
  if (email) {
    const user = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email))
      .first();
    if (user === null) return EMPTY_PAGE;
    page =
      user.role === "advisor"
        ? await ctx.db
            .query("sessions")
            .withIndex("by_advisor", (q) => q.eq("advisorId", user._id).gte("requestedAt", from).lte("requestedAt", to))
            .order("desc")
            .paginate(paginationOpts)
        : await ctx.db
            .query("sessions")
            .withIndex("by_client", (q) => q.eq("clientId", user._id).gte("requestedAt", from).lte("requestedAt", to))
            .order("desc")
            .paginate(paginationOpts);
  } else if (filters.status) {
    const status = filters.status;
    page = await ctx.db
      .query("sessions")
      .withIndex("by_status", (q) => q.eq("status", status).gte("requestedAt", from).lte("requestedAt", to))
      .order("desc")
      .paginate(paginationOpts);
  } else {
    page = await ctx.db
      .query("sessions")
      .withIndex("by_creation_time", (q) => q.gte("_creationTime", from).lte("_creationTime", to))
      .order("desc")
      .paginate(paginationOpts);
  }
  const statuses: readonly SessionStatus[] = filters.status ? [filters.status] : FINAL_STATUSES;
  const kept = page.page.filter(
    (s) => statuses.includes(s.status) && (filters.kind === undefined || s.kind === filters.kind),
  );
  const person = personCache(ctx);
  return { ...page, page: await Promise.all(kept.map((s) => rowOf(ctx, s, person))) };
}

/** One session for the admin detail page: the row, both people, presence, settlement, earning and audit. */
export async function sessionDetail(ctx: QueryCtx, sessionId: Id<"sessions">) {
  const session = await ctx.db.get("sessions", sessionId);
  if (session === null) fail("NOT_FOUND", "That session does not exist.");
  const person = personCache(ctx);
  const [row, presence, earning, audit, dispute, journals] = await Promise.all([
    rowOf(ctx, session, person),
    ctx.db
      .query("sessionParticipants")
      .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
      .take(2),
    ctx.db
      .query("earnings")
      .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
      .first(),
    ctx.db
      .query("auditLog")
      .withIndex("by_target", (q) => q.eq("targetTable", "sessions").eq("targetId", sessionId))
      .order("desc")
      .take(AUDIT_LIMIT),
    ctx.db
      .query("sessionDisputes")
      .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
      .first(),
    ctx.db
      .query("journals")
      .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
      .take(JOURNAL_LIMIT),
  ]);
  const heard = (role: "client" | "advisor") => presence.find((p) => p.role === role)?.lastHeartbeatAt ?? null;
  return {
    ...row,
    provider: session.provider,
    endedBy: session.endedBy ? await person(session.endedBy) : null,
    settlementJournalId: session.settlementJournalId ?? null,
    presence: { client: heard("client"), advisor: heard("advisor") },
    earning:
      earning === null
        ? null
        : {
            status: earning.status,
            netCents: earning.netCents,
            availableAt: earning.availableAt,
            releasedAt: earning.releasedAt ?? null,
            refundedShareCents: earning.refundedShareCents ?? 0,
            releaseJournalId: earning.releaseJournalId ?? null,
          },
    disputeId: dispute?._id ?? null,
    /** Every ledger journal of this session (settlement, release, refunds), oldest first. */
    journals: journals.map((j) => ({
      _id: j._id,
      type: j.type,
      amountCents: j.amountCents,
      currency: j.currency,
      createdAt: j.createdAt,
      memo: j.memo,
    })),
    audit: await Promise.all(
      audit.map(async (a) => ({
        _id: a._id,
        action: a.action,
        details: a.details ?? null,
        createdAt: a.createdAt,
        actor: a.actorId === null ? null : await person(a.actorId),
      })),
    ),
  };
}
