// The ledger closes against the processor (issue 19), end to end against the local Stripe-compatible processor:
// its signed webhooks reach the Convex HTTP action, the fee reader books the fee from the balance transaction,
// reconciliation reads the processor's own balance. Then a chargeback on the top-up claws the advisor's share
// back through the receivable machinery. Exact cents; the ledger checker passes after each step.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { spendLots } from "../../convex/model/funding";
import { releaseMessage } from "../../convex/model/offlineMessages";
import { addAdvisor } from "./advisorHelpers";
import { startProcessor, type Processor } from "../../local/stripe-processor/server";
import { insertUser, localIdentity, newTest, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";
import { settledSession } from "./sessionFixtures";

const SECRET_KEY = "sk_test_convex_fees";
const WEBHOOK_SECRET = "whsec_convex_fees";

let t: Test;
let processor: Processor;
let stripe: Stripe;
let hook: Server;

beforeEach(async () => {
  t = newTest();
  // Forwards the processor's signed webhooks to the Convex HTTP action, as a deployment receives them.
  hook = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      void (async () => {
        const response = await t.fetch("/stripe/webhook", {
          method: "POST",
          headers: { "stripe-signature": String(req.headers["stripe-signature"]), "content-type": "application/json" },
          body: raw,
        });
        res.writeHead(response.status).end(await response.text());
      })();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
  const webhookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/stripe/webhook`;
  processor = await startProcessor({
    dataDir: null,
    secretKey: SECRET_KEY,
    webhookUrl,
    webhookSecret: WEBHOOK_SECRET,
    retryDelaysMs: [20, 40, 80],
    payoutDelayMs: 0,
  });
  stripe = new Stripe(SECRET_KEY, { host: "127.0.0.1", port: processor.port, protocol: "http", maxNetworkRetries: 0 });
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
  vi.stubEnv("LOCAL_STRIPE_URL", processor.url);
  vi.stubEnv("LOCAL_STRIPE_SECRET_KEY", SECRET_KEY);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await processor.stop();
  await new Promise<void>((r) => hook.close(() => r()));
});

async function idle() {
  for (let i = 0; i < 50 && processor.store.state.undelivered.length > 0; i++) {
    await processor.idle();
    await new Promise((r) => setTimeout(r, 20));
  }
  await processor.idle();
}

/** A $X checkout top-up paid with 4242 on the processor's hosted page; webhooks delivered. */
async function topUp(clientId: Id<"users">, amount: string) {
  const { topupId } = await t.mutation(internal.topups.createPending, { userId: clientId, amount, saveCard: false });
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: "usd",
          unit_amount: Math.round(Number(amount) * 100),
          product_data: { name: "Wallet top-up" },
        },
      },
    ],
    success_url: "http://app.test/ok",
    client_reference_id: topupId,
    metadata: { topupId },
    payment_intent_data: { metadata: { topupId } },
  });
  const paid = await fetch(session.url!, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      number: "4242 4242 4242 4242",
      expiry: "12 / 34",
      cvc: "123",
      name: "Casey",
    }).toString(),
  });
  expect(paid.status).toBe(303);
  await idle();
  // The fee reader the credit scheduled (convex/feesNode.ts), run now.
  await t.action(internal.feesNode.fetchFee, {
    target: { kind: "topup", topupId: topupId as Id<"topups"> },
    attempt: 1,
  });
  const topup = (await t.run(async (ctx) => ctx.db.get("topups", topupId as Id<"topups">)))!;
  return topup;
}

async function reconcile() {
  return await t.action(internal.opsNode.runReconciliation, { trigger: "internal" });
}

describe("processor fees", { timeout: 30_000 }, () => {
  it("a $50.00 top-up books a $1.75 fee from the balance transaction, $48.25 in processor_cash, $0.00 drift", async () => {
    const client = await insertUser(t, "c1", "client");
    const topup = await topUp(client, "50");
    expect(topup).toMatchObject({ status: "succeeded", feeCents: 175 });
    expect(topup.balanceTransactionId).toMatch(/^txn_/);
    expect(await balance(t, "client_wallet", client)).toBe(5000);
    expect(await balance(t, "processor_fees")).toBe(175);
    expect(await balance(t, "processor_cash")).toBe(4825);
    expect((await stripe.balance.retrieve()).available[0]!.amount).toBe(4825);
    expect(await reconcile()).toMatchObject({ driftCents: 0 });
    // Margin analytics show the processor fee, and net margin is after it.
    await insertUser(t, "admin1", "admin");
    const today = new Date().toISOString().slice(0, 10);
    const report = await t
      .withIdentity(localIdentity("admin1"))
      .query(api.margins.report, { from: today, to: today, tzOffsetMinutes: 0 });
    expect(report.totals).toMatchObject({ grossCents: 0, processorFeesCents: 175, netMarginCents: -175 });
    // Reading the fee again books nothing more.
    await t.action(internal.feesNode.fetchFee, { target: { kind: "topup", topupId: topup._id }, attempt: 1 });
    expect(await balance(t, "processor_fees")).toBe(175);
    await expectChecker(t);
  });

  it("a chargeback after a $15.00 session claws $13.50 back from the paid-out advisor by offset; the dispute fee is booked", async () => {
    const client = await insertUser(t, "c1", "client");
    const advisor = await insertUser(t, "a1", "advisor");
    const topup = await topUp(client, "50");
    // A $15.00 session (10% fee: $13.50 share) paid from this top-up, released and paid out to the advisor.
    const { sessionId } = await settledSession(t, { clientId: client, advisorId: advisor }, 1500, { release: true });
    await t.run(async (ctx) =>
      spendLots(
        ctx,
        { sessionId, clientId: client, advisorId: advisor },
        { walletDebitCents: 1500, shareCents: 1350, feeCents: 150 },
        Date.now(),
      ),
    );
    await t.mutation(internal.ledger.postEvents, {
      items: [
        {
          event: { kind: "payout_requested", advisorId: advisor, amountCents: 1350 },
          idempotencyKey: "payout:x:requested",
        },
        { event: { kind: "payout_paid", advisorId: advisor, amountCents: 1350 }, idempotencyKey: "payout:x:paid" },
      ],
    });
    expect(await balance(t, "advisor_available", advisor)).toBe(0);
    await expectChecker(t);

    // The card holder disputes the whole $50.00: the wallet gives its $35.00, the rest was spent on the session.
    await stripe.rawRequest("POST", `/v1/test_helpers/charges/${topup.chargeId}/dispute`, {});
    await idle();
    expect(await balance(t, "client_wallet", client)).toBe(0);
    expect(await balance(t, "advisor_receivable", advisor)).toBe(1350);
    // Losses: $15.00 not in the wallet + $15.00 dispute fee - $13.50 recovered.
    expect(await balance(t, "chargeback_losses")).toBe(1500 + 1500 - 1350);
    const receivable = await t.run(async (ctx) => ctx.db.query("receivables").first());
    expect(receivable).toMatchObject({ source: "chargeback", amountCents: 1350, remainingCents: 1350, status: "open" });
    await expectChecker(t);

    // The advisor's next earning (another client's $20.00 session, $18.00 share) pays it down by offset.
    const other = await insertUser(t, "c2", "client");
    await t.mutation(internal.ledger.postEvents, {
      items: [{ event: { kind: "top_up", clientId: other, amountCents: 2000 }, idempotencyKey: "seed:c2" }],
    });
    await settledSession(t, { clientId: other, advisorId: advisor }, 2000, { release: true });
    expect(await balance(t, "advisor_receivable", advisor)).toBe(0);
    expect(await balance(t, "advisor_available", advisor)).toBe(1800 - 1350);
    await expectChecker(t);
  });

  it("a chargeback while the session's earning is still on hold takes it from pending; won gives it back", async () => {
    const client = await insertUser(t, "c1", "client");
    const advisor = await insertUser(t, "a1", "advisor");
    const topup = await topUp(client, "20");
    const { sessionId, earningId } = await settledSession(t, { clientId: client, advisorId: advisor }, 2000);
    await t.run(async (ctx) =>
      spendLots(
        ctx,
        { sessionId, clientId: client, advisorId: advisor },
        { walletDebitCents: 2000, shareCents: 1800, feeCents: 200 },
        Date.now(),
      ),
    );
    const dispute = (await stripe.rawRequest(
      "POST",
      `/v1/test_helpers/charges/${topup.chargeId}/dispute`,
      {},
    )) as unknown as { id: string };
    await idle();
    expect(await balance(t, "advisor_pending", advisor)).toBe(0);
    expect(await t.run(async (ctx) => (await ctx.db.get("earnings", earningId))!.refundedShareCents)).toBe(1800);
    expect(await balance(t, "chargeback_losses")).toBe(2000 + 1500 - 1800);
    await stripe.rawRequest("POST", `/v1/test_helpers/disputes/${dispute.id}/close`, { outcome: "won" });
    await idle();
    expect(await balance(t, "advisor_available", advisor)).toBe(1800);
    expect(await balance(t, "chargeback_losses")).toBe(1500); // only the dispute fee stays lost
    await expectChecker(t);
    expect(await reconcile()).toMatchObject({ driftCents: 0 });
  });

  it("a chargeback on a top-up spent on an answered offline message claws the share back from pending; the release moves only what is left; won gives it back", async () => {
    const client = await insertUser(t, "c1", "client");
    const profileId = await addAdvisor(t, "a1", { displayName: "Luna", categories: ["tarot"], status: "approved" });
    const advisor = (await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId)))!.userId;
    await t.withIdentity(localIdentity("a1")).mutation(api.offlineMessages.setPrice, { priceCents: 500 });
    const topup = await topUp(client, "20");
    const { messageId } = await t.withIdentity(localIdentity("c1")).mutation(api.offlineMessages.send, {
      advisorProfileId: profileId,
      body: "Will I find the job I want this year?",
      priceCents: 500,
      requestKey: "send-0001",
    });
    await t
      .withIdentity(localIdentity("a1"))
      .mutation(api.offlineMessages.reply, { messageId, reply: "Yes, in spring." });
    // The answered message spent $5.00 of the top-up's lot; the advisor's part is the $4.50 share.
    const uses = await t.run(async (ctx) => ctx.db.query("fundingUses").collect());
    expect(uses).toMatchObject([
      { topupId: topup._id, offlineMessageId: messageId, amountCents: 500, advisorPartCents: 450 },
    ]);
    expect(uses[0]!.sessionId).toBeUndefined();
    expect(await balance(t, "advisor_pending", advisor)).toBe(450);

    // The card holder disputes the whole $20.00: the wallet gives its $15.00, the rest paid the message.
    const dispute = (await stripe.rawRequest(
      "POST",
      `/v1/test_helpers/charges/${topup.chargeId}/dispute`,
      {},
    )) as unknown as { id: string };
    await idle();
    expect(await balance(t, "client_wallet", client)).toBe(0);
    expect(await balance(t, "advisor_pending", advisor)).toBe(0);
    expect(await t.run(async (ctx) => (await ctx.db.get("offlineMessages", messageId))!.recoveredShareCents)).toBe(450);
    expect(await balance(t, "chargeback_losses")).toBe(500 + 1500 - 450);
    await expectChecker(t);

    // The dispute window ends: nothing is left of the share to release (pending never goes below zero).
    expect(await t.run(async (ctx) => releaseMessage(ctx, messageId, Date.now() + 73 * 60 * 60_000))).toBe(false);
    expect(await balance(t, "advisor_pending", advisor)).toBe(0);
    expect(await balance(t, "advisor_available", advisor)).toBe(0);

    await stripe.rawRequest("POST", `/v1/test_helpers/disputes/${dispute.id}/close`, { outcome: "won" });
    await idle();
    expect(await balance(t, "advisor_available", advisor)).toBe(450);
    expect(await balance(t, "chargeback_losses")).toBe(1500);
    await expectChecker(t);
  });
});
