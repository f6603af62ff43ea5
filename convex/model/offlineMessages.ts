// Paid offline messages (issue 24). Sending holds the price from the client's wallet in client_held; a reply
// within 48 h pays the advisor (same fee basis points as sessions); otherwise a scheduled job refunds in full.
// Every money step is one journal with a key derived from the message id, and a status check in the same
// mutation, so a replayed send, a double reply or a reply racing the expiry job moves money once.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { feeSplit, refundSplit } from "../../lib/ledger/templates";
import {
  offlineMessageExpired,
  offlineMessageHeld,
  offlineMessagePaid,
  offlineMessageRefunded,
} from "../../lib/ledger/offlineMessageTemplates";
import { formatMoney } from "../../lib/money";
import { OFFLINE_MESSAGE_RULES as RULES, offlinePriceProblem, replyInTime } from "../../lib/offlineMessages";
import { feeBpsOf, profileForUser } from "./advisors";
import { spendLots } from "./funding";
import { fail, requireText } from "./errors";
import { balanceOf, postDraft, walletSummary, type UserId } from "./ledger";
import { notify } from "./notifications";
import { offsetReceivables } from "./receivables";
import { writeAudit } from "./users";

export type OfflineMessage = Doc<"offlineMessages">;
type MessageId = Id<"offlineMessages">;

const expireRef = makeFunctionReference<"mutation", { messageId: MessageId }>("offlineMessages:expire");
const releaseRef = makeFunctionReference<"mutation", { messageId: MessageId }>("offlineMessages:release");
// A live session's funds timer depends on the wallet (convex/model/sessionChecks.ts), as after any wallet change.
const walletChangedRef = makeFunctionReference<"mutation", { clientId: UserId }, unknown>("sessions:onWalletChanged");

export async function offlinePriceOf(ctx: QueryCtx, advisorId: UserId): Promise<number | null> {
  const row = await ctx.db
    .query("offlineMessageSettings")
    .withIndex("by_advisor", (q) => q.eq("advisorId", advisorId))
    .unique();
  return row?.priceCents ?? null;
}

/** The advisor sets a flat price ($1.00–$50.00) or switches offline replies off (null). */
export async function setOfflinePrice(
  ctx: MutationCtx,
  advisor: Doc<"users">,
  priceCents: number | null,
): Promise<void> {
  if (priceCents !== null) {
    const problem = offlinePriceProblem(priceCents);
    if (problem !== null) fail("INVALID_ARGUMENT", problem);
  }
  if ((await profileForUser(ctx, advisor._id)) === null) fail("CONFLICT", "Set up your advisor profile first.");
  const row = await ctx.db
    .query("offlineMessageSettings")
    .withIndex("by_advisor", (q) => q.eq("advisorId", advisor._id))
    .unique();
  if (row === null)
    await ctx.db.insert("offlineMessageSettings", { advisorId: advisor._id, priceCents, updatedAt: Date.now() });
  else await ctx.db.patch("offlineMessageSettings", row._id, { priceCents, updatedAt: Date.now() });
}

/**
 * Holds the price and stores the message. `priceCents` is the price the client saw: a different current price
 * is RATE_CHANGED (never charge what was not shown). The same requestKey again returns the first message.
 */
