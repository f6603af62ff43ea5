// The local processor's fees at Stripe's standard US pricing: balance transactions per charge, refund and
// Connect payout, balance net of fees, and the list/retrieve endpoints the app books fees from.
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { cardFeeCents, payoutFeeCents } from "../../local/stripe-processor/fees";
import { settle, setupLocalProcessor, stripe } from "./processorHarness";

setupLocalProcessor("stripe-fees-");

async function paidCharge(amount: number): Promise<Stripe.Charge> {
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
  const pi = await stripe.paymentIntents.retrieve(
    String((await stripe.checkout.sessions.retrieve(session.id)).payment_intent),
  );
  return await stripe.charges.retrieve(String(pi.latest_charge));
}

const available = async () => (await stripe.balance.retrieve()).available.find((b) => b.currency === "usd")!.amount;

describe("local processor fees", () => {
  it("fee math: 2.9% + 30¢ per card charge, 0.25% + 25¢ per payout, half-even", () => {
    expect(cardFeeCents(5000)).toBe(175);
    expect(cardFeeCents(2500)).toBe(102); // 72.5 -> 72 (even) + 30
    expect(cardFeeCents(1500)).toBe(74); // 43.5 -> 44 (even) + 30
    expect(payoutFeeCents(10_000)).toBe(50);
    expect(payoutFeeCents(1000)).toBe(27); // 2.5 -> 2 + 25
  });

  it("a $50.00 charge has a balance transaction of $1.75 fee, $48.25 net; the balance is net; a refund keeps the fee", async () => {
    const charge = await paidCharge(5000);
    expect(typeof charge.balance_transaction).toBe("string");
    const txn = await stripe.balanceTransactions.retrieve(String(charge.balance_transaction));
    expect(txn).toMatchObject({
      object: "balance_transaction",
      amount: 5000,
      fee: 175,
      net: 4825,
      type: "charge",
      source: charge.id,
    });
    expect(await available()).toBe(4825);
    await stripe.refunds.create({ charge: charge.id, amount: 2000 });
    expect(await available()).toBe(4825 - 2000);
    const listed = await stripe.balanceTransactions.list({ limit: 10 });
    expect(listed.data.map((t) => t.type).sort()).toEqual(["charge", "refund"]);
    const refundTxn = listed.data.find((t) => t.type === "refund")!;
    expect(refundTxn).toMatchObject({ amount: -2000, fee: 0, net: -2000 });
    await settle();
  });

  it("balance transactions can be listed by source", async () => {
    const a = await paidCharge(1000);
    await paidCharge(2000);
    const bySource = await stripe.balanceTransactions.list({ source: a.id } as Stripe.BalanceTransactionListParams);
    expect(bySource.data).toHaveLength(1);
    expect(bySource.data[0]).toMatchObject({ amount: 1000, fee: 59, net: 941 });
    await expect(stripe.balanceTransactions.retrieve("txn_missing")).rejects.toMatchObject({ statusCode: 404 });
    await settle();
  });
});
