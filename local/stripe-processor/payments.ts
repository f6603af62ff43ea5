// Payments on the platform: customers, payment intents and their card charges, hosted checkout sessions,
// refunds, and the platform's gross funds (charges net of refunds, dispute adjustments, fees).
import { chargeOutcome, validateCardInput, type CardOutcome } from "./cards";
import { StripeError, int, invalid, metadataOf, now, str } from "./common";
import type { balanceTransactionsApi } from "./fees";
import type { FormValue } from "./form";
import { present } from "./shapes";
import { newId, type Store, type StripeObject } from "./state";

export type PaymentsDeps = {
  store: Store;
  txns: ReturnType<typeof balanceTransactionsApi>;
  emit: (type: string, object: StripeObject, request?: { idempotencyKey?: string; account?: string }) => StripeObject;
  /** Public base URL of the hosted pages (known once the server listens). */
  baseUrl: () => string;
  /** Platform funds present from the start (USD cents). */
  openingBalanceCents: number;
};

export function paymentsApi({ store, txns, emit, baseUrl, openingBalanceCents }: PaymentsDeps) {
  /** An object named by a request parameter: Stripe answers 400 `resource_missing` with that param (404 is for URLs). */
  function getParam(id: string, object: string, param: string): StripeObject {
    return (
      store.get(id, object) ??
      invalid(`No such ${object === "payment_method" ? "PaymentMethod" : object}: '${id}'`, param, "resource_missing")
    );
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
    const currency = (
      str(params.currency) ?? invalid("Missing required param: currency.", "currency", "parameter_missing")
    ).toLowerCase();
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
  function attemptPayment(
    pi: StripeObject,
    card: { number: string; paymentMethodId?: string; expMonth?: number; expYear?: number },
    idempotencyKey?: string,
  ): CardOutcome {
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
        card: {
          brand: outcome.ok ? outcome.brand : "visa",
          last4: digits.slice(-4),
          exp_month: card.expMonth ?? 12,
          exp_year: card.expYear ?? new Date().getUTCFullYear() + 3,
          funding: "credit",
          country: "US",
        },
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
      outcome: outcome.ok
        ? { type: "authorized", network_status: "approved_by_network" }
        : { type: "issuer_declined", reason: outcome.declineCode ?? outcome.code },
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
      const updated = store.put({
        ...pi,
        status: "succeeded",
        amount_received: pi.amount,
        latest_charge: charge.id,
        payment_method: pmId,
        last_payment_error: null,
      });
      emit("charge.succeeded", charge, { idempotencyKey });
      emit("payment_intent.succeeded", updated, { idempotencyKey });
    } else {
      const error = {
        type: "card_error",
        code: outcome.code,
        ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}),
        doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replace(/_/g, "-")}`,
        message: outcome.message,
        charge: charge.id,
        payment_method: present(store.get(pmId)!),
      };
      const updated = store.put({
        ...pi,
        status: "requires_payment_method",
        latest_charge: charge.id,
        last_payment_error: error,
      });
      emit("charge.failed", charge, { idempotencyKey });
      emit("payment_intent.payment_failed", updated, { idempotencyKey });
    }
    return outcome;
  }

  function createCheckoutSession(params: Record<string, FormValue>): StripeObject {
    const mode = str(params.mode) ?? invalid("Missing required param: mode.", "mode", "parameter_missing");
    if (mode !== "payment") invalid(`This local processor supports mode=payment only (got ${mode}).`, "mode");
    const successUrl =
      str(params.success_url) ?? invalid("Missing required param: success_url.", "success_url", "parameter_missing");
    const lineItems = params.line_items;
    if (!Array.isArray(lineItems) || lineItems.length === 0)
      invalid("Missing required param: line_items.", "line_items", "parameter_missing");
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
    if (amount < 50)
      invalid(
        "The Checkout Session's total amount due must add up to at least $0.50 usd",
        "line_items",
        "amount_too_small",
      );
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
      url: `${baseUrl()}/pay/${id}`,
      livemode: false,
      _line_item_name: name,
      _payment_intent_data: {
        metadata: metadataOf(pid.metadata),
        setup_future_usage: str(pid.setup_future_usage) ?? null,
        description: str(pid.description) ?? null,
      },
    });
  }

  /** The payer submitted the hosted form. */
  function payCheckout(
    session: StripeObject,
    form: { number: string; expiry: string; cvc: string },
  ): { ok: true; redirect: string } | { ok: false; message: string } {
    const invalidInput = validateCardInput(form);
    if (invalidInput !== null && !invalidInput.ok) return { ok: false, message: invalidInput.message };
    const pid = session._payment_intent_data as {
      metadata: Record<string, string>;
      setup_future_usage: string | null;
      description: string | null;
    };
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
    const outcome = attemptPayment(pi, {
      number: form.number,
      expMonth: Number(mm),
      expYear: yy && yy.length === 2 ? 2000 + Number(yy) : Number(yy),
    });
    if (!outcome.ok) return { ok: false, message: outcome.message };
    const completed = store.put({ ...session, status: "complete", payment_status: "paid" });
    emit("checkout.session.completed", completed);
    return { ok: true, redirect: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id) };
  }

  function confirmOffSession(pi: StripeObject, paymentMethodId: string, idempotencyKey?: string): StripeObject {
    const pm = getParam(paymentMethodId, "payment_method", "payment_method");
    if (pi.customer && pm.customer !== pi.customer)
      invalid("The payment method is not attached to this customer.", "payment_method");
    const number = store.state.cards[paymentMethodId];
    if (number === undefined) invalid("This payment method cannot be charged.", "payment_method");
    const outcome = attemptPayment(pi, { number, paymentMethodId }, idempotencyKey);
    const updated = store.get(pi.id)!;
    if (!outcome.ok) {
      // Stripe's decline body: the payment intent's last_payment_error plus the intent itself and the param.
      throw new StripeError(402, {
        ...(updated.last_payment_error as Record<string, unknown>),
        param: "payment_method",
        payment_intent: present(updated),
      });
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
      if (!pi.latest_charge || pi.status !== "succeeded")
        invalid(
          "This PaymentIntent does not have a successful charge to refund.",
          "payment_intent",
          "charge_not_refundable",
        );
      charge = store.get(String(pi.latest_charge), "charge");
    } else invalid("One of charge or payment_intent is required.", "charge", "parameter_missing");
    if (charge === null || charge.status !== "succeeded")
      invalid("This charge cannot be refunded.", "charge", "charge_not_refundable");
    const remaining = Number(charge.amount) - Number(charge.amount_refunded);
    const amount = int(params.amount, "amount") ?? remaining;
    if (amount <= 0 || amount > remaining) {
      invalid(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        "amount",
        "amount_too_large",
      );
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

  /** Platform funds from charges (net of refunds) and disputes, by currency; transfers are subtracted in connect.ts. */
  function platformGross(): Record<string, number> {
    const out: Record<string, number> = { usd: openingBalanceCents };
    const add = (currency: unknown, amount: number) => {
      const c = String(currency ?? "usd");
      out[c] = (out[c] ?? 0) + amount;
    };
    for (const charge of store.list("charge"))
      if (charge.status === "succeeded") add(charge.currency, Number(charge.amount) - Number(charge.amount_refunded));
    for (const dispute of store.list("dispute")) {
      for (const txn of dispute.balance_transactions as { amount: number; fee: number }[])
        add(dispute.currency, txn.amount - txn.fee);
    }
    for (const [currency, feeCents] of Object.entries(txns.feeTotals())) add(currency, -feeCents);
    return out;
  }

  return {
    getParam,
    createCustomer,
    createPaymentIntent,
    createCheckoutSession,
    payCheckout,
    confirmOffSession,
    createRefund,
    platformGross,
  };
}
