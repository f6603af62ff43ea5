// Top-ups through Stripe webhooks: every handled event type, signatures, duplicates and reordering,
// chargebacks and freezes, credit limits, auto-reload, bad input.
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { checkLedger, walletSummary } from "../../convex/model/ledger";
import { postEvent } from "../../convex/model/ledgerEvents";
import { isClientFrozen, maybeAutoReload } from "../../convex/model/topups";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";

const SECRET = "whsec_convex_test_secret";
const stripe = new Stripe("sk_test_unused");

beforeEach(() => {
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

let seq = 0;
const id = (prefix: string) => `${prefix}_test_${(++seq).toString(36).padStart(8, "0")}`;

type Ev = { id: string; type: string; created: number; data: { object: Record<string, unknown> } };
const event = (type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)): Ev => ({
  id: id("evt"),
  type,
  created,
  data: { object },
});

async function deliver(t: Test, ev: Ev, secret = SECRET) {
  const payload = JSON.stringify({ object: "event", api_version: "2026-10-28.endive", livemode: false, ...ev });
  const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret });
  const response = await t.fetch("/stripe/webhook", {
    method: "POST",
    headers: { "stripe-signature": header, "content-type": "application/json" },
    body: payload,
  });
  return { status: response.status, body: await response.text() };
}

async function newPendingTopup(t: Test, userId: Id<"users">, amount = "50", saveCard = false) {
  return await t.mutation(internal.topups.createPending, { userId, amount, saveCard });
}

/** The events Stripe sends for one successful checkout top-up. */
function successEvents(topupId: string, amountCents: number) {
  const pi = id("pi");
  const charge = id("ch");
  const cs = id("cs");
  const metadata = { topupId };
  return {
    pi,
    charge,
    events: [
      event("charge.succeeded", {
        id: charge,
        object: "charge",
        amount: amountCents,
        payment_intent: pi,
        status: "succeeded",
        metadata: {},
      }),
      event("payment_intent.succeeded", {
        id: pi,
        object: "payment_intent",
        amount: amountCents,
        amount_received: amountCents,
        currency: "usd",
        status: "succeeded",
        latest_charge: charge,
        metadata,
      }),
      event("checkout.session.completed", {
        id: cs,
        object: "checkout.session",
        amount_total: amountCents,
        currency: "usd",
        client_reference_id: topupId,
        metadata,
        payment_intent: pi,
        payment_status: "paid",
        status: "complete",
        mode: "payment",
      }),
    ],
  };
}

const balance = (t: Test, userId: Id<"users">) => t.run(async (ctx) => (await walletSummary(ctx, userId)).balanceCents);
const ledgerOk = (t: Test) => t.run(async (ctx) => (await checkLedger(ctx)).problems);
const journals = (t: Test) =>
  t.run(async (ctx) => (await ctx.db.query("journals").collect()).map((j) => `${j.type}:${j.amountCents}`).sort());

