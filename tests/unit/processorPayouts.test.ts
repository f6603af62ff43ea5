// Advisor payouts on the local processor: transfers to Connect accounts, reversals, payouts from a connected
// balance (Stripe-Account) and failure injection, driven by the official stripe SDK as the payout worker drives it.
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { cardFeeCents } from "../../local/stripe-processor/fees";
import { processor, received, settle, setupLocalProcessor, start, stripe } from "./processorHarness";

setupLocalProcessor("stripe-payouts-");

/** Puts `amount` in the platform balance: a paid checkout session of the gross that nets `amount` after the card fee. */
async function fundPlatform(net: number) {
  let amount = net;
  while (amount - cardFeeCents(amount) < net) amount++;
  expect(amount - cardFeeCents(amount)).toBe(net);
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [
      { quantity: 1, price_data: { currency: "usd", unit_amount: amount, product_data: { name: "Wallet top-up" } } },
    ],
    success_url: "http://app.test/ok",
  });
  const paid = await fetch(session.url!, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      number: "4242 4242 4242 4242",
      expiry: "12 / 34",
      cvc: "123",
      name: "Test",
    }).toString(),
  });
  expect(paid.status).toBe(303);
}

/** A Connect Express account; onboarded (payouts enabled) unless `onboard` is false. */
async function advisorAccount(onboard = true) {
  const account = await stripe.accounts.create({
    type: "express",
    country: "US",
    capabilities: { transfers: { requested: true } },
    metadata: { userId: "u1" },
  });
  if (onboard) {
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      return_url: "http://app.test/r",
      refresh_url: "http://app.test/f",
    });
    const response = await fetch(link.url, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        legalName: "Luna Star",
        routingNumber: "110000000",
        accountNumber: "000123456789",
      }).toString(),
    });
    expect(response.status).toBe(303);
  }
  return account.id;
}

async function available(stripeAccount?: string) {
  const balance = await stripe.balance.retrieve({}, stripeAccount ? { stripeAccount } : undefined);
  return balance.available.find((b) => b.currency === "usd")!.amount;
}

function eventsOf(type: string) {
  return received.filter((r) => r.event.type === type).map((r) => r.event);
}

const transferParams = (destination: string, amount = 3000): Stripe.TransferCreateParams => ({
  amount,
  currency: "usd",
  destination,
  transfer_group: "payout:p1",
  metadata: { payoutId: "p1", userId: "u1" },
});

