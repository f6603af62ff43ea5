// Session disputes and refunds (adjustments: adjustments.ts). A refund posts one journal back to the client's wallet, split
// pro rata between the advisor's share and the platform fee (allocation, exact to the cent). The advisor's
// part comes from pending earnings if not yet released, else from available, else it becomes a receivable
// (clawback) settled later. Every decision is audit-logged; journals are keyed so nothing posts twice.
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import {
  DISPUTE_RULES,
  advisorAnswerState,
  responseWindowMs,
  timeLeftInWords,
  type DisputeCategory,
} from "../../lib/disputes";
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

type UserId = Id<"users">;

export function text(value: string, label: string, max: number, min = 1): string {
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

export async function disputeForSession(ctx: QueryCtx, sessionId: Id<"sessions">) {
  return await ctx.db
    .query("sessionDisputes")
    .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
    .first();
}
