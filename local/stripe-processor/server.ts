// A local Stripe-compatible processor: the subset of Stripe's REST API the app uses, a hosted checkout
// page, and Stripe-signed webhooks with retries. Development and tests only.
//
// API (form-encoded, `Authorization: Bearer <secret key>`, `Idempotency-Key` honoured on POST):
//   POST/GET /v1/customers[/:id]            GET /v1/customers/:id/payment_methods
//   POST/GET /v1/checkout/sessions[/:id]    POST /v1/checkout/sessions/:id/expire
//   POST/GET /v1/payment_intents[/:id]      (confirm + off_session with a saved payment method)
//   GET /v1/payment_methods/:id             GET /v1/charges/:id
//   POST/GET /v1/refunds[/:id]              GET /v1/balance (net of fees, see fees.ts)
//   GET /v1/balance_transactions[/:id]      (list: ?source=&type=)
//   GET /v1/events[/:id]                    GET /v1/disputes/:id
//   POST/GET /v1/accounts[/:id]             POST /v1/account_links   (Connect Express, see connect.ts)
//   POST/GET /v1/transfers[/:id]            POST/GET /v1/transfers/:id/reversals[/:id]
//   POST/GET /v1/payouts[/:id]              (with `Stripe-Account: acct_...`: the connected account's payouts)
//   GET /v1/balance with `Stripe-Account`   the connected account's balance
// Test helpers (not in Stripe's API, same auth):
//   POST /v1/test_helpers/events/:id/resend               replay one event's webhook now
//   POST /v1/test_helpers/charges/:id/dispute             open a dispute (chargeback): amount?, reason?
//   POST /v1/test_helpers/disputes/:id/close              close it: outcome=won|lost
//   POST /v1/test_helpers/accounts/:id/restrict           connected account needs more info: requirement?
//   POST/GET /v1/test_helpers/failures                    failure injection (see failures.ts)
// Hosted pages: GET/POST /pay/:checkout_session_id, GET/POST /connect/onboarding/:link. Health: GET /health.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { chargeOutcome, validateCardInput, type CardOutcome } from "./cards";
import { parseStripeForm, type FormValue } from "./form";
import { applyExpand, createdMatcher, expandPaths, invalidExpandPath, resourceOf } from "./expand";
import { checkIdempotency, documentedError, saveResult, storeKeyOf } from "./idempotency";
import { present } from "./shapes";
import { connectApi, validateOnboarding } from "./connect";
import { FailureInjector, failureView, setFailureFromParams, type FailureDecision, type FailureInjection, type FailureOperation, type FailureState } from "./failures";
import { balanceTransactionsApi } from "./fees";
import { checkoutPage, notFoundPage, onboardingPage } from "./page";
import { Store, newId, type StripeObject } from "./state";

export const API_VERSION = "2026-10-28.endive";
export const DISPUTE_FEE_CENTS = 1500;

export type ProcessorOptions = {
  port?: number;
  host?: string;
  /** Where state.json lives; null keeps everything in memory (tests). */
  dataDir: string | null;
  secretKey: string;
  webhookUrl: string | null;
  webhookSecret: string;
  /** Public base URL of the hosted pages (defaults to http://localhost:<port>). */
  publicUrl?: string;
  /** Retry schedule in ms for undelivered webhooks (default 1 s doubling to 60 s, 12 attempts). */
  retryDelaysMs?: number[];
  /** Delay before a payout turns from `pending` to `paid` / `failed` (default 1000 ms; 0 in tests). */
  payoutDelayMs?: number;
  /**
   * Platform funds present from the start (USD cents), like a Stripe test-mode balance. The dev stack sets it
   * to what the demo seed put in the ledger's processor_cash, so seeded advisors can be paid out.
   */
  openingBalanceCents?: number;
  log?: (line: string) => void;
};

export type Processor = {
  url: string;
  port: number;
  store: Store;
  stop(): Promise<void>;
  /** Resolves when no webhook delivery is in flight or waiting (for tests). */
  idle(): Promise<void>;
  /** Failure injection, in memory (same as `POST /v1/test_helpers/failures`); see failures.ts. */
  failures: FailureInjector;
  /** Shorthand for `failures.set(operation, injection)`; throws an Error on invalid input. */
  injectFailure(operation: FailureOperation, injection: FailureInjection): FailureState | null;
};

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

function invalid(message: string, param?: string, code = "parameter_invalid"): never {
  throw new StripeError(400, { type: "invalid_request_error", code, message, ...(param ? { param } : {}) });
}

function missing(kind: string, id: string): never {
  throw new StripeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param: "id" });
}

const now = () => Math.floor(Date.now() / 1000);

function str(value: FormValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function int(value: FormValue | undefined, param: string, required = false): number | undefined {
  if (value === undefined) {
    if (required) invalid(`Missing required param: ${param}.`, param, "parameter_missing");
    return undefined;
  }
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) invalid(`Invalid integer: ${String(value)}`, param);
  return Number(value);
}

