// Legs: one side of a journal on one account. Pure helpers shared by templates and the posting function.
import { MoneyError, assertPositiveCents, type Currency } from "../money";
import { accountKey, type AccountRef, type Side } from "./accounts";

export type Leg<Owner extends string = string> = {
  account: AccountRef<Owner>;
  side: Side;
  amountCents: number;
};

export const JOURNAL_TYPES = [
  "top_up",
  "session_settled",
  "earnings_released",
  "payout_requested",
  "payout_paid",
  "payout_failed",
  "session_refunded",
  "clawback_settled",
  "session_adjusted",
  "chargeback_opened",
  "chargeback_won",
  "reversal",
  "processor_fee",
  "chargeback_recovered",
  // Paid offline messages (issue 24): hold, pay on a reply in time, refund when unanswered, refund on a dispute.
  "offline_message_held",
  "offline_message_paid",
  "offline_message_expired",
  "offline_message_refunded",
] as const;
export type JournalType = (typeof JOURNAL_TYPES)[number];

export const JOURNAL_TYPE_LABELS: Record<JournalType, string> = {
  top_up: "Top-up",
  session_settled: "Session settled",
  earnings_released: "Earnings released",
  payout_requested: "Payout requested",
  payout_paid: "Payout paid",
  payout_failed: "Payout failed",
  session_refunded: "Session refund",
  clawback_settled: "Clawback settled",
  session_adjusted: "Session adjustment",
  chargeback_opened: "Chargeback opened",
  chargeback_won: "Chargeback won",
  reversal: "Reversal",
  processor_fee: "Processor fee",
  chargeback_recovered: "Chargeback recovered",
  offline_message_held: "Offline message held",
  offline_message_paid: "Offline message paid",
  offline_message_expired: "Offline message refunded (unanswered)",
  offline_message_refunded: "Offline message refund (dispute)",
};

/** The journals of a paid offline message (hold, pay, expiry, dispute refund). */
export function isOfflineMessageJournal(type: JournalType): boolean {
  return type.startsWith("offline_message_");
}

export function isJournalType(value: unknown): value is JournalType {
  return typeof value === "string" && (JOURNAL_TYPES as readonly string[]).includes(value);
}

/** A business event turned into legs, ready to post. */
export type PostingDraft<Owner extends string = string> = { type: JournalType; legs: Leg<Owner>[] };

export function debit<Owner extends string>(account: AccountRef<Owner>, amountCents: number): Leg<Owner> {
  return { account, side: "debit", amountCents };
}

export function credit<Owner extends string>(account: AccountRef<Owner>, amountCents: number): Leg<Owner> {
  return { account, side: "credit", amountCents };
}

/** Drops zero-amount legs (e.g. no promotion, no fee); templates build full shapes then compact. */
export function compactLegs<Owner extends string>(legs: Leg<Owner>[]): Leg<Owner>[] {
  return legs.filter((leg) => leg.amountCents !== 0);
}

export type BalanceByCurrency = Partial<Record<Currency, { debitsCents: number; creditsCents: number }>>;

/** Debit and credit totals per currency. */
export function totalsByCurrency(legs: readonly Leg[]): BalanceByCurrency {
  const totals: BalanceByCurrency = {};
  for (const leg of legs) {
    const t = (totals[leg.account.currency] ??= { debitsCents: 0, creditsCents: 0 });
    if (leg.side === "debit") t.debitsCents += leg.amountCents;
    else t.creditsCents += leg.amountCents;
  }
  return totals;
}

/** Why these legs cannot be posted, or null when they are a valid balanced set. */
export function legsProblem(legs: readonly Leg[]): string | null {
  if (legs.length < 2) return "A journal needs at least two legs.";
  for (const [i, leg] of legs.entries()) {
    try {
      assertPositiveCents(leg.amountCents, `leg #${i + 1} amount`);
    } catch (error) {
      return (error as Error).message;
    }
    if (leg.side !== "debit" && leg.side !== "credit") return `leg #${i + 1} has no side.`;
  }
  for (const [currency, t] of Object.entries(totalsByCurrency(legs))) {
    if (!Number.isSafeInteger(t.debitsCents) || !Number.isSafeInteger(t.creditsCents)) {
      return `${currency} totals are outside the safe integer range.`;
    }
    if (t.debitsCents !== t.creditsCents) {
      return `Journal does not balance in ${currency}: debits ${t.debitsCents} != credits ${t.creditsCents}.`;
    }
  }
  return null;
}

export function legsBalance(legs: readonly Leg[]): boolean {
  return legsProblem(legs) === null;
}

export function assertBalanced(legs: readonly Leg[]): void {
  const problem = legsProblem(legs);
  if (problem !== null) throw new MoneyError(problem);
}

/** Order-independent text form of a set of legs: equal iff the legs are the same multiset. */
export function legsSignature(legs: readonly Leg[]): string {
  return legs
    .map((leg) => `${leg.side === "debit" ? "D" : "C"}|${accountKey(leg.account)}|${leg.amountCents}`)
    .sort()
    .join(";");
}

/** The legs that undo `legs` (every side swapped). */
export function reverseLegs<Owner extends string>(legs: readonly Leg<Owner>[]): Leg<Owner>[] {
  return legs.map((leg) => ({ ...leg, side: leg.side === "debit" ? "credit" : "debit" }));
}
