// Session disputes and adjustments: rules shared by Convex, the UI and tests.
export const DISPUTE_RULES = {
  /** A client may dispute a session this long after it ended. */
  windowMs: 72 * 60 * 60_000,
  descriptionMaxChars: 2_000,
  responseMaxChars: 2_000,
  noteMaxChars: 1_000,
  /** The advisor's time to answer a dispute (DISPUTE_RESPONSE_WINDOW_HOURS overrides it per deployment). */
  responseWindowHours: 48,
  /** Deciding before the advisor answered or the window closed needs a reason at least this long (audited). */
  earlyDecisionReasonMinChars: 10,
  /** Adjustments above this need a second admin's approval before they post. */
  adjustmentApprovalThresholdCents: 100_00,
  /** A clawback may reverse an advisor's processor transfer made within this window. */
  transferReversalWindowMs: 72 * 60 * 60_000,
} as const;

export const DISPUTE_CATEGORIES = [
  "technical_problem",
  "advisor_absent",
  "not_as_described",
  "billing_error",
  "other",
] as const;
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number];

export const DISPUTE_CATEGORY_LABELS: Record<DisputeCategory, string> = {
  technical_problem: "Technical problem",
  advisor_absent: "Advisor absent",
  not_as_described: "Not as described",
  billing_error: "Billing error",
  other: "Other",
};

export const DISPUTE_STATUSES = ["open", "refunded", "partially_refunded", "rejected"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_STATUS_LABELS: Record<DisputeStatus, string> = {
  open: "Open",
  refunded: "Refunded",
  partially_refunded: "Partly refunded",
  rejected: "Rejected",
};

/** The response window in force: DISPUTE_RESPONSE_WINDOW_HOURS when it is a positive number of hours, else 48 h. */
export function responseWindowMs(rawHours: string | undefined): number {
  const hours = rawHours === undefined ? NaN : Number(rawHours);
  return (
    (Number.isFinite(hours) && hours > 0 && hours <= 24 * 30 ? hours : DISPUTE_RULES.responseWindowHours) * 60 * 60_000
  );
}

/**
 * Where a dispute stands with the advisor's answer: answered, still waiting (with the time left), or the window
 * closed without an answer. Only the last one may be called "did not respond".
 */
export type AdvisorAnswerState = { kind: "answered" } | { kind: "waiting"; msLeft: number } | { kind: "missed" };

export function advisorAnswerState(
  d: { advisorResponse: string | null | undefined; responseDueAt: number },
  now: number,
): AdvisorAnswerState {
  if (d.advisorResponse !== null && d.advisorResponse !== undefined) return { kind: "answered" };
  return now < d.responseDueAt ? { kind: "waiting", msLeft: d.responseDueAt - now } : { kind: "missed" };
}

/** "1 d 3 h", "5 h 20 min", "12 min": how long is left, rounded up to the minute. */
export function timeLeftInWords(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}
