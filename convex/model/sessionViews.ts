// What the session reads return (room, receipt, history, ringing requests), built from the session documents.
// The public queries in convex/sessions.ts check access first and then call these.
import type { PaginationOptions } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { SESSION_RULES } from "../../lib/billingEngine";
import { resumerFor } from "../../lib/sessionContact";
import { profileForUser } from "./advisors";
import { walletSummary } from "./ledger";
import { counterpartOf, type ParticipantRole } from "./sessionAccess";
import { MIN_RATED_SECONDS } from "./sessionRating";
import { fundsLimitSeconds, openSessionFor } from "./sessions";
import { settlementOf } from "./sessionSettlement";

async function personOf(ctx: QueryCtx, userId: Id<"users">) {
  const user = await ctx.db.get("users", userId);
  return { _id: userId, name: user?.name ?? "Former user", avatarUrl: user?.avatarUrl ?? null };
}

/** Everything the room needs; the browser computes time and money every second from these numbers. */
export async function roomView(ctx: QueryCtx, session: Doc<"sessions">, role: ParticipantRole | "admin") {
  const [client, advisor] = await Promise.all([personOf(ctx, session.clientId), personOf(ctx, session.advisorId)]);
  const advisorProfile = await profileForUser(ctx, session.advisorId);
  const open = session.status === "active" || session.status === "paused";
  const wallet = role === "client" ? await walletSummary(ctx, session.clientId) : null;
  return {
    _id: session._id,
    role,
    kind: session.kind,
    status: session.status,
    provider: session.provider,
    rateCentsPerMinute: session.rateCentsPerMinute,
    feeBps: role === "client" ? null : session.feeBps,
    freeSeconds: session.freeSeconds,
    requestedAt: session.requestedAt,
    expiresAt: session.expiresAt,
    startedAt: session.startedAt ?? null,
    segments: session.segments,
    pausedAt: session.pausedAt ?? null,
    pauseReason: session.pauseReason ?? null,
    /** The side that may resume this pause (null when not paused). */
    resumer: session.pauseReason === undefined ? null : resumerFor(session.pauseReason),
    endedAt: session.endedAt ?? null,
    endReason: session.endReason ?? null,
    /** Most billable seconds the client's funds (and free time) cover; null when not running. */
    limitSeconds: open ? await fundsLimitSeconds(ctx, session) : null,
    /** The client's own available funds (client only). */
    availableCents: wallet?.availableCents ?? null,
    client,
    advisor: { ...advisor, profileId: advisorProfile?._id ?? null },
    graceMs: SESSION_RULES.graceMs[session.kind],
    costCents: session.costCents ?? null,
  };
}

/** Ringing requests for an advisor (at most 5). */
export async function incomingFor(ctx: QueryCtx, advisorId: Id<"users">) {
  const rows = await ctx.db
    .query("sessions")
    .withIndex("by_advisor_status", (q) => q.eq("advisorId", advisorId).eq("status", "requested"))
    .take(5);
  return await Promise.all(
    rows.map(async (s) => ({
      _id: s._id,
      kind: s.kind,
      rateCentsPerMinute: s.rateCentsPerMinute,
      requestedAt: s.requestedAt,
      expiresAt: s.expiresAt,
      client: await personOf(ctx, s.clientId),
    })),
  );
}

/** A user's open session (either side), for "return to your session" links. */
export async function currentFor(ctx: QueryCtx, userId: Id<"users">) {
  const open = await openSessionFor(ctx, userId);
  if (open === null) return null;
  const other = await personOf(ctx, counterpartOf(open.session, open.role));
  return {
    _id: open.session._id,
    status: open.session.status,
    kind: open.session.kind,
    role: open.role,
    counterpartName: other.name,
  };
}

function historyRow(
  session: Doc<"sessions">,
  counterpart: { name: string; avatarUrl: string | null },
  role: "client" | "advisor",
) {
  return {
    _id: session._id,
    kind: session.kind,
    status: session.status,
    counterpartName: counterpart.name,
    counterpartAvatarUrl: counterpart.avatarUrl,
    rateCentsPerMinute: session.rateCentsPerMinute,
    requestedAt: session.requestedAt,
    startedAt: session.startedAt ?? null,
    endedAt: session.endedAt ?? null,
    billableSeconds: session.billableSeconds ?? null,
    /** Client: what the wallet paid. Advisor: their share. */
    amountCents:
      session.costCents === undefined
        ? null
        : role === "client"
          ? session.costCents - (session.promoCents ?? 0)
          : (session.shareCents ?? 0),
  };
}

export async function historyPage(
  ctx: QueryCtx,
  side: "client" | "advisor",
  userId: Id<"users">,
  paginationOpts: PaginationOptions,
) {
  const page = await ctx.db
    .query("sessions")
    .withIndex(side === "client" ? "by_client" : "by_advisor", (q) =>
      q.eq(side === "client" ? "clientId" : "advisorId", userId),
    )
    .order("desc")
    .paginate(paginationOpts);
  const rows = await Promise.all(
    page.page.map(async (s) => historyRow(s, await personOf(ctx, side === "client" ? s.advisorId : s.clientId), side)),
  );
  return { ...page, page: rows };
}

/** The receipt of a session. The advisor (and admins) also see the share and the platform fee. */
export async function receiptView(ctx: QueryCtx, session: Doc<"sessions">, role: ParticipantRole | "admin") {
  const [client, advisor] = await Promise.all([personOf(ctx, session.clientId), personOf(ctx, session.advisorId)]);
  const review = await ctx.db
    .query("reviews")
    .withIndex("by_session", (q) => q.eq("sessionId", session._id))
    .first();
  const settled = session.status === "ended" ? settlementOf(session) : null;
  const seesSplit = role !== "client";
  return {
    _id: session._id,
    role,
    kind: session.kind,
    status: session.status,
    endReason: session.endReason ?? null,
    client,
    advisor,
    rateCentsPerMinute: session.rateCentsPerMinute,
    requestedAt: session.requestedAt,
    startedAt: session.startedAt ?? null,
    endedAt: session.endedAt ?? null,
    segments: session.segments,
    billableSeconds: settled?.billableSeconds ?? 0,
    freeSeconds: settled?.freeSeconds ?? 0,
    costCents: settled?.costCents ?? 0,
    promoCents: settled?.promoCents ?? 0,
    clientCents: settled?.clientCents ?? 0,
    feeCents: seesSplit ? (settled?.feeCents ?? 0) : null,
    shareCents: seesSplit ? (settled?.shareCents ?? 0) : null,
    feeBps: seesSplit ? session.feeBps : null,
    journalId: seesSplit ? (settled?.journalId ?? null) : null,
    review: review === null ? null : { rating: review.rating, comment: review.comment, createdAt: review.createdAt },
    canRate:
      role === "client" &&
      session.status === "ended" &&
      review === null &&
      (session.billableSeconds ?? 0) >= MIN_RATED_SECONDS,
  };
}