describe("local processor: transfers, reversals and payouts", () => {
  it("a transfer to an enabled account moves the balances and sends transfer.created", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    const transfer = await stripe.transfers.create(transferParams(acct), { idempotencyKey: "transfer:p1" });
    expect(transfer.id).toMatch(/^tr_/);
    expect(transfer).toMatchObject({
      object: "transfer",
      amount: 3000,
      amount_reversed: 0,
      reversed: false,
      currency: "usd",
      destination: acct,
      transfer_group: "payout:p1",
      metadata: { payoutId: "p1" },
    });
    expect(await available()).toBe(7000);
    expect(await available(acct)).toBe(3000);
    expect(await stripe.transfers.retrieve(transfer.id)).toMatchObject({ id: transfer.id, amount: 3000 });
    const listed = await stripe.transfers.list({ transfer_group: "payout:p1" });
    expect(listed.data.map((t) => t.id)).toEqual([transfer.id]);
    expect((await stripe.transfers.list({ transfer_group: "payout:other" })).data).toHaveLength(0);
    await settle();
    const [created, ...more] = eventsOf("transfer.created");
    expect(more).toHaveLength(0);
    expect(created!.account).toBeUndefined(); // a platform event
    expect(created!.request).toMatchObject({ idempotency_key: "transfer:p1" });
    expect(created!.data.object).toMatchObject({
      id: transfer.id,
      destination: acct,
      metadata: { payoutId: "p1", userId: "u1" },
    });
  });

  it("refuses a destination without payouts enabled, an unknown one, and a short platform balance", async () => {
    await fundPlatform(1000);
    const pending = await advisorAccount(false);
    await expect(stripe.transfers.create(transferParams(pending, 500))).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "insufficient_capabilities_for_transfer",
      param: "destination",
    });
    await expect(stripe.transfers.create(transferParams("acct_nope", 500))).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
      param: "destination",
    });
    const acct = await advisorAccount();
    await expect(stripe.transfers.create(transferParams(acct, 1001))).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "balance_insufficient",
      statusCode: 400,
    });
    expect(processor.store.list("transfer")).toHaveLength(0);
    expect(await available()).toBe(1000);
  });

  it("idempotent replay returns the same transfer and moves the money once; other params are refused", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    const first = await stripe.transfers.create(transferParams(acct), { idempotencyKey: "transfer:p1" });
    const again = await stripe.transfers.create(transferParams(acct), { idempotencyKey: "transfer:p1" });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    await expect(
      stripe.transfers.create(transferParams(acct, 2000), { idempotencyKey: "transfer:p1" }),
    ).rejects.toMatchObject({ type: "StripeIdempotencyError" });
    expect(processor.store.list("transfer")).toHaveLength(1);
    expect(await available()).toBe(7000);
    expect(await available(acct)).toBe(3000);
    await settle();
    expect(eventsOf("transfer.created")).toHaveLength(1);
  });

  it("a reversal returns the money to the platform and sends transfer.reversed", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    const transfer = await stripe.transfers.create(transferParams(acct));
    const partial = await stripe.transfers.createReversal(
      transfer.id,
      { amount: 1000, metadata: { reason: "dispute" } },
      { idempotencyKey: "reverse:p1:1" },
    );
    expect(partial).toMatchObject({
      object: "transfer_reversal",
      amount: 1000,
      transfer: transfer.id,
      metadata: { reason: "dispute" },
    });
    expect(await available()).toBe(8000);
    expect(await available(acct)).toBe(2000);
    const rest = await stripe.transfers.createReversal(transfer.id, {}, { idempotencyKey: "reverse:p1:2" });
    expect(rest.amount).toBe(2000);
    expect(await stripe.transfers.retrieve(transfer.id)).toMatchObject({ amount_reversed: 3000, reversed: true });
    expect(await available()).toBe(10_000);
    expect(await available(acct)).toBe(0);
    await expect(stripe.transfers.createReversal(transfer.id, { amount: 1 })).rejects.toMatchObject({
      code: "amount_too_large",
    });
    await settle();
    const reversed = eventsOf("transfer.reversed");
    expect(reversed).toHaveLength(2);
    const last = reversed[1]!.data.object as Stripe.Transfer;
    expect(last).toMatchObject({
      id: transfer.id,
      amount_reversed: 3000,
      reversed: true,
      metadata: { payoutId: "p1" },
    });
    expect(last.reversals.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
    expect(last.reversals.data[1]!.metadata).toEqual({ reason: "dispute" });
  });

  it("a payout with Stripe-Account turns paid and sends payout.paid carrying the account", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    await stripe.transfers.create(transferParams(acct));
    const payout = await stripe.payouts.create(
      { amount: 2500, currency: "usd", metadata: { payoutId: "p1" } },
      { stripeAccount: acct, idempotencyKey: "payout:p1" },
    );
    expect(payout.id).toMatch(/^po_/);
    expect(payout).toMatchObject({
      object: "payout",
      status: "pending",
      amount: 2500,
      metadata: { payoutId: "p1" },
      failure_code: null,
    });
    expect(payout).not.toHaveProperty("_account");
    expect(await available(acct)).toBe(500);
    await settle();
    expect(await stripe.payouts.retrieve(payout.id, {}, { stripeAccount: acct })).toMatchObject({ status: "paid" });
    const [paid] = eventsOf("payout.paid");
    expect(paid).toMatchObject({
      account: acct,
      data: { object: { id: payout.id, status: "paid", metadata: { payoutId: "p1" } } },
    });
    expect(eventsOf("payout.created")[0]).toMatchObject({ account: acct, request: { idempotency_key: "payout:p1" } });
    // Without the header, or from another account, the payout is not there; more than the balance is refused.
    await expect(stripe.payouts.retrieve(payout.id)).rejects.toMatchObject({ type: "StripeInvalidRequestError" });
    const other = await advisorAccount();
    await expect(stripe.payouts.retrieve(payout.id, {}, { stripeAccount: other })).rejects.toMatchObject({
      code: "resource_missing",
    });
    await expect(
      stripe.payouts.create({ amount: 501, currency: "usd" }, { stripeAccount: acct }),
    ).rejects.toMatchObject({ code: "balance_insufficient" });
    await expect(stripe.balance.retrieve({}, { stripeAccount: "acct_unknown" })).rejects.toMatchObject({
      type: "StripePermissionError",
    });
  });

  it("injected bank failure (HTTP test helper): payout.failed with account_closed, money back in the connected balance", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    await stripe.transfers.create(transferParams(acct));
    await stripe.rawRequest("POST", "/v1/test_helpers/failures", {
      operation: "payouts",
      mode: "payout_fails",
      times: 1,
    });
    const payout = await stripe.payouts.create(
      { amount: 3000, currency: "usd", metadata: { payoutId: "p1" } },
      { stripeAccount: acct },
    );
    expect(payout.status).toBe("pending");
    await settle();
    const [failed] = eventsOf("payout.failed");
    expect(failed).toMatchObject({
      account: acct,
      data: {
        object: {
          id: payout.id,
          status: "failed",
          failure_code: "account_closed",
          failure_message: "The bank account has been closed.",
          metadata: { payoutId: "p1" },
        },
      },
    });
    expect(await available(acct)).toBe(3000);
    // times: 1 was used up; the next payout is paid.
    await stripe.payouts.create({ amount: 3000, currency: "usd" }, { stripeAccount: acct });
    await settle();
    expect(eventsOf("payout.paid")).toHaveLength(1);
    expect(await available(acct)).toBe(0);
    await expect(
      stripe.rawRequest("POST", "/v1/test_helpers/failures", { operation: "transfers", mode: "payout_fails" }),
    ).rejects.toMatchObject({ type: "StripeInvalidRequestError" });
  });

  it("fail_times N: N injected api_errors create nothing, then the same key succeeds once", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    processor.injectFailure("transfers", { mode: "fail_times", times: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(
        stripe.transfers.create(transferParams(acct), { idempotencyKey: "transfer:p1" }),
      ).rejects.toMatchObject({ type: "StripeAPIError", statusCode: 500 });
      expect(processor.store.list("transfer")).toHaveLength(0);
    }
    const transfer = await stripe.transfers.create(transferParams(acct), { idempotencyKey: "transfer:p1" });
    expect(transfer.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(processor.failures.get("transfers")).toBeNull();
    expect(await available()).toBe(7000);
    // always + invalid_request, then off.
    processor.injectFailure("reversals", { mode: "always", error: "invalid_request" });
    await expect(stripe.transfers.createReversal(transfer.id)).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "balance_insufficient",
    });
    await expect(stripe.transfers.createReversal(transfer.id)).rejects.toMatchObject({ code: "balance_insufficient" });
    await stripe.rawRequest("POST", "/v1/test_helpers/failures", { operation: "reversals", mode: "off" });
    expect((await stripe.transfers.createReversal(transfer.id)).amount).toBe(3000);
  });

  it("timeout: the transfer is made but the answer is lost; a retry with the same key returns it, made once", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    processor.injectFailure("transfers", { mode: "timeout", times: 1 });
    await expect(
      stripe.transfers.create(transferParams(acct), { idempotencyKey: "transfer:p1", timeout: 300 }),
    ).rejects.toMatchObject({ type: "StripeConnectionError" });
    expect(processor.store.list("transfer")).toHaveLength(1);
    const retried = await stripe.transfers.create(transferParams(acct), { idempotencyKey: "transfer:p1" });
    expect(retried.id).toBe(processor.store.list("transfer")[0]!.id);
    expect(retried.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(await available()).toBe(7000);
    await settle();
    expect(eventsOf("transfer.created")).toHaveLength(1);
    // hold_ms answers late instead of never (here within the client's timeout).
    await stripe.rawRequest("POST", "/v1/test_helpers/failures", {
      operation: "payouts",
      mode: "timeout",
      hold_ms: 50,
      times: 1,
    });
    const slow = await stripe.payouts.create({ amount: 100, currency: "usd" }, { stripeAccount: acct, timeout: 2000 });
    expect(slow.status).toBe("pending");
  });

  it("keeps transfers, payouts and balances across a restart", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    const transfer = await stripe.transfers.create(transferParams(acct));
    await stripe.payouts.create({ amount: 1000, currency: "usd" }, { stripeAccount: acct });
    await settle();
    await processor.stop();
    await start();
    expect(await stripe.transfers.retrieve(transfer.id)).toMatchObject({ amount: 3000 });
    expect(await available()).toBe(7000 - 27); // the $10.00 payout's Connect fee, 0.25% + 25¢
    expect(await available(acct)).toBe(2000);
    expect((await stripe.payouts.list({}, { stripeAccount: acct })).data[0]).toMatchObject({
      status: "paid",
      amount: 1000,
    });
  });

  it("a payout still pending at shutdown is settled after the restart", async () => {
    await fundPlatform(10_000);
    const acct = await advisorAccount();
    await stripe.transfers.create(transferParams(acct));
    await processor.stop();
    await start({ payoutDelayMs: 60_000 });
    const payout = await stripe.payouts.create({ amount: 1000, currency: "usd" }, { stripeAccount: acct });
    expect(payout.status).toBe("pending");
    // Bring the bank's answer forward so the test does not wait a minute; 2 s leaves the restart (slow on a
    // loaded machine) time to happen before it is due.
    processor.store.put({ ...processor.store.get(payout.id)!, _settle_at: Date.now() + 2_000 });
    await processor.stop();
    await start();
    expect((await stripe.payouts.retrieve(payout.id, {}, { stripeAccount: acct })).status).toBe("pending");
    for (let waitedMs = 0; processor.store.get(payout.id)!.status === "pending" && waitedMs < 10_000; waitedMs += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await settle();
    expect((await stripe.payouts.retrieve(payout.id, {}, { stripeAccount: acct })).status).toBe("paid");
    expect(eventsOf("payout.paid")).toHaveLength(1);
  });
});
