// Session disputes, refunds, adjustments and clawbacks: thin public functions over convex/model/disputes.ts
// and convex/model/receivables.ts. Amounts are whole cents, checked on the server.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { internalMutation, mutation, query } from "./functions";
import { transcriptFor } from "./model/chat";
import { disputeCategoryValidator, disputeStatusValidator } from "./model/disputeSchema";
import { createAdjustment, decideAdjustment, releaseAdjustment as releaseAdjustmentModel } from "./model/adjustments";
import {
  disputeForSession,
  fileDispute,
  refundable,
  resolveDispute,
  respondToDispute,
  responseDueAt,
} from "./model/disputes";
import { REASON_LENGTH, fail, requireText } from "./model/errors";
import { enqueue } from "./model/outbox";
import { settleReceivable } from "./model/receivables";
import { requireParticipantOrAdmin } from "./model/sessionAccess";
import { writeAudit } from "./model/users";
import { DISPUTE_CATEGORY_LABELS, DISPUTE_RULES, DISPUTE_STATUS_LABELS } from "../lib/disputes";

async function nameOf(ctx: QueryCtx, userId: Id<"users">) {
  return (await ctx.db.get("users", userId))?.name ?? "Former user";
}

function disputeView(d: Doc<"sessionDisputes">) {
  return {
    _id: d._id,
    sessionId: d.sessionId,
    category: d.category,
    categoryLabel: DISPUTE_CATEGORY_LABELS[d.category],
    description: d.description,
    requestedRefundCents: d.requestedRefundCents,
    status: d.status,
    statusLabel: DISPUTE_STATUS_LABELS[d.status],
    advisorResponse: d.advisorResponse ?? null,
    advisorRespondedAt: d.advisorRespondedAt ?? null,
    /** The advisor's window to answer closes then; before it, "did not respond" is not said. */
    responseDueAt: responseDueAt(d),
    earlyDecisionReason: d.earlyDecisionReason ?? null,
    refundCents: d.refundCents ?? null,
    resolutionNote: d.resolutionNote ?? null,
    resolvedAt: d.resolvedAt ?? null,
    createdAt: d.createdAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Client and advisor
// ---------------------------------------------------------------------------------------------

/** The client disputes a completed session (within 72 hours, once, only when something was charged). */
export const file = mutation({
  permission: "sessions:participate",
  args: {
    sessionId: v.id("sessions"),
    category: disputeCategoryValidator,
    description: v.string(),
    requestedRefundCents: v.number(),
  },
  handler: async (ctx, args) => ({ disputeId: await fileDispute(ctx, ctx.viewer, args, Date.now()) }),
});

/** The dispute of a session (if any) and whether the viewer may open one. */
export const forSession = query({
  permission: "sessions:read_own",
  args: { sessionId: v.id("sessions") },
  handler: async (ctx, { sessionId }) => {
    const { session, role } = await requireParticipantOrAdmin(ctx, ctx.viewer, sessionId);
    const dispute = await disputeForSession(ctx, sessionId);
    const { paidCents, remainingCents } = refundable(session);
    const deadline = (session.endedAt ?? 0) + DISPUTE_RULES.windowMs;
    return {
      dispute: dispute === null ? null : disputeView(dispute),
      role,
      paidCents,
      refundableCents: remainingCents,
      disputeDeadline: session.status === "ended" ? deadline : null,
      canDispute:
        role === "client" && dispute === null && session.status === "ended" && paidCents > 0 && Date.now() <= deadline,
      canRespond:
        role === "advisor" && dispute !== null && dispute.status === "open" && dispute.advisorResponse === undefined,
    };
  },
});

/** The advisor answers a dispute once. */
export const respond = mutation({
  permission: "advisor:dashboard",
  args: { disputeId: v.id("sessionDisputes"), response: v.string() },
  handler: async (ctx, { disputeId, response }) =>
    await respondToDispute(ctx, ctx.viewer, disputeId, response, Date.now()),
});

/** Open disputes about the advisor's sessions (to respond to). */
export const forAdvisor = query({
  permission: "advisor:dashboard",
  args: {},
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("sessionDisputes")
      .withIndex("by_advisor", (q) => q.eq("advisorId", ctx.viewer._id))
      .order("desc")
      .take(50);
    return await Promise.all(rows.map(async (d) => ({ ...disputeView(d), clientName: await nameOf(ctx, d.clientId) })));
  },
});

/** What the advisor owes and why (clawbacks), with how each was settled. */
export const myReceivables = query({
  permission: "advisor:earnings",
  args: {},
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("receivables")
      .withIndex("by_advisor_status", (q) => q.eq("advisorId", ctx.viewer._id))
      .order("desc")
      .take(100);
    return rows.map((r) => ({
      _id: r._id,
      sessionId: r.sessionId,
      reason: r.reason,
      source: r.source,
      amountCents: r.amountCents,
      remainingCents: r.remainingCents,
      status: r.status,
      settlements: r.settlements.map((s) => ({ method: s.method, amountCents: s.amountCents, at: s.at })),
      createdAt: r.createdAt,
    }));
  },
});

