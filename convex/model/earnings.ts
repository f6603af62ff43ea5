// Advisor earnings: one row per settled session, pending until the hold period is over, then released
// to the advisor's available balance by a scheduled journal (idempotent by key).
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { SESSION_RULES, type Charge } from "../../lib/billingEngine";
import { postEvent } from "./ledgerEvents";
import { offsetReceivables } from "./receivables";
import { reserveAtRelease } from "./riskHolds";
import { formatMoney } from "../../lib/money";
import { earningsByHour } from "./rollupBuckets";
import { dayOf, dayStartMs, daysBetween, monthStartDay, shiftDay, weekStartDay } from "../../lib/days";

const releaseEarningRef = makeFunctionReference<"mutation", { earningId: Id<"earnings"> }>("earnings:release");

export async function createEarning(
  ctx: MutationCtx,
  input: { session: Doc<"sessions">; charge: Charge; journalId: Id<"journals">; at: number },
): Promise<Id<"earnings">> {
  const availableAt = input.at + SESSION_RULES.earningsHoldMs;
  const earningId = await ctx.db.insert("earnings", {
    advisorId: input.session.advisorId,
    sessionId: input.session._id,
    grossCents: input.charge.costCents,
    feeCents: input.charge.feeCents,
    netCents: input.charge.shareCents,
    feeBps: input.session.feeBps,
    status: "pending",
    settledAt: input.at,
    availableAt,
    settlementJournalId: input.journalId,
  });
  await ctx.scheduler.runAt(availableAt, releaseEarningRef, { earningId });
  return earningId;
}

/**
 * Moves a pending earning to available once its hold is over. Refunds already taken from it are left out,
 * and anything the advisor owes (open receivables) is offset first. Stale or repeated runs do nothing.
 */
export async function releaseEarning(ctx: MutationCtx, earningId: Id<"earnings">, now: number): Promise<boolean> {
  const earning = await ctx.db.get("earnings", earningId);
  if (earning === null || earning.status !== "pending" || earning.availableAt > now) return false;
  const amountCents = earning.netCents - (earning.refundedShareCents ?? 0);
  const offsetCents =
    amountCents > 0 ? await offsetReceivables(ctx, earning.advisorId, amountCents, `earning:${earningId}`, now) : 0;
  // Rolling reserve (issue 19): an active risk hold keeps part of what is left in pending for N more days.
  const reserveCents = await reserveAtRelease(ctx, earning, amountCents - offsetCents, now);
  let releaseJournalId: Id<"journals"> | undefined;
  if (amountCents - offsetCents - reserveCents > 0) {
    ({ journalId: releaseJournalId } = await postEvent(ctx, {
      event: {
        kind: "earnings_released",
        advisorId: earning.advisorId,
        amountCents: amountCents - offsetCents - reserveCents,
      },
      idempotencyKey: `earning:${earningId}:release`,
      refs: { sessionId: earning.sessionId },
      memo:
        offsetCents > 0
          ? `hold period over; ${formatMoney(offsetCents)} offset against what the advisor owes`
          : "hold period over",
      createdAt: now,
    }));
  }
  await ctx.db.patch("earnings", earningId, {
    status:
      amountCents <= 0 ? "refunded" : offsetCents > 0 && offsetCents === amountCents ? "clawed_back" : "available",
    releasedAt: now,
    releaseJournalId,
  });
  return true;
}

/** Daily safety net: releases every pending earning whose hold is over (a missed scheduled run). */
export async function releaseDue(ctx: MutationCtx, now: number, limit = 500): Promise<number> {
  const due = await ctx.db
    .query("earnings")
    .withIndex("by_status_available_at", (q) => q.eq("status", "pending").lte("availableAt", now))
    .take(limit);
  let released = 0;
  for (const earning of due) if (await releaseEarning(ctx, earning._id, now)) released++;
  return released;
}

export type EarningState = "pending" | "available" | "refunded" | "partially_refunded" | "clawed_back" | "offset";

/**
 * What an earning row means now: the advisor's part of refunds (from pending, available or clawed back
 * through a receivable), what the advisor keeps, and one state for the badge. "offset" is a release that
 * went entirely to pay what the advisor owed (the refund itself is counted on the refunded session's row).
 */
export function earningFigures(e: Pick<Doc<"earnings">, "netCents" | "refundedShareCents" | "status">): {
  refundedCents: number;
  keptCents: number;
  state: EarningState;
  onHold: boolean;
} {
  const refundedCents = Math.min(e.refundedShareCents ?? 0, e.netCents);
  const keptCents = e.netCents - refundedCents;
  let state: EarningState;
  if (refundedCents > 0 && keptCents === 0) state = e.status === "clawed_back" ? "clawed_back" : "refunded";
  else if (e.status === "clawed_back") state = refundedCents > 0 ? "clawed_back" : "offset";
  else if (refundedCents > 0) state = "partially_refunded";
  else state = e.status === "refunded" ? "refunded" : e.status;
  return { refundedCents, keptCents, state, onHold: e.status === "pending" };
}

/**
 * Net earnings today, this week (Monday start), this month and per day for the last 30 days, in the advisor's time
 * zone (lib/days.ts). From the maintained advisorEarningHours plus the current hour on the advisor's balance rows
 * (earningsByHour), written by postJournal from the advisor's own legs (earned minus refunded, recovered and clawed
 * back, on the hour the money moved), so the totals agree with the advisor's ledger accounts at once, whatever path
 * posted the journal. Reads at most one row per hour of the period (≤ 31 × 24 + 2) and the advisor's accounts,
 * whatever the number of sessions.
 */
export async function earningsSummary(ctx: QueryCtx, advisorId: Id<"users">, now: number, tz: string) {
  const today = dayOf(now, tz);
  const weekStart = weekStartDay(today);
  const monthStart = monthStartDay(today);
  const chartStart = shiftDay(today, -29);
  const first = [weekStart, monthStart, chartStart].sort()[0]!;
  const hours = await earningsByHour(ctx, advisorId, dayStartMs(first, tz));
  const daily = daysBetween(chartStart, today).map((date) => ({ date, netCents: 0, sessions: 0 }));
  const byDate = new Map(daily.map((d) => [d.date, d]));
  let todayCents = 0;
  let weekCents = 0;
  let monthCents = 0;
  for (const [hourStart, row] of hours) {
    const date = dayOf(hourStart, tz);
    if (date === today) todayCents += row.keptCents;
    if (date >= weekStart) weekCents += row.keptCents;
    if (date >= monthStart) monthCents += row.keptCents;
    const day = byDate.get(date);
    if (day !== undefined) {
      day.netCents += row.keptCents;
      day.sessions += row.sessions;
    }
  }
  return { todayCents, weekCents, monthCents, daily };
}
