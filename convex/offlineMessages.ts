// Paid offline messages (issue 24): thin public functions over convex/model/offlineMessages.ts.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { internalMutation, mutation, publicQuery, query } from "./functions";
import { offlineMessageStatusValidator } from "./model/offlineMessageSchema";
import {
  disputeMessage,
  expireMessage,
  offlinePriceOf,
  releaseMessage,
  replyToMessage,
  resolveMessageDispute,
  sendMessage,
  setOfflinePrice,
} from "./model/offlineMessages";
import { fail } from "./model/errors";
import { OFFLINE_MESSAGE_RULES, OFFLINE_MESSAGE_STATUS_LABELS } from "../lib/offlineMessages";

const MAX_PAGE = 50;
const messageId = v.id("offlineMessages");

async function nameOf(ctx: QueryCtx, userId: Id<"users">): Promise<string> {
  return (await ctx.db.get("users", userId))?.name ?? "Former user";
}

async function messageView(ctx: QueryCtx, m: Doc<"offlineMessages">, now: number) {
  const profile = await ctx.db
    .query("advisorProfiles")
    .withIndex("by_user", (q) => q.eq("userId", m.advisorId))
    .unique();
  return {
    _id: m._id,
    clientName: await nameOf(ctx, m.clientId),
    advisorName: profile?.displayName ?? (await nameOf(ctx, m.advisorId)),
    body: m.body,
    priceCents: m.priceCents,
    status: m.status,
    statusLabel: OFFLINE_MESSAGE_STATUS_LABELS[m.status],
    sentAt: m.sentAt,
    replyDueAt: m.replyDueAt,
    reply: m.reply ?? null,
    repliedAt: m.repliedAt ?? null,
    feeCents: m.feeCents ?? null,
    shareCents: m.shareCents ?? null,
    disputeReason: m.disputeReason ?? null,
    disputeOutcome: m.disputeOutcome ?? null,
    disputeNote: m.disputeNote ?? null,
    refundCents: m.refundCents ?? null,
    /** The client may still dispute (answered, within 72 h of the reply, not disputed before). */
    canDispute:
      m.status === "answered" &&
      m.repliedAt !== undefined &&
      m.disputeOutcome === undefined &&
      now - m.repliedAt < OFFLINE_MESSAGE_RULES.disputeWindowMs,
  };
}

async function pageOf(
  ctx: QueryCtx,
  result: { page: Doc<"offlineMessages">[]; isDone: boolean; continueCursor: string },
) {
  const now = Date.now();
  return { ...result, page: await Promise.all(result.page.map((m) => messageView(ctx, m, now))) };
}

// ---------------------------------------------------------------------------------------------
// Everyone: the offer on a profile
// ---------------------------------------------------------------------------------------------

/** The advisor's price for an offline reply, or null when switched off. Open to everyone, like the profile. */
export const offer = publicQuery({
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await ctx.db.get("advisorProfiles", profileId);
    if (profile === null || profile.status !== "approved") return null;
    return { priceCents: await offlinePriceOf(ctx, profile.userId), maxChars: OFFLINE_MESSAGE_RULES.bodyMaxChars };
  },
});

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/** Sends a paid message: holds the price from the wallet. `requestKey` makes a retried send hold once. */
export const send = mutation({
  permission: "offline_messages:send",
  args: { advisorProfileId: v.id("advisorProfiles"), body: v.string(), priceCents: v.number(), requestKey: v.string() },
  handler: async (ctx, args) => await sendMessage(ctx, ctx.viewer, args, Date.now()),
});

/** The client's messages, newest first. */
export const listMine = query({
  permission: "offline_messages:read_own",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const viewerId = ctx.viewer._id;
    const result = await ctx.db
      .query("offlineMessages")
      .withIndex("by_client", (q) => q.eq("clientId", viewerId))
      .order("desc")
      .paginate({ ...paginationOpts, numItems: Math.max(1, Math.min(paginationOpts.numItems, MAX_PAGE)) });
    return await pageOf(ctx, result);
  },
});

