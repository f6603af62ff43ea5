// Chart of accounts. Framework-free: the Convex ledger, the templates and the UI all read this table.
import { DEFAULT_CURRENCY, type Currency } from "../money";

export type Side = "debit" | "credit";

export const ACCOUNT_KINDS = [
  // House (no owner).
  "processor_cash",
  "platform_fees",
  "promotions",
  "processor_fees",
  "chargeback_losses",
  "forgiven_clawbacks",
  // Owned by a client.
  "client_wallet",
  // Owned by an advisor.
  "advisor_pending",
  "advisor_available",
  "advisor_in_transit",
  "advisor_receivable",
  // Owned by a client: money held for a paid offline message until it is answered or refunded (issue 24).
  "client_held",
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export type AccountClass = "asset" | "liability" | "revenue" | "expense";
export type OwnerRole = "client" | "advisor" | null;

/**
 * How an account's floor is decided, in its normal-side balance (debits - credits for debit-normal,
 * credits - debits for credit-normal):
 * - "none": unbounded (house accounts)
 * - "zero": the balance may never go below 0
 * - "credit_limit": balance >= -creditLimitCents of the account (client wallets; 0 by default)
 */
export type FloorRule = "none" | "zero" | "credit_limit";

export type AccountSpec = {
  kind: AccountKind;
  label: string;
  description: string;
  class: AccountClass;
  normalSide: Side;
  owner: OwnerRole;
  floor: FloorRule;
  /** Touched by (almost) every journal: the balance is split into shard rows. */
  sharded: boolean;
};

export const CHART_OF_ACCOUNTS: Record<AccountKind, AccountSpec> = {
  processor_cash: {
    kind: "processor_cash",
    label: "Processor cash",
    description: "Money held for us by the payment processor.",
    class: "asset",
    normalSide: "debit",
    owner: null,
    floor: "none",
    sharded: true,
  },
  platform_fees: {
    kind: "platform_fees",
    label: "Platform fees",
    description: "Our fee on every settled session (revenue).",
    class: "revenue",
    normalSide: "credit",
    owner: null,
    floor: "none",
    sharded: true,
  },
  promotions: {
    kind: "promotions",
    label: "Promotions",
    description: "Promotional credit we paid on behalf of clients (expense).",
    class: "expense",
    normalSide: "debit",
    owner: null,
    floor: "none",
    sharded: false,
  },
  processor_fees: {
    kind: "processor_fees",
    label: "Processor fees",
    description: "Fees charged by the payment processor (expense).",
    class: "expense",
    normalSide: "debit",
    owner: null,
    floor: "none",
    sharded: false,
  },
  chargeback_losses: {
    kind: "chargeback_losses",
    label: "Chargeback losses",
    description: "Card chargebacks we could not recover, and chargeback fees (expense).",
    class: "expense",
    normalSide: "debit",
    owner: null,
    floor: "none",
    sharded: false,
  },
  forgiven_clawbacks: {
    kind: "forgiven_clawbacks",
    label: "Forgiven clawbacks",
    description: "Advisor debts we chose not to collect (expense).",
    class: "expense",
    normalSide: "debit",
    owner: null,
    floor: "none",
    sharded: false,
  },
  client_wallet: {
    kind: "client_wallet",
    label: "Client wallet",
    description: "Prepaid balance a client can spend on sessions.",
    class: "liability",
    normalSide: "credit",
    owner: "client",
    floor: "credit_limit",
    sharded: false,
  },
  advisor_pending: {
    kind: "advisor_pending",
    label: "Advisor pending",
    description: "Advisor earnings inside the hold period.",
    class: "liability",
    normalSide: "credit",
    owner: "advisor",
    floor: "zero",
    sharded: false,
  },
  advisor_available: {
    kind: "advisor_available",
    label: "Advisor available",
    description: "Advisor earnings that can be withdrawn.",
    class: "liability",
    normalSide: "credit",
    owner: "advisor",
    floor: "zero",
    sharded: false,
  },
  advisor_in_transit: {
    kind: "advisor_in_transit",
    label: "Advisor in transit",
    description: "Payouts requested and not yet paid or failed.",
    class: "liability",
    normalSide: "credit",
    owner: "advisor",
    floor: "zero",
    sharded: false,
  },
  advisor_receivable: {
    kind: "advisor_receivable",
    label: "Advisor receivable",
    description: "What an advisor owes us after a refund of money already paid out.",
    class: "asset",
    normalSide: "debit",
    owner: "advisor",
    floor: "zero",
    sharded: false,
  },
  client_held: {
    kind: "client_held",
    label: "Client held",
    description:
      "Client money held for a paid offline message until the advisor replies (paid) or the reply window closes (refunded).",
    class: "liability",
    normalSide: "credit",
    owner: "client",
    floor: "zero",
    sharded: false,
  },
};

/** Identifies an account without knowing its database id: (kind, owner, currency). */
export type AccountRef<Owner extends string = string> = {
  kind: AccountKind;
  /** User id of the owner; null for house accounts. */
  ownerId: Owner | null;
  currency: Currency;
};

export function accountRef<Owner extends string>(
  kind: AccountKind,
  ownerId: Owner | null = null,
  currency: Currency = DEFAULT_CURRENCY,
): AccountRef<Owner> {
  const spec = CHART_OF_ACCOUNTS[kind];
  if (spec.owner === null && ownerId !== null) throw new Error(`${kind} is a house account and has no owner.`);
  if (spec.owner !== null && (ownerId === null || ownerId === "")) throw new Error(`${kind} needs an owner.`);
  return { kind, ownerId, currency };
}

/** Stable text key, e.g. "client_wallet:<userId>:USD" or "platform_fees::USD". */
export function accountKey(ref: AccountRef): string {
  return `${ref.kind}:${ref.ownerId ?? ""}:${ref.currency}`;
}

/** Balance on the account's normal side from raw debit and credit totals. */
export function normalBalance(kind: AccountKind, debitsCents: number, creditsCents: number): number {
  return CHART_OF_ACCOUNTS[kind].normalSide === "debit" ? debitsCents - creditsCents : creditsCents - debitsCents;
}

/** Floor on the normal-side balance, or null when unbounded. */
export function floorFor(kind: AccountKind, creditLimitCents = 0): number | null {
  const rule = CHART_OF_ACCOUNTS[kind].floor;
  if (rule === "none") return null;
  if (rule === "zero") return 0;
  return creditLimitCents === 0 ? 0 : -creditLimitCents;
}