describe("/stripe/webhook", () => {
  it("forged, missing or tampered signatures: 400 and nothing written", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await newPendingTopup(t, client);
    const [, succeeded] = successEvents(topupId, 5000).events;
    expect((await deliver(t, succeeded!, "whsec_someone_else")).status).toBe(400);
    const payload = JSON.stringify(succeeded);
    expect((await t.fetch("/stripe/webhook", { method: "POST", body: payload })).status).toBe(400);
    const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: SECRET });
    const tampered = payload.replace('"amount_received":5000', '"amount_received":9000');
    expect(
      (await t.fetch("/stripe/webhook", { method: "POST", headers: { "stripe-signature": header }, body: tampered }))
        .status,
    ).toBe(400);
    const old = await stripe.webhooks.generateTestHeaderStringAsync({
      payload,
      secret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(
      (await t.fetch("/stripe/webhook", { method: "POST", headers: { "stripe-signature": old }, body: payload }))
        .status,
    ).toBe(400);
    expect(await t.run(async (ctx) => ctx.db.query("processorEvents").collect())).toHaveLength(0);
    expect(await journals(t)).toEqual([]);
  });

  it("checkout.session.completed credits the wallet once; a replay is 200 and writes nothing", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await newPendingTopup(t, client, "50");
    const completed = successEvents(topupId, 5000).events[2]!;
    const first = await deliver(t, completed);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ outcome: "processed" });
    const replay = await deliver(t, completed);
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toMatchObject({ outcome: "duplicate" });
    expect(await balance(t, client)).toBe(5000);
    expect(await journals(t)).toEqual(["top_up:5000"]);
    expect(await t.run(async (ctx) => ctx.db.query("processorEvents").collect())).toHaveLength(1);
    const topup = await t.withIdentity(localIdentity("c1")).query(api.topups.getMine, { topupId });
    expect(topup).toMatchObject({ status: "succeeded", amountCents: 5000 });
    expect(await ledgerOk(t)).toEqual([]);
  });

  it("payment_intent.succeeded and checkout.session.completed together credit once", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await newPendingTopup(t, client, "25.50");
    for (const ev of successEvents(topupId, 2550).events) expect((await deliver(t, ev)).status).toBe(200);
    expect(await balance(t, client)).toBe(2550);
    expect(await journals(t)).toEqual(["top_up:2550"]);
  });

  it("payment_intent.payment_failed marks the top-up failed with the reason; a retry that succeeds still credits", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await newPendingTopup(t, client, "10");
    const { pi, events } = successEvents(topupId, 1000);
    const failed = event("payment_intent.payment_failed", {
      id: pi,
      object: "payment_intent",
      amount: 1000,
      status: "requires_payment_method",
      metadata: { topupId },
      last_payment_error: {
        type: "card_error",
        code: "card_declined",
        decline_code: "insufficient_funds",
        message: "Your card has insufficient funds.",
      },
    });
    expect((await deliver(t, failed)).status).toBe(200);
    const me = t.withIdentity(localIdentity("c1"));
    expect(await me.query(api.topups.getMine, { topupId })).toMatchObject({
      status: "failed",
      failureReason: "Your card has insufficient funds.",
    });
    expect(await balance(t, client)).toBe(0);
    for (const ev of events) await deliver(t, ev);
    expect(await me.query(api.topups.getMine, { topupId })).toMatchObject({ status: "succeeded", failureReason: null });
    // A stale failure after success changes nothing.
    await deliver(t, { ...failed, id: id("evt") });
    expect(await me.query(api.topups.getMine, { topupId })).toMatchObject({ status: "succeeded" });
    expect(await balance(t, client)).toBe(1000);
  });

  it("an event for an unknown top-up is recorded and alerted; no money moves", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await newPendingTopup(t, client);
    await t.run(async (ctx) => ctx.db.delete("topups", topupId as Id<"topups">));
    const ev = successEvents(topupId, 5000).events[1]!;
    const response = await deliver(t, ev);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ outcome: "unmatched" });
    const other = successEvents("not-an-id", 5000).events[2]!;
    expect(JSON.parse((await deliver(t, other)).body)).toMatchObject({ outcome: "unmatched" });
    expect(await journals(t)).toEqual([]);
    const alerts = await t.run(async (ctx) => ctx.db.query("alerts").collect());
    expect(alerts.filter((a) => a.kind === "payments_unmatched_event")).toHaveLength(2);
    expect(await t.run(async (ctx) => ctx.db.query("processorEvents").collect())).toHaveLength(2);
  });

  it("an amount that differs from the top-up is alerted and credits nothing", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await newPendingTopup(t, client, "10");
    const ev = successEvents(topupId, 99999).events[1]!;
    expect(JSON.parse((await deliver(t, ev)).body)).toMatchObject({ outcome: "mismatch" });
    expect(await balance(t, client)).toBe(0);
    expect(
      (await t.run(async (ctx) => ctx.db.query("alerts").collect())).some((a) => a.kind === "payments_amount_mismatch"),
    ).toBe(true);
  });

  it("unknown event types are acknowledged and logged", async () => {
    const t = newTest();
    const response = await deliver(t, event("customer.created", { id: "cus_1", object: "customer" }));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ outcome: "ignored" });
    expect(await t.run(async (ctx) => ctx.db.query("processorEvents").collect())).toMatchObject([
      { type: "customer.created", outcome: "ignored" },
    ]);
  });

  it("charge.refunded debits the wallet by the cumulative refund, once, in any order", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await newPendingTopup(t, client, "50");
    const { pi, charge, events } = successEvents(topupId, 5000);
    for (const ev of events) await deliver(t, ev);
    const refunded = (amount: number) =>
      event("charge.refunded", {
        id: charge,
        object: "charge",
        amount: 5000,
        amount_refunded: amount,
        payment_intent: pi,
        refunded: amount === 5000,
      });
    const second = refunded(3000);
    const first = refunded(1000);
    await deliver(t, second);
    await deliver(t, first); // older, smaller cumulative amount: nothing more
    await deliver(t, second);
    expect(await balance(t, client)).toBe(2000);
    await deliver(t, refunded(5000));
    expect(await balance(t, client)).toBe(0);
    expect(await t.withIdentity(localIdentity("c1")).query(api.topups.getMine, { topupId })).toMatchObject({
      status: "refunded",
      refundedCents: 5000,
    });
    expect(await ledgerOk(t)).toEqual([]);
  });

  it("a refund or dispute for a payment not matched yet answers 500 (the processor retries)", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await newPendingTopup(t, client, "50");
    const { pi, charge, events } = successEvents(topupId, 5000);
    const refund = event("charge.refunded", {
      id: charge,
      object: "charge",
      amount: 5000,
      amount_refunded: 5000,
      payment_intent: pi,
    });
    expect((await deliver(t, refund)).status).toBe(500);
    expect(await t.run(async (ctx) => ctx.db.query("processorEvents").collect())).toHaveLength(0);
    for (const ev of events) await deliver(t, ev);
    expect((await deliver(t, refund)).status).toBe(200);
    expect(await balance(t, client)).toBe(0);
  });
});

