// Business events -> posting templates -> postJournal. Used by internal functions, the seed, tests, bench.
import { v, type Infer } from "convex/values";
import { makeFunctionReference } from "convex/server";
import type { MutationCtx } from "../_generated/server";
import { fail } from "./errors";
import {
  chargebackOpened,
  chargebackWon,
  clawbackSettled,
  earningsReleased,
  payoutFailed,
  payoutPaid,
  payoutRequested,
  sessionRefunded,
  sessionAdjusted,
  sessionSettled,
  topUpSucceeded,
} from "../../lib/ledger/templates";
import {
  postDraft,
  walletSummary,
  type JournalRefs,
  type LedgerDraft,
  type PostJournalResult,
  type UserId,
} from "./ledger";

const user = v.id("users");
const cents = v.number();

export const ledgerEventValidator = v.union(
  v.object({ kind: v.literal("top_up"), clientId: user, amountCents: cents }),
  v.object({
    kind: v.literal("session_settled"),
    clientId: user,
    advisorId: user,
    costCents: cents,
    feeCents: cents,
    promoCents: v.optional(cents),
  }),
  v.object({ kind: v.literal("earnings_released"), advisorId: user, amountCents: cents }),
  v.object({ kind: v.literal("payout_requested"), advisorId: user, amountCents: cents }),
  v.object({ kind: v.literal("payout_paid"), advisorId: user, amountCents: cents }),
  v.object({ kind: v.literal("payout_failed"), advisorId: user, amountCents: cents }),
  v.object({
    kind: v.literal("session_refunded"),
    clientId: user,
    advisorId: user,
    refundCents: cents,
    shareCents: cents,
    feeCents: cents,
    source: v.union(v.literal("pending"), v.literal("available"), v.literal("receivable")),
  }),
  v.object({
    kind: v.literal("clawback_settled"),
    advisorId: user,
    amountCents: cents,
    method: v.union(v.literal("offset"), v.literal("transfer_reversal"), v.literal("manual"), v.literal("forgiven")),
  }),
  v.object({
    kind: v.literal("session_adjusted"),
    advisorId: user,
    amountCents: cents,
    direction: v.union(v.literal("advisor_underpaid"), v.literal("advisor_overpaid")),
  }),
  v.object({ kind: v.literal("chargeback_opened"), clientId: user, amountCents: cents, feeCents: cents }),
  v.object({
    kind: v.literal("chargeback_won"),
    clientId: user,
    amountCents: cents,
    feeCents: cents,
    walletDebitedCents: cents,
    feeReturned: v.boolean(),
  }),
);

export type LedgerEvent = Infer<typeof ledgerEventValidator>;

export const journalRefsValidator = v.object({
  sessionId: v.optional(v.id("sessions")),
  payoutId: v.optional(v.string()),
  disputeId: v.optional(v.string()),
  processorEventId: v.optional(v.string()),
  reversesJournalId: v.optional(v.id("journals")),
});

/** Turns a business event into its draft (reads the wallet for chargebacks: what it can still give). */
export async function draftForEvent(ctx: MutationCtx, event: LedgerEvent): Promise<() => LedgerDraft> {
  switch (event.kind) {
    case "top_up":
      return () => topUpSucceeded<UserId>(event);
    case "session_settled":
      return () => sessionSettled<UserId>(event);
    case "earnings_released":
      return () => earningsReleased<UserId>(event);
    case "payout_requested":
      return () => payoutRequested<UserId>(event);
    case "payout_paid":
      return () => payoutPaid<UserId>(event);
    case "payout_failed":
      return () => payoutFailed<UserId>(event);
    case "session_refunded":
      return () => sessionRefunded<UserId>(event);
    case "clawback_settled":
      return () => clawbackSettled<UserId>(event);
    case "session_adjusted":
      return () => sessionAdjusted<UserId>(event);
    case "chargeback_opened": {
      const { availableCents } = await walletSummary(ctx, event.clientId);
      return () => chargebackOpened<UserId>({ ...event, walletRecoverableCents: availableCents });
    }
    case "chargeback_won":
      return () => chargebackWon<UserId>(event);
  }
}

// Auto-reload (convex/model/topups.ts) runs after every wallet debit; referenced by name (no import cycle).
const maybeAutoReloadRef = makeFunctionReference<"mutation", { userId: UserId }, unknown>("topups:maybeAutoReload");
const WALLET_DEBITS: ReadonlySet<LedgerEvent["kind"]> = new Set(["session_settled", "chargeback_opened"]);
// A live session's funds timer depends on the wallet: any other wallet change re-arms it (convex/model/sessions.ts).
const walletChangedRef = makeFunctionReference<"mutation", { clientId: UserId }, unknown>("sessions:onWalletChanged");

export async function postEvent(
  ctx: MutationCtx,
  input: {
    event: LedgerEvent;
    idempotencyKey: string;
    refs?: JournalRefs;
    actorId?: UserId | null;
    memo?: string;
    createdAt?: number;
  },
): Promise<PostJournalResult> {
  const { event, ...rest } = input;
  if (event.kind === "chargeback_opened") {
    // The wallet part depends on the wallet at first posting; a replay must not recompute it.
    const existing = await ctx.db
      .query("journals")
      .withIndex("by_key", (q) => q.eq("idempotencyKey", input.idempotencyKey))
      .unique();
    if (existing !== null) {
      if (existing.type === "chargeback_opened" && existing.amountCents === event.amountCents + event.feeCents) {
        return { journalId: existing._id, replayed: true };
      }
      fail(
        "CONFLICT",
        `Idempotency key "${input.idempotencyKey}" was already used for a different ${existing.type} journal.`,
      );
    }
  }
  const result = await postDraft(ctx, await draftForEvent(ctx, event), rest);
  if (!result.replayed && WALLET_DEBITS.has(event.kind) && "clientId" in event) {
    const clientId = event.clientId;
    const profile = await ctx.db
      .query("paymentProfiles")
      .withIndex("by_user", (q) => q.eq("userId", clientId))
      .unique();
    if (profile?.autoReloadEnabled) await ctx.scheduler.runAfter(0, maybeAutoReloadRef, { userId: clientId });
  }
  if (!result.replayed && event.kind !== "session_settled" && "clientId" in event) {
    await ctx.scheduler.runAfter(0, walletChangedRef, { clientId: event.clientId });
  }
  return result;
}
