// Card disputes (chargebacks), opened and closed through the test helpers; each keeps its $15.00 fee.
import { DISPUTE_FEE_CENTS, int, invalid, now, str } from "./common";
import type { FormValue } from "./form";
import { newId, type Store, type StripeObject } from "./state";

export type DisputesDeps = {
  store: Store;
  emit: (type: string, object: StripeObject, request?: { idempotencyKey?: string; account?: string }) => StripeObject;
};

export function disputesApi({ store, emit }: DisputesDeps) {
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
      balance_transactions: [
        {
          id: newId("txn"),
          object: "balance_transaction",
          amount: -amount,
          fee: DISPUTE_FEE_CENTS,
          net: -amount - DISPUTE_FEE_CENTS,
          currency: charge.currency,
          type: "adjustment",
          reporting_category: "dispute",
        },
      ],
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
      txns.push({
        id: newId("txn"),
        object: "balance_transaction",
        amount: dispute.amount,
        fee: 0,
        net: dispute.amount,
        currency: dispute.currency,
        type: "adjustment",
        reporting_category: "dispute_reversal",
      });
    }
    const closed = store.put({ ...dispute, status: outcome, balance_transactions: txns });
    emit("charge.dispute.closed", closed);
    if (outcome === "won") emit("charge.dispute.funds_reinstated", closed);
    return closed;
  }

  return { openDispute, closeDispute };
}
