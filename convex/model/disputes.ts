// Session disputes, refunds and adjustments. A refund posts one journal back to the client's wallet, split
// pro rata between the advisor's share and the platform fee (allocation, exact to the cent). The advisor's
// part comes from pending earnings if not yet released, else from available, else it becomes a receivable
// (clawback) settled later. Every decision is audit-logged; journals are keyed so nothing posts twice.
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import { makeFunctionReference } from "convex/server";
import {
  DISPUTE_RULES,
  advisorAnswerState,
  responseWindowMs,
  timeLeftInWords,
  type DisputeCategory,
} from "../../lib/disputes";
import { SESSION_RULES } from "../../lib/billingEngine";
import { refundSplit } from "../../lib/ledger/templates";
import { formatMoney } from "../../lib/money";
import { fail } from "./errors";
import { balanceOf } from "./ledger";
import { postEvent } from "./ledgerEvents";
import { openReceivable } from "./receivables";
import { writeAudit } from "./users";
import { notify } from "./notifications";
import { enforceRateLimit } from "./rateLimits";

type Session = Doc<"sessions">;

const ADJUSTMENT_WINDOW_MS = 24 * 60 * 60_000;
const releaseAdjustmentRef = makeFunctionReference<"mutation", { adjustmentId: Id<"adjustments"> }>(
  "disputes:releaseAdjustment",
);
type UserId = Id<"users">;

function text(value: string, label: string, max: number, min = 1): string {
  const trimmed = value.trim();
  if (trimmed.length < min) fail("INVALID_ARGUMENT", `${label} is required.`);
  if (trimmed.length > max)
    fail("INVALID_ARGUMENT", `${label} must be at most ${max.toLocaleString("en-US")} characters.`);
  return trimmed;
}

/** The advisor's response window in force (48 h unless DISPUTE_RESPONSE_WINDOW_HOURS says otherwise). */
export function disputeResponseWindowMs(): number {
  return responseWindowMs(env.DISPUTE_RESPONSE_WINDOW_HOURS);
}

/** When the advisor's window closes (stored at filing; rows filed before the window existed use createdAt). */
export function responseDueAt(d: Pick<Doc<"sessionDisputes">, "responseDueAt" | "createdAt">): number {
  return d.responseDueAt ?? d.createdAt + disputeResponseWindowMs();
}

/** What the client paid for the session and what is still refundable. */
export function refundable(session: Session): { paidCents: number; refundedCents: number; remainingCents: number } {
  const paidCents = (session.costCents ?? 0) - (session.promoCents ?? 0);
  const refundedCents = session.refundedCents ?? 0;
  return { paidCents, refundedCents, remainingCents: paidCents - refundedCents };
}

export async function fileDispute(
  ctx: MutationCtx,
  client: Doc<"users">,
  input: { sessionId: Id<"sessions">; category: DisputeCategory; description: string; requestedRefundCents: number },
  now: number,
): Promise<Id<"sessionDisputes">> {
  await enforceRateLimit(ctx, "disputeFile", client._id);
  const session = await ctx.db.get("sessions", input.sessionId);
  if (session === null || session.clientId !== client._id) fail("NOT_FOUND", "That session does not exist.");
  if (session.status !== "ended" || session.endedAt === undefined)
    fail("CONFLICT", "Only a completed session can be disputed.");
  if (now - session.endedAt > DISPUTE_RULES.windowMs)
    fail("CONFLICT", "Sessions can be disputed for 72 hours after they end; this one is too old.");
  const { paidCents, remainingCents } = refundable(session);
  if (paidCents <= 0) fail("CONFLICT", "Nothing was charged for this session, so there is nothing to dispute.");
  const existing = await ctx.db
    .query("sessionDisputes")
    .withIndex("by_session", (q) => q.eq("sessionId", session._id))
    .first();
  if (existing !== null) fail("CONFLICT", "This session already has a dispute.");
  const description = text(input.description, "A description", DISPUTE_RULES.descriptionMaxChars, 10);
  if (
    !Number.isSafeInteger(input.requestedRefundCents) ||
    input.requestedRefundCents < 0 ||
    input.requestedRefundCents > remainingCents
  ) {
    fail("INVALID_ARGUMENT", `The amount you ask back must be between $0.00 and ${formatMoney(remainingCents)}.`);
  }
  const disputeId = await ctx.db.insert("sessionDisputes", {
    sessionId: session._id,
    clientId: client._id,
    advisorId: session.advisorId,
    category: input.category,
    description,
    requestedRefundCents: input.requestedRefundCents,
    status: "open",
    createdAt: now,
    responseDueAt: now + disputeResponseWindowMs(),
  });
  await ctx.db.insert("sessionEvents", {
    sessionId: session._id,
    type: "disputed",
    actorId: client._id,
    at: now,
    detail: input.category,
  });
  await notify(ctx, session.advisorId, {
    kind: "dispute_filed",
    title: "A client disputed a session",
    body: `${client.name} asks for ${formatMoney(input.requestedRefundCents)} back. You have ${timeLeftInWords(disputeResponseWindowMs())} to respond on the receipt.`,
    href: `/session/${session._id}/receipt`,
  });
  return disputeId;
}

