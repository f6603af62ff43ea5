// Conformance of the local processor with Stripe's published object shapes: every call the app makes (and the
// test helpers it relies on) is driven through the official stripe SDK, every response and every webhook
// event's data.object is recorded and validated against the vendored schemas (tests/unit/stripe-schemas, for
// the API version the SDK pins). Also Stripe's idempotency rules, expand, created filters, error bodies and
// request ids.
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { processor, received, settle, setupLocalProcessor, SECRET_KEY, stripe } from "./processorHarness";
import { hasSchema, internalKeys, schemaFor, validateAgainst } from "./stripeSchemas";

setupLocalProcessor("stripe-conformance-");

const recorded: { label: string; value: unknown }[] = [];

/** Records a response (a plain copy, without the SDK's lastResponse) for validation. */
function record<T>(label: string, value: T): T {
  recorded.push({ label, value: JSON.parse(JSON.stringify(value)) as unknown });
  return value;
}

/** Problems of one Stripe object (or list of them) against its schema, plus internal fields at any depth. */
function problems(label: string, value: unknown): string[] {
  const v = value as { object?: string; data?: unknown[] };
  const out = internalKeys(value).map((k) => `${label}: internal field ${k}`);
  if (v.object === "list") {
    for (const [i, item] of (v.data ?? []).entries()) out.push(...problems(`${label}.data[${i}]`, item));
    return out;
  }
  if (v.object === "event")
    out.push(...problems(`${label} data.object`, (value as { data: { object: unknown } }).data.object));
  const name = "error" in (value as object) ? "error" : schemaFor(String(v.object));
  if (!hasSchema(name)) return [...out, `${label}: no vendored schema for object "${String(v.object)}"`];
  return [...out, ...validateAgainst(name, value).map((p) => `${label} (${name}) ${p}`)];
}