// ---------------------------------------------------------------------------------------------
// Admin: disputes
// ---------------------------------------------------------------------------------------------

export const adminList = query({
  permission: "admin:disputes",
  args: { status: v.optional(disputeStatusValidator), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { status, paginationOpts }) => {
    const page = status
      ? await ctx.db
          .query("sessionDisputes")
          .withIndex("by_status", (q) => q.eq("status", status))
          .order("asc")
          .paginate(paginationOpts)
      : await ctx.db.query("sessionDisputes").order("desc").paginate(paginationOpts);
    const rows = await Promise.all(
      page.page.map(async (d) => {
        const session = await ctx.db.get("sessions", d.sessionId);
        return {
          ...disputeView(d),
          clientName: await nameOf(ctx, d.clientId),
          advisorName: await nameOf(ctx, d.advisorId),
          paidCents: session ? refundable(session).paidCents : 0,
        };
      }),
    );
    return { ...page, page: rows };
  },
});

/** Everything an admin needs to decide: both statements, the session and its timeline, the transcript. */
export const adminGet = query({
  permission: "admin:disputes",
  args: { disputeId: v.id("sessionDisputes") },
  handler: async (ctx, { disputeId }) => {
    const dispute = await ctx.db.get("sessionDisputes", disputeId);
    if (dispute === null) fail("NOT_FOUND", "That dispute does not exist.");
    const session = (await ctx.db.get("sessions", dispute.sessionId))!;
    const [timeline, transcript, history] = await Promise.all([
      ctx.db
        .query("sessionEvents")
        .withIndex("by_session", (q) => q.eq("sessionId", session._id))
        .take(500),
      session.provider === "builtin" ? transcriptFor(ctx, session._id, 500) : Promise.resolve(null),
      ctx.db
        .query("sessionDisputes")
        .withIndex("by_client", (q) => q.eq("clientId", dispute.clientId))
        .order("desc")
        .take(20),
    ]);
    const { paidCents, refundedCents, remainingCents } = refundable(session);
    return {
      dispute: disputeView(dispute),
      clientName: await nameOf(ctx, dispute.clientId),
      advisorName: await nameOf(ctx, dispute.advisorId),
      session: {
        _id: session._id,
        kind: session.kind,
        rateCentsPerMinute: session.rateCentsPerMinute,
        startedAt: session.startedAt ?? null,
        endedAt: session.endedAt ?? null,
        endReason: session.endReason ?? null,
        billableSeconds: session.billableSeconds ?? 0,
        segments: session.segments,
        costCents: session.costCents ?? 0,
        shareCents: session.shareCents ?? 0,
        feeCents: session.feeCents ?? 0,
        paidCents,
        refundedCents,
        refundableCents: remainingCents,
      },
      timeline: timeline.map((e) => ({ type: e.type, at: e.at, detail: e.detail ?? null })),
      transcript,
      clientHistory: history.filter((h) => h._id !== dispute._id).map(disputeView),
    };
  },
});

/**
 * Full refund, partial refund (up to what was charged) or reject, with a note both parties see. While the
 * advisor's response window is open and she has not answered, only with `earlyDecisionReason` (audited).
 */
export const resolve = mutation({
  permission: "admin:disputes",
  args: {
    disputeId: v.id("sessionDisputes"),
    outcome: v.union(v.literal("full_refund"), v.literal("partial_refund"), v.literal("reject")),
    refundCents: v.optional(v.number()),
    note: v.string(),
    earlyDecisionReason: v.optional(v.string()),
  },
  handler: async (ctx, args) => await resolveDispute(ctx, ctx.viewer, args, Date.now()),
});

// ---------------------------------------------------------------------------------------------
// Admin: adjustments and clawbacks
// ---------------------------------------------------------------------------------------------

export const createSessionAdjustment = mutation({
  permission: "admin:billing",
  args: {
    sessionId: v.id("sessions"),
    direction: v.union(v.literal("advisor_underpaid"), v.literal("advisor_overpaid")),
    amountCents: v.number(),
    reason: v.string(),
  },
  handler: async (ctx, args) => await createAdjustment(ctx, ctx.viewer, args, Date.now()),
});

export const decideSessionAdjustment = mutation({
  permission: "admin:billing",
  args: { adjustmentId: v.id("adjustments"), approve: v.boolean() },
  handler: async (ctx, { adjustmentId, approve }) =>
    await decideAdjustment(ctx, ctx.viewer, adjustmentId, approve, Date.now()),
});