export async function respondToDispute(
  ctx: MutationCtx,
  advisor: Doc<"users">,
  disputeId: Id<"sessionDisputes">,
  response: string,
  now: number,
) {
  const dispute = await ctx.db.get("sessionDisputes", disputeId);
  if (dispute === null || dispute.advisorId !== advisor._id) fail("NOT_FOUND", "That dispute does not exist.");
  if (dispute.status !== "open") fail("CONFLICT", "This dispute has been resolved.");
  if (dispute.advisorResponse !== undefined) fail("CONFLICT", "You have already responded to this dispute.");
  await ctx.db.patch("sessionDisputes", disputeId, {
    advisorResponse: text(response, "Your response", DISPUTE_RULES.responseMaxChars),
    advisorRespondedAt: now,
  });
}

/**
 * Refunds `refundCents` of a session to the client's wallet. One journal: Dr advisor_<source> share part,
 * Dr platform_fees fee part / Cr client_wallet R. Returns the journal.
 */
export async function refundSession(
  ctx: MutationCtx,
  session: Session,
  refundCents: number,
  input: { key: string; actorId: UserId; disputeId?: Id<"sessionDisputes">; reason: string },
): Promise<Id<"journals">> {
  const { remainingCents } = refundable(session);
  if (!Number.isSafeInteger(refundCents) || refundCents <= 0)
    fail("INVALID_ARGUMENT", "The refund must be a positive whole number of cents.");
  if (refundCents > remainingCents)
    fail("INVALID_ARGUMENT", `At most ${formatMoney(remainingCents)} of this session can still be refunded.`);
  const { sharePartCents } = refundSplit({
    refundCents,
    shareCents: session.shareCents ?? 0,
    feeCents: session.feeCents ?? 0,
  });
  const earning = await ctx.db
    .query("earnings")
    .withIndex("by_session", (q) => q.eq("sessionId", session._id))
    .first();
  let source: "pending" | "available" | "receivable";
  if (earning?.status === "pending") source = "pending";
  else {
    const available = await balanceOf(ctx, { kind: "advisor_available", ownerId: session.advisorId, currency: "USD" });
    source = available.balanceCents >= sharePartCents ? "available" : "receivable";
  }
  const { journalId } = await postEvent(ctx, {
    event: {
      kind: "session_refunded",
      clientId: session.clientId,
      advisorId: session.advisorId,
      refundCents,
      shareCents: session.shareCents ?? 0,
      feeCents: session.feeCents ?? 0,
      source,
    },
    idempotencyKey: input.key,
    refs: { sessionId: session._id, ...(input.disputeId ? { disputeId: input.disputeId } : {}) },
    actorId: input.actorId,
    memo: input.reason,
  });
  await ctx.db.patch("sessions", session._id, { refundedCents: (session.refundedCents ?? 0) + refundCents });
  if (earning !== null && sharePartCents > 0) {
    const refundedShareCents = (earning.refundedShareCents ?? 0) + sharePartCents;
    await ctx.db.patch("earnings", earning._id, {
      refundedShareCents,
      // At once, even while on hold: a fully refunded earning is "refunded" (its scheduled release then does nothing).
      ...(source === "receivable"
        ? { status: "clawed_back" as const }
        : refundedShareCents >= earning.netCents
          ? { status: "refunded" as const }
          : {}),
    });
  }
  if (source === "receivable" && sharePartCents > 0) {
    await openReceivable(ctx, {
      advisorId: session.advisorId,
      sessionId: session._id,
      source: "refund",
      reason: input.reason,
      amountCents: sharePartCents,
    });
  }
  return journalId;
}

