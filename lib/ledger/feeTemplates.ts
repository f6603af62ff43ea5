// Posting templates for processor fees and chargeback recovery (rows of the posting table in DESIGN.md
// and BILLING_SYSTEM_DOCS.md). Pure; convex/model/fees.ts and convex/model/chargebacks.ts post them.
import {
  DEFAULT_CURRENCY,
  MoneyError,
  allocate,
  assertNonNegativeCents,
  assertPositiveCents,
  type Currency,
} from "../money";
import { accountRef } from "./accounts";
import { assertBalanced, compactLegs, credit, debit, type PostingDraft } from "./legs";

/** A processor fee taken from our balance (a card fee booked after its top-up, a Connect payout fee): Dr processor_fees g / Cr processor_cash g. */
export function processorFee<O extends string>(e: { amountCents: number; currency?: Currency }): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "processor fee");
  const legs = [
    debit(accountRef<O>("processor_fees", null, currency), e.amountCents),
    credit(accountRef<O>("processor_cash", null, currency), e.amountCents),
  ];
  assertBalanced(legs);
  return { type: "processor_fee", legs };
}

export type RecoverySource = "pending" | "available" | "receivable";

/**
 * Chargeback recovery from an advisor (their share s of sessions that spent the charged-back top-up):
 * Dr advisor_pending / advisor_available (or advisor_receivable when already paid out) s / Cr chargeback_losses s.
 */
export function chargebackRecovered<O extends string>(e: {
  advisorId: O;
  amountCents: number;
  source: RecoverySource;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.amountCents, "recovered amount");
  const kind =
    e.source === "pending" ? "advisor_pending" : e.source === "available" ? "advisor_available" : "advisor_receivable";
  const legs = compactLegs([
    debit(accountRef(kind, e.advisorId, currency), e.amountCents),
    credit(accountRef<O>("chargeback_losses", null, currency), e.amountCents),
  ]);
  assertBalanced(legs);
  return { type: "chargeback_recovered", legs };
}

/**
 * The advisor's part of `spentCents` of a session's wallet money (share S, platform fee F): allocated pro
 * rata so that the advisor part and the platform part sum to what was spent. $15.00 at 10% -> $13.50.
 */
export function advisorPartOf(e: { spentCents: number; shareCents: number; feeCents: number }): number {
  assertNonNegativeCents(e.spentCents, "spent amount");
  assertNonNegativeCents(e.shareCents, "share");
  assertNonNegativeCents(e.feeCents, "fee");
  if (e.spentCents === 0 || e.shareCents + e.feeCents === 0) return 0;
  if (e.spentCents > e.shareCents + e.feeCents) throw new MoneyError("More was spent than the session cost.");
  return allocate(e.spentCents, [e.shareCents, e.feeCents])[0]!;
}

/**
 * First in, first out: which funding lots pay `amountCents`. Lots are oldest first with what is left of each;
 * returns the part taken from each (only lots that gave something) and what no lot covered.
 */
export function fifoTake<L extends { remainingCents: number }>(
  lots: readonly L[],
  amountCents: number,
): { taken: { lot: L; amountCents: number }[]; uncoveredCents: number } {
  assertNonNegativeCents(amountCents, "amount");
  const taken: { lot: L; amountCents: number }[] = [];
  let left = amountCents;
  for (const lot of lots) {
    if (left === 0) break;
    const part = Math.min(lot.remainingCents, left);
    if (part <= 0) continue;
    taken.push({ lot, amountCents: part });
    left -= part;
  }
  return { taken, uncoveredCents: left };
}
