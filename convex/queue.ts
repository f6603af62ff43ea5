// Queue while busy (issue 24): thin public functions over convex/model/queue.ts. Clients join, leave, and take
// or pass their turn (own entry only: there is no entry id to forge, the viewer's single entry is used);
// advisors see their queue and set its maximum. Offers are made only by the server (model/queue.ts).
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { internalMutation, mutation, query } from "./functions";
import { profileForUser } from "./model/advisors";
import { fail } from "./model/errors";
import {
  entriesOf,
  entryOfClient,
  expireOffer,
  joinQueue,
  leaveQueue,
  maxLengthOf,
  positionOf,
  queueSettings,
  setMaxLength,
} from "./model/queue";
import { requestSession } from "./model/sessions";

const kind = v.union(v.literal("chat"), v.literal("video"));

/** Join a busy advisor's queue (INSUFFICIENT_FUNDS without 3 minutes at their rate). Repeating it is a no-op. */
export const join = mutation({
  permission: "queue:manage_own",
  args: { profileId: v.id("advisorProfiles"), kind },
  handler: async (ctx, args) => await joinQueue(ctx, ctx.viewer, args, Date.now()),
});

/** Leave the queue (or pass a turn on offer: it moves to the next client). */
export const leave = mutation({
  permission: "queue:manage_own",
  allowSuspended: true,
  args: {},
  handler: async (ctx) => {
    await leaveQueue(ctx, ctx.viewer._id, Date.now());
    return null;
  },
});

/**
 * Take the turn on offer: the normal request flow with the same checks (funds, rate seen, cooldown), which
 * uses up the entry. `rateCentsPerMinute` is the rate the offer showed (RATE_CHANGED if it moved since).
 */
export const acceptOffer = mutation({
  permission: "queue:manage_own",
  args: { rateCentsPerMinute: v.number() },
  handler: async (ctx, { rateCentsPerMinute }) => {
    const entry = await entryOfClient(ctx, ctx.viewer._id);
    if (entry === null || entry.status !== "offered") fail("CONFLICT", "You have no turn on offer right now.");
    const sessionId = await requestSession(
      ctx,
      ctx.viewer,
      { advisorProfileId: entry.profileId, kind: entry.kind, rateCentsPerMinute },
      Date.now(),
    );
    return { sessionId };
  },
});

async function advisorCard(ctx: QueryCtx, advisorId: Id<"users">) {
  const profile = await profileForUser(ctx, advisorId);
  return profile === null
    ? null
    : {
        profileId: profile._id,
        displayName: profile.displayName,
        availability: profile.availability,
        chatRateCentsPerMinute: profile.chatRateCentsPerMinute,
        videoRateCentsPerMinute: profile.videoRateCentsPerMinute,
      };
}

/** The viewer's place in a queue (any advisor), live: position, size, offer, and the last change in words. */
export const mine = query({
  permission: "queue:manage_own",
  args: {},
  handler: async (ctx) => {
    const entry = await entryOfClient(ctx, ctx.viewer._id);
    if (entry === null) return null;
    const [advisor, settings, size, position] = await Promise.all([
      advisorCard(ctx, entry.advisorId),
      queueSettings(ctx, entry.advisorId),
      entriesOf(ctx, entry.advisorId).then((rows) => rows.length),
      positionOf(ctx, entry),
    ]);
    if (advisor === null) return null;
    return {
      kind: entry.kind,
      joinedAt: entry.joinedAt,
      position,
      size,
      status: entry.status,
      offerExpiresAt: entry.offerExpiresAt ?? null,
      rateCentsPerMinute: entry.kind === "chat" ? advisor.chatRateCentsPerMinute : advisor.videoRateCentsPerMinute,
      lastChange: settings?.lastChange ?? null,
      lastChangeAt: settings?.lastChangeAt ?? null,
      advisor,
    };
  },
});

/** How long an advisor's queue is and whether it takes joins (the profile page's "Join the queue"). */
export const summary = query({
  permission: "queue:manage_own",
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await ctx.db.get("advisorProfiles", profileId);
    if (profile === null || profile.status !== "approved") return null;
    const [size, maxLength] = await Promise.all([
      entriesOf(ctx, profile.userId).then((rows) => rows.length),
      maxLengthOf(ctx, profile.userId),
    ]);
    return { size, maxLength };
  },
});

/** The advisor's own queue, in order (clients by first name only), and its maximum. */
export const forAdvisor = query({
  permission: "advisor:queue",
  args: {},
  handler: async (ctx) => {
    const advisorId = ctx.viewer._id;
    const [entries, settings] = await Promise.all([entriesOf(ctx, advisorId), queueSettings(ctx, advisorId)]);
    const rows = await Promise.all(
      entries.map(async (e, index) => {
        const client = await ctx.db.get("users", e.clientId);
        return {
          _id: e._id,
          position: index + 1,
          clientName: client?.name.split(/\s+/)[0] ?? "Client",
          kind: e.kind,
          joinedAt: e.joinedAt,
          status: e.status,
          offerExpiresAt: e.offerExpiresAt ?? null,
        };
      }),
    );
    return {
      maxLength: await maxLengthOf(ctx, advisorId),
      entries: rows,
      lastChange: settings?.lastChange ?? null,
      lastChangeAt: settings?.lastChangeAt ?? null,
    };
  },
});

export const setMax = mutation({
  permission: "advisor:queue",
  args: { maxLength: v.number() },
  handler: async (ctx, { maxLength }) => {
    await setMaxLength(ctx, ctx.viewer._id, maxLength);
    return null;
  },
});

/** Scheduled at an offer's end (idempotent: a stale or repeated run does nothing). */
export const expireOfferJob = internalMutation({
  args: { entryId: v.id("queueEntries"), offeredAt: v.number() },
  handler: async (ctx, { entryId, offeredAt }) => {
    await expireOffer(ctx, entryId, offeredAt, Date.now());
  },
});
