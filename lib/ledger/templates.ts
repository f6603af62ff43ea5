// Posting templates: one pure function per row of the posting table in DESIGN.md.
// Each turns a business event into balanced legs; the Convex posting function writes them.
import {
  DEFAULT_CURRENCY,
  MoneyError,
  allocate,
  assertBps,
  assertNonNegativeCents,
  assertPositiveCents,
  bpsOf,
  roundHalfEven,
  type Currency,
} from "../money";
import { accountRef } from "./accounts";
import { assertBalanced, compactLegs, credit, debit, reverseLegs, type Leg, type PostingDraft } from "./legs";

function draft<Owner extends string>(type: PostingDraft["type"], legs: Leg<Owner>[]): PostingDraft<Owner> {
  const compact = compactLegs(legs);
  assertBalanced(compact);
  return { type, legs: compact };
}

// ---------------------------------------------------------------------------------------------
// Session money math
// ---------------------------------------------------------------------------------------------

/** cost = roundHalfEven(rateCentsPerMinute * billableSeconds / 60). */
export function sessionCostCents(rateCentsPerMinute: number, billableSeconds: number): number {
  assertNonNegativeCents(rateCentsPerMinute, "rate");
  if (!Number.isSafeInteger(billableSeconds) || billableSeconds < 0) {
    throw new MoneyError("Billable seconds must be a non-negative whole number.");
  }
  return roundHalfEven(BigInt(rateCentsPerMinute) * BigInt(billableSeconds), 60);
}