function metadataOf(value: FormValue | undefined): Record<string, string> {
  if (value === undefined || value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) invalid("Invalid metadata.", "metadata");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

function payoutDelayMs(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : 1000;
}

/** `t=<unix>,v1=<hex hmac-sha256 of "t.payload">`, exactly as Stripe signs webhooks. */
export function signPayload(payload: string, secret: string, timestamp = now()): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export async function startProcessor(options: ProcessorOptions): Promise<Processor> {
  const log = options.log ?? (() => {});
  const store = new Store(options.dataDir);
  const txns = balanceTransactionsApi(store, () => Math.floor(Date.now() / 1000));
  const retryDelays = options.retryDelaysMs ?? [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000, 60000, 60000];
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let baseUrl = "";
  let stopped = false;

  // ------------------------------------------------------------------ events and webhooks
  /** `request.account`: the connected account the event happened on (top-level `account`, as Connect webhooks carry). */
  function emit(type: string, object: StripeObject, request: { idempotencyKey?: string; account?: string } = {}): StripeObject {
    const event = store.put({
      id: newId("evt"),
      object: "event",
      ...(request.account ? { account: request.account } : {}),
      api_version: API_VERSION,
      created: now(),
      data: { object: present(object) },
      livemode: false,
      pending_webhooks: options.webhookUrl ? 1 : 0,
      // request.id: the req_ id of the API call that caused the event (null for the hosted pages and timers).
      request: { id: currentRequestId, idempotency_key: request.idempotencyKey ?? null },
      type,
    });
    store.state.eventOrder.push(event.id);
    if (options.webhookUrl) {
      store.state.undelivered.push(event.id);
      deliver(event.id, 0);
    }
    return event;
  }

  function deliver(eventId: string, attempt: number): void {
    if (stopped) return;
    const run = (async () => {
      const event = store.get(eventId, "event");
      if (event === null || !options.webhookUrl) return;
      const payload = JSON.stringify(present(event), null, 2);
      let status = 0;
      try {
        const response = await fetch(options.webhookUrl, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signPayload(payload, options.webhookSecret), "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" },
          body: payload,
          signal: AbortSignal.timeout(30_000),
        });
        status = response.status;
        await response.text().catch(() => "");
      } catch (error) {
        log(`webhook ${event.type} ${eventId}: ${(error as Error).message}`);
      }
      if (status >= 200 && status < 300) {
        store.state.undelivered = store.state.undelivered.filter((id) => id !== eventId);
        store.put({ ...event, pending_webhooks: 0 });
        return;
      }
      const delay = retryDelays[attempt];
      if (stopped) return;
      if (delay === undefined) {
        log(`webhook ${event.type} ${eventId}: giving up after ${attempt + 1} attempts (last status ${status})`);
        return;
      }
      log(`webhook ${event.type} ${eventId}: status ${status}, retry in ${delay} ms`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        deliver(eventId, attempt + 1);
      }, delay);
      timers.add(timer);
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  }

  // ------------------------------------------------------------------ objects
  /** The API request being handled (handlers run synchronously), for `request.id` on the events it causes. */
  let currentRequestId: string | null = null;

  function getOr404(id: string, object: string): StripeObject {
    return store.get(id, object) ?? missing(object, id);
  }

  /** An object named by a request parameter: Stripe answers 400 `resource_missing` with that param (404 is for URLs). */
  function getParam(id: string, object: string, param: string): StripeObject {
    return store.get(id, object) ?? invalid(`No such ${object === "payment_method" ? "PaymentMethod" : object}: '${id}'`, param, "resource_missing");
  }

  function createCustomer(params: Record<string, FormValue>): StripeObject {
    return store.put({
      id: newId("cus", false),
      object: "customer",
      created: now(),
      email: str(params.email) ?? null,
      name: str(params.name) ?? null,
      metadata: metadataOf(params.metadata),
      livemode: false,
    });
  }

  function createPaymentIntent(params: Record<string, FormValue>): StripeObject {
    const amount = int(params.amount, "amount", true)!;
    if (amount < 50) invalid("Amount must be at least $0.50 usd", "amount", "amount_too_small");
    const currency = (str(params.currency) ?? invalid("Missing required param: currency.", "currency", "parameter_missing")).toLowerCase();
    const customer = str(params.customer) ?? null;
    if (customer !== null) getParam(customer, "customer", "customer");
    return store.put({
      id: newId("pi"),
      object: "payment_intent",
      amount,
      amount_received: 0,
      currency,
      customer,
      created: now(),
      description: str(params.description) ?? null,
      last_payment_error: null,
      latest_charge: null,
      metadata: metadataOf(params.metadata),
      payment_method: null,
      setup_future_usage: str(params.setup_future_usage) ?? null,
      status: "requires_payment_method",
      livemode: false,
    });
  }

  /** Charges a card for a payment intent; emits the events Stripe emits. */
  function attemptPayment(pi: StripeObject, card: { number: string; paymentMethodId?: string; expMonth?: number; expYear?: number }, idempotencyKey?: string): CardOutcome {
    const outcome = chargeOutcome(card.number);
    let pmId = card.paymentMethodId;
    if (pmId === undefined) {
      pmId = newId("pm", false);
      const digits = card.number.replace(/\D/g, "");
      store.state.cards[pmId] = digits;
      store.put({
        id: pmId,
        object: "payment_method",
        type: "card",
        created: now(),
        customer: null,
        card: { brand: outcome.ok ? outcome.brand : "visa", last4: digits.slice(-4), exp_month: card.expMonth ?? 12, exp_year: card.expYear ?? new Date().getUTCFullYear() + 3, funding: "credit", country: "US" },
        billing_details: { name: null, email: null },
        metadata: {},
        livemode: false,
      });
    }
    const pm = store.get(pmId, "payment_method")!;
    const charge = store.put({
      id: newId("ch"),
      object: "charge",
      amount: pi.amount,
      amount_captured: outcome.ok ? pi.amount : 0,
      amount_refunded: 0,
      currency: pi.currency,
      customer: pi.customer ?? null,
      created: now(),
      disputed: false,
      failure_code: outcome.ok ? null : outcome.code,
      failure_message: outcome.ok ? null : outcome.message,
      metadata: {},
      outcome: outcome.ok ? { type: "authorized", network_status: "approved_by_network" } : { type: "issuer_declined", reason: outcome.declineCode ?? outcome.code },
      paid: outcome.ok,
      payment_intent: pi.id,
      payment_method: pmId,
      payment_method_details: { type: "card", card: pm.card },
      refunded: false,
      status: outcome.ok ? "succeeded" : "failed",
      livemode: false,
    });
    if (outcome.ok) {
      // Stripe's fee is taken from every card charge (fees.ts); the charge names its balance transaction.
      Object.assign(charge, store.put({ ...charge, balance_transaction: txns.forCharge(charge) }));
      if (pi.setup_future_usage && pi.customer && pm.customer === null) {
        store.put({ ...pm, customer: pi.customer });
      }
      const updated = store.put({ ...pi, status: "succeeded", amount_received: pi.amount, latest_charge: charge.id, payment_method: pmId, last_payment_error: null });
      emit("charge.succeeded", charge, { idempotencyKey });
      emit("payment_intent.succeeded", updated, { idempotencyKey });
    } else {
      const error = { type: "card_error", code: outcome.code, ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}), doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replace(/_/g, "-")}`, message: outcome.message, charge: charge.id, payment_method: present(store.get(pmId)!) };
      const updated = store.put({ ...pi, status: "requires_payment_method", latest_charge: charge.id, last_payment_error: error });
      emit("charge.failed", charge, { idempotencyKey });
      emit("payment_intent.payment_failed", updated, { idempotencyKey });
    }
    return outcome;
  }

  function createCheckoutSession(params: Record<string, FormValue>): StripeObject {
    const mode = str(params.mode) ?? invalid("Missing required param: mode.", "mode", "parameter_missing");
    if (mode !== "payment") invalid(`This local processor supports mode=payment only (got ${mode}).`, "mode");
    const successUrl = str(params.success_url) ?? invalid("Missing required param: success_url.", "success_url", "parameter_missing");
    const lineItems = params.line_items;
    if (!Array.isArray(lineItems) || lineItems.length === 0) invalid("Missing required param: line_items.", "line_items", "parameter_missing");
    let amount = 0;
    let currency: string | null = null;
    let name = "Payment";
    for (const [i, raw] of lineItems.entries()) {
      if (typeof raw !== "object" || Array.isArray(raw)) invalid("Invalid line item.", `line_items[${i}]`);
      const item = raw as Record<string, FormValue>;
      const priceData = item.price_data as Record<string, FormValue> | undefined;
      if (priceData === undefined) invalid("Only price_data line items are supported.", `line_items[${i}][price_data]`);
      const unit = int(priceData.unit_amount, `line_items[${i}][price_data][unit_amount]`, true)!;
      const quantity = int(item.quantity, `line_items[${i}][quantity]`) ?? 1;
      currency = (str(priceData.currency) ?? "usd").toLowerCase();
      const product = priceData.product_data as Record<string, FormValue> | undefined;
      if (i === 0 && product && str(product.name)) name = str(product.name)!;
      amount += unit * quantity;
    }
    if (amount < 50) invalid("The Checkout Session's total amount due must add up to at least $0.50 usd", "line_items", "amount_too_small");
    const customer = str(params.customer) ?? null;
    if (customer !== null) getParam(customer, "customer", "customer");
    const pid = (params.payment_intent_data ?? {}) as Record<string, FormValue>;
    const id = newId("cs");
    return store.put({
      id,
      object: "checkout.session",
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url: str(params.cancel_url) ?? null,
      client_reference_id: str(params.client_reference_id) ?? null,
      created: now(),
      currency,
      customer,
      customer_email: str(params.customer_email) ?? null,
      expires_at: now() + 24 * 3600,
      metadata: metadataOf(params.metadata),
      mode,
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      success_url: successUrl,
      url: `${baseUrl}/pay/${id}`,
      livemode: false,
      _line_item_name: name,
      _payment_intent_data: { metadata: metadataOf(pid.metadata), setup_future_usage: str(pid.setup_future_usage) ?? null, description: str(pid.description) ?? null },
    });
  }

  /** The payer submitted the hosted form. */
  function payCheckout(session: StripeObject, form: { number: string; expiry: string; cvc: string }): { ok: true; redirect: string } | { ok: false; message: string } {
    const invalidInput = validateCardInput(form);
    if (invalidInput !== null && !invalidInput.ok) return { ok: false, message: invalidInput.message };
    const pid = session._payment_intent_data as { metadata: Record<string, string>; setup_future_usage: string | null; description: string | null };
    let pi = session.payment_intent ? store.get(String(session.payment_intent), "payment_intent") : null;
    if (pi === null) {
      pi = createPaymentIntent({
        amount: String(session.amount_total),
        currency: String(session.currency ?? "usd"),
        ...(session.customer ? { customer: String(session.customer) } : {}),
        metadata: pid.metadata,
        ...(pid.setup_future_usage ? { setup_future_usage: pid.setup_future_usage } : {}),
        ...(pid.description ? { description: pid.description } : {}),
      });
      session = store.put({ ...session, payment_intent: pi.id });
    }
    const [, mm, yy] = /^\s*(\d{1,2})\s*\/\s*(\d{2,4})/.exec(form.expiry) ?? [];
    const outcome = attemptPayment(pi, { number: form.number, expMonth: Number(mm), expYear: yy && yy.length === 2 ? 2000 + Number(yy) : Number(yy) });
    if (!outcome.ok) return { ok: false, message: outcome.message };
    const completed = store.put({ ...session, status: "complete", payment_status: "paid" });
    emit("checkout.session.completed", completed);
    return { ok: true, redirect: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id) };
  }

  function confirmOffSession(pi: StripeObject, paymentMethodId: string, idempotencyKey?: string): StripeObject {
    const pm = getParam(paymentMethodId, "payment_method", "payment_method");
    if (pi.customer && pm.customer !== pi.customer) invalid("The payment method is not attached to this customer.", "payment_method");
    const number = store.state.cards[paymentMethodId];
    if (number === undefined) invalid("This payment method cannot be charged.", "payment_method");
    const outcome = attemptPayment(pi, { number, paymentMethodId }, idempotencyKey);
    const updated = store.get(pi.id)!;
    if (!outcome.ok) {
      // Stripe's decline body: the payment intent's last_payment_error plus the intent itself and the param.
      throw new StripeError(402, { ...(updated.last_payment_error as Record<string, unknown>), param: "payment_method", payment_intent: present(updated) });
    }
    return updated;
  }

  function createRefund(params: Record<string, FormValue>, idempotencyKey?: string): StripeObject {
    let charge: StripeObject | null = null;
    const chargeId = str(params.charge);
    const piId = str(params.payment_intent);
    if (chargeId) charge = getParam(chargeId, "charge", "charge");
    else if (piId) {
      const pi = getParam(piId, "payment_intent", "payment_intent");
      if (!pi.latest_charge || pi.status !== "succeeded") invalid("This PaymentIntent does not have a successful charge to refund.", "payment_intent", "charge_not_refundable");
      charge = store.get(String(pi.latest_charge), "charge");
    } else invalid("One of charge or payment_intent is required.", "charge", "parameter_missing");
    if (charge === null || charge.status !== "succeeded") invalid("This charge cannot be refunded.", "charge", "charge_not_refundable");
    const remaining = Number(charge.amount) - Number(charge.amount_refunded);
    const amount = int(params.amount, "amount") ?? remaining;
    if (amount <= 0 || amount > remaining) {
      invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, "amount", "amount_too_large");
    }
    const refund = store.put({
      id: newId("re"),
      object: "refund",
      amount,
      charge: charge.id,
      currency: charge.currency,
      created: now(),
      metadata: metadataOf(params.metadata),
      payment_intent: charge.payment_intent,
      reason: str(params.reason) ?? null,
      status: "succeeded",
      livemode: false,
    });
    store.put({ ...refund, balance_transaction: txns.forRefund(refund) });
    const refunded = Number(charge.amount_refunded) + amount;
    const updated = store.put({ ...charge, amount_refunded: refunded, refunded: refunded === Number(charge.amount) });
    emit("refund.created", refund, { idempotencyKey });
    emit("charge.refunded", updated, { idempotencyKey });
    return refund;
  }

  function openDispute(charge: StripeObject, params: Record<string, FormValue>): StripeObject {
    if (charge.status !== "succeeded") invalid("Only a successful charge can be disputed.", "charge");
    if (charge.disputed) invalid("This charge already has a dispute.", "charge", "charge_disputed");
    const amount = int(params.amount, "amount") ?? Number(charge.amount) - Number(charge.amount_refunded);
    if (amount <= 0 || amount > Number(charge.amount)) invalid("Invalid dispute amount.", "amount");
    const id = newId("du");
    const dispute = store.put({
      id,
      object: "dispute",
      amount,
      balance_transactions: [{ id: newId("txn"), object: "balance_transaction", amount: -amount, fee: DISPUTE_FEE_CENTS, net: -amount - DISPUTE_FEE_CENTS, currency: charge.currency, type: "adjustment", reporting_category: "dispute" }],
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      is_charge_refundable: false,
      metadata: {},
      payment_intent: charge.payment_intent,
      reason: str(params.reason) ?? "fraudulent",
      status: "needs_response",
      livemode: false,
    });
    store.put({ ...charge, disputed: true });
    emit("charge.dispute.created", dispute);
    return dispute;
  }

  function closeDispute(dispute: StripeObject, params: Record<string, FormValue>): StripeObject {
    const outcome = str(params.outcome);
    if (outcome !== "won" && outcome !== "lost") invalid("outcome must be won or lost.", "outcome");
    if (dispute.status === "won" || dispute.status === "lost") invalid("This dispute is already closed.", "dispute");
    const txns = [...(dispute.balance_transactions as unknown[])];
    if (outcome === "won") {
      txns.push({ id: newId("txn"), object: "balance_transaction", amount: dispute.amount, fee: 0, net: dispute.amount, currency: dispute.currency, type: "adjustment", reporting_category: "dispute_reversal" });
    }
    const closed = store.put({ ...dispute, status: outcome, balance_transactions: txns });
    emit("charge.dispute.closed", closed);
    if (outcome === "won") emit("charge.dispute.funds_reinstated", closed);
    return closed;
  }

  /** Platform funds from charges (net of refunds) and disputes, by currency; transfers are subtracted in connect.ts. */
  function platformGross(): Record<string, number> {
    const out: Record<string, number> = { usd: options.openingBalanceCents ?? 0 };
    const add = (currency: unknown, amount: number) => {
      const c = String(currency ?? "usd");
      out[c] = (out[c] ?? 0) + amount;
    };
    for (const charge of store.list("charge")) if (charge.status === "succeeded") add(charge.currency, Number(charge.amount) - Number(charge.amount_refunded));
    for (const dispute of store.list("dispute")) {
      for (const txn of dispute.balance_transactions as { amount: number; fee: number }[]) add(dispute.currency, txn.amount - txn.fee);
    }
    for (const [currency, feeCents] of Object.entries(txns.feeTotals())) add(currency, -feeCents);
    return out;
  }

  /** Without Stripe-Account: every event (platform and connected accounts); with it: that account's events. */
  function listEvents(query: URLSearchParams, account: string | null): Record<string, unknown> {
    const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 10) || 10));
    const type = query.get("type");
    const startingAfter = query.get("starting_after");
    const created = createdMatcher(parseStripeForm(query.toString()));
    let ids = [...store.state.eventOrder].reverse();
    if (startingAfter) {
      const at = ids.indexOf(startingAfter);
      ids = at === -1 ? [] : ids.slice(at + 1);
    }
    const events = ids.map((id) => store.get(id, "event")!).filter((e) => e !== null && created(e) && (!type || e.type === type) && (account === null || e.account === account));
    return { object: "list", url: "/v1/events", has_more: events.length > limit, data: events.slice(0, limit) };
  }

  const failures = new FailureInjector();
  function later(ms: number, fn: () => void): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timers.add(timer);
  }
  const connect = connectApi({ payoutFee: (payout) => txns.forPayoutFee(payout),  store, baseUrl: () => baseUrl, emit, invalid, getOr404, missing, platformGross, later, payoutDelayMs: payoutDelayMs(options.payoutDelayMs) });

  // ------------------------------------------------------------------ routing
  /** account: the connected account named by `Stripe-Account` (null without the header); failure: the injected failure for this request. */
  type RequestContext = { account: StripeObject | null; failure: FailureDecision };
  type Route = {
    method: string;
    pattern: RegExp;
    /** Failure injection applies to this route (POST only). */
    operation?: FailureOperation;
    handler: (m: RegExpMatchArray, params: Record<string, FormValue>, query: URLSearchParams, key: string | undefined, ctx: RequestContext) => Record<string, unknown>;
  };
  const routes: Route[] = [
    { method: "POST", pattern: /^\/v1\/customers$/, handler: (_m, p) => createCustomer(p) },
    { method: "GET", pattern: /^\/v1\/customers\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "customer") },
    {
      method: "GET",
      pattern: /^\/v1\/customers\/([^/]+)\/payment_methods$/,
      handler: (m) => {
        getOr404(m[1]!, "customer");
        const data = store.list("payment_method").filter((pm) => pm.customer === m[1]);
        return { object: "list", url: `/v1/customers/${m[1]}/payment_methods`, has_more: false, data };
      },
    },
    { method: "POST", pattern: /^\/v1\/checkout\/sessions$/, handler: (_m, p) => createCheckoutSession(p) },
    { method: "GET", pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "checkout.session") },
    {
      method: "POST",
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      handler: (m) => {
        const session = getOr404(m[1]!, "checkout.session");
        if (session.status !== "open") invalid(`Only open sessions can be expired (this one is ${String(session.status)}).`, "session");
        const expired = store.put({ ...session, status: "expired" });
        emit("checkout.session.expired", expired);
        return expired;
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/payment_intents$/,
      handler: (_m, p, _q, key) => {
        const pi = createPaymentIntent(p);
        const pm = str(p.payment_method);
        if (p.confirm === "true") {
          if (!pm) invalid("A payment_method is required to confirm.", "payment_method", "parameter_missing");
          return confirmOffSession(pi, pm, key);
        }
        return pm ? store.put({ ...pi, payment_method: pm, status: "requires_confirmation" }) : pi;
      },
    },
    { method: "GET", pattern: /^\/v1\/payment_intents\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "payment_intent") },
    { method: "GET", pattern: /^\/v1\/payment_methods\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "payment_method") },
    { method: "GET", pattern: /^\/v1\/charges\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "charge") },
    { method: "POST", pattern: /^\/v1\/refunds$/, handler: (_m, p, _q, key) => createRefund(p, key) },
    { method: "GET", pattern: /^\/v1\/refunds\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "refund") },
    { method: "GET", pattern: /^\/v1\/disputes\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "dispute") },
    { method: "GET", pattern: /^\/v1\/balance$/, handler: (_m, _p, _q, _k, ctx) => connect.balance(ctx.account?.id ?? null) },
    { method: "GET", pattern: /^\/v1\/balance_transactions$/, handler: (_m, _p, q) => txns.list(q) },
    { method: "GET", pattern: /^\/v1\/balance_transactions\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "balance_transaction") },
    { method: "POST", pattern: /^\/v1\/transfers$/, operation: "transfers", handler: (_m, p, _q, key) => connect.createTransfer(p, key) },
    { method: "GET", pattern: /^\/v1\/transfers$/, handler: (_m, _p, q) => connect.listTransfers(q) },
    { method: "GET", pattern: /^\/v1\/transfers\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "transfer") },
    { method: "POST", pattern: /^\/v1\/transfers\/([^/]+)\/reversals$/, operation: "reversals", handler: (m, p, _q, key) => connect.createReversal(getOr404(m[1]!, "transfer"), p, key) },
    { method: "GET", pattern: /^\/v1\/transfers\/([^/]+)\/reversals$/, handler: (m, _p, q) => connect.listReversals(getOr404(m[1]!, "transfer"), q) },
    { method: "GET", pattern: /^\/v1\/transfers\/([^/]+)\/reversals\/([^/]+)$/, handler: (m) => connect.getReversal(getOr404(m[1]!, "transfer"), m[2]!) },
    {
      method: "POST",
      pattern: /^\/v1\/payouts$/,
      operation: "payouts",
      handler: (_m, p, _q, key, ctx) => connect.createPayout(ctx.account, p, { idempotencyKey: key, ...(ctx.failure?.kind === "payout_fails" ? { failureCode: ctx.failure.failureCode } : {}) }),
    },
    { method: "GET", pattern: /^\/v1\/payouts$/, handler: (_m, _p, q, _k, ctx) => connect.listPayouts(ctx.account, q) },
    { method: "GET", pattern: /^\/v1\/payouts\/([^/]+)$/, handler: (m, _p, _q, _k, ctx) => connect.getPayout(ctx.account, m[1]!) },
    { method: "POST", pattern: /^\/v1\/test_helpers\/failures$/, handler: (_m, p) => setFailureFromParams(failures, p, invalid) },
    { method: "GET", pattern: /^\/v1\/test_helpers\/failures$/, handler: () => ({ object: "list", url: "/v1/test_helpers/failures", has_more: false, data: failures.list().map(failureView) }) },
    { method: "POST", pattern: /^\/v1\/accounts$/, handler: (_m, p) => connect.createAccount(p) },
    { method: "GET", pattern: /^\/v1\/accounts\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "account") },
    { method: "POST", pattern: /^\/v1\/accounts\/([^/]+)$/, handler: (m, p, _q, key) => connect.updateAccount(getOr404(m[1]!, "account"), p, key) },
    { method: "POST", pattern: /^\/v1\/account_links$/, handler: (_m, p) => connect.createAccountLink(p) },
    { method: "POST", pattern: /^\/v1\/test_helpers\/accounts\/([^/]+)\/restrict$/, handler: (m, p) => connect.restrictAccount(getOr404(m[1]!, "account"), p) },
    { method: "GET", pattern: /^\/v1\/events$/, handler: (_m, _p, q, _k, ctx) => listEvents(q, ctx.account?.id ?? null) },
    { method: "GET", pattern: /^\/v1\/events\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "event") },
    {
      method: "POST",
      pattern: /^\/v1\/test_helpers\/events\/([^/]+)\/resend$/,
      handler: (m) => {
        const event = getOr404(m[1]!, "event");
        if (!options.webhookUrl) invalid("No webhook endpoint is configured.", "event");
        if (!store.state.undelivered.includes(event.id)) store.state.undelivered.push(event.id);
        deliver(event.id, retryDelays.length); // one attempt, no further retries
        return event;
      },
    },
    { method: "POST", pattern: /^\/v1\/test_helpers\/charges\/([^/]+)\/dispute$/, handler: (m, p) => openDispute(getOr404(m[1]!, "charge"), p) },
    { method: "POST", pattern: /^\/v1\/test_helpers\/disputes\/([^/]+)\/close$/, handler: (m, p) => closeDispute(getOr404(m[1]!, "dispute"), p) },
  ];

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? "";
    let given = "";
    if (header.startsWith("Bearer ")) given = header.slice(7);
    else if (header.startsWith("Basic ")) given = Buffer.from(header.slice(6), "base64").toString("utf8").replace(/:$/, "");
    const a = Buffer.from(given);
    const b = Buffer.from(options.secretKey);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  function send(res: ServerResponse, status: number, body: string, type = "application/json"): void {
    res.writeHead(status, { "content-type": type, "stripe-version": API_VERSION, "request-id": String(res.getHeader("request-id") ?? newId("req", false)) });
    res.end(body);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000) throw new StripeError(413, { type: "invalid_request_error", message: "Request too large." });
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!authorized(req)) {
      return send(res, 401, JSON.stringify({ error: { type: "invalid_request_error", message: "Invalid API Key provided." } }));
    }
    const method = req.method ?? "GET";
    const rawBody = method === "POST" ? await readBody(req) : "";
    const params = parseStripeForm(rawBody);
    const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    // Stripe-Account (the SDK's `stripeAccount` option): act as that connected account. Routes that have no
    // connected-account meaning here ignore it; an unknown account is refused as Stripe refuses it.
    const accountHeader = req.headers["stripe-account"];
    const accountId = typeof accountHeader === "string" && accountHeader !== "" ? accountHeader : null;
    const account = accountId === null ? null : store.get(accountId, "account");
    if (accountId !== null && account === null) {
      const message = `The provided key '${options.secretKey.slice(0, 8)}${"*".repeat(4)}${options.secretKey.slice(-4)}' does not have access to account '${accountId}' (or that account does not exist). Application access may have been revoked.`;
      return send(res, 403, JSON.stringify({ error: { type: "invalid_request_error", code: "account_invalid", message } }));
    }
    const key = method === "POST" ? (req.headers["idempotency-key"] as string | undefined) : undefined;
    const requestId = newId("req", false);
    res.setHeader("request-id", requestId);
    if (key !== undefined) res.setHeader("idempotency-key", key);
    // Idempotency keys are scoped per account, as Stripe's are (rules in idempotency.ts).
    const storeKey = storeKeyOf(key, accountId);
    const previous = checkIdempotency(store, storeKey, key, method, url.pathname, params);
    if (previous.kind === "conflict") return send(res, 400, previous.body);
    if (previous.kind === "replay") {
      res.setHeader("idempotent-replayed", "true");
      if (previous.record.requestId) res.setHeader("original-request", previous.record.requestId);
      return send(res, previous.record.status, previous.record.body);
    }
    // Failure injection (failures.ts): decided after the replay check, so replays are never affected.
    const failure = route?.operation !== undefined ? failures.take(route.operation) : null;
    if (failure?.kind === "error") {
      log(`injected ${failure.status} on ${method} ${url.pathname}`);
      // Nothing was done, so nothing is stored against the Idempotency-Key: a retry runs the request.
      return send(res, failure.status, JSON.stringify({ error: failure.body }, null, 2));
    }
    let status = 200;
    let body: string;
    try {
      if (route === undefined) {
        throw new StripeError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${url.pathname}).` });
      }
      // expand[] is checked before the request runs: an unknown path changes nothing.
      const expand = expandPaths(method === "GET" ? parseStripeForm(url.search.slice(1)) : params);
      const resource = resourceOf(method, url.pathname);
      const badPath = expand.length === 0 ? null : resource === null ? expand[0]! : invalidExpandPath(resource, expand);
      if (badPath !== null) invalid(`This property cannot be expanded (${badPath}).`, "expand");
      currentRequestId = requestId;
      let result: unknown;
      try {
        result = route.handler(url.pathname.match(route.pattern)!, params, url.searchParams, key, { account, failure });
      } finally {
        currentRequestId = null;
      }
      body = JSON.stringify(present(applyExpand(result, expand, (id) => store.get(id))), null, 2);
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      status = error.status;
      body = JSON.stringify({ error: documentedError(error.body, requestId) }, null, 2);
    }
    if (route !== undefined) saveResult(store, storeKey, { method, path: url.pathname, params, status, body, requestId });
    if (failure?.kind === "timeout") {
      // The request was carried out and its result stored; the answer is "lost": held until the client gives
      // up (or the processor stops), or sent late after holdMs.
      log(`injected timeout on ${method} ${url.pathname} (${failure.holdMs === null ? "never answered" : `answer held ${failure.holdMs} ms`})`);
      if (failure.holdMs === null) return;
      const holdMs = failure.holdMs;
      await new Promise<void>((resolve) => {
        res.once("close", () => resolve());
        later(holdMs, resolve);
      });
      if (res.destroyed || res.writableEnded) return;
    }
    send(res, status, body);
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<void> {
    const session = store.get(sessionId, "checkout.session");
    if (session === null) return send(res, 404, notFoundPage(), "text/html; charset=utf-8");
    if (req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      const values = { number: form.get("number") ?? "", expiry: form.get("expiry") ?? "", cvc: form.get("cvc") ?? "", name: form.get("name") ?? "" };
      if (session.status !== "open") return send(res, 409, checkoutPage(session), "text/html; charset=utf-8");
      const result = payCheckout(session, values);
      if (result.ok) {
        res.writeHead(303, { location: result.redirect });
        return void res.end();
      }
      return send(res, 402, checkoutPage(store.get(sessionId)!, { error: result.message, values: { ...values, cvc: "" } }), "text/html; charset=utf-8");
    }
    send(res, 200, checkoutPage(session), "text/html; charset=utf-8");
  }

  async function handleOnboardingPage(req: IncomingMessage, res: ServerResponse, linkId: string): Promise<void> {
    const html = "text/html; charset=utf-8";
    const opened = connect.openLink(linkId);
    if (opened === null) return send(res, 404, notFoundPage("This onboarding link does not exist."), html);
    if ("redirect" in opened) {
      // Stripe sends visitors of an expired or already used link to refresh_url (the app makes a new link).
      res.writeHead(303, { location: opened.redirect });
      return void res.end();
    }
    if (req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      const values = { legalName: form.get("legalName") ?? "", routingNumber: form.get("routingNumber") ?? "", accountNumber: form.get("accountNumber") ?? "" };
      const errors = validateOnboarding(values);
      if (Object.keys(errors).length > 0) return send(res, 400, onboardingPage(opened.link, opened.account, { errors, values }), html);
      connect.submitOnboarding(opened.link, opened.account, values);
      res.writeHead(303, { location: String(opened.link.return_url) });
      return void res.end();
    }
    send(res, 200, onboardingPage(opened.link, opened.account), html);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const page = /^\/pay\/([^/]+)$/.exec(url.pathname);
    const onboarding = /^\/connect\/onboarding\/([^/]+)$/.exec(url.pathname);
    const work = url.pathname === "/health"
      ? Promise.resolve(send(res, 200, JSON.stringify({ ok: true })))
      : page
        ? handlePage(req, res, page[1]!)
        : onboarding
          ? handleOnboardingPage(req, res, onboarding[1]!)
          : url.pathname.startsWith("/v1/")
          ? handleApi(req, res, url)
          : Promise.resolve(send(res, 404, JSON.stringify({ error: { type: "invalid_request_error", message: "Not found." } })));
    work.catch((error: unknown) => {
      const status = error instanceof StripeError ? error.status : 500;
      log(`error ${req.method} ${url.pathname}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, status, JSON.stringify({ error: { type: "api_error", message: (error as Error).message } }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = options.publicUrl ?? `http://localhost:${port}`;

  // Deliver what was not delivered before the last shutdown; settle the payouts that were pending.
  for (const id of [...store.state.undelivered]) deliver(id, 0);
  connect.resumePayouts();

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    store,
    failures,
    injectFailure: (operation, injection) => failures.set(operation, injection),
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      store.close();
    },
  };
}
