// Queue while busy (issue 24). Clients wait for a busy advisor in join order; when the advisor is online and
// free again, the first client gets a 60-second offer. Offers are made only here, by server transitions (the
// advisor going online, a turn declined, left or expired): no caller can create or move one. Accepting runs
// the normal request flow (convex/model/sessions.ts requestSession), whose guard `claimQueueTurn` lets only
// the offered client through while a queue exists. Every read is indexed and bounded by QUEUE_READ_CAP.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { minimumStartCents, SESSION_RULES } from "../../lib/billingEngine";
import { formatMoney } from "../../lib/money";
import { QUEUE_RULES, queueChangeMessage, type QueueChange } from "../../lib/queue";
import { profileForUser, requireProfile, sessionTermsFor, type Profile } from "./advisors";
import { fail } from "./errors";
import { walletSummary } from "./ledger";
import { notify } from "./notifications";
import { enforceRequestCooldown } from "./requestCooldown";
import { isClientFrozen } from "./topups";

type UserId = Id<"users">;
type EntryId = Id<"queueEntries">;
export type QueueEntry = Doc<"queueEntries">;

/** More than any queue can hold (joins stop at the advisor's maximum, itself at most QUEUE_RULES.maxMaxLength). */
export const QUEUE_READ_CAP = 50;

const expireOfferRef = makeFunctionReference<"mutation", { entryId: EntryId; offeredAt: number }>(
  "queue:expireOfferJob",
);

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

export async function entriesOf(ctx: QueryCtx, advisorId: UserId): Promise<QueueEntry[]> {
  return await ctx.db
    .query("queueEntries")
    .withIndex("by_advisor", (q) => q.eq("advisorId", advisorId))
    .take(QUEUE_READ_CAP);
}

export async function entryOfClient(ctx: QueryCtx, clientId: UserId): Promise<QueueEntry | null> {
  return await ctx.db
    .query("queueEntries")
    .withIndex("by_client", (q) => q.eq("clientId", clientId))
    .first();
}

async function offeredEntry(ctx: QueryCtx, advisorId: UserId): Promise<QueueEntry | null> {
  return await ctx.db
    .query("queueEntries")
    .withIndex("by_advisor_status", (q) => q.eq("advisorId", advisorId).eq("status", "offered"))
    .first();
}

export async function queueSettings(ctx: QueryCtx, advisorId: UserId): Promise<Doc<"advisorQueues"> | null> {
  return await ctx.db
    .query("advisorQueues")
    .withIndex("by_advisor", (q) => q.eq("advisorId", advisorId))
    .unique();
}

