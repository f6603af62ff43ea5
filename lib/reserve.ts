// Reserve monitoring and reconciliation rules (issue 10). Pure, framework-free; amounts in integer cents.
//
// The reserve is the platform's own money at the processor: processor cash in the ledger minus what the
// platform owes (client wallets in credit, advisor pending, available and in transit).

export type ReserveStatus = "healthy" | "warning" | "critical";

export const RESERVE_RULES = {
  /** Default minimum reserve: $0.00 (set a real one at /admin/billing/reserve-monitoring). */
  defaultMinimumReserveCents: 0,
  /** Warn while the reserve is less than 20% above the minimum. */
  defaultWarningMarginBps: 2000,
  /** Largest settable minimum: $10,000,000.00. */
  maxMinimumReserveCents: 1_000_000_000,
  maxWarningMarginBps: 100_000,
} as const;

export const RECONCILIATION_RULES = {
  /** |drift| at or above this raises an alert: $10.00. */
  alertThresholdCents: 1000,
} as const;

/** Clients at or above this share of their credit limit used are "near their limit": 80%. */
export const CREDIT_LIMIT_NEAR_BPS = 8000;

export type ReserveFigures = {
  processorCashCents: number;
  clientWalletsCents: number;
  advisorPendingCents: number;
  advisorAvailableCents: number;
  advisorInTransitCents: number;
};

/** What the platform owes: every liability it holds for someone else. */
export function owedCents(f: ReserveFigures): number {
  return f.clientWalletsCents + f.advisorPendingCents + f.advisorAvailableCents + f.advisorInTransitCents;
}

/** Processor cash above what the platform owes (negative: it holds less than it owes). */
export function reserveCents(f: ReserveFigures): number {
  return f.processorCashCents - owedCents(f);
}

/** The reserve level below which the status is "warning": minimum × (1 + margin). Rounded up. */
export function warningLineCents(minimumReserveCents: number, warningMarginBps: number): number {
  const scaled = BigInt(minimumReserveCents) * BigInt(10_000 + warningMarginBps);
  const line = scaled / 10_000n + (scaled % 10_000n > 0n ? 1n : 0n);
  return Number(line);
}

/**
 * critical: below the minimum; warning: at or above the minimum but less than `warningMarginBps` above it
 * (exactly at the minimum is a warning, exactly 20% above is healthy); healthy otherwise. Exact: no floats.
 */
export function reserveStatus(input: {
  reserveCents: number;
  minimumReserveCents: number;
  warningMarginBps: number;
}): ReserveStatus {
  const { reserveCents: reserve, minimumReserveCents: minimum, warningMarginBps: margin } = input;
  if (reserve < minimum) return "critical";
  // reserve < minimum × (10000 + margin) / 10000, compared as integers.
  if (BigInt(reserve) * 10_000n < BigInt(minimum) * BigInt(10_000 + margin)) return "warning";
  return "healthy";
}

/** Drift = processor balance − ledger processor cash − the known, expected difference. */
export function reconciliationDrift(input: {
  processorBalanceCents: number;
  ledgerCashCents: number;
  expectedDifferenceCents: number;
}): number {
  return input.processorBalanceCents - input.ledgerCashCents - input.expectedDifferenceCents;
}

/** True when |drift| ≥ $10.00. */
export function driftNeedsAlert(driftCents: number): boolean {
  return Math.abs(driftCents) >= RECONCILIATION_RULES.alertThresholdCents;
}

/** A client with a credit limit who has used at least 80% of it (balance below zero). */
export function nearCreditLimit(balanceCents: number, creditLimitCents: number): boolean {
  if (creditLimitCents <= 0 || balanceCents >= 0) return false;
  return BigInt(-balanceCents) * 10_000n >= BigInt(creditLimitCents) * BigInt(CREDIT_LIMIT_NEAR_BPS);
}

export const RESERVE_STATUS_LABELS: Record<ReserveStatus, string> = {
  healthy: "Healthy",
  warning: "Warning",
  critical: "Critical",
};
