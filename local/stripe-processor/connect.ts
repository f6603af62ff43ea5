// Stripe Connect (Express) subset of the local processor: connected accounts (accounts.ts: account links and
// the hosted onboarding page that stands in for Stripe's Express onboarding); transfers to connected accounts
// (and their reversals), payouts from a connected account's balance to its bank, and the balances they move.
//
// Balances are derived from the persisted objects, so they survive restarts with them:
//   platform  = charges (net of refunds) + dispute adjustments - transfers (net of reversals)
//   connected = transfers to the account (net of reversals) - its payouts that have not failed
import { accountsApi } from "./accounts";
import { metadataOrEmpty as metadataOf, now, str } from "./common";
import { PAYOUT_FAILURE_MESSAGES } from "./failures";
import { createdMatcher } from "./expand";
import { parseStripeForm, type FormValue } from "./form";
import { newId, type Store, type StripeObject } from "./state";

export type ConnectDeps = {
  store: Store;
  baseUrl: () => string;
  emit: (type: string, object: StripeObject, request?: { idempotencyKey?: string; account?: string }) => StripeObject;
  invalid: (message: string, param?: string, code?: string) => never;
  getOr404: (id: string, object: string) => StripeObject;
  missing: (kind: string, id: string) => never;
  /** Platform funds from charges and disputes by currency, before transfers. */
  platformGross: () => Record<string, number>;
  /** Runs `fn` after `ms` unless the processor stopped first. */
  later: (ms: number, fn: () => void) => void;
  /** Delay between a payout's creation (`pending`) and its outcome (`paid` / `failed`). */
  payoutDelayMs: number;
  /** Books the platform's Connect fee for a paid payout (fees.ts); returns its balance transaction id. */
  payoutFee?: (payout: StripeObject) => string;
};

function add(into: Record<string, number>, currency: unknown, amount: number): void {
  const c = String(currency);
  into[c] = (into[c] ?? 0) + amount;
}

/** A Stripe list page over `items` (newest first), with `limit`, `starting_after` and `created` filters. */
export function listPage(url: string, items: StripeObject[], query: URLSearchParams): Record<string, unknown> {
  const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 10) || 10));
  const created = createdMatcher(parseStripeForm(query.toString()));
  let rows = [...items].reverse().filter(created);
  const startingAfter = query.get("starting_after");
  if (startingAfter) {
    const at = rows.findIndex((o) => o.id === startingAfter);
    rows = at === -1 ? [] : rows.slice(at + 1);
  }
  return { object: "list", url, has_more: rows.length > limit, data: rows.slice(0, limit) };
}

export const INSUFFICIENT_PLATFORM_FUNDS =
  "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance";

