// Processor fees and balance transactions, at Stripe's standard US pricing: 2.9% + 30¢ per card charge
// (a refund does not return it), 0.25% + 25¢ per Connect payout (charged to the platform), and the dispute
// fee kept in server.ts. Every money movement on the platform gets a `balance_transaction` (amount, fee,
// net), so `GET /v1/balance` is net of fees and the app books exactly what the processor took.
import { newId, type Store, type StripeObject } from "./state";

export const CARD_FEE_BPS = 290;
export const CARD_FEE_FIXED_CENTS = 30;
export const PAYOUT_FEE_BPS = 25;
export const PAYOUT_FEE_FIXED_CENTS = 25;

/** bps of an amount, rounded half to even (whole cents). */
function bpsOf(amountCents: number, bps: number): number {
  const numerator = amountCents * bps;
  const q = Math.floor(numerator / 10_000);
  const r = numerator - q * 10_000;
  if (r > 5_000 || (r === 5_000 && q % 2 === 1)) return q + 1;
  return q;
}

/** Stripe's card fee on a charge of `amountCents`: 2.9% + 30¢ ($50.00 -> $1.75). */
export function cardFeeCents(amountCents: number): number {
  return bpsOf(amountCents, CARD_FEE_BPS) + CARD_FEE_FIXED_CENTS;
}

/** Connect payout fee: 0.25% + 25¢ ($100.00 -> $0.50). */
export function payoutFeeCents(amountCents: number): number {
  return bpsOf(amountCents, PAYOUT_FEE_BPS) + PAYOUT_FEE_FIXED_CENTS;
}

type TxnInput = {
  amount: number;
  fee: number;
  currency: unknown;
  type: string;
  source: string;
  reportingCategory: string;
  description: string;
};

export function balanceTransactionsApi(store: Store, now: () => number) {
  function create(input: TxnInput): StripeObject {
    return store.put({
      id: newId("txn"),
      object: "balance_transaction",
      amount: input.amount,
      available_on: now(),
      created: now(),
      currency: String(input.currency ?? "usd"),
      description: input.description,
      fee: input.fee,
      fee_details:
        input.fee > 0
          ? [
              {
                amount: input.fee,
                currency: String(input.currency ?? "usd"),
                type: "stripe_fee",
                description: input.description,
              },
            ]
          : [],
      net: input.amount - input.fee,
      reporting_category: input.reportingCategory,
      source: input.source,
      status: "available",
      type: input.type,
    });
  }

  /** A succeeded card charge: amount X, fee 2.9% + 30¢, net X - fee. Returns the transaction id. */
  function forCharge(charge: StripeObject): string {
    return create({
      amount: Number(charge.amount),
      fee: cardFeeCents(Number(charge.amount)),
      currency: charge.currency,
      type: "charge",
      source: charge.id,
      reportingCategory: "charge",
      description: "Card payment",
    }).id;
  }

  /** A refund: the amount goes back, the card fee does not. */
  function forRefund(refund: StripeObject): string {
    return create({
      amount: -Number(refund.amount),
      fee: 0,
      currency: refund.currency,
      type: "refund",
      source: refund.id,
      reportingCategory: "refund",
      description: "Refund",
    }).id;
  }

  /** The platform's fee for a paid Connect payout (the payout itself moves the connected account's money). */
  function forPayoutFee(payout: StripeObject): string {
    const fee = payoutFeeCents(Number(payout.amount));
    return create({
      amount: -fee,
      fee: 0,
      currency: payout.currency,
      type: "stripe_fee",
      source: String(payout.id),
      reportingCategory: "fee",
      description: "Connect payout fee",
    }).id;
  }

  /** Fees and fee-only transactions reduce the platform balance: sum of every transaction's net - amount, per currency. */
  function feeTotals(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const txn of store.list("balance_transaction")) {
      const c = String(txn.currency ?? "usd");
      const cost = txn.type === "stripe_fee" ? -Number(txn.amount) : Number(txn.fee);
      out[c] = (out[c] ?? 0) + cost;
    }
    return out;
  }

  /** `GET /v1/balance_transactions?source=&type=&limit=` (newest first). */
  function list(query: URLSearchParams): Record<string, unknown> {
    const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 10) || 10));
    const source = query.get("source");
    const type = query.get("type");
    const data = store
      .list("balance_transaction")
      .filter((t) => (source === null || t.source === source) && (type === null || t.type === type))
      .sort((a, b) => Number(b.created) - Number(a.created));
    return {
      object: "list",
      url: "/v1/balance_transactions",
      has_more: data.length > limit,
      data: data.slice(0, limit),
    };
  }

  return { create, forCharge, forRefund, forPayoutFee, feeTotals, list };
}
