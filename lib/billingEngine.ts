// The billing engine: pure functions from a session's server timestamps to seconds and cents.
// The server settles with these; the browser projects the same numbers every second (lib/billingService.ts).
// No floats touch money: costs are BigInt half-even rounding (lib/money.ts), splits by basis points.
import { MoneyError, assertNonNegativeCents } from "./money";
import { feeSplit, sessionCostCents } from "./ledger/templates";

/** Timing rules (milliseconds unless named otherwise). One table, read by the server and the room. */
export const SESSION_RULES = {
  /** A request rings this long before it expires. */
  ringTimeoutMs: 60_000,
  /** Funds needed to start: this many minutes at the session's rate. */
  minStartMinutes: 3,
  /** Funds needed to resume after running out: this many seconds of paid time. */
  minResumeSeconds: 60,
  /** Warning thresholds (seconds of funds left), largest first. */
  warningSeconds: [120, 60] as const,
  /** After funds run out the advisor is held this long for a top-up, then the session ends. */
  insufficientFundsHoldMs: 2 * 60_000,
  /** Any pause longer than this ends the session. */
  maxPauseMs: 10 * 60_000,
  /** Each browser heartbeats this often (any message or video signal also counts as presence). */
  heartbeatIntervalMs: 30_000,
  /**
   * A side heard from within this window is present (one heartbeat interval plus network slack). A side whose
   * presence lapsed receives nothing newer than lastSeen + this window.
   */
  presentWindowMs: 40_000,
  /**
   * Contact the meter does not bill, per session, in total: the presence window after a side's last activity,
   * unbilled while this budget lasts and billed after. At most one grace window.
   */
  unbilledContactBudgetMs: 60_000,
  /** A side silent for longer than this pauses the session (per channel). */
  graceMs: { chat: 60_000, video: 60_000 } as Record<"chat" | "video", number>,
  /** A side still away this long after the absence pause ends the session. */
  awayEndMs: 5 * 60_000,
  /** New-client offer: free seconds at the start of a client's first session. */
  newClientFreeSeconds: 180,
  /** Hold before an earning becomes available to the advisor. */
  earningsHoldMs: 24 * 60 * 60_000,
  /** Upper bound on active segments (pause/resume cycles) per session. */
  maxSegments: 200,
} as const;

/**
 * One active stretch: billed [startedAt, endedAt). `contactEndedAt` is set when a side's presence lapsed before
 * the segment closed: messages and signals after it were never delivered to the other side (see lib/sessionContact.ts).
 */
export type Segment = { startedAt: number; endedAt?: number; contactEndedAt?: number };

function assertTime(value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new MoneyError(`${label} must be a non-negative whole number of milliseconds.`);
}

/** Total active milliseconds up to `now` (an open segment counts until `now`). */
export function activeMs(segments: readonly Segment[], now: number): number {
  assertTime(now, "now");
  let total = 0;
  for (const segment of segments) {
    assertTime(segment.startedAt, "segment start");
    const end = segment.endedAt ?? now;
    assertTime(end, "segment end");
    total += Math.max(0, Math.min(end, now) - segment.startedAt);
  }
  return total;
}

/** Whole billable seconds up to `now`: partial seconds are never billed. */
export function billableSecondsAt(segments: readonly Segment[], now: number): number {
  return Math.floor(activeMs(segments, now) / 1000);
}

/** The open segment's start, or null when no segment is open (paused, ended or never started). */
export function openSegmentStart(segments: readonly Segment[]): number | null {
  const last = segments[segments.length - 1];
  return last !== undefined && last.endedAt === undefined ? last.startedAt : null;
}

export type Charge = {
  billableSeconds: number;
  /** Seconds paid by the new-client offer. */
  freeSeconds: number;
  /** cost = roundHalfEven(rate * billableSeconds / 60) */
  costCents: number;
  /** The part of the cost the platform's promotions account pays. */
  promoCents: number;
  /** What the client's wallet pays: cost - promo. */
  clientCents: number;
  feeCents: number;
  /** The advisor's share: cost - fee. */
  shareCents: number;
};

/**
 * The money for `billableSeconds` at a rate: the first `freeSeconds` are paid by promotions.
 * clientCents = cost of the paid seconds alone, so promo + client = cost exactly.
 */