export async function sendMessage(
  ctx: MutationCtx,
  client: Doc<"users">,
  input: { advisorProfileId: Id<"advisorProfiles">; body: string; priceCents: number; requestKey: string },
  now: number,
): Promise<{ messageId: MessageId; replayed: boolean }> {
  const requestKey = requireText(
    input.requestKey,
    { min: RULES.requestKeyMinChars, max: RULES.requestKeyMaxChars },
    "A request key of 8 to 64 characters is required.",
  );
  const existing = await ctx.db
    .query("offlineMessages")
    .withIndex("by_client_request", (q) => q.eq("clientId", client._id).eq("requestKey", requestKey))
    .unique();
  if (existing !== null) return { messageId: existing._id, replayed: true };

  const profile = await ctx.db.get("advisorProfiles", input.advisorProfileId);
  if (profile === null || profile.status !== "approved") fail("NOT_FOUND", "That advisor does not exist.");
  if (profile.userId === client._id) fail("CONFLICT", "You cannot send yourself a paid message.");
  const body = requireText(
    input.body,
    { min: 1, max: RULES.bodyMaxChars },
    `Write a message of 1 to ${RULES.bodyMaxChars.toLocaleString("en-US")} characters.`,
  );
  const priceCents = await offlinePriceOf(ctx, profile.userId);
  if (priceCents === null) fail("CONFLICT", `${profile.displayName} does not take offline messages right now.`);
  if (!Number.isSafeInteger(input.priceCents) || input.priceCents !== priceCents) {
    fail("RATE_CHANGED", `The price of a message is now ${formatMoney(priceCents)}. Check it and send again.`);
  }
  const { availableCents } = await walletSummary(ctx, client._id);
  if (availableCents < priceCents) {
    fail(
      "INSUFFICIENT_FUNDS",
      `A message costs ${formatMoney(priceCents)}; your wallet has ${formatMoney(Math.max(0, availableCents))}. Top up to send it.`,
    );
  }

  // Keyed by the client's send, the identity a replay shares (the message id does not exist yet).
  const { journalId } = await postDraft(ctx, () => offlineMessageHeld<UserId>({ clientId: client._id, priceCents }), {
    idempotencyKey: `offline:${client._id}:${requestKey}:hold`,
    actorId: client._id,
    memo: `offline message to ${profile.displayName}`,
    createdAt: now,
  });
  const messageId = await ctx.db.insert("offlineMessages", {
    clientId: client._id,
    advisorId: profile.userId,
    body,
    priceCents,
    feeBps: feeBpsOf(profile),
    status: "held",
    requestKey,
    sentAt: now,
    replyDueAt: now + RULES.replyWindowMs,
    holdJournalId: journalId,
  });
  await ctx.scheduler.runAt(now + RULES.replyWindowMs + 1, expireRef, { messageId });
  await ctx.scheduler.runAfter(0, walletChangedRef, { clientId: client._id });
  await notify(ctx, profile.userId, {
    kind: "offline_message",
    title: "A paid message is waiting",
    body: `${client.name.split(/\s+/)[0] ?? "A client"} sent you a message (${formatMoney(priceCents)}). Reply within 48 hours to be paid.`,
    href: "/advisor-dashboard/messages",
  });
  return { messageId, replayed: false };
}

/** The advisor's one reply. In time (now <= replyDueAt): the hold is paid out with the fee split. */
export async function replyToMessage(
  ctx: MutationCtx,
  advisor: Doc<"users">,
  messageId: MessageId,
  text: string,
  now: number,
): Promise<void> {
  const message = await ctx.db.get("offlineMessages", messageId);
  if (message === null || message.advisorId !== advisor._id) fail("NOT_FOUND", "That message does not exist.");
  if (message.status !== "held")
    fail(
      "CONFLICT",
      message.status === "expired"
        ? "The 48-hour window closed and the client was refunded."
        : "This message has already been answered.",
    );
  if (!replyInTime(message.replyDueAt, now))
    fail("CONFLICT", "The 48-hour window has closed; the client is refunded automatically.");
  const reply = requireText(
    text,
    { min: 1, max: RULES.replyMaxChars },
    `Write a reply of 1 to ${RULES.replyMaxChars.toLocaleString("en-US")} characters.`,
  );
  const { feeCents, shareCents } = feeSplit(message.priceCents, message.feeBps);
  const { journalId } = await postDraft(
    ctx,
    () =>
      offlineMessagePaid<UserId>({
        clientId: message.clientId,
        advisorId: message.advisorId,
        priceCents: message.priceCents,
        feeCents,
      }),
    {
      idempotencyKey: `offline:${messageId}:pay`,
      actorId: advisor._id,
      memo: "offline message answered in time",
      createdAt: now,
    },
  );
  // Which top-ups paid for it (FIFO), so a chargeback on one claws the share back as for a session.
  await spendLots(
    ctx,
    { offlineMessageId: messageId, clientId: message.clientId, advisorId: message.advisorId },
    { walletDebitCents: message.priceCents, shareCents, feeCents },
    now,
  );
  const releaseAt = now + RULES.disputeWindowMs;
  await ctx.db.patch("offlineMessages", messageId, {
    status: "answered",
    reply,
    repliedAt: now,
    feeCents,
    shareCents,
    payJournalId: journalId,
    releaseAt,
  });
  await ctx.scheduler.runAt(releaseAt, releaseRef, { messageId });
  await notify(ctx, message.clientId, {
    kind: "offline_message",
    title: "Your advisor replied",
    body: "Your paid message has an answer.",
    href: "/user-dashboard/messages",
    email: true,
  });
}

