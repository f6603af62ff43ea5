// Advisor earnings: one row per settled session, pending until the hold period is over, then released
// to the advisor's available balance by a scheduled journal (idempotent by key).
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { SESSION_RULES, type Charge } from "../../lib/billingEngine";
import { postEvent } from "./ledgerEvents";

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

/** Moves a pending earning to available once its hold is over. Stale or repeated runs do nothing. */
export async function releaseEarning(ctx: MutationCtx, earningId: Id<"earnings">, now: number): Promise<boolean> {
  const earning = await ctx.db.get("earnings", earningId);
  if (earning === null || earning.status !== "pending" || earning.availableAt > now) return false;
  const { journalId } = await postEvent(ctx, {
    event: { kind: "earnings_released", advisorId: earning.advisorId, amountCents: earning.netCents },
    idempotencyKey: `earning:${earningId}:release`,
    refs: { sessionId: earning.sessionId },
    memo: "hold period over",
    createdAt: now,
  });
  await ctx.db.patch("earnings", earningId, { status: "available", releasedAt: now, releaseJournalId: journalId });
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
