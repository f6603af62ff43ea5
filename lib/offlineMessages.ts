// Paid offline messages (issue 24): the rules, framework-free. The server enforces them; the UI shows them.
export const OFFLINE_MESSAGE_RULES = {
  /** Flat price an advisor may ask per message. */
  minPriceCents: 1_00,
  maxPriceCents: 50_00,
  bodyMaxChars: 2_000,
  replyMaxChars: 4_000,
  /** The advisor must reply within this window, or the hold is refunded in full. */
  replyWindowMs: 48 * 60 * 60_000,
  /** The client may dispute an answered message this long after the reply; the advisor's share waits as long. */
  disputeWindowMs: 72 * 60 * 60_000,
  disputeReasonMinChars: 10,
  disputeReasonMaxChars: 1_000,
  /** A client's own key for one send, so a retried or double-clicked send holds the money once. */
  requestKeyMinChars: 8,
  requestKeyMaxChars: 64,
} as const;

export const OFFLINE_MESSAGE_STATUSES = ["held", "answered", "expired", "disputed", "refunded"] as const;
export type OfflineMessageStatus = (typeof OFFLINE_MESSAGE_STATUSES)[number];

export const OFFLINE_MESSAGE_STATUS_LABELS: Record<OfflineMessageStatus, string> = {
  held: "Waiting for a reply (payment held)",
  answered: "Answered",
  expired: "No reply in 48 h — refunded",
  disputed: "In dispute",
  refunded: "Refunded after a dispute",
};

/** Why a price cannot be offered, or null when it can (whole cents, $1.00–$50.00). */
export function offlinePriceProblem(priceCents: number): string | null {
  if (!Number.isSafeInteger(priceCents)) return "The price must be a whole number of cents.";
  if (priceCents < OFFLINE_MESSAGE_RULES.minPriceCents || priceCents > OFFLINE_MESSAGE_RULES.maxPriceCents) {
    return "The price of an offline reply must be between $1.00 and $50.00.";
  }
  return null;
}

/** A reply counts when it arrives no later than the deadline (sentAt + 48 h), to the millisecond. */
export function replyInTime(replyDueAt: number, now: number): boolean {
  return now <= replyDueAt;
}