export async function maxLengthOf(ctx: QueryCtx, advisorId: UserId): Promise<number> {
  return (await queueSettings(ctx, advisorId))?.maxLength ?? QUEUE_RULES.defaultMaxLength;
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

/** Tells the queue why it changed (one line the clients and the advisor see). */
async function tell(
  ctx: MutationCtx,
  profile: Profile,
  change: QueueChange,
  at: number,
  because?: QueueChange,
): Promise<void> {
  const message = [because, change]
    .flatMap((c) => (c === undefined ? [] : [queueChangeMessage(c, profile.displayName)]))
    .join(" ");
  const row = await queueSettings(ctx, profile.userId);
  if (row === null) {
    await ctx.db.insert("advisorQueues", {
      advisorId: profile.userId,
      maxLength: QUEUE_RULES.defaultMaxLength,
      lastChange: message,
      lastChangeAt: at,
    });
  } else {
    await ctx.db.patch("advisorQueues", row._id, { lastChange: message, lastChangeAt: at });
  }
}

export async function setMaxLength(ctx: MutationCtx, advisorId: UserId, maxLength: number): Promise<void> {
  if (!Number.isInteger(maxLength) || maxLength < 0 || maxLength > QUEUE_RULES.maxMaxLength) {
    fail(
      "INVALID_ARGUMENT",
      `The queue length must be a whole number from 0 (queue off) to ${QUEUE_RULES.maxMaxLength}.`,
    );
  }
  const row = await queueSettings(ctx, advisorId);
  // Lowering the maximum never removes anyone already waiting; it only stops new joins.
  if (row === null) await ctx.db.insert("advisorQueues", { advisorId, maxLength });
  else await ctx.db.patch("advisorQueues", row._id, { maxLength });
}

/**
 * A client joins a busy advisor's queue. Same funds rules as a request: 3 minutes at the advisor's current
 * rate for `kind`. Joining the same queue again returns the existing place (nothing written).
 */
export async function joinQueue(
  ctx: MutationCtx,
  client: Doc<"users">,
  input: { profileId: Id<"advisorProfiles">; kind: "chat" | "video" },
  at: number,
): Promise<{ entryId: EntryId; position: number }> {
  const profile = await requireProfile(ctx, input.profileId);
  if (profile.status !== "approved") fail("NOT_FOUND", "That advisor is not listed.");
  if (profile.userId === client._id) fail("INVALID_ARGUMENT", "You cannot queue for yourself.");
  const existing = await entryOfClient(ctx, client._id);
  if (existing !== null) {
    if (existing.advisorId !== profile.userId) {
      const other = await profileForUser(ctx, existing.advisorId);
      fail(
        "CONFLICT",
        `You are already waiting for ${other?.displayName ?? "another advisor"}. Leave that queue first.`,
      );
    }
    return { entryId: existing._id, position: await positionOf(ctx, existing) };
  }
  const entries = await entriesOf(ctx, profile.userId);
  // Busy, or online with a turn on offer (a queue exists): otherwise there is nothing to wait for.
  if (profile.availability === "offline")
    fail("CONFLICT", `${profile.displayName} is offline. Ask to be notified when they are online instead.`);
  if (profile.availability === "online" && entries.length === 0)
    fail("CONFLICT", `${profile.displayName} is free now: start a session instead.`);
  const terms = sessionTermsFor(profile, input.kind);
  if (await isClientFrozen(ctx, client._id))
    fail(
      "FORBIDDEN",
      "Your account is on hold because of a card dispute, so new sessions are paused. Contact support.",
    );
  await enforceRequestCooldown(ctx, client._id, profile, at);
  const wallet = await walletSummary(ctx, client._id);
  const neededCents = minimumStartCents(terms.rateCentsPerMinute);
  if (wallet.availableCents < neededCents) {
    fail(
      "INSUFFICIENT_FUNDS",
      `You need at least ${formatMoney(neededCents)} (${SESSION_RULES.minStartMinutes} minutes at ${profile.displayName}'s rate) to join the queue. Top up your wallet first.`,
    );
  }
  const maxLength = await maxLengthOf(ctx, profile.userId);
  if (maxLength === 0) fail("CONFLICT", `${profile.displayName} is not taking a queue right now.`);
  if (entries.length >= maxLength)
    fail("CONFLICT", `${profile.displayName}'s queue is full (${maxLength} waiting). Try again later.`);
  const entryId = await ctx.db.insert("queueEntries", {
    advisorId: profile.userId,
    profileId: profile._id,
    clientId: client._id,
    kind: input.kind,
    joinedAt: at,
    status: "waiting",
  });
  await tell(ctx, profile, "joined", at);
  return { entryId, position: entries.length + 1 };
}

export async function positionOf(ctx: QueryCtx, entry: QueueEntry): Promise<number> {
  const entries = await entriesOf(ctx, entry.advisorId);
  return entries.findIndex((e) => e._id === entry._id) + 1;
}

/** Removes the entry; when it held the offer, the offer moves on. `change` says why, in words. */
async function removeEntry(
  ctx: MutationCtx,
  entry: QueueEntry,
  change: "left" | "declined" | "expired" | "accepted",
  at: number,
): Promise<void> {
  await ctx.db.delete("queueEntries", entry._id);
  const profile = await profileForUser(ctx, entry.advisorId);
  if (profile === null) return;
  const said = entry.status === "offered" && change === "left" ? "declined" : change;
  await tell(ctx, profile, said, at);
  if (entry.status === "offered" && change !== "accepted") await offerNext(ctx, profile, at, said);
}

/** The client leaves, or passes their turn when it is on offer. Leaving when not queued does nothing. */
export async function leaveQueue(ctx: MutationCtx, clientId: UserId, at: number): Promise<void> {
  const entry = await entryOfClient(ctx, clientId);
  if (entry === null) return;
  await removeEntry(ctx, entry, "left", at);
}

/**
 * Offers the turn to the first waiting client when the advisor is online, free and no offer is out.
 * Idempotent: with an offer already out, or nobody waiting, it does nothing.
 */
export async function offerNext(ctx: MutationCtx, profile: Profile, at: number, because?: QueueChange): Promise<void> {
  if (profile.availability !== "online") return;
  if ((await offeredEntry(ctx, profile.userId)) !== null) return;
  const first = await ctx.db
    .query("queueEntries")
    .withIndex("by_advisor", (q) => q.eq("advisorId", profile.userId))
    .first();
  if (first === null) return;
  const offerExpiresAt = at + QUEUE_RULES.offerMs;
  await ctx.db.patch("queueEntries", first._id, { status: "offered", offeredAt: at, offerExpiresAt });
  await ctx.scheduler.runAt(offerExpiresAt, expireOfferRef, { entryId: first._id, offeredAt: at });
  await tell(ctx, profile, "offered", at, because);
  await notify(ctx, first.clientId, {
    kind: "queue_offer",
    title: `It's your turn with ${profile.displayName}`,
    body: `${profile.displayName} is free now. Start your ${first.kind} session within 60 seconds, or the turn passes to the next client.`,
    href: `/advisors/${profile._id}`,
  });
}

/** Scheduled at the offer's end: the client did not answer in time. A stale or repeated run does nothing. */
export async function expireOffer(ctx: MutationCtx, entryId: EntryId, offeredAt: number, now: number): Promise<void> {
  const entry = await ctx.db.get("queueEntries", entryId);
  if (entry === null || entry.status !== "offered" || entry.offeredAt !== offeredAt) return;
  if (entry.offerExpiresAt !== undefined && now < entry.offerExpiresAt) return;
  await removeEntry(ctx, entry, "expired", now);
}

/**
 * Called by patchProfile when an advisor's effective availability changes. Online (and free): offer the turn.
 * Away from online: an outstanding offer goes back to waiting (its client keeps the first place) until the
 * advisor is online again; the expiry job then finds a different `offeredAt` and does nothing.
 */
export async function onAvailabilityChanged(
  ctx: MutationCtx,
  before: Profile,
  after: Profile,
  at: number,
): Promise<void> {
  if (after.availability === "online") {
    await offerNext(ctx, after, at);
    return;
  }
  if (before.availability !== "online") return;
  const offered = await offeredEntry(ctx, after.userId);
  if (offered === null) return;
  await ctx.db.patch("queueEntries", offered._id, {
    status: "waiting",
    offeredAt: undefined,
    offerExpiresAt: undefined,
  });
  await tell(ctx, after, after.availability === "offline" ? "paused_offline" : "paused_busy", at);
}

/**
 * The request guard (called by requestSession before anything is written): while an advisor has a queue, only
 * the client holding the offer may request; their entry is used up. With no queue, requests go through.
 */
export async function claimQueueTurn(ctx: MutationCtx, profile: Profile, clientId: UserId, at: number): Promise<void> {
  const first = await ctx.db
    .query("queueEntries")
    .withIndex("by_advisor", (q) => q.eq("advisorId", profile.userId))
    .first();
  if (first === null) return;
  const offered = await offeredEntry(ctx, profile.userId);
  if (offered === null || offered.clientId !== clientId) {
    const mine = await entryOfClient(ctx, clientId);
    if (mine !== null && mine.advisorId === profile.userId) {
      fail(
        "CONFLICT",
        `You are in ${profile.displayName}'s queue: wait for your turn (you will get an offer here and by notification).`,
      );
    }
    fail("CONFLICT", `${profile.displayName} has clients waiting in a queue. Join the queue to get your turn.`);
  }
  if (offered.offerExpiresAt !== undefined && at >= offered.offerExpiresAt)
    fail("CONFLICT", "Your turn has passed: the offer lasted 60 seconds.");
  await removeEntry(ctx, offered, "accepted", at);
}
