// Queue while busy and "notify me when online" (issue 24): the rules as numbers, and the words the queue is
// told when it changes. Pure: no Convex, no React.

export const QUEUE_RULES = {
  /** Clients waiting per advisor unless the advisor sets another maximum. */
  defaultMaxLength: 5,
  /** The highest maximum an advisor may set (0 switches the queue off). */
  maxMaxLength: 20,
  /** How long the first client has to take their turn. */
  offerMs: 60_000,
} as const;

export const FOLLOW_RULES = {
  /** At most one "online" notification (and email) per client and advisor in this window. */
  notifyEveryMs: 6 * 60 * 60_000,
  /** Advisors a client may follow at once. */
  maxFollows: 200,
  /** Followers told per scheduled batch (the batch re-schedules itself while more are due). */
  batchSize: 100,
} as const;

export type QueueChange =
  "joined" | "left" | "offered" | "accepted" | "declined" | "expired" | "paused_offline" | "paused_busy";

/** Why the queue changed, in plain words for everyone in it (no other client is named). */
export function queueChangeMessage(change: QueueChange, advisorName: string): string {
  switch (change) {
    case "joined":
      return "A client joined the queue.";
    case "left":
      return "A client left the queue, so everyone behind them moved up.";
    case "offered":
      return `${advisorName} is free: the first client in the queue has 60 seconds to start.`;
    case "accepted":
      return `The first client took their turn and is starting a session with ${advisorName}.`;
    case "declined":
      return "The first client passed their turn, so the offer moved to the next client.";
    case "expired":
      return "The first client did not answer within 60 seconds, so the offer moved to the next client.";
    case "paused_offline":
      return `${advisorName} went offline. The queue keeps its order and moves again when ${advisorName} is back.`;
    case "paused_busy":
      return `${advisorName} is busy again. The queue keeps its order.`;
  }
}

/** Seconds left on an offer at `nowMs` (0 when over), for the countdown. */
export function offerSecondsLeft(offerExpiresAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((offerExpiresAtMs - nowMs) / 1000));
}