export function connectApi(deps: ConnectDeps) {
  const { store, invalid, getOr404 } = deps;

  // ---------------------------------------------------------------- money: balances, transfers, reversals, payouts
  function amountOf(value: FormValue | undefined, param: string, required: boolean): number | undefined {
    if (value === undefined)
      return required ? invalid(`Missing required param: ${param}.`, param, "parameter_missing") : undefined;
    if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
      invalid(`Invalid integer: ${String(value)}`, param);
    const amount = Number(value);
    if (amount <= 0) invalid("Amount must be greater than 0.", param, "amount_too_small");
    return amount;
  }

  function currencyOf(value: FormValue | undefined): string {
    const currency = str(value) ?? invalid("Missing required param: currency.", "currency", "parameter_missing");
    if (!/^[a-zA-Z]{3}$/.test(currency)) invalid(`Invalid currency: ${currency}.`, "currency");
    return currency.toLowerCase();
  }

  /** Available funds by currency: the platform's (account null) or a connected account's. */
  function available(accountId: string | null): Record<string, number> {
    const out: Record<string, number> = accountId === null ? { ...deps.platformGross() } : {};
    for (const t of store.list("transfer")) {
      const net = Number(t.amount) - Number(t.amount_reversed);
      if (accountId === null) add(out, t.currency, -net);
      else if (t.destination === accountId) add(out, t.currency, net);
    }
    if (accountId !== null) {
      for (const p of store.list("payout"))
        if (p._account === accountId && p.status !== "failed" && p.status !== "canceled")
          add(out, p.currency, -Number(p.amount));
    }
    return out;
  }

  /** `GET /v1/balance`, or with `Stripe-Account` the connected account's balance. */
  function balance(accountId: string | null): Record<string, unknown> {
    const amounts = available(accountId);
    if (amounts.usd === undefined) amounts.usd = 0;
    const currencies = [
      "usd",
      ...Object.keys(amounts)
        .filter((c) => c !== "usd")
        .sort(),
    ];
    return {
      object: "balance",
      available: currencies.map((currency) => ({
        amount: amounts[currency]!,
        currency,
        source_types: { card: amounts[currency]! },
      })),
      pending: currencies.map((currency) => ({ amount: 0, currency, source_types: { card: 0 } })),
      livemode: false,
    };
  }

  function createTransfer(params: Record<string, FormValue>, idempotencyKey?: string): StripeObject {
    const amount = amountOf(params.amount, "amount", true)!;
    const currency = currencyOf(params.currency);
    const destinationId =
      str(params.destination) ?? invalid("Missing required param: destination.", "destination", "parameter_missing");
    const destination =
      store.get(destinationId, "account") ??
      invalid(`No such destination: '${destinationId}'`, "destination", "resource_missing");
    const capabilities = destination.capabilities as Record<string, string>;
    if (destination.payouts_enabled !== true || capabilities.transfers !== "active") {
      invalid(
        "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments (and payouts enabled).",
        "destination",
        "insufficient_capabilities_for_transfer",
      );
    }
    if ((available(null)[currency] ?? 0) < amount)
      invalid(INSUFFICIENT_PLATFORM_FUNDS, undefined, "balance_insufficient");
    const id = newId("tr", false);
    const transfer = store.put({
      id,
      object: "transfer",
      amount,
      amount_reversed: 0,
      balance_transaction: newId("txn", false),
      created: now(),
      currency,
      description: str(params.description) ?? null,
      destination: destination.id,
      destination_payment: newId("py", false),
      livemode: false,
      metadata: metadataOf(params.metadata),
      reversals: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/transfers/${id}/reversals` },
      reversed: false,
      source_transaction: str(params.source_transaction) ?? null,
      source_type: "card",
      transfer_group: str(params.transfer_group) ?? null,
    });
    deps.emit("transfer.created", transfer, { idempotencyKey });
    return transfer;
  }

  function listTransfers(query: URLSearchParams): Record<string, unknown> {
    const group = query.get("transfer_group");
    const destination = query.get("destination");
    const rows = store
      .list("transfer")
      .filter(
        (t) =>
          (group === null || t.transfer_group === group) && (destination === null || t.destination === destination),
      );
    return listPage("/v1/transfers", rows, query);
  }

  function createReversal(
    transfer: StripeObject,
    params: Record<string, FormValue>,
    idempotencyKey?: string,
  ): StripeObject {
    const remaining = Number(transfer.amount) - Number(transfer.amount_reversed);
    if (remaining <= 0)
      invalid(`Transfer ${transfer.id} has already been fully reversed.`, "amount", "amount_too_large");
    const amount = amountOf(params.amount, "amount", false) ?? remaining;
    if (amount > remaining)
      invalid(
        `Reversal amount (${amount}) is greater than the amount not yet reversed on the transfer (${remaining}).`,
        "amount",
        "amount_too_large",
      );
    const destination = String(transfer.destination);
    if ((available(destination)[String(transfer.currency)] ?? 0) < amount) {
      invalid(
        `The destination account ${destination} has insufficient available funds to reverse ${amount} of this transfer (its balance was paid out).`,
        "amount",
        "balance_insufficient",
      );
    }
    const reversal = store.put({
      id: newId("trr", false),
      object: "transfer_reversal",
      amount,
      balance_transaction: newId("txn", false),
      created: now(),
      currency: transfer.currency,
      destination_payment_refund: newId("pyr", false),
      metadata: metadataOf(params.metadata),
      source_refund: null,
      transfer: transfer.id,
    });
    const reversed = Number(transfer.amount_reversed) + amount;
    const list = transfer.reversals as { data: StripeObject[]; total_count: number };
    const updated = store.put({
      ...transfer,
      amount_reversed: reversed,
      reversed: reversed === Number(transfer.amount),
      reversals: { ...list, data: [reversal, ...list.data], total_count: list.total_count + 1 },
    });
    deps.emit("transfer.reversed", updated, { idempotencyKey });
    return reversal;
  }

  function listReversals(transfer: StripeObject, query: URLSearchParams): Record<string, unknown> {
    const rows = store.list("transfer_reversal").filter((r) => r.transfer === transfer.id);
    return listPage(`/v1/transfers/${transfer.id}/reversals`, rows, query);
  }

  function getReversal(transfer: StripeObject, reversalId: string): StripeObject {
    const reversal = getOr404(reversalId, "transfer_reversal");
    if (reversal.transfer !== transfer.id) deps.missing("transfer_reversal", reversalId);
    return reversal;
  }

  function requireConnected(account: StripeObject | null): StripeObject {
    return (
      account ??
      invalid(
        "This local processor pays out connected accounts only: send the Stripe-Account header (the SDK's stripeAccount option).",
        undefined,
        "parameter_missing",
      )
    );
  }

  /** A payout from a connected account's balance to its bank: `pending` now, `paid` or `failed` after payoutDelayMs. */
  function createPayout(
    accountOrNull: StripeObject | null,
    params: Record<string, FormValue>,
    options: { idempotencyKey?: string; failureCode?: string },
  ): StripeObject {
    const account = requireConnected(accountOrNull);
    const amount = amountOf(params.amount, "amount", true)!;
    const currency = currencyOf(params.currency);
    if (account.payouts_enabled !== true)
      invalid(
        `Payouts are not enabled for account ${account.id}: it has outstanding requirements.`,
        undefined,
        "payouts_not_allowed",
      );
    const bank =
      (account.external_accounts as { data: StripeObject[] }).data[0] ??
      invalid("This account has no bank account to pay out to.", "destination", "payouts_not_allowed");
    const method = str(params.method) ?? "standard";
    if (method !== "standard" && method !== "instant") invalid(`Invalid method: ${method}.`, "method");
    if ((available(account.id)[currency] ?? 0) < amount) {
      invalid(
        "You have insufficient funds in your Stripe account for this transfer. Your card balance is too low. You can use the /v1/balance endpoint to view your Stripe balance (for more details, see stripe.com/docs/api#balance).",
        "amount",
        "balance_insufficient",
      );
    }
    const created = now();
    const payout = store.put({
      id: newId("po", false),
      object: "payout",
      amount,
      arrival_date: created + (method === "instant" ? 0 : 2 * 86400),
      automatic: false,
      balance_transaction: newId("txn", false),
      created,
      currency,
      description: str(params.description) ?? null,
      destination: bank.id,
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      livemode: false,
      metadata: metadataOf(params.metadata),
      method,
      original_payout: null,
      reversed_by: null,
      source_type: "card",
      statement_descriptor: str(params.statement_descriptor) ?? null,
      status: "pending",
      type: "bank_account",
      _account: account.id,
      _settle_at: Date.now() + deps.payoutDelayMs,
      _failure_code: options.failureCode ?? null,
    });
    deps.emit("payout.created", payout, { idempotencyKey: options.idempotencyKey, account: account.id });
    deps.later(deps.payoutDelayMs, () => settlePayout(payout.id));
    return payout;
  }

  /** The bank's answer: `payout.paid`, or `payout.failed` (the money is back in the connected balance). */
  function settlePayout(payoutId: string): void {
    const payout = store.get(payoutId, "payout");
    if (payout === null || payout.status !== "pending") return;
    const account = String(payout._account);
    const failureCode = payout._failure_code as string | null;
    if (failureCode === null) {
      deps.payoutFee?.(payout);
      deps.emit("payout.paid", store.put({ ...payout, status: "paid", _settle_at: null }), { account });
      return;
    }
    const failed = store.put({
      ...payout,
      status: "failed",
      failure_code: failureCode,
      failure_message: PAYOUT_FAILURE_MESSAGES[failureCode] ?? "The bank could not process this payout.",
      failure_balance_transaction: newId("txn", false),
      _settle_at: null,
    });
    deps.emit("payout.failed", failed, { account });
  }

  /** After a restart: settle the payouts that were pending when the processor stopped. */
  function resumePayouts(): void {
    for (const payout of store.list("payout")) {
      if (payout.status === "pending")
        deps.later(Math.max(0, Number(payout._settle_at ?? 0) - Date.now()), () => settlePayout(payout.id));
    }
  }

  function getPayout(account: StripeObject | null, payoutId: string): StripeObject {
    const payout = getOr404(payoutId, "payout");
    if (payout._account !== requireConnected(account).id) deps.missing("payout", payoutId);
    return payout;
  }

  function listPayouts(account: StripeObject | null, query: URLSearchParams): Record<string, unknown> {
    const id = requireConnected(account).id;
    const status = query.get("status");
    return listPage(
      "/v1/payouts",
      store.list("payout").filter((p) => p._account === id && (status === null || p.status === status)),
      query,
    );
  }

  return {
    ...accountsApi(deps),
    available,
    balance,
    createTransfer,
    listTransfers,
    createReversal,
    listReversals,
    getReversal,
    createPayout,
    getPayout,
    listPayouts,
    resumePayouts,
  };
}