/** Scheduled when an underpaid adjustment posts: moves it to available once the earnings hold is over. */
export const releaseAdjustment = internalMutation({
  args: { adjustmentId: v.id("adjustments") },
  handler: async (ctx, { adjustmentId }) => await releaseAdjustmentModel(ctx, adjustmentId, Date.now()),
});

/** A second admin (not its creator, not the advisor) releases an underpaid adjustment before the hold ends. */
export const releaseAdjustmentNow = mutation({
  permission: "admin:billing",
  args: { adjustmentId: v.id("adjustments") },
  handler: async (ctx, { adjustmentId }) => await releaseAdjustmentModel(ctx, adjustmentId, Date.now(), ctx.viewer),
});

export const listAdjustments = query({
  permission: "admin:billing",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const page = await ctx.db.query("adjustments").order("desc").paginate(paginationOpts);
    const rows = await Promise.all(
      page.page.map(async (a) => ({
        _id: a._id,
        sessionId: a.sessionId,
        advisorName: await nameOf(ctx, a.advisorId),
        direction: a.direction,
        amountCents: a.amountCents,
        reason: a.reason,
        status: a.status,
        createdByName: await nameOf(ctx, a.createdBy),
        createdBy: a.createdBy,
        decidedByName: a.decidedBy ? await nameOf(ctx, a.decidedBy) : null,
        createdAt: a.createdAt,
        canDecide: a.status === "pending_approval" && a.createdBy !== ctx.viewer._id,
      })),
    );
    return { ...page, page: rows };
  },
});

export const listReceivables = query({
  permission: "admin:billing",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const page = await ctx.db
      .query("receivables")
      .withIndex("by_status", (q) => q.eq("status", "open"))
      .order("desc")
      .paginate(paginationOpts);
    const rows = await Promise.all(
      page.page.map(async (r) => ({
        _id: r._id,
        advisorName: await nameOf(ctx, r.advisorId),
        sessionId: r.sessionId,
        reason: r.reason,
        amountCents: r.amountCents,
        remainingCents: r.remainingCents,
        settlements: r.settlements.map((s) => ({ method: s.method, amountCents: s.amountCents, at: s.at })),
        createdAt: r.createdAt,
      })),
    );
    return { ...page, page: rows };
  },
});

/** Admin settles what an advisor owes: a repayment received outside the processor, or forgiven. */
export const settleReceivableManually = mutation({
  permission: "admin:billing",
  args: {
    receivableId: v.id("receivables"),
    method: v.union(v.literal("manual"), v.literal("forgiven")),
    amountCents: v.number(),
    note: v.string(),
  },
  handler: async (ctx, args) => {
    const receivable = await ctx.db.get("receivables", args.receivableId);
    if (receivable === null) fail("NOT_FOUND", "That receivable does not exist.");
    const note = requireText(args.note, REASON_LENGTH, "Give a note (3–500 characters).");
    const at = Date.now();
    await settleReceivable(ctx, receivable, {
      method: args.method,
      amountCents: args.amountCents,
      key: `${args.method}:${receivable.settlements.length}`,
      byUserId: ctx.viewer._id,
      at,
    });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: `clawback.${args.method}`,
      targetTable: "receivables",
      targetId: receivable._id,
      details: `${args.amountCents} cents: ${note}`,
    });
  },
});

/** Reverse (part of) the advisor's most recent paid transfer made within 72 hours, through the outbox. */
export const reverseTransferForReceivable = mutation({
  permission: "admin:billing",
  args: { receivableId: v.id("receivables") },
  handler: async (ctx, { receivableId }) => {
    const receivable = await ctx.db.get("receivables", receivableId);
    if (receivable === null) fail("NOT_FOUND", "That receivable does not exist.");
    if (receivable.status !== "open") fail("CONFLICT", "This amount has already been settled.");
    const now = Date.now();
    const recent = await ctx.db
      .query("payouts")
      .withIndex("by_advisor", (q) =>
        q.eq("advisorId", receivable.advisorId).gte("requestedAt", now - DISPUTE_RULES.transferReversalWindowMs),
      )
      .order("desc")
      .take(20);
    const payout = recent.find(
      (p) =>
        p.transferId !== undefined &&
        (p.status === "paid" || p.status === "in_transit") &&
        p.amountCents >= receivable.remainingCents,
    );
    if (payout === undefined)
      fail("CONFLICT", "No transfer to this advisor in the last 72 hours is large enough to reverse.");
    if ((receivable.reversalPendingCents ?? 0) > 0)
      fail("CONFLICT", "A transfer reversal for this amount is already in progress.");
    await ctx.db.patch("receivables", receivableId, { reversalPendingCents: receivable.remainingCents });
    await enqueue(ctx, "clawback_reversal", payout._id, { receivableId, amountCents: receivable.remainingCents });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "clawback.transfer_reversal",
      targetTable: "receivables",
      targetId: receivableId,
      details: `payout ${payout._id}`,
    });
  },
});
