// Adjustments of an advisor's pay on a completed session: underpaid posts a credit that is held like earnings and
// then released; overpaid opens a receivable the advisor owes back. Once one admin's adjustments to one advisor pass
// the threshold within 24 h, a second admin must approve.
// Every decision is audit-logged; journals are keyed so nothing posts twice.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { makeFunctionReference } from "convex/server";
import { DISPUTE_RULES } from "../../lib/disputes";
import { SESSION_RULES } from "../../lib/billingEngine";
import { formatMoney } from "../../lib/money";
import { text } from "./disputes";
import { fail } from "./errors";
import { postEvent } from "./ledgerEvents";
import { openReceivable } from "./receivables";
import { writeAudit } from "./users";

const ADJUSTMENT_WINDOW_MS = 24 * 60 * 60_000;
/** Most of one admin's adjustments to one advisor in the four-eyes window that one check reads. */
export const RECENT_ADJUSTMENTS_READ = 200;
const releaseAdjustmentRef = makeFunctionReference<"mutation", { adjustmentId: Id<"adjustments"> }>(
  "disputes:releaseAdjustment",
);

export async function createAdjustment(
  ctx: MutationCtx,
  admin: Doc<"users">,
  input: {
    sessionId: Id<"sessions">;
    direction: "advisor_underpaid" | "advisor_overpaid";
    amountCents: number;
    reason: string;
  },
  now: number,
): Promise<{ adjustmentId: Id<"adjustments">; status: "posted" | "pending_approval" }> {
  const session = await ctx.db.get("sessions", input.sessionId);
  if (session === null) fail("NOT_FOUND", "That session does not exist.");
  if (session.status !== "ended") fail("CONFLICT", "Only a completed session can be adjusted.");
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0 || input.amountCents > 10_000_00) {
    fail("INVALID_ARGUMENT", "The amount must be between $0.01 and $10,000.00, in whole cents.");
  }
  const reason = text(input.reason, "A reason", DISPUTE_RULES.noteMaxChars, 3);
  if (session.advisorId === admin._id) fail("FORBIDDEN", "You cannot adjust your own pay; ask another admin.");
  // Four-eyes on the sum: this admin's adjustments to this advisor in the last 24 h, this one included.
  const recent = await ctx.db
    .query("adjustments")
    .withIndex("by_creator_advisor", (q) =>
      q
        .eq("createdBy", admin._id)
        .eq("advisorId", session.advisorId)
        .gte("createdAt", now - ADJUSTMENT_WINDOW_MS),
    )
    .take(RECENT_ADJUSTMENTS_READ);
  const recentCents = recent.reduce((sum, a) => sum + (a.status === "rejected" ? 0 : a.amountCents), 0);
  // More adjustments in the window than one read takes: their sum is unknown, so a second admin decides (else
  // many tiny ones would hide the rest of the window from the sum).
  const needsApproval =
    recent.length === RECENT_ADJUSTMENTS_READ ||
    recentCents + input.amountCents > DISPUTE_RULES.adjustmentApprovalThresholdCents;
  const adjustmentId = await ctx.db.insert("adjustments", {
    sessionId: session._id,
    advisorId: session.advisorId,
    direction: input.direction,
    amountCents: input.amountCents,
    reason,
    status: "pending_approval",
    createdBy: admin._id,
    createdAt: now,
  });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: "adjustment.create",
    targetTable: "adjustments",
    targetId: adjustmentId,
    details: `${input.direction} ${formatMoney(input.amountCents)}: ${reason}`,
  });
  if (!needsApproval) await postAdjustment(ctx, adjustmentId, admin._id, now);
  return { adjustmentId, status: needsApproval ? "pending_approval" : "posted" };
}

