// Verified processor (Stripe) events: a map from event type to handler. Each handler matches the event to its
// top-up, dispute or payout and applies it through the model that owns that record; applyProcessorEvent records
// every event id once (replays are "duplicate" and write nothing).
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { applyAccountUpdated } from "./payoutAccounts";
import { markFailed, markPaid, payoutIdFrom, recordTransfer } from "./payouts";
import { raiseAlert } from "./ledger";
import { closeDispute, openDispute } from "./chargebacks";
import { scheduleFeeFetch } from "./fees";
import { applyRefund, creditTopup, linkTopup, markTopupFailed, RetryLater, saveCard, type TopupId } from "./topups";
import { formatMoney } from "../../lib/money";

type StripeEventLike = { id: string; type: string; created: number; data: { object: Record<string, unknown> } };
export type EventOutcome = "processed" | "ignored" | "unmatched" | "mismatch" | "duplicate" | "retry";

const RETRY_WINDOW_SECONDS = 3 * 24 * 3600; // Stripe retries for up to three days

function s(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function n(value: unknown): number {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : 0;
}

function metadata(obj: Record<string, unknown>): Record<string, string> {
  const m = obj.metadata;
  return m !== null && typeof m === "object" ? (m as Record<string, string>) : {};
}

async function topupFromMetadata(ctx: MutationCtx, obj: Record<string, unknown>): Promise<Doc<"topups"> | null> {
  const raw = metadata(obj).topupId ?? s(obj.client_reference_id);
  if (raw === undefined) return null;
  const id = ctx.db.normalizeId("topups", raw);
  return id === null ? null : await ctx.db.get("topups", id);
}

async function topupByPaymentIntent(
  ctx: MutationCtx,
  paymentIntentId: string | undefined,
): Promise<Doc<"topups"> | null> {
  if (paymentIntentId === undefined) return null;
  return await ctx.db
    .query("topups")
    .withIndex("by_payment_intent", (q) => q.eq("paymentIntentId", paymentIntentId))
    .unique();
}

/** What a handler records about its event (written to processorEvents once the handler returns). */
type EventRecord = { outcome: Exclude<EventOutcome, "duplicate" | "retry">; topupId?: TopupId; note?: string };

type HandlerContext = {
  ctx: MutationCtx;
  event: StripeEventLike;
  obj: Record<string, unknown>;
  record: EventRecord;
  /** Records the event as unmatched and alerts the admins; no money moves. */
  unmatched: (message: string) => Promise<void>;
  /** The processor retries (RetryLater) until its retry window is over, then the event is unmatched. */
  notYetKnown: (message: string) => Promise<void>;
};

type Handler = (h: HandlerContext) => Promise<void>;

const checkoutCompleted: Handler = async ({ ctx, event, obj, record, unmatched }) => {
  const topup = await topupFromMetadata(ctx, obj);
  if (topup === null) {
    await unmatched(`Checkout session ${String(obj.id)} completed for an unknown top-up; no money moved.`);
    return;
  }
  record.topupId = topup._id;
  await linkTopup(ctx, topup, { checkoutSessionId: s(obj.id), paymentIntentId: s(obj.payment_intent) });
  if (obj.payment_status === "paid") {
    const result = await creditTopup(ctx, topup._id, n(obj.amount_total), String(obj.currency ?? ""), event.id);
    if (result !== "ok") ({ outcome: record.outcome, note: record.note } = result);
  }
};

const paymentSucceeded: Handler = async ({ ctx, event, obj, record, unmatched }) => {
  const topup = (await topupFromMetadata(ctx, obj)) ?? (await topupByPaymentIntent(ctx, s(obj.id)));
  if (topup === null) {
    await unmatched(
      `Payment ${String(obj.id)} of ${formatMoney(n(obj.amount_received))} succeeded for an unknown top-up; no money moved.`,
    );
    return;
  }
  record.topupId = topup._id;
  await linkTopup(ctx, topup, { paymentIntentId: s(obj.id), chargeId: s(obj.latest_charge) });
  const result = await creditTopup(ctx, topup._id, n(obj.amount_received), String(obj.currency ?? ""), event.id);
  if (result !== "ok") ({ outcome: record.outcome, note: record.note } = result);
  const pm = s(obj.payment_method);
  const customer = s(obj.customer);
  if (topup.saveCard && obj.setup_future_usage === "off_session" && pm !== undefined && customer !== undefined) {
    await saveCard(ctx, topup.userId, customer, pm);
  }
};

const paymentFailed: Handler = async ({ ctx, obj, record, unmatched }) => {
  const topup = (await topupFromMetadata(ctx, obj)) ?? (await topupByPaymentIntent(ctx, s(obj.id)));
  if (topup === null) {
    await unmatched(`Payment ${String(obj.id)} failed for an unknown top-up.`);
    return;
  }
  record.topupId = topup._id;
  await linkTopup(ctx, topup, { paymentIntentId: s(obj.id) });
  const error = (obj.last_payment_error ?? {}) as Record<string, unknown>;
  await markTopupFailed(
    ctx,
    topup._id,
    s(error.decline_code) ?? s(error.code) ?? "payment_failed",
    s(error.message) ?? "The payment failed.",
  );
};

const chargeRefunded: Handler = async ({ ctx, event, obj, record, notYetKnown }) => {
  const topup = await topupByPaymentIntent(ctx, s(obj.payment_intent));
  if (topup === null) {
    await notYetKnown(`Refund on charge ${String(obj.id)} for a payment the app does not know.`);
    return;
  }
  record.topupId = topup._id;
  record.note = await applyRefund(ctx, topup, n(obj.amount_refunded), event.id);
};

const chargeDispute: Handler = async ({ ctx, event, obj, record, notYetKnown }) => {
  const topup = await topupByPaymentIntent(ctx, s(obj.payment_intent));
  if (topup === null) {
    await notYetKnown(`Dispute ${String(obj.id)} on a payment the app does not know.`);
    return;
  }
  record.topupId = topup._id;
  if (topup.journalId === undefined)
    throw new RetryLater(`Dispute ${String(obj.id)} arrived before its top-up was credited.`);
  const dispute = await openDispute(ctx, topup, obj, event.id);
  const status = s(obj.status);
  if (event.type === "charge.dispute.closed" && (status === "won" || status === "lost"))
    await closeDispute(ctx, dispute, status, event.id);
};

// Advisor payout accounts (Stripe Connect Express); no money moves.
const accountUpdated: Handler = async ({ ctx, event, obj, record, unmatched }) => {
  const result = await applyAccountUpdated(ctx, event, obj);
  if (result.outcome === "unmatched") await unmatched(result.note);
  else record.note = result.note;
};

// Advisor payouts (convex/model/payouts.ts), matched by metadata.payoutId.
const payoutEvent: Handler = async ({ ctx, event, obj, record, unmatched }) => {
  const payoutId = payoutIdFrom(ctx, obj);
  if (payoutId === null) {
    await unmatched(`${event.type} ${String(obj.id)} does not belong to a known payout.`);
    return;
  }
  if (event.type === "transfer.created") await recordTransfer(ctx, payoutId, String(obj.id));
  else if (event.type === "transfer.reversed") record.note = "transfer reversed";
  else if (event.type === "payout.paid") {
    record.note = await markPaid(ctx, payoutId, s(obj.id));
    // The platform's Connect fee for it, from the processor's balance transactions (convex/feesNode.ts).
    if (s(obj.id) !== undefined)
      await scheduleFeeFetch(ctx, { kind: "payout", payoutId, processorPayoutId: s(obj.id)! });
  } else
    record.note = await markFailed(ctx, payoutId, {
      code: s(obj.failure_code),
      message: s(obj.failure_message) ?? "The bank payout failed.",
    });
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  "checkout.session.completed": checkoutCompleted,
  "checkout.session.async_payment_succeeded": checkoutCompleted,
  "payment_intent.succeeded": paymentSucceeded,
  "payment_intent.payment_failed": paymentFailed,
  "charge.refunded": chargeRefunded,
  "charge.dispute.created": chargeDispute,
  "charge.dispute.updated": chargeDispute,
  "charge.dispute.closed": chargeDispute,
  "charge.dispute.funds_withdrawn": chargeDispute,
  "charge.dispute.funds_reinstated": chargeDispute,
  "account.updated": accountUpdated,
  "transfer.created": payoutEvent,
  "transfer.reversed": payoutEvent,
  "payout.paid": payoutEvent,
  "payout.failed": payoutEvent,
};

/**
 * Applies one verified processor event. Records its id first; a duplicate returns "duplicate" and writes
 * nothing. Order does not matter: crediting is keyed per top-up, refunds are cumulative, a dispute closing
 * before its opening applies the opening first. Events about a charge whose top-up is not known yet throw
 * RetryLater (the webhook answers 500 and the processor retries) until the retry window is over, then they
 * are recorded as unmatched and alerted.
 */
export async function applyProcessorEvent(ctx: MutationCtx, event: StripeEventLike): Promise<EventOutcome> {
  const seen = await ctx.db
    .query("processorEvents")
    .withIndex("by_event_id", (q) => q.eq("eventId", event.id))
    .unique();
  if (seen !== null) return "duplicate";
  const obj = event.data.object;
  const record: EventRecord = { outcome: "processed" };

  const unmatched = async (message: string) => {
    record.outcome = "unmatched";
    record.note = message;
    await raiseAlert(ctx, {
      kind: "payments_unmatched_event",
      severity: "warning",
      message,
      details: JSON.stringify({ eventId: event.id, type: event.type, objectId: obj.id }),
    });
  };
  const notYetKnown = async (message: string) => {
    if (Date.now() / 1000 - event.created < RETRY_WINDOW_SECONDS) throw new RetryLater(message);
    await unmatched(message);
  };

  const handler = Object.hasOwn(HANDLERS, event.type) ? HANDLERS[event.type] : undefined;
  if (handler === undefined) {
    record.outcome = "ignored";
    record.note = "Event type not handled.";
  } else {
    await handler({ ctx, event, obj, record, unmatched, notYetKnown });
  }

  const { outcome, topupId, note } = record;
  await ctx.db.insert("processorEvents", {
    eventId: event.id,
    type: event.type,
    outcome,
    ...(s(obj.id) ? { objectId: s(obj.id) } : {}),
    ...(topupId ? { topupId } : {}),
    ...(note ? { note } : {}),
    eventCreated: event.created,
    receivedAt: Date.now(),
  });
  return outcome;
}