/** Raw API call (to see headers and error bodies exactly as sent). */
async function api(
  method: string,
  path: string,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const body = new URLSearchParams(params).toString();
  const url = `${processor.url}${path}${method === "GET" && body ? `?${body}` : ""}`;
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${SECRET_KEY}`, "content-type": "application/x-www-form-urlencoded", ...headers },
    ...(method === "POST" ? { body } : {}),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

async function checkout(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}, key?: string) {
  return await stripe.checkout.sessions.create(
    {
      mode: "payment",
      line_items: [
        { quantity: 1, price_data: { currency: "usd", unit_amount: 5000, product_data: { name: "Wallet top-up" } } },
      ],
      client_reference_id: "t1",
      metadata: { topupId: "t1", userId: "u1" },
      payment_intent_data: { metadata: { topupId: "t1", userId: "u1" } },
      success_url: "http://app.test/ok?topup=t1&checkout=success",
      cancel_url: "http://app.test/ok?topup=t1&checkout=cancel",
      ...extra,
    },
    key ? { idempotencyKey: key } : undefined,
  );
}

async function pay(url: string, number: string) {
  return await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ number, expiry: "12 / 34", cvc: "123", name: "Test" }).toString(),
  });
}

async function onboardedAccount() {
  const account = record(
    "accounts.create",
    await stripe.accounts.create(
      {
        type: "express",
        country: "US",
        email: "adv@example.test",
        capabilities: { transfers: { requested: true } },
        metadata: { userId: "u1" },
      },
      { idempotencyKey: "payout-account:u1" },
    ),
  );
  const link = record(
    "accountLinks.create",
    await stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      return_url: "http://app.test/r",
      refresh_url: "http://app.test/f",
    }),
  );
  const submitted = await fetch(link.url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      legalName: "Luna Star",
      routingNumber: "110000000",
      accountNumber: "000123456789",
    }).toString(),
  });
  expect(submitted.status).toBe(303);
  return account;
}

describe("local processor conforms to Stripe's published object schemas", () => {
  it("every response and every webhook data.object the app sees validates", { timeout: 60_000 }, async () => {
    recorded.length = 0;
    const startedAt = Math.floor(Date.now() / 1000);
    // Top-up with a saved card (checkout), then an off-session auto-reload that succeeds and one that declines.
    const customer = record(
      "customers.create",
      await stripe.customers.create(
        { email: "c@example.test", name: "Client", metadata: { userId: "u1" } },
        { idempotencyKey: "customer:u1" },
      ),
    );
    const session = record(
      "checkout.sessions.create",
      await checkout(
        {
          customer: customer.id,
          payment_intent_data: { metadata: { topupId: "t1" }, setup_future_usage: "off_session" },
        },
        "checkout:t1",
      ),
    );
    record("checkout.sessions.retrieve (open)", await stripe.checkout.sessions.retrieve(session.id));
    expect((await pay(session.url!, "4242 4242 4242 4242")).status).toBe(303);
    await settle();
    const done = record(
      "checkout.sessions.retrieve expand",
      await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] }),
    );
    const pi = done.payment_intent as Stripe.PaymentIntent;
    expect(typeof pi).toBe("object");
    const withCharge = record(
      "paymentIntents.retrieve expand",
      await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] }),
    );
    const charge = withCharge.latest_charge as Stripe.Charge;
    expect(charge.object).toBe("charge");
    record("charges.retrieve", await stripe.charges.retrieve(charge.id));
    const pmId = String(pi.payment_method);
    record("paymentMethods.retrieve", await stripe.paymentMethods.retrieve(pmId));
    record("customers.listPaymentMethods", await stripe.customers.listPaymentMethods(customer.id));
    record("customers.retrieve", await stripe.customers.retrieve(customer.id));
    const offSession = record(
      "paymentIntents.create off-session",
      await stripe.paymentIntents.create(
        {
          amount: 1000,
          currency: "usd",
          customer: customer.id,
          payment_method: pmId,
          off_session: true,
          confirm: true,
          metadata: { topupId: "t2", kind: "auto_reload" },
        },
        { idempotencyKey: "autoreload:t2" },
      ),
    );
    // A declining saved card: pay with it (declined, so not saved), then attach it as the test harness can.
    const declined = await checkout({ customer: customer.id });
    expect((await pay(declined.url!, "4000 0000 0000 0002")).status).toBe(402);
    const badPm = processor.store.list("payment_method").find((m) => m.id !== pmId)!;
    processor.store.put({ ...badPm, customer: customer.id });
    const decline = await api(
      "POST",
      "/v1/payment_intents",
      {
        amount: "1000",
        currency: "usd",
        customer: customer.id,
        payment_method: badPm.id,
        off_session: "true",
        confirm: "true",
      },
      { "idempotency-key": "autoreload:t3" },
    );
    expect(decline.status).toBe(402);
    record("402 decline", decline.json);
    // Refund, dispute (opened and won), balance.
    record(
      "refunds.create",
      await stripe.refunds.create({ payment_intent: pi.id, amount: 1000 }, { idempotencyKey: "refund:t1" }),
    );
    const dispute = record(
      "dispute (test helper)",
      (await stripe.rawRequest("POST", `/v1/test_helpers/charges/${charge.id}/dispute`, {
        amount: 2000,
      })) as unknown as Stripe.Dispute,
    );
    record("disputes.retrieve", await stripe.disputes.retrieve(dispute.id));
    record(
      "dispute closed",
      await stripe.rawRequest("POST", `/v1/test_helpers/disputes/${dispute.id}/close`, { outcome: "won" }),
    );
    // A second dispute, lost, on the off-session charge; an abandoned checkout that expires.
    const lost = (await stripe.rawRequest(
      "POST",
      `/v1/test_helpers/charges/${String(offSession.latest_charge)}/dispute`,
      { amount: 500 },
    )) as unknown as Stripe.Dispute;
    record(
      "dispute lost",
      await stripe.rawRequest("POST", `/v1/test_helpers/disputes/${lost.id}/close`, { outcome: "lost" }),
    );
    record("checkout.sessions.expire", await stripe.checkout.sessions.expire((await checkout()).id));
    record("balance.retrieve", await stripe.balance.retrieve());
    // Advisor payouts: Express account, onboarding, transfer, payout from the connected balance, reversal.
    const account = await onboardedAccount();
    record("accounts.retrieve", await stripe.accounts.retrieve(account.id));
    record("accounts.update", await stripe.accounts.update(account.id, { metadata: { note: "x" } }));
    const transfer = record(
      "transfers.create",
      await stripe.transfers.create(
        {
          amount: 1200,
          currency: "usd",
          destination: account.id,
          transfer_group: "payout:p1",
          metadata: { payoutId: "p1" },
        },
        { idempotencyKey: "transfer:p1" },
      ),
    );
    record("transfers.retrieve", await stripe.transfers.retrieve(transfer.id));
    record("transfers.list", await stripe.transfers.list({ transfer_group: "payout:p1" }));
    const payout = record(
      "payouts.create",
      await stripe.payouts.create(
        { amount: 500, currency: "usd", metadata: { payoutId: "p1" } },
        { stripeAccount: account.id, idempotencyKey: "payout:p1" },
      ),
    );
    await settle();
    record("payouts.retrieve", await stripe.payouts.retrieve(payout.id, undefined, { stripeAccount: account.id }));
    record("payouts.list", await stripe.payouts.list({}, { stripeAccount: account.id }));
    record(
      "transfers.createReversal",
      await stripe.transfers.createReversal(
        transfer.id,
        { amount: 500, metadata: { payoutId: "p1" } },
        { idempotencyKey: "reversal:p1" },
      ),
    );
    const reversals = record("transfers.listReversals", await stripe.transfers.listReversals(transfer.id));
    record("transfers.retrieveReversal", await stripe.transfers.retrieveReversal(transfer.id, reversals.data[0]!.id));
    // A payout the bank refuses (payout.failed), and an account Stripe restricts (account.updated).
    processor.injectFailure("payouts", { mode: "payout_fails", times: 1, failureCode: "account_closed" });
    record(
      "payouts.create (fails at the bank)",
      await stripe.payouts.create(
        { amount: 100, currency: "usd" },
        { stripeAccount: account.id, idempotencyKey: "payout:p2" },
      ),
    );
    await settle();
    record(
      "account restricted",
      await stripe.rawRequest("POST", `/v1/test_helpers/accounts/${account.id}/restrict`, {}),
    );
    record("balance.retrieve (connected)", await stripe.balance.retrieve(undefined, { stripeAccount: account.id }));
    await settle();
    const events = record("events.list", await stripe.events.list({ limit: 100, created: { gte: startedAt } }));
    record("events.retrieve", await stripe.events.retrieve(events.data[0]!.id));
    // Error bodies: validation (400), missing object (404), idempotency conflict, unknown connected account.
    record("400 missing param", (await api("POST", "/v1/payment_intents", { currency: "usd" })).json);
    record("404 missing object", (await api("GET", "/v1/charges/ch_nope")).json);
    record(
      "400 idempotency_error",
      (await api("POST", "/v1/customers", { email: "other@example.test" }, { "idempotency-key": "customer:u1" })).json,
    );
    record("403 account_invalid", (await api("GET", "/v1/balance", {}, { "stripe-account": "acct_nope" })).json);

    const all: string[] = [];
    for (const { label, value } of recorded) all.push(...problems(label, value));
    expect(received.length).toBeGreaterThanOrEqual(20);
    for (const { event } of received) {
      const copy = JSON.parse(JSON.stringify(event)) as Stripe.Event;
      all.push(...problems(`webhook ${event.type}`, copy));
    }
    expect(all).toEqual([]);
    expect(recorded.length).toBeGreaterThanOrEqual(40);
    // Every webhook type the app handles was exercised.
    expect(new Set(received.map((r) => r.event.type))).toEqual(
      new Set([
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.completed",
        "charge.failed",
        "payment_intent.payment_failed",
        "refund.created",
        "charge.refunded",
        "charge.dispute.created",
        "charge.dispute.closed",
        "charge.dispute.funds_reinstated",
        "account.updated",
        "transfer.created",
        "payout.created",
        "payout.paid",
        "payout.failed",
        "transfer.reversed",
        "checkout.session.expired",
      ]),
    );
  });

  it(
    "fails when a shape drifts: a missing always-present field, an internal field or a wrong type",
    { timeout: 60_000 },
    async () => {
      const session = await checkout();
      const good = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
      expect(problems("session", good)).toEqual([]);
      const { payment_method_types: _dropped, ...missing } = good;
      expect(problems("session", missing).join("\n")).toMatch(/must have required property 'payment_method_types'/);
      expect(problems("session", { ...good, _line_item_name: "x" }).join("\n")).toMatch(
        /internal field \/_line_item_name/,
      );
      expect(problems("session", { ...good, amount_total: "5000" }).join("\n")).toMatch(/amount_total: must be number/);
      expect(
        problems("session", { ...good, custom_text: { ...(good.custom_text as object), _x: 1 } }).join("\n"),
      ).toMatch(/internal field \/custom_text\/_x/);
    },
  );
});

describe("local processor follows Stripe's request rules", () => {
  it("idempotency: a validation failure saves nothing, the key is echoed, replays are marked", async () => {
    const bad = await api(
      "POST",
      "/v1/customers",
      { email: "a@example.test", "metadata[x]": "1", expand: "nope" },
      { "idempotency-key": "k1" },
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get("idempotency-key")).toBe("k1");
    const ok = await api("POST", "/v1/customers", { email: "a@example.test" }, { "idempotency-key": "k1" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("idempotency-key")).toBe("k1");
    expect(ok.headers.get("idempotent-replayed")).toBeNull();
    const replay = await api("POST", "/v1/customers", { email: "a@example.test" }, { "idempotency-key": "k1" });
    expect(replay.json.id).toBe(ok.json.id);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("idempotency-key")).toBe("k1");
    expect(replay.headers.get("original-request")).toBe(ok.headers.get("request-id"));
    const other = await api("POST", "/v1/customers", { email: "b@example.test" }, { "idempotency-key": "k1" });
    expect(other.status).toBe(400);
    expect((other.json.error as { type: string }).type).toBe("idempotency_error");
    // A missing parameter and a missing object are validation failures (nothing saved); a refusal on the
    // merits (no funds for the transfer) began executing and is saved.
    const noAmount = await api("POST", "/v1/payment_intents", { currency: "usd" }, { "idempotency-key": "k2" });
    expect(noAmount.status).toBe(400);
    expect(
      (await api("POST", "/v1/payment_intents", { currency: "usd", amount: "1000" }, { "idempotency-key": "k2" }))
        .status,
    ).toBe(200);
    // Stripe answers 400 resource_missing (with the param) for a missing object named by a parameter.
    const noCharge = await api("POST", "/v1/refunds", { charge: "ch_nope" }, { "idempotency-key": "k3" });
    expect(noCharge.status).toBe(400);
    expect(noCharge.json.error).toMatchObject({
      code: "resource_missing",
      param: "charge",
      message: "No such charge: 'ch_nope'",
    });
    expect(
      (await api("POST", "/v1/refunds", { charge: "ch_nope" }, { "idempotency-key": "k3" })).headers.get(
        "idempotent-replayed",
      ),
    ).toBeNull();
    const account = await onboardedAccount();
    const transfer = { amount: "100000", currency: "usd", destination: account.id };
    const refused = await api("POST", "/v1/transfers", transfer, { "idempotency-key": "k4" });
    expect((refused.json.error as { code: string }).code).toBe("balance_insufficient");
    const replayed = await api("POST", "/v1/transfers", transfer, { "idempotency-key": "k4" });
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.json).toEqual(refused.json);
  });

  it("expand: the app's paths expand, nested and in lists; an unknown path is 400", async () => {
    const session = await checkout();
    expect((await pay(session.url!, "4242424242424242")).status).toBe(303);
    const nested = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    const pi = nested.payment_intent as Stripe.PaymentIntent;
    expect((pi.latest_charge as Stripe.Charge).object).toBe("charge");
    const listed = await stripe.events.list({ type: "charge.succeeded" });
    expect(listed.data).toHaveLength(1);
    await expect(stripe.paymentIntents.retrieve(pi.id, { expand: ["metadata"] })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 400,
      message: "This property cannot be expanded (metadata).",
    });
    await expect(stripe.checkout.sessions.retrieve(session.id, { expand: ["nope"] })).rejects.toMatchObject({
      statusCode: 400,
    });
    // POST accepts expand too (the SDK sends it in the body).
    const created = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", expand: ["customer"] });
    expect(created.customer).toBeNull();
  });

  it("created filters on lists; request.id on events caused by an API call, as the request-id header", async () => {
    const customer = await stripe.customers.create({});
    const before = await stripe.events.list({ created: { gte: Math.floor(Date.now() / 1000) + 3600 } });
    expect(before.data).toEqual([]);
    const session = await checkout({
      customer: customer.id,
      payment_intent_data: { setup_future_usage: "off_session" },
    });
    await pay(session.url!, "4242424242424242");
    await settle();
    const all = await stripe.events.list({ created: { gte: 0 } });
    expect(all.data.length).toBeGreaterThan(0);
    // A checkout paid on the hosted page is not an API call: request.id is null there, as on Stripe.
    expect(all.data.every((e) => e.request?.id === null)).toBe(true);
    const pm = processor.store.list("payment_method")[0]!;
    const response = await api(
      "POST",
      "/v1/payment_intents",
      {
        amount: "1000",
        currency: "usd",
        customer: customer.id,
        payment_method: pm.id,
        off_session: "true",
        confirm: "true",
      },
      { "idempotency-key": "k9" },
    );
    const requestId = response.headers.get("request-id");
    expect(requestId).toMatch(/^req_/);
    await settle();
    const succeeded = (await stripe.events.list({ type: "payment_intent.succeeded", created: { gte: 0 } })).data.find(
      (e) => (e.data.object as Stripe.PaymentIntent).id === response.json.id,
    )!;
    expect(succeeded.request).toEqual({ id: requestId, idempotency_key: "k9" });
    expect((await stripe.events.list({ created: { lt: 1 } })).data).toEqual([]);
    expect((await stripe.transfers.list({ created: { gt: Math.floor(Date.now() / 1000) + 10 } })).data).toEqual([]);
  });

  it("the 402 off-session decline body carries the documented fields", async () => {
    const customer = await stripe.customers.create({});
    const session = await checkout({ customer: customer.id });
    await pay(session.url!, "4000000000009995");
    const [pm] = processor.store.list("payment_method");
    processor.store.put({ ...pm!, customer: customer.id });
    const params = {
      amount: "1000",
      currency: "usd",
      customer: customer.id,
      payment_method: pm!.id,
      off_session: "true",
      confirm: "true",
    };
    const response = await api("POST", "/v1/payment_intents", params, { "idempotency-key": "decline-1" });
    expect(response.status).toBe(402);
    // The charge was attempted, so the answer is saved against the key: a retry replays the same decline.
    const replay = await api("POST", "/v1/payment_intents", params, { "idempotency-key": "decline-1" });
    expect(replay.status).toBe(402);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.json).toEqual(response.json);
    const error = response.json.error as Record<string, unknown>;
    expect(error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "insufficient_funds",
      param: "payment_method",
    });
    expect(String(error.charge)).toMatch(/^ch_/);
    expect((error.payment_method as { id: string }).id).toBe(pm!.id);
    expect((error.payment_intent as { status: string }).status).toBe("requires_payment_method");
    expect(String(error.doc_url)).toMatch(/card-declined/);
    expect(String(error.request_log_url)).toContain(String(response.headers.get("request-id")));
    await expect(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        customer: customer.id,
        payment_method: pm!.id,
        off_session: true,
        confirm: true,
      }),
    ).rejects.toMatchObject({
      type: "StripeCardError",
      decline_code: "insufficient_funds",
      charge: expect.stringMatching(/^ch_/),
    });
  });
});