describe("chargebacks", () => {
  const dispute = (disputeId: string, pi: string, charge: string, amount: number, status: string) => ({
    id: disputeId,
    object: "dispute",
    amount,
    charge,
    payment_intent: pi,
    currency: "usd",
    status,
    reason: "fraudulent",
    balance_transactions: [{ amount: -amount, fee: 1500 }],
  });

  async function spentClient(t: Test) {
    const client = await insertUser(t, "c1", "client");
    const advisor = await insertUser(t, "a1", "advisor");
    const admin = await insertUser(t, "admin1", "admin");
    await t
      .withIdentity(localIdentity("admin1"))
      .mutation(api.topups.setClientCreditLimit, { userId: client, creditLimitCents: 2000, reason: "Trusted regular" });
    const { topupId } = await newPendingTopup(t, client, "50");
    const { pi, charge, events } = successEvents(topupId, 5000);
    for (const ev of events) await deliver(t, ev);
    await t.run(async (ctx) => {
      await postEvent(ctx, {
        event: { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 4000, feeCents: 400 },
        idempotencyKey: "session:1",
      });
    });
    return { client, admin, topupId, pi, charge };
  }

  it("charge.dispute.created debits the wallet (negative, down to the credit limit), freezes the client, alerts admins", async () => {
    const t = newTest();
    const { client, pi, charge } = await spentClient(t);
    expect(await balance(t, client)).toBe(1000);
    const du = id("du");
    expect(
      (await deliver(t, event("charge.dispute.created", dispute(du, pi, charge, 5000, "needs_response")))).status,
    ).toBe(200);
    expect(await balance(t, client)).toBe(-2000); // 1000 balance + 2000 credit limit taken; the rest is a loss
    expect(await t.run(async (ctx) => isClientFrozen(ctx, client))).toBe(true);
    expect(await t.withIdentity(localIdentity("c1")).query(api.topups.myPaymentSettings, {})).toMatchObject({
      frozen: true,
    });
    const alerts = await t.run(async (ctx) => ctx.db.query("alerts").collect());
    expect(alerts.some((a) => a.kind === "payments_chargeback" && a.severity === "critical")).toBe(true);
    expect(await ledgerOk(t)).toEqual([]);
  });

  it("charge.dispute.closed won reverses the chargeback and lifts the freeze; lost keeps it", async () => {
    const t = newTest();
    const { client, pi, charge } = await spentClient(t);
    const du = id("du");
    await deliver(t, event("charge.dispute.created", dispute(du, pi, charge, 5000, "needs_response")));
    await deliver(t, event("charge.dispute.closed", dispute(du, pi, charge, 5000, "won")));
    expect(await balance(t, client)).toBe(1000);
    expect(await t.run(async (ctx) => isClientFrozen(ctx, client))).toBe(false);
    expect((await journals(t)).filter((j) => j.startsWith("chargeback"))).toEqual([
      "chargeback_opened:6500",
      "chargeback_won:5000",
    ]);

    const t2 = newTest();
    const other = await spentClient(t2);
    const du2 = id("du");
    // Closed (lost) before created: the opening is applied from the closing event; the late opening is a no-op.
    await deliver(t2, event("charge.dispute.closed", dispute(du2, other.pi, other.charge, 5000, "lost")));
    await deliver(t2, event("charge.dispute.created", dispute(du2, other.pi, other.charge, 5000, "needs_response")));
    expect(await balance(t2, other.client)).toBe(-2000);
    expect(await t2.run(async (ctx) => isClientFrozen(ctx, other.client))).toBe(true);
    expect(await ledgerOk(t2)).toEqual([]);
  });
});

