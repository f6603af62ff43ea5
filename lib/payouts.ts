// Payout rules and the outbox retry schedule: pure, shared by Convex, the UI and tests.

/** Defaults; a deployment can override the amounts with PAYOUT_MIN_CENTS / PAYOUT_APPROVAL_THRESHOLD_CENTS. */
export const PAYOUT_RULES = {
  /** Smallest withdrawal. */
  minCents: 25_00,
  /** Requests above this wait for an admin. */
  approvalThresholdCents: 1_000_00,
  /** Largest single withdrawal (a limit on everything). */
  maxCents: 50_000_00,
} as const;

export const OUTBOX_RULES = {
  /** Attempts before a row is dead-lettered. */
  maxAttempts: 6,
  /** First retry delay; doubles each attempt up to the cap. */
  baseDelayMs: 2_000,
  capDelayMs: 5 * 60_000,
  /** A claimed row not finished within this is considered crashed and is picked up again. */
  leaseMs: 2 * 60_000,
} as const;

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so retries from
 * many rows spread out but never come sooner than half the schedule. `attempt` counts from 1.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random, rules = OUTBOX_RULES): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error("attempt must be a positive integer");
  const exponential = Math.min(rules.capDelayMs, rules.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  const half = Math.floor(exponential / 2);
  return half + Math.floor(random() * (exponential - half));
}

/** What a failed outbox attempt leads to: dead (not retryable, or no attempts left), or pending again after the backoff. */
export type AttemptOutcome =
  { status: "dead"; lastError: string } | { status: "pending"; lastError: string; nextAttemptAt: number };

/** The one retry rule of every outbox (payouts, email): the error is kept (500 characters at most). */
export function failedAttempt(
  row: { attempts: number; maxAttempts: number },
  error: { message: string; retryable: boolean },
  now: number,
  random: () => number = Math.random,
): AttemptOutcome {
  const lastError = error.message.slice(0, 500);
  if (!error.retryable || row.attempts >= row.maxAttempts) return { status: "dead", lastError };
  return { status: "pending", lastError, nextAttemptAt: now + backoffDelayMs(row.attempts, random) };
}

/** What an advisor can withdraw: available minus what they owe the platform (open receivables), never below 0. */
export function withdrawableCents(availableCents: number, receivableCents: number): number {
  return Math.max(0, availableCents - Math.max(0, receivableCents));
}

export type PayoutRuleInput = {
  amountCents: number;
  availableCents: number;
  minCents: number;
  maxCents: number;
  payoutsEnabled: boolean;
};

/** Why a withdrawal cannot be requested, in plain words (null when it can). */
export function payoutBlocker(
  input: PayoutRuleInput,
): { code: "INVALID_ARGUMENT" | "INSUFFICIENT_FUNDS" | "FORBIDDEN"; message: string } | null {
  if (!Number.isSafeInteger(input.amountCents))
    return { code: "INVALID_ARGUMENT", message: "Enter the amount in whole cents." };
  if (!input.payoutsEnabled)
    return { code: "FORBIDDEN", message: "Connect a payout account (and finish its setup) before withdrawing." };
  if (input.amountCents < input.minCents)
    return { code: "INVALID_ARGUMENT", message: `The minimum withdrawal is $${(input.minCents / 100).toFixed(2)}.` };
  if (input.amountCents > input.maxCents)
    return {
      code: "INVALID_ARGUMENT",
      message: `The maximum single withdrawal is $${(input.maxCents / 100).toFixed(2)}.`,
    };
  if (input.amountCents > input.availableCents) {
    return {
      code: "INSUFFICIENT_FUNDS",
      message: `You can withdraw up to $${(Math.max(0, input.availableCents) / 100).toFixed(2)} right now.`,
    };
  }
  return null;
}

export const PAYOUT_STATUSES = [
  "awaiting_approval",
  /** The platform reserve is critical: requested, money set aside, sent once the reserve recovers. */
  "held",
  "queued",
  "processing",
  "in_transit",
  "paid",
  "failed",
  "rejected",
  "dead_lettered",
  "cancelled",
] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export const PAYOUT_STATUS_LABELS: Record<PayoutStatus, string> = {
  awaiting_approval: "Awaiting approval",
  held: "Held — reserve check",
  queued: "Queued",
  processing: "Sending",
  in_transit: "On its way",
  paid: "Paid",
  failed: "Failed — returned",
  rejected: "Rejected — returned",
  dead_lettered: "Stuck — support notified",
  cancelled: "Cancelled — returned",
};
