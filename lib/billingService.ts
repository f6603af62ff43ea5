// Browser-side projection of the billing engine: the room recomputes every second from the server's
// numbers (segments, rate, wallet) and the server clock, corrected for this browser's clock skew.
// Display only: nothing here moves money.
import { SESSION_RULES, snapshotAt, type BillingSnapshot, type Segment, type WarningLevel } from "./billingEngine";

/**
 * Clock skew from a round trip: the server stamped `serverNow` somewhere between `sentAt` and
 * `receivedAt` (browser clock); assume the middle. serverTime ≈ browserTime + skewMs.
 */
export function estimateSkewMs(sample: { sentAt: number; receivedAt: number; serverNow: number }): number {
  return Math.round(sample.serverNow - (sample.sentAt + sample.receivedAt) / 2);
}

/** Keeps the sample with the shortest round trip (the tightest bound on the skew). */
export function betterSkewSample<T extends { sentAt: number; receivedAt: number }>(current: T | null, next: T): T {
  if (current === null) return next;
  return next.receivedAt - next.sentAt <= current.receivedAt - current.sentAt ? next : current;
}

export type RoomBillingInput = {
  segments: readonly Segment[];
  rateCentsPerMinute: number;
  feeBps: number;
  freeSeconds: number;
  limitSeconds: number;
  availableCents: number | null;
};

export type RoomBilling = BillingSnapshot & {
  /** Elapsed wall time since the session started (paused time included). */
  elapsedSeconds: number;
  /** Human text for the warning, or null. */
  warningText: string | null;
  /** True while the first (free) seconds are running. */
  inFreeTime: boolean;
};

export function warningText(level: WarningLevel, role: "client" | "advisor"): string | null {
  switch (level) {
    case "none":
      return null;
    case "two_minutes":
      return role === "client"
        ? "About 2 minutes of funds left. Top up to keep talking."
        : "The client has about 2 minutes of funds left.";
    case "one_minute":
      return role === "client"
        ? "Less than 1 minute of funds left. Top up now to avoid a pause."
        : "The client has less than 1 minute of funds left.";
    case "exhausted":
      return role === "client" ? "Your funds have run out." : "The client's funds have run out.";
  }
}

export function projectBilling(
  input: RoomBillingInput & { startedAt: number | null; serverNow: number; role: "client" | "advisor" },
): RoomBilling {
  const snapshot = snapshotAt({ ...input, now: input.serverNow });
  return {
    ...snapshot,
    elapsedSeconds: input.startedAt === null ? 0 : Math.max(0, Math.floor((input.serverNow - input.startedAt) / 1000)),
    warningText: warningText(snapshot.warning, input.role),
    inFreeTime: snapshot.freeSecondsLeft > 0 && snapshot.billableSeconds < input.freeSeconds,
  };
}

export const HEARTBEAT_INTERVAL_MS = SESSION_RULES.heartbeatIntervalMs;