describe("duplicates and reordering", () => {
  function shuffle<T>(items: T[], random: () => number): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  function rng(seed: number) {
    return () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
  }

  it("each event delivered 1–5 times in shuffled order: the ledger ends identical", async () => {
    const outcomes: string[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      seq = 1000; // same event and object ids in every run
      const random = rng(seed);
      const t = newTest();
      const client = await insertUser(t, "c1", "client");
      const a = await newPendingTopup(t, client, "50");
      const b = await newPendingTopup(t, client, "25");
      const c = await newPendingTopup(t, client, "10");
      const sa = successEvents(a.topupId, 5000);
      const sb = successEvents(b.topupId, 2500);
      const failedC = event("payment_intent.payment_failed", {
        id: id("pi"),
        object: "payment_intent",
        amount: 1000,
        metadata: { topupId: c.topupId },
        last_payment_error: { message: "Your card was declined.", decline_code: "generic_decline" },
      });
      const du = id("du");
      const all = [
        ...sa.events,
        ...sb.events,
        failedC,
        event("charge.refunded", {
          id: sb.charge,
          object: "charge",
          amount: 2500,
          amount_refunded: 500,
          payment_intent: sb.pi,
        }),
        event("charge.dispute.created", {
          id: du,
          object: "dispute",
          amount: 5000,
          charge: sa.charge,
          payment_intent: sa.pi,
          status: "needs_response",
          balance_transactions: [{ amount: -5000, fee: 1500 }],
        }),
        event("charge.dispute.closed", {
          id: du,
          object: "dispute",
          amount: 5000,
          charge: sa.charge,
          payment_intent: sa.pi,
          status: "won",
          balance_transactions: [{ amount: -5000, fee: 1500 }],
        }),
      ];
      let queue = shuffle(
        all.flatMap((ev) => Array.from({ length: 1 + Math.floor(random() * 5) }, () => ev)),
        random,
      );
      // Like the processor: whatever was answered non-2xx is delivered again later.
      for (let round = 0; queue.length > 0 && round < 10; round++) {
        const retry: Ev[] = [];
        for (const ev of queue) {
          const { status } = await deliver(t, ev);
          if (status === 500) retry.push(ev);
          else expect(status).toBe(200);
        }
        queue = shuffle(retry, random);
      }
      expect(queue).toEqual([]);
      expect(await ledgerOk(t)).toEqual([]);
      const me = t.withIdentity(localIdentity("c1"));
      const topups = (await me.query(api.topups.listMine, {}))
        .map((x) => `${x.amountCents}:${x.status}:${x.refundedCents}`)
        .sort();
      outcomes.push(JSON.stringify({ balance: await balance(t, client), journals: await journals(t), topups }));
    }
    expect(new Set(outcomes).size).toBe(1);
    expect(JSON.parse(outcomes[0]!)).toMatchObject({
      balance: 5000 + 2000,
      topups: ["1000:failed:0", "2500:succeeded:500", "5000:succeeded:0"],
    });
  });
});