export async function resolveDispute(
  ctx: MutationCtx,
  admin: Doc<"users">,
  input: {
    disputeId: Id<"sessionDisputes">;
    outcome: "full_refund" | "partial_refund" | "reject";
    refundCents?: number;
    note: string;
    /** "Decide without the advisor's answer": required while the advisor's window is open and she has not answered. */
    earlyDecisionReason?: string;
  },
  now: number,
): Promise<void> {
  const dispute = await ctx.db.get("sessionDisputes", input.disputeId);
  if (dispute === null) fail("NOT_FOUND", "That dispute does not exist.");
  if (dispute.status !== "open") fail("CONFLICT", "This dispute has already been resolved.");
  const note = text(input.note, "A note for both parties", DISPUTE_RULES.noteMaxChars, 3);
  if (input.outcome !== "partial_refund" && input.refundCents !== undefined)
    fail("INVALID_ARGUMENT", "A refund amount goes only with a partial refund.");
  const answer = advisorAnswerState(
    { advisorResponse: dispute.advisorResponse, responseDueAt: responseDueAt(dispute) },
    now,
  );
  let earlyDecisionReason: string | undefined;
  if (answer.kind === "waiting") {
    if (input.earlyDecisionReason === undefined) {
      fail(
        "CONFLICT",
        `The advisor has ${timeLeftInWords(answer.msLeft)} left to answer. To decide now, choose "decide without the advisor's answer" and give a reason.`,
      );
    }
    const min = DISPUTE_RULES.earlyDecisionReasonMinChars;
    earlyDecisionReason = text(
      input.earlyDecisionReason,
      `A reason to decide without the advisor's answer (at least ${min} characters)`,
      DISPUTE_RULES.noteMaxChars,
      min,
    );
  }
  const session = (await ctx.db.get("sessions", dispute.sessionId))!;
  let refundCents = 0;
  let refundJournalId: Id<"journals"> | undefined;
  if (input.outcome !== "reject") {
    refundCents = input.outcome === "full_refund" ? refundable(session).remainingCents : (input.refundCents ?? 0);
    refundJournalId = await refundSession(ctx, session, refundCents, {
      key: `dispute:${dispute._id}:refund`,
      actorId: admin._id,
      disputeId: dispute._id,
      reason: `dispute refund: ${note}`,
    });
  }
  const after = (await ctx.db.get("sessions", session._id))!;
  const status =
    input.outcome === "reject"
      ? "rejected"
      : refundable(after).remainingCents === 0
        ? "refunded"
        : "partially_refunded";
  await ctx.db.patch("sessionDisputes", dispute._id, {
    status,
    refundCents,
    resolutionNote: note,
    resolvedBy: admin._id,
    resolvedAt: now,
    refundJournalId,
    ...(earlyDecisionReason !== undefined ? { earlyDecisionReason } : {}),
  });
  await ctx.db.insert("sessionEvents", {
    sessionId: session._id,
    type: "dispute_resolved",
    actorId: admin._id,
    at: now,
    detail: `${status} ${formatMoney(refundCents)}`,
  });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: `dispute.${input.outcome}`,
    targetTable: "sessionDisputes",
    targetId: dispute._id,
    details: JSON.stringify({ before: "open", after: status, refundCents, note }),
  });
  if (earlyDecisionReason !== undefined) {
    await writeAudit(ctx, {
      actorId: admin._id,
      action: "dispute.decided_without_advisor",
      targetTable: "sessionDisputes",
      targetId: dispute._id,
      details: JSON.stringify({ reason: earlyDecisionReason, responseDueAt: responseDueAt(dispute), decidedAt: now }),
    });
  }
  for (const userId of [dispute.clientId, dispute.advisorId])
    await notify(ctx, userId, {
      kind: "dispute_resolved",
      title: "A session dispute was resolved",
      body: `${input.outcome === "reject" ? "No refund" : `Refund of ${formatMoney(refundCents)}`}. Note: ${note}`,
      href: `/session/${session._id}/receipt`,
      email: true,
    });
}

// ---------------------------------------------------------------------------------------------
// Adjustments
// ---------------------------------------------------------------------------------------------

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
    .take(200);
  const recentCents = recent.reduce((sum, a) => sum + (a.status === "rejected" ? 0 : a.amountCents), 0);
  const needsApproval = recentCents + input.amountCents > DISPUTE_RULES.adjustmentApprovalThresholdCents;
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
  deciderId: UserId,
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

export async function disputeForSession(ctx: QueryCtx, sessionId: Id<"sessions">) {
  return await ctx.db
    .query("sessionDisputes")
    .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
    .first();
}