export function chargeFor(input: {
  rateCentsPerMinute: number;
  feeBps: number;
  billableSeconds: number;
  freeSeconds?: number;
}): Charge {
  const free = input.freeSeconds ?? 0;
  if (!Number.isSafeInteger(free) || free < 0)
    throw new MoneyError("Free seconds must be a non-negative whole number.");
  const costCents = sessionCostCents(input.rateCentsPerMinute, input.billableSeconds);
  const paidSeconds = Math.max(0, input.billableSeconds - free);
  const clientCents = sessionCostCents(input.rateCentsPerMinute, paidSeconds);
  const { feeCents, shareCents } = feeSplit(costCents, input.feeBps);
  return {
    billableSeconds: input.billableSeconds,
    freeSeconds: Math.min(free, input.billableSeconds),
    costCents,
    promoCents: costCents - clientCents,
    clientCents,
    feeCents,
    shareCents,
  };
}

/** The largest number of paid seconds whose cost fits in `availableCents` (0 when nothing fits). */
export function maxAffordablePaidSeconds(rateCentsPerMinute: number, availableCents: number): number {
  assertNonNegativeCents(rateCentsPerMinute, "rate");
  if (rateCentsPerMinute === 0) throw new MoneyError("A session rate must be greater than zero.");
  if (!Number.isSafeInteger(availableCents)) throw new MoneyError("Available funds must be whole cents.");
  if (availableCents <= 0) return 0;
  // rate * s / 60 <= available at s = floor(available * 60 / rate); half-even rounding can let a few
  // more seconds round down to the same cent (fewer than 30 / rate + 1 of them), so step up.
  let seconds = Number((BigInt(availableCents) * 60n) / BigInt(rateCentsPerMinute));
  while (sessionCostCents(rateCentsPerMinute, seconds + 1) <= availableCents) seconds++;
  return seconds;
}

/** The largest billable total the client can afford: the free seconds plus what their funds pay for. */
export function affordableBillableSeconds(input: {
  rateCentsPerMinute: number;
  availableCents: number;
  freeSeconds?: number;
}): number {
  return (input.freeSeconds ?? 0) + maxAffordablePaidSeconds(input.rateCentsPerMinute, input.availableCents);
}

/** Cents needed to start a session at this rate (SESSION_RULES.minStartMinutes of paid time). */
export function minimumStartCents(rateCentsPerMinute: number): number {
  return sessionCostCents(rateCentsPerMinute, SESSION_RULES.minStartMinutes * 60);
}

/** Cents needed to resume after running out of funds. */
export function minimumResumeCents(rateCentsPerMinute: number): number {
  return sessionCostCents(rateCentsPerMinute, SESSION_RULES.minResumeSeconds);
}

/**
 * The server time at which billable seconds reach `limitSeconds`, for an active session;
 * null when no segment is open. Pausing at this instant bills exactly `limitSeconds`.
 */
export function limitReachedAt(segments: readonly Segment[], limitSeconds: number): number | null {
  const openStart = openSegmentStart(segments);
  if (openStart === null) return null;
  const closedMs = activeMs(segments.slice(0, -1), openStart);
  return openStart + Math.max(0, limitSeconds * 1000 - closedMs);
}

export type WarningLevel = "none" | "two_minutes" | "one_minute" | "exhausted";

/** Warning state from the seconds of funds left. */
export function warningLevel(secondsLeft: number): WarningLevel {
  if (secondsLeft <= 0) return "exhausted";
  if (secondsLeft <= SESSION_RULES.warningSeconds[1]) return "one_minute";
  if (secondsLeft <= SESSION_RULES.warningSeconds[0]) return "two_minutes";
  return "none";
}

export type BillingSnapshot = Charge & {
  /** Seconds of funds left (free time included), never negative. */
  secondsLeft: number;
  /** Free seconds not yet used. */
  freeSecondsLeft: number;
  /** The client's available funds minus what this session has cost them so far (null for the advisor). */
  liveAvailableCents: number | null;
  warning: WarningLevel;
};

/**
 * Everything the room shows at instant `now`, computed from the session's numbers.
 * `limitSeconds` is the most billable time the client can afford (affordableBillableSeconds, computed by
 * the server from the wallet); `availableCents` is the client's own funds, known only to the client.
 */
export function snapshotAt(input: {
  segments: readonly Segment[];
  rateCentsPerMinute: number;
  feeBps: number;
  freeSeconds: number;
  limitSeconds: number;
  availableCents: number | null;
  now: number;
}): BillingSnapshot {
  const billableSeconds = Math.min(billableSecondsAt(input.segments, input.now), input.limitSeconds);
  const charge = chargeFor({ ...input, billableSeconds });
  const secondsLeft = Math.max(0, input.limitSeconds - billableSeconds);
  return {
    ...charge,
    secondsLeft,
    freeSecondsLeft: Math.max(0, input.freeSeconds - billableSeconds),
    liveAvailableCents: input.availableCents === null ? null : input.availableCents - charge.clientCents,
    warning: warningLevel(secondsLeft),
  };
}