describe("top-up amounts (bad input creates nothing)", () => {
  it.each([
    ["4.99", "minimum"],
    ["500.01", "maximum"],
    ["abc", "digits"],
    ["12.345", "2 decimal"],
    ["-5", "negative"],
    ["", "Enter an amount"],
  ])("%s is refused (%s)", async (amount, words) => {
    const t = newTest();
    await insertUser(t, "c1", "client");
    const me = t.withIdentity(localIdentity("c1"));
    await expectAppError(me.action(api.stripeNode.createTopUpCheckout, { amount }), "INVALID_ARGUMENT");
    await expect(me.action(api.stripeNode.createTopUpCheckout, { amount })).rejects.toThrow(new RegExp(words, "i"));
    expect(await t.run(async (ctx) => ctx.db.query("topups").collect())).toHaveLength(0);
  });

  it("the server decides the amount: $5, $500 and cents precision are accepted", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    expect((await newPendingTopup(t, client, "5")).amountCents).toBe(500);
    expect((await newPendingTopup(t, client, "500")).amountCents).toBe(50000);
    expect((await newPendingTopup(t, client, "$12.34")).amountCents).toBe(1234);
  });

  it("requires sign-in; a suspended client cannot top up", async () => {
    const t = newTest();
    await insertUser(t, "s1", "client", { status: "suspended" });
    await expectAppError(t.action(api.stripeNode.createTopUpCheckout, { amount: "10" }), "UNAUTHENTICATED");
    await expectAppError(
      t.withIdentity(localIdentity("s1")).action(api.stripeNode.createTopUpCheckout, { amount: "10" }),
      "SUSPENDED",
    );
  });

  it("without a processor configured the checkout is UNAVAILABLE and nothing is created", async () => {
    const t = newTest();
    await insertUser(t, "c1", "client");
    await expectAppError(
      t.withIdentity(localIdentity("c1")).action(api.stripeNode.createTopUpCheckout, { amount: "10" }),
      "UNAVAILABLE",
    );
    expect(await t.run(async (ctx) => ctx.db.query("topups").collect())).toHaveLength(0);
  });

  it("a client sees only their own top-ups", async () => {
    const t = newTest();
    const c1 = await insertUser(t, "c1", "client");
    await insertUser(t, "c2", "client");
    const { topupId } = await newPendingTopup(t, c1, "10");
    expect(await t.withIdentity(localIdentity("c2")).query(api.topups.getMine, { topupId })).toBeNull();
    expect(await t.withIdentity(localIdentity("c2")).query(api.topups.listMine, {})).toEqual([]);
  });
});

