// Session disputes and adjustments: rules shared by Convex, the UI and tests.
export const DISPUTE_RULES = {
  /** A client may dispute a session this long after it ended. */
  windowMs: 72 * 60 * 60_000,
  descriptionMaxChars: 2_000,
  responseMaxChars: 2_000,
  noteMaxChars: 1_000,
  /** Adjustments above this need a second admin's approval before they post. */
  adjustmentApprovalThresholdCents: 100_00,
  /** A clawback may reverse an advisor's processor transfer made within this window. */
  transferReversalWindowMs: 72 * 60 * 60_000,
} as const;

export const DISPUTE_CATEGORIES = ["technical_problem", "advisor_absent", "not_as_described", "billing_error", "other"] as const;
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
