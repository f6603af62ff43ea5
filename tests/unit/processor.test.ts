// The local Stripe-compatible processor, driven by the official stripe SDK exactly as the app drives it.
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { failNextDeliveries, processor, received, start, stripe, setupLocalProcessor } from "./processorHarness";

setupLocalProcessor("stripe-local-");

async function newSession(amount = 5000, extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [
      { quantity: 1, price_data: { currency: "usd", unit_amount: amount, product_data: { name: "Wallet top-up" } } },
    ],
    success_url: "http://app.test/ok?session={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/cancel",
    metadata: { topupId: "t1" },
    payment_intent_data: { metadata: { topupId: "t1" } },
    ...extra,
  });
}

async function pay(session: Stripe.Checkout.Session, number: string) {
  return await fetch(session.url!, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ number, expiry: "12 / 34", cvc: "123", name: "Test" }).toString(),
  });
}

async function settle() {
  for (let i = 0; i < 50; i++) {
    await processor.idle();
    await new Promise((r) => setTimeout(r, 20));
    if (processor.store.state.undelivered.length === 0) return;
  }
}

describe("local stripe processor", () => {
  it("rejects a wrong API key with a Stripe-shaped authentication error", async () => {
    const bad = new Stripe("sk_test_wrong", {
      host: "127.0.0.1",
      port: processor.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    await expect(bad.balance.retrieve()).rejects.toMatchObject({ type: "StripeAuthenticationError" });
  });

  it("creates a checkout session with the amount and metadata, served as a hosted page", async () => {
    const session = await newSession(2550);
    expect(session).toMatchObject({
      object: "checkout.session",
      amount_total: 2550,
      currency: "usd",
      status: "open",
      payment_status: "unpaid",
      metadata: { topupId: "t1" },
    });
    expect(session.id).toMatch(/^cs_test_/);
    const page = await fetch(session.url!);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("$25.50");
    expect(html).toContain('<label for="number">Card number</label>');
    expect(html).toContain('name="viewport"');
  });

  it("4242 succeeds: redirects to success_url and sends signed events the SDK verifies", async () => {
    const session = await newSession();
    const response = await pay(session, "4242 4242 4242 4242");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://app.test/ok?session=${session.id}`);
    await settle();
    const types = received.map((r) => r.event.type).sort();
    expect(types).toEqual(["charge.succeeded", "checkout.session.completed", "payment_intent.succeeded"]);
    const pi = received.find((r) => r.event.type === "payment_intent.succeeded")!.event.data
      .object as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ amount: 5000, amount_received: 5000, status: "succeeded", metadata: { topupId: "t1" } });
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", payment_intent: pi.id });
    // Net of Stripe's card fee, 2.9% + 30¢ (local/stripe-processor/fees.ts).
    expect((await stripe.balance.retrieve()).available[0]!.amount).toBe(5000 - 175);
  });

  it.each([
    ["4000 0000 0000 0002", "generic_decline", "Your card was declined."],
    ["4000 0000 0000 9995", "insufficient_funds", "Your card has insufficient funds."],
  ])("%s fails (%s): the page shows why, payment_intent.payment_failed is sent", async (card, declineCode, message) => {
    const session = await newSession();
    const response = await pay(session, card);
    expect(response.status).toBe(402);
    expect(await response.text()).toContain(message);
    await settle();
    const failed = received.find((r) => r.event.type === "payment_intent.payment_failed")!.event.data
      .object as Stripe.PaymentIntent;
    expect(failed.last_payment_error).toMatchObject({ code: "card_declined", decline_code: declineCode, message });
    expect(received.some((r) => r.event.type === "checkout.session.completed")).toBe(false);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect((await stripe.balance.retrieve()).available[0]!.amount).toBe(0);
  });

  it("rejects an invalid card number on the page without charging", async () => {
    const session = await newSession();
    const response = await pay(session, "4242 4242 4242 4241");
    expect(response.status).toBe(402);
    expect(await response.text()).toContain("Your card number is incorrect.");
    await settle();
    expect(received).toHaveLength(0);
  });

  it("honours idempotency keys: same key + params -> same object; different params -> idempotency_error", async () => {
    const params = {
      mode: "payment" as const,
      line_items: [
        { quantity: 1, price_data: { currency: "usd", unit_amount: 1000, product_data: { name: "Top-up" } } },
      ],
      success_url: "http://app.test/ok",
    };
    const a = await stripe.checkout.sessions.create(params, { idempotencyKey: "topup-1" });
    const b = await stripe.checkout.sessions.create(params, { idempotencyKey: "topup-1" });
    expect(b.id).toBe(a.id);
    expect(processor.store.list("checkout.session")).toHaveLength(1);
    const different = {
      ...params,
      line_items: [
        { ...params.line_items[0]!, price_data: { ...params.line_items[0]!.price_data, unit_amount: 2000 } },
      ],
    };
    await expect(stripe.checkout.sessions.create(different, { idempotencyKey: "topup-1" })).rejects.toMatchObject({
      type: "StripeIdempotencyError",
    });
  });

  it("Stripe-shaped errors: missing objects, bad params", async () => {
    await expect(stripe.checkout.sessions.retrieve("cs_test_nope")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
      statusCode: 404,
    });
    await expect(newSession(10)).rejects.toMatchObject({ type: "StripeInvalidRequestError", code: "amount_too_small" });
  });

  it("saves a card with setup_future_usage and charges it off-session", async () => {
    const customer = await stripe.customers.create({ email: "c@example.test" });
    const session = await newSession(2500, {
      customer: customer.id,
      payment_intent_data: { setup_future_usage: "off_session", metadata: { topupId: "t1" } },
    });
    await pay(session, "4242424242424242");
    await settle();
    const methods = await stripe.customers.listPaymentMethods(customer.id);
    expect(methods.data).toHaveLength(1);
    expect(methods.data[0]!.card).toMatchObject({ brand: "visa", last4: "4242" });
    const pi = await stripe.paymentIntents.create(
      {
        amount: 1000,
        currency: "usd",
        customer: customer.id,
        payment_method: methods.data[0]!.id,
        off_session: true,
        confirm: true,
        metadata: { topupId: "t2" },
      },
      { idempotencyKey: "autoreload-t2" },
    );
    expect(pi.status).toBe("succeeded");
    const again = await stripe.paymentIntents.create(
      {
        amount: 1000,
        currency: "usd",
        customer: customer.id,
        payment_method: methods.data[0]!.id,
        off_session: true,
        confirm: true,
        metadata: { topupId: "t2" },
      },
      { idempotencyKey: "autoreload-t2" },
    );
    expect(again.id).toBe(pi.id);
    expect((await stripe.balance.retrieve()).available[0]!.amount).toBe(3500 - 102 - 59); // card fees on $25 and $10
  });

  it("off-session charge of a declining card fails with a card error", async () => {
    const customer = await stripe.customers.create({});
    const session = await newSession(2500, {
      customer: customer.id,
      payment_intent_data: { setup_future_usage: "off_session" },
    });
    // A card that declines cannot be saved through a payment; 4242 is saved, then we point at a declining one.
    await pay(session, "4000000000000002");
    const [pm] = processor.store.list("payment_method");
    processor.store.put({ ...pm!, customer: customer.id });
    await expect(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        customer: customer.id,
        payment_method: pm!.id,
        off_session: true,
        confirm: true,
      }),
    ).rejects.toMatchObject({ type: "StripeCardError", code: "card_declined", decline_code: "generic_decline" });
  });

  it("refunds, disputes (won and lost), balance and events list", async () => {
    const session = await newSession(5000);
    await pay(session, "4242424242424242");
    const pi = await stripe.paymentIntents.retrieve(
      String((await stripe.checkout.sessions.retrieve(session.id)).payment_intent),
    );
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 1000 }, { idempotencyKey: "refund-1" });
    expect(refund).toMatchObject({ amount: 1000, status: "succeeded" });
    await expect(stripe.refunds.create({ payment_intent: pi.id, amount: 9000 })).rejects.toMatchObject({
      code: "amount_too_large",
    });
    expect((await stripe.balance.retrieve()).available[0]!.amount).toBe(4000 - 175); // a refund does not return the fee

    const dispute = (await stripe.rawRequest(
      "POST",
      `/v1/test_helpers/charges/${String(pi.latest_charge)}/dispute`,
      {},
    )) as unknown as Stripe.Dispute;
    expect(dispute).toMatchObject({ object: "dispute", amount: 4000, status: "needs_response" });
    expect((await stripe.balance.retrieve()).available[0]!.amount).toBe(4000 - 175 - 4000 - 1500);
    const closed = (await stripe.rawRequest("POST", `/v1/test_helpers/disputes/${dispute.id}/close`, {
      outcome: "won",
    })) as unknown as Stripe.Dispute;
    expect(closed.status).toBe("won");
    expect((await stripe.balance.retrieve()).available[0]!.amount).toBe(4000 - 175 - 1500);
    await settle();
    const types = received.map((r) => r.event.type);
    expect(types).toEqual(
      expect.arrayContaining(["charge.refunded", "refund.created", "charge.dispute.created", "charge.dispute.closed"]),
    );
    const listed = await stripe.events.list({ limit: 100 });
    expect(new Set(listed.data.map((e) => e.id))).toEqual(new Set(received.map((r) => r.event.id)));
  });

  it("retries with backoff while the endpoint answers non-2xx, and replays on request", async () => {
    failNextDeliveries(2);
    const session = await newSession();
    await pay(session, "4242424242424242");
    await settle();
    expect(received.map((r) => r.event.type).sort()).toEqual([
      "charge.succeeded",
      "checkout.session.completed",
      "payment_intent.succeeded",
    ]);
    const first = received[0]!.event;
    await stripe.rawRequest("POST", `/v1/test_helpers/events/${first.id}/resend`, {});
    await settle();
    expect(received.filter((r) => r.event.id === first.id)).toHaveLength(2);
  });

  it("keeps state across a restart (data dir)", async () => {
    const session = await newSession(1234);
    await settle();
    await processor.stop();
    await start();
    expect((await stripe.checkout.sessions.retrieve(session.id)).amount_total).toBe(1234);
  });
});
