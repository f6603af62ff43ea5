// Posting templates for paid offline messages (issue 24). Pure; convex/model/offlineMessages.ts posts them.
//   held P:          Dr client_wallet P / Cr client_held P
//   paid (in time):  Dr client_held P / Cr advisor_pending S, Cr platform_fees F   (F = half-even P x bps, S = P - F)
//   expired:         Dr client_held P / Cr client_wallet P
//   dispute refund R (of an answered message, split pro rata like a session refund):
//                    Dr advisor_pending|advisor_available share part, Dr platform_fees fee part / Cr client_wallet R
import { DEFAULT_CURRENCY, MoneyError, assertNonNegativeCents, assertPositiveCents, type Currency } from "../money";
import { accountRef } from "./accounts";
import { assertBalanced, compactLegs, credit, debit, type Leg, type PostingDraft } from "./legs";
import { refundSplit } from "./templates";

function draft<O extends string>(type: PostingDraft["type"], legs: Leg<O>[]): PostingDraft<O> {
  const compact = compactLegs(legs);
  assertBalanced(compact);
  return { type, legs: compact };
}

/** The whole price moves between the client's own wallet and held accounts (held when sent, back when expired). */
function clientPriceMove<O extends string>(
  type: "offline_message_held" | "offline_message_expired",
  from: "client_wallet" | "client_held",
  to: "client_wallet" | "client_held",
  e: { clientId: O; priceCents: number; currency?: Currency },
): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.priceCents, "message price");
  return draft(type, [
    debit(accountRef(from, e.clientId, currency), e.priceCents),
    credit(accountRef(to, e.clientId, currency), e.priceCents),
  ]);
}

export function offlineMessageHeld<O extends string>(e: {
  clientId: O;
  priceCents: number;
  currency?: Currency;
}): PostingDraft<O> {
  return clientPriceMove("offline_message_held", "client_wallet", "client_held", e);
}

export function offlineMessagePaid<O extends string>(e: {
  clientId: O;
  advisorId: O;
  priceCents: number;
  feeCents: number;
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  assertPositiveCents(e.priceCents, "message price");
  assertNonNegativeCents(e.feeCents, "fee");
  if (e.feeCents > e.priceCents) throw new MoneyError("The fee cannot exceed the message price.");
  return draft("offline_message_paid", [
    debit(accountRef("client_held", e.clientId, currency), e.priceCents),
    credit(accountRef("advisor_pending", e.advisorId, currency), e.priceCents - e.feeCents),
    credit(accountRef<O>("platform_fees", null, currency), e.feeCents),
  ]);
}

export function offlineMessageExpired<O extends string>(e: {
  clientId: O;
  priceCents: number;
  currency?: Currency;
}): PostingDraft<O> {
  return clientPriceMove("offline_message_expired", "client_held", "client_wallet", e);
}

export function offlineMessageRefunded<O extends string>(e: {
  clientId: O;
  advisorId: O;
  refundCents: number;
  shareCents: number;
  feeCents: number;
  source: "pending" | "available";
  currency?: Currency;
}): PostingDraft<O> {
  const currency = e.currency ?? DEFAULT_CURRENCY;
  const { sharePartCents, feePartCents } = refundSplit(e);
  return draft("offline_message_refunded", [
    debit(
      accountRef(e.source === "pending" ? "advisor_pending" : "advisor_available", e.advisorId, currency),
      sharePartCents,
    ),
    debit(accountRef<O>("platform_fees", null, currency), feePartCents),
    credit(accountRef("client_wallet", e.clientId, currency), e.refundCents),
  ]);
}