/** Scheduled at the deadline: an unanswered message is refunded in full. Stale or repeated runs do nothing. */
export async function expireMessage(ctx: MutationCtx, messageId: MessageId, now: number): Promise<boolean> {
  const message = await ctx.db.get("offlineMessages", messageId);
  if (message === null || message.status !== "held" || replyInTime(message.replyDueAt, now)) return false;
  const { journalId } = await postDraft(
    ctx,
    () => offlineMessageExpired<UserId>({ clientId: message.clientId, priceCents: message.priceCents }),
    {
      idempotencyKey: `offline:${messageId}:expire`,
      memo: "offline message not answered within 48 hours",
      createdAt: now,
    },
  );
  await ctx.db.patch("offlineMessages", messageId, { status: "expired", expireJournalId: journalId });
  await ctx.scheduler.runAfter(0, walletChangedRef, { clientId: message.clientId });
  await notify(ctx, message.clientId, {
    kind: "offline_message",
    title: "No reply in 48 hours — refunded",
    body: `${formatMoney(message.priceCents)} is back in your wallet.`,
    href: "/user-dashboard/messages",
  });
  return true;
}

/** The dispute window is over (scheduled) and no dispute waits: the advisor's share becomes available once. */
export async function releaseMessage(ctx: MutationCtx, messageId: MessageId, now: number): Promise<boolean> {
  const message = await ctx.db.get("offlineMessages", messageId);
  if (message === null || message.releaseAt === undefined || message.releaseAt > now) return false;
  if (message.releaseJournalId !== undefined || message.status === "disputed" || message.status === "held")
    return false;
  const amountCents = (message.shareCents ?? 0) - sharePartRefunded(message) - (message.recoveredShareCents ?? 0);
  if (amountCents <= 0) return false;
  const offsetCents = await offsetReceivables(ctx, message.advisorId, amountCents, `offline:${messageId}`, now);
  if (amountCents - offsetCents <= 0) return false;
  const { journalId } = await postDraft(
    ctx,
    () => ({
      type: "earnings_released" as const,
      legs: [
        {
          account: { kind: "advisor_pending" as const, ownerId: message.advisorId, currency: "USD" as const },
          side: "debit" as const,
          amountCents: amountCents - offsetCents,
        },
        {
          account: { kind: "advisor_available" as const, ownerId: message.advisorId, currency: "USD" as const },
          side: "credit" as const,
          amountCents: amountCents - offsetCents,
        },
      ],
    }),
    { idempotencyKey: `offline:${messageId}:release`, memo: "offline message: dispute window over", createdAt: now },
  );
  await ctx.db.patch("offlineMessages", messageId, { releaseJournalId: journalId });
  return true;
}

/** The advisor's share part of what a dispute refunded (the same allocation as the refund journal). */
function sharePartRefunded(message: OfflineMessage): number {
  const refundCents = message.refundCents ?? 0;
  if (refundCents === 0) return 0;
  return refundSplit({ refundCents, shareCents: message.shareCents ?? 0, feeCents: message.feeCents ?? 0 })
    .sharePartCents;
}

/** The client disputes an answered message within 72 hours of the reply. */
export async function disputeMessage(
  ctx: MutationCtx,
  client: Doc<"users">,
  messageId: MessageId,
  reason: string,
  now: number,
): Promise<void> {
  const message = await ctx.db.get("offlineMessages", messageId);
  if (message === null || message.clientId !== client._id) fail("NOT_FOUND", "That message does not exist.");
  if (message.status !== "answered" || message.repliedAt === undefined)
    fail("CONFLICT", "Only an answered message can be disputed.");
  if (message.disputeOutcome !== undefined) fail("CONFLICT", "This message was already disputed.");
  // Strictly inside the window: the release job runs at repliedAt + window, so a dispute always finds the share in pending.
  if (now - message.repliedAt >= RULES.disputeWindowMs)
    fail("CONFLICT", "Answered messages can be disputed for 72 hours; this one is too old.");
  const text = requireText(
    reason,
    { min: RULES.disputeReasonMinChars, max: RULES.disputeReasonMaxChars },
    `Explain what went wrong in ${RULES.disputeReasonMinChars} to ${RULES.disputeReasonMaxChars.toLocaleString("en-US")} characters.`,
  );
  await ctx.db.patch("offlineMessages", messageId, { status: "disputed", disputeReason: text, disputedAt: now });
  await notify(ctx, message.advisorId, {
    kind: "dispute_filed",
    title: "A client disputed an offline message",
    body: `${formatMoney(message.priceCents)} is on hold until an admin decides.`,
    href: "/advisor-dashboard/messages",
  });
}