describe("credit limits", () => {
  it("admins set 0–$200 with a reason; every change is audited; available = balance + limit", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    await insertUser(t, "admin1", "admin");
    const admin = t.withIdentity(localIdentity("admin1"));
    await admin.mutation(api.topups.setClientCreditLimit, {
      userId: client,
      creditLimitCents: 20000,
      reason: "Long-standing client",
    });
    expect(await t.withIdentity(localIdentity("c1")).query(api.wallet.getMyWallet, {})).toMatchObject({
      balanceCents: 0,
      creditLimitCents: 20000,
      availableCents: 20000,
    });
    await admin.mutation(api.topups.setClientCreditLimit, {
      userId: client,
      creditLimitCents: 0,
      reason: "Back to default",
    });
    const view = await admin.query(api.topups.adminClientWallet, { userId: client });
    expect(view!.creditLimitChanges.map((c) => JSON.parse(c.details))).toEqual([
      { fromCents: 20000, toCents: 0, reason: "Back to default" },
      { fromCents: 0, toCents: 20000, reason: "Long-standing client" },
    ]);
  });

  it("refuses out-of-range limits, missing reasons, non-admins and non-clients", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const advisor = await insertUser(t, "a1", "advisor");
    await insertUser(t, "admin1", "admin");
    const admin = t.withIdentity(localIdentity("admin1"));
    await expectAppError(
      admin.mutation(api.topups.setClientCreditLimit, { userId: client, creditLimitCents: 20001, reason: "too much" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      admin.mutation(api.topups.setClientCreditLimit, { userId: client, creditLimitCents: -1, reason: "negative" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      admin.mutation(api.topups.setClientCreditLimit, { userId: client, creditLimitCents: 10.5, reason: "fraction" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      admin.mutation(api.topups.setClientCreditLimit, { userId: client, creditLimitCents: 1000, reason: " " }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      admin.mutation(api.topups.setClientCreditLimit, { userId: advisor, creditLimitCents: 1000, reason: "advisor" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      t
        .withIdentity(localIdentity("c1"))
        .mutation(api.topups.setClientCreditLimit, { userId: client, creditLimitCents: 1000, reason: "self" }),
      "FORBIDDEN",
    );
    expect(await t.run(async (ctx) => ctx.db.query("auditLog").collect())).toHaveLength(0);
  });
});

describe("auto-reload", () => {
  async function withSavedCard(t: Test) {
    const client = await insertUser(t, "c1", "client");
    const advisor = await insertUser(t, "a1", "advisor");
    const { topupId } = await newPendingTopup(t, client, "20", true);
    const { events } = successEvents(topupId, 2000);
    const pi = events[1]!;
    pi.data.object = {
      ...pi.data.object,
      customer: "cus_1",
      payment_method: "pm_1",
      setup_future_usage: "off_session",
    };
    for (const ev of events) await deliver(t, ev);
    return { client, advisor };
  }

  it("a saved card is recorded from payment_intent.succeeded; turning on needs a card and valid settings", async () => {
    const t = newTest();
    await insertUser(t, "c0", "client");
    await expectAppError(
      t
        .withIdentity(localIdentity("c0"))
        .mutation(api.topups.setAutoReload, { enabled: true, thresholdCents: 1000, amountCents: 2500 }),
      "CONFLICT",
    );
    await withSavedCard(t);
    const me = t.withIdentity(localIdentity("c1"));
    expect((await me.query(api.topups.myPaymentSettings, {})).card).not.toBeNull();
    await expectAppError(
      me.mutation(api.topups.setAutoReload, { enabled: true, thresholdCents: 100, amountCents: 2500 }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      me.mutation(api.topups.setAutoReload, { enabled: true, thresholdCents: 1000, amountCents: 60000 }),
      "INVALID_ARGUMENT",
    );
    await me.mutation(api.topups.setAutoReload, { enabled: true, thresholdCents: 1000, amountCents: 2500 });
    expect((await me.query(api.topups.myPaymentSettings, {})).autoReload).toMatchObject({
      enabled: true,
      thresholdCents: 1000,
      amountCents: 2500,
    });
  });

  it("a wallet debit schedules the check; one charge per threshold crossing; re-armed after the reload lands", async () => {
    const t = newTest();
    const { client, advisor } = await withSavedCard(t);
    const me = t.withIdentity(localIdentity("c1"));
    await me.mutation(api.topups.setAutoReload, { enabled: true, thresholdCents: 1000, amountCents: 2500 });
    await t.run(async (ctx) => {
      await postEvent(ctx, {
        event: { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 1500, feeCents: 150 },
        idempotencyKey: "s1",
      });
    });
    const scheduled = await t.run(async (ctx) => ctx.db.system.query("_scheduled_functions").collect());
    expect(scheduled.map((s) => s.name)).toContain("topups:maybeAutoReload");
    const first = await t.run(async (ctx) => maybeAutoReload(ctx, client));
    const second = await t.run(async (ctx) => maybeAutoReload(ctx, client));
    expect(first).not.toBeNull();
    expect(second).toBeNull(); // same crossing: no second charge
    const reload = await me.query(api.topups.getMine, { topupId: first! });
    expect(reload).toMatchObject({ kind: "auto_reload", amountCents: 2500, status: "pending" });
    // The off-session charge succeeds: credited by the webhook like any top-up, and re-armed.
    await deliver(t, successEvents(first!, 2500).events[1]!);
    expect(await balance(t, client)).toBe(500 + 2500);
    await t.run(async (ctx) => {
      await postEvent(ctx, {
        event: { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 2500, feeCents: 250 },
        idempotencyKey: "s2",
      });
    });
    expect(await t.run(async (ctx) => maybeAutoReload(ctx, client))).not.toBeNull();
  });

  it("a failed off-session charge turns auto-reload off with a notice", async () => {
    const t = newTest();
    const { client } = await withSavedCard(t);
    const me = t.withIdentity(localIdentity("c1"));
    // Turning it on while already below the threshold starts a reload at once.
    await me.mutation(api.topups.setAutoReload, { enabled: true, thresholdCents: 5000, amountCents: 2500 });
    const reload = (await me.query(api.topups.listMine, {})).find((x) => x.kind === "auto_reload");
    expect(reload).toMatchObject({ status: "pending", amountCents: 2500 });
    const reloadId = reload!._id;
    await deliver(
      t,
      event("payment_intent.payment_failed", {
        id: id("pi"),
        object: "payment_intent",
        amount: 2500,
        metadata: { topupId: reloadId },
        last_payment_error: { message: "Your card was declined.", decline_code: "generic_decline" },
      }),
    );
    const settings = await me.query(api.topups.myPaymentSettings, {});
    expect(settings.autoReload.enabled).toBe(false);
    expect(settings.autoReload.notice).toMatch(/turned off.*declined/);
    expect(await balance(t, client)).toBe(2000);
  });
});