/** fee = roundHalfEven(cost * feeBps / 10000); share = cost - fee. */
export function feeSplit(costCents: number, feeBps: number): { feeCents: number; shareCents: number } {
  assertNonNegativeCents(costCents, "cost");
  assertBps(feeBps, "fee");
  const feeCents = bpsOf(costCents, feeBps);
  return { feeCents, shareCents: costCents - feeCents };
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/**
 * Top-up succeeded X, processor fee f (from the processor's balance transaction; 0 when it is booked later
 * as a linked processor_fee journal): Dr processor_cash X-f, Dr processor_fees f / Cr client_wallet X.
 */
export function topUpSucceeded<O extends string>(e: {
  clientId: O;
  amountCents: number;
  feeCents?: number;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  const feeCents = e.feeCents ?? 0;
  assertPositiveCents(e.amountCents, "top-up amount");
  assertNonNegativeCents(feeCents, "processor fee");
  if (feeCents >= e.amountCents) throw new MoneyError("The processor fee must be less than the top-up.");
  return draft("top_up", [
    debit(accountRef<O>("processor_cash", null, currency), e.amountCents - feeCents),
    debit(accountRef<O>("processor_fees", null, currency), feeCents),
    credit(accountRef("client_wallet", e.clientId, currency), e.amountCents),
  ]);
}

/**
 * Session settled: cost C, promo P, fee F, share S = C - F.
 * Dr client_wallet C-P, Dr promotions P / Cr advisor_pending S, Cr platform_fees F.
 */
export function sessionSettled<O extends string>(e: {
  clientId: O;
  advisorId: O;
  costCents: number;
  feeCents: number;
  promoCents?: number;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  const promoCents = e.promoCents ?? 0;
  assertPositiveCents(e.costCents, "session cost");
  assertNonNegativeCents(e.feeCents, "fee");
  assertNonNegativeCents(promoCents, "promotion");
  if (e.feeCents > e.costCents) throw new MoneyError("The fee cannot exceed the session cost.");
  if (promoCents > e.costCents) throw new MoneyError("The promotion cannot exceed the session cost.");
  return draft("session_settled", [
    debit(accountRef("client_wallet", e.clientId, currency), e.costCents - promoCents),
    debit(accountRef<O>("promotions", null, currency), promoCents),
    credit(accountRef("advisor_pending", e.advisorId, currency), e.costCents - e.feeCents),
    credit(accountRef<O>("platform_fees", null, currency), e.feeCents),
  ]);
}

/** Earnings released (hold over): Dr advisor_pending S / Cr advisor_available S. */
export function earningsReleased<O extends string>(e: {
  advisorId: O;
  amountCents: number;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "released amount");
  return draft("earnings_released", [
    debit(accountRef("advisor_pending", e.advisorId, currency), e.amountCents),
    credit(accountRef("advisor_available", e.advisorId, currency), e.amountCents),
  ]);
}

/** Payout requested A: Dr advisor_available A / Cr advisor_in_transit A. */
export function payoutRequested<O extends string>(e: {
  advisorId: O;
  amountCents: number;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "payout amount");
  return draft("payout_requested", [
    debit(accountRef("advisor_available", e.advisorId, currency), e.amountCents),
    credit(accountRef("advisor_in_transit", e.advisorId, currency), e.amountCents),
  ]);
}

/** Payout paid: Dr advisor_in_transit A / Cr processor_cash A. */
export function payoutPaid<O extends string>(e: {
  advisorId: O;
  amountCents: number;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "payout amount");
  return draft("payout_paid", [
    debit(accountRef("advisor_in_transit", e.advisorId, currency), e.amountCents),
    credit(accountRef<O>("processor_cash", null, currency), e.amountCents),
  ]);
}

/** Payout failed: Dr advisor_in_transit A / Cr advisor_available A. */
export function payoutFailed<O extends string>(e: {
  advisorId: O;
  amountCents: number;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "payout amount");
  return draft("payout_failed", [
    debit(accountRef("advisor_in_transit", e.advisorId, currency), e.amountCents),
    credit(accountRef("advisor_available", e.advisorId, currency), e.amountCents),
  ]);
}

export type RefundSource = "pending" | "available" | "receivable";

/** Splits a refund pro rata into the advisor's share part and our fee part (parts sum to the refund). */
export function refundSplit(e: { refundCents: number; shareCents: number; feeCents: number }): {
  sharePartCents: number;
  feePartCents: number;
} {
  assertPositiveCents(e.refundCents, "refund amount");
  assertNonNegativeCents(e.shareCents, "share");
  assertNonNegativeCents(e.feeCents, "fee");
  if (e.refundCents > e.shareCents + e.feeCents) throw new MoneyError("The refund cannot exceed the session cost.");
  const [sharePartCents, feePartCents] = allocate(e.refundCents, [e.shareCents, e.feeCents]) as [number, number];
  return { sharePartCents, feePartCents };
}

/**
 * Refund R of a session (share S, fee F of the original settlement), split pro rata:
 * Dr advisor_<source> share part, Dr platform_fees fee part / Cr client_wallet R.
 * Source: "pending" while the hold runs, "available" after release, "receivable" when already paid out.
 */
export function sessionRefunded<O extends string>(e: {
  clientId: O;
  advisorId: O;
  refundCents: number;
  shareCents: number;
  feeCents: number;
  source: RefundSource;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  const { sharePartCents, feePartCents } = refundSplit(e);
  const sourceKind =
    e.source === "pending" ? "advisor_pending" : e.source === "available" ? "advisor_available" : "advisor_receivable";
  return draft("session_refunded", [
    debit(accountRef(sourceKind, e.advisorId, currency), sharePartCents),
    debit(accountRef<O>("platform_fees", null, currency), feePartCents),
    credit(accountRef("client_wallet", e.clientId, currency), e.refundCents),
  ]);
}

export type ClawbackMethod = "offset" | "transfer_reversal" | "manual" | "forgiven";

/**
 * Clawback settled (clears advisor_receivable):
 * offset: Dr advisor_pending / Cr advisor_receivable; transfer reversal (or a manual repayment the advisor
 * made to us): Dr processor_cash / Cr advisor_receivable; forgiven: Dr forgiven_clawbacks / Cr advisor_receivable.
 */
export function clawbackSettled<O extends string>(e: {
  advisorId: O;
  amountCents: number;
  method: ClawbackMethod;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "clawback amount");
  const from =
    e.method === "offset"
      ? accountRef("advisor_pending", e.advisorId, currency)
      : e.method === "transfer_reversal" || e.method === "manual"
        ? accountRef<O>("processor_cash", null, currency)
        : accountRef<O>("forgiven_clawbacks", null, currency);
  return draft("clawback_settled", [
    debit(from, e.amountCents),
    credit(accountRef("advisor_receivable", e.advisorId, currency), e.amountCents),
  ]);
}

/**
 * Admin correction of a session's payout to its advisor (no dispute):
 * advisor underpaid X: Dr platform_fees X / Cr advisor_pending X (released after the earnings hold, or at
 * once when a second admin approves; never straight to advisor_available);
 * advisor overpaid X: Dr advisor_receivable X / Cr platform_fees X (recovered like a clawback).
 */
export function sessionAdjusted<O extends string>(e: {
  advisorId: O;
  amountCents: number;
  direction: "advisor_underpaid" | "advisor_overpaid";
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "adjustment amount");
  const fees = accountRef<O>("platform_fees", null, currency);
  return e.direction === "advisor_underpaid"
    ? draft("session_adjusted", [
        debit(fees, e.amountCents),
        credit(accountRef("advisor_pending", e.advisorId, currency), e.amountCents),
      ])
    : draft("session_adjusted", [
        debit(accountRef("advisor_receivable", e.advisorId, currency), e.amountCents),
        credit(fees, e.amountCents),
      ]);
}

/**
 * Card chargeback X with fee d: Dr client_wallet X, Dr chargeback_losses d / Cr processor_cash X+d.
 * When the wallet cannot cover X (the money was already spent), `walletRecoverableCents` caps the wallet
 * part and the rest is a chargeback loss at once, so the wallet never breaks its floor.
 */
export function chargebackOpened<O extends string>(e: {
  clientId: O;
  amountCents: number;
  feeCents: number;
  /** What the wallet can still give (balance + credit limit); defaults to all of X. */
  walletRecoverableCents?: number;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "chargeback amount");
  assertNonNegativeCents(e.feeCents, "chargeback fee");
  const recoverable = Math.max(0, e.walletRecoverableCents ?? e.amountCents);
  const walletPart = Math.min(e.amountCents, recoverable);
  return draft("chargeback_opened", [
    debit(accountRef("client_wallet", e.clientId, currency), walletPart),
    debit(accountRef<O>("chargeback_losses", null, currency), e.amountCents - walletPart + e.feeCents),
    credit(accountRef<O>("processor_cash", null, currency), e.amountCents + e.feeCents),
  ]);
}

/** What `chargebackOpened` debited from the wallet for the same inputs. */
export function chargebackWalletPart(amountCents: number, walletRecoverableCents?: number): number {
  return Math.min(amountCents, Math.max(0, walletRecoverableCents ?? amountCents));
}

/**
 * Chargeback won: the processor returns X (and the fee d when `feeReturned`). Mirrors the opening:
 * Dr processor_cash / Cr client_wallet (what the wallet gave), Cr chargeback_losses (the rest).
 */
export function chargebackWon<O extends string>(e: {
  clientId: O;
  amountCents: number;
  feeCents: number;
  walletDebitedCents: number;
  feeReturned: boolean;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "chargeback amount");
  assertNonNegativeCents(e.feeCents, "chargeback fee");
  assertNonNegativeCents(e.walletDebitedCents, "wallet part");
  if (e.walletDebitedCents > e.amountCents) throw new MoneyError("The wallet part cannot exceed the chargeback.");
  const fee = e.feeReturned ? e.feeCents : 0;
  return draft("chargeback_won", [
    debit(accountRef<O>("processor_cash", null, currency), e.amountCents + fee),
    credit(accountRef("client_wallet", e.clientId, currency), e.walletDebitedCents),
    credit(accountRef<O>("chargeback_losses", null, currency), e.amountCents - e.walletDebitedCents + fee),
  ]);
}

/** Generic correction: the exact mirror of a journal's legs (post with refs.reversesJournalId). */
export function reversal<O extends string>(legs: readonly Leg<O>[]): PostingDraft<O> {
  return draft("reversal", reverseLegs(legs));
}