/**
 * An admin decides a disputed message. A refund posts one journal split pro rata between the advisor's share
 * (from pending while the dispute holds it, else available) and the platform fee, like a session refund.
 */
export async function resolveMessageDispute(
  ctx: MutationCtx,
  admin: Doc<"users">,
  input: {
    messageId: MessageId;
    outcome: "full_refund" | "partial_refund" | "reject";
    refundCents?: number;
    note: string;
  },
  now: number,
): Promise<void> {
  const message = await ctx.db.get("offlineMessages", input.messageId);
  if (message === null) fail("NOT_FOUND", "That message does not exist.");
  if (message.status !== "disputed") fail("CONFLICT", "This message is not in dispute.");
  if (message.advisorId === admin._id || message.clientId === admin._id)
    fail("FORBIDDEN", "You cannot decide a dispute you are part of; ask another admin.");
  const note = requireText(
    input.note,
    { min: 3, max: 500 },
    "A note for both parties (3 to 500 characters) is required.",
  );
  if (input.outcome !== "partial_refund" && input.refundCents !== undefined)
    fail("INVALID_ARGUMENT", "A refund amount goes only with a partial refund.");
  const shareCents = message.shareCents ?? 0;
  const feeCents = message.feeCents ?? 0;
  let refundCents = 0;
  let refundJournalId: Id<"journals"> | undefined;
  if (input.outcome !== "reject") {
    refundCents = input.outcome === "full_refund" ? message.priceCents : (input.refundCents ?? 0);
    if (!Number.isSafeInteger(refundCents) || refundCents <= 0 || refundCents > message.priceCents) {
      fail("INVALID_ARGUMENT", `The refund must be between $0.01 and ${formatMoney(message.priceCents)}.`);
    }
    const { sharePartCents } = refundSplit({ refundCents, shareCents, feeCents });
    const pending = await balanceOf(ctx, { kind: "advisor_pending", ownerId: message.advisorId, currency: "USD" });
    const source =
      message.releaseJournalId === undefined && pending.balanceCents >= sharePartCents ? "pending" : "available";
    ({ journalId: refundJournalId } = await postDraft(
      ctx,
      () =>
        offlineMessageRefunded<UserId>({
          clientId: message.clientId,
          advisorId: message.advisorId,
          refundCents,
          shareCents,
          feeCents,
          source,
        }),
      {
        idempotencyKey: `offline:${message._id}:dispute-refund`,
        actorId: admin._id,
        memo: `offline message dispute: ${note}`,
        createdAt: now,
      },
    ));
    await ctx.scheduler.runAfter(0, walletChangedRef, { clientId: message.clientId });
  }
  await ctx.db.patch("offlineMessages", message._id, {
    status: input.outcome === "reject" ? "answered" : "refunded",
    disputeOutcome: input.outcome,
    disputeNote: note,
    refundCents,
    refundJournalId,
    resolvedBy: admin._id,
    resolvedAt: now,
  });
  await writeAudit(ctx, {
    actorId: admin._id,
    action: `offline_message.dispute_${input.outcome}`,
    targetTable: "offlineMessages",
    targetId: message._id,
    details: JSON.stringify({ refundCents, note }),
  });
  // The dispute held the advisor's share past its release time: release what is left now.
  if (message.releaseAt !== undefined && message.releaseAt <= now) await releaseMessage(ctx, message._id, now);
  for (const userId of [message.clientId, message.advisorId]) {
    await notify(ctx, userId, {
      kind: "dispute_resolved",
      title: "An offline message dispute was resolved",
      body: `${input.outcome === "reject" ? "No refund" : `Refund of ${formatMoney(refundCents)}`}. Note: ${note}`,
      href: userId === message.clientId ? "/user-dashboard/messages" : "/advisor-dashboard/messages",
    });
  }
}