async function postAdjustment(
  ctx: MutationCtx,
  adjustmentId: Id<"adjustments">,
  deciderId: Id<"users">,
  now: number,
): Promise<void> {
  const adjustment = (await ctx.db.get("adjustments", adjustmentId))!;
  const { journalId } = await postEvent(ctx, {
    event: {
      kind: "session_adjusted",
      advisorId: adjustment.advisorId,
      amountCents: adjustment.amountCents,
      direction: adjustment.direction,
    },
    idempotencyKey: `adjustment:${adjustmentId}`,
    refs: { sessionId: adjustment.sessionId },
    actorId: deciderId,
    memo: adjustment.reason,
  });
  const releaseAt = now + SESSION_RULES.earningsHoldMs;
  await ctx.db.patch("adjustments", adjustmentId, {
    status: "posted",
    journalId,
    decidedBy: deciderId,
    decidedAt: now,
    ...(adjustment.direction === "advisor_underpaid" ? { releaseAt } : {}),
  });
  if (adjustment.direction === "advisor_underpaid")
    await ctx.scheduler.runAt(releaseAt, releaseAdjustmentRef, { adjustmentId });
  if (adjustment.direction === "advisor_overpaid") {
    await openReceivable(ctx, {
      advisorId: adjustment.advisorId,
      sessionId: adjustment.sessionId,
      source: "adjustment",
      reason: adjustment.reason,
      amountCents: adjustment.amountCents,
    });
  }
}

/** A second admin approves or rejects an adjustment above the threshold. */
export async function decideAdjustment(
  ctx: MutationCtx,
  admin: Doc<"users">,
  adjustmentId: Id<"adjustments">,
  approve: boolean,
  now: number,
): Promise<void> {
  const adjustment = await ctx.db.get("adjustments", adjustmentId);
  if (adjustment === null) fail("NOT_FOUND", "That adjustment does not exist.");
  if (adjustment.status !== "pending_approval") fail("CONFLICT", "This adjustment has already been decided.");
  if (adjustment.createdBy === admin._id) fail("FORBIDDEN", "A second admin must approve this adjustment.");
  if (adjustment.advisorId === admin._id) fail("FORBIDDEN", "You cannot approve an adjustment of your own pay.");
  if (approve) await postAdjustment(ctx, adjustmentId, admin._id, now);
  else await ctx.db.patch("adjustments", adjustmentId, { status: "rejected", decidedBy: admin._id, decidedAt: now });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: approve ? "adjustment.approve" : "adjustment.reject",
    targetTable: "adjustments",
    targetId: adjustmentId,
  });
}

/** The hold is over (scheduled) or a second admin released it early: advisor_pending -> advisor_available once. */
export async function releaseAdjustment(
  ctx: MutationCtx,
  adjustmentId: Id<"adjustments">,
  now: number,
  early?: Doc<"users">,
): Promise<void> {
  const adjustment = await ctx.db.get("adjustments", adjustmentId);
  if (adjustment === null) fail("NOT_FOUND", "That adjustment does not exist.");
  if (
    adjustment.direction !== "advisor_underpaid" ||
    adjustment.status !== "posted" ||
    adjustment.releaseJournalId !== undefined ||
    adjustment.releaseAt === undefined
  ) {
    if (early !== undefined) fail("CONFLICT", "This adjustment has nothing waiting to be released.");
    return;
  }
  if (early !== undefined) {
    if (adjustment.createdBy === early._id || adjustment.advisorId === early._id)
      fail("FORBIDDEN", "A second admin must release this adjustment early.");
  } else if (adjustment.releaseAt > now) return;
  const { journalId } = await postEvent(ctx, {
    event: { kind: "earnings_released", advisorId: adjustment.advisorId, amountCents: adjustment.amountCents },
    idempotencyKey: `adjustment:${adjustmentId}:release`,
    refs: { sessionId: adjustment.sessionId },
    actorId: early?._id ?? null,
    memo: early ? "adjustment released early by a second admin" : "adjustment hold period over",
    createdAt: now,
  });
  await ctx.db.patch("adjustments", adjustmentId, { releaseJournalId: journalId });
  if (early)
    await writeAudit(ctx, {
      actorId: early._id,
      action: "adjustment.release_early",
      targetTable: "adjustments",
      targetId: adjustmentId,
    });
}