/** The client disputes an answered message (72 hours after the reply); an admin decides. */
export const dispute = mutation({
  permission: "offline_messages:read_own",
  args: { messageId, reason: v.string() },
  handler: async (ctx, args) => await disputeMessage(ctx, ctx.viewer, args.messageId, args.reason, Date.now()),
});

/** One message, for its client, its advisor or an admin. */
export const get = query({
  permission: "offline_messages:read_own",
  args: { messageId },
  handler: async (ctx, args) => {
    const m = await ctx.db.get("offlineMessages", args.messageId);
    const viewer = ctx.viewer;
    if (m === null || (m.clientId !== viewer._id && m.advisorId !== viewer._id && viewer.role !== "admin"))
      fail("NOT_FOUND", "That message does not exist.");
    return await messageView(ctx, m, Date.now());
  },
});

// ---------------------------------------------------------------------------------------------
// Advisor
// ---------------------------------------------------------------------------------------------

/** The advisor's price ($1.00–$50.00) or null when offline replies are switched off. */
export const mySettings = query({
  permission: "offline_messages:reply",
  args: {},
  handler: async (ctx) => ({ priceCents: await offlinePriceOf(ctx, ctx.viewer._id), rules: OFFLINE_MESSAGE_RULES }),
});

export const setPrice = mutation({
  permission: "offline_messages:reply",
  args: { priceCents: v.union(v.number(), v.null()) },
  handler: async (ctx, { priceCents }) => await setOfflinePrice(ctx, ctx.viewer, priceCents),
});

/** Messages to the advisor, newest first. */
export const listForAdvisor = query({
  permission: "offline_messages:reply",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const viewerId = ctx.viewer._id;
    const result = await ctx.db
      .query("offlineMessages")
      .withIndex("by_advisor", (q) => q.eq("advisorId", viewerId))
      .order("desc")
      .paginate({ ...paginationOpts, numItems: Math.max(1, Math.min(paginationOpts.numItems, MAX_PAGE)) });
    return await pageOf(ctx, result);
  },
});

/** The advisor's one reply; within 48 hours it pays the advisor (fee as for sessions). */
export const reply = mutation({
  permission: "offline_messages:reply",
  args: { messageId, reply: v.string() },
  handler: async (ctx, args) => await replyToMessage(ctx, ctx.viewer, args.messageId, args.reply, Date.now()),
});

// ---------------------------------------------------------------------------------------------
// Admin
// ---------------------------------------------------------------------------------------------

/** Messages by status (held or disputed by default: the money waiting for something), oldest first. */
export const adminList = query({
  permission: "admin:offline_messages",
  args: { status: v.optional(offlineMessageStatusValidator), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { status, paginationOpts }) => {
    const result = await ctx.db
      .query("offlineMessages")
      .withIndex("by_status", (q) => q.eq("status", status ?? "disputed"))
      .order("asc")
      .paginate({ ...paginationOpts, numItems: Math.max(1, Math.min(paginationOpts.numItems, MAX_PAGE)) });
    return await pageOf(ctx, result);
  },
});

export const resolveDispute = mutation({
  permission: "admin:offline_messages",
  args: {
    messageId,
    outcome: v.union(v.literal("full_refund"), v.literal("partial_refund"), v.literal("reject")),
    refundCents: v.optional(v.number()),
    note: v.string(),
  },
  handler: async (ctx, args) => await resolveMessageDispute(ctx, ctx.viewer, args, Date.now()),
});

// ---------------------------------------------------------------------------------------------
// Scheduled
// ---------------------------------------------------------------------------------------------

/** At replyDueAt + 1 ms: refund an unanswered message in full (idempotent). */
export const expire = internalMutation({
  args: { messageId },
  handler: async (ctx, args) => {
    await expireMessage(ctx, args.messageId, Date.now());
  },
});

/** At the end of the dispute window: the advisor's share becomes available (idempotent). */
export const release = internalMutation({
  args: { messageId },
  handler: async (ctx, args) => {
    await releaseMessage(ctx, args.messageId, Date.now());
  },
});
