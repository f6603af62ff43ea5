// Busy-lock abuse: a ringing request marks the advisor busy, so a client who keeps requesting and cancelling
// could hold an advisor busy forever. More than `maxCancels` cancellations to the same advisor within
// `windowMs` refuse further requests to that advisor for `cooldownMs` after the last of them. Pure.
import { retryInWords } from "./format";

export const REQUEST_COOLDOWN = {
  /** Cancellations allowed within the window; the next one starts the cooldown. */
  maxCancels: 3,
  windowMs: 10 * 60_000,
  cooldownMs: 10 * 60_000,
} as const;

/** How far back cancellations matter: a window, plus the cooldown that follows it. */
export const COOLDOWN_LOOKBACK_MS = REQUEST_COOLDOWN.windowMs + REQUEST_COOLDOWN.cooldownMs;

/** When requests are allowed again (ms epoch), or null when no cooldown applies at `nowMs`. */
export function cooldownUntil(
  cancelledAtMs: readonly number[],
  nowMs: number,
  rules = REQUEST_COOLDOWN,
): number | null {
  const times = [...cancelledAtMs].sort((a, b) => a - b);
  let until: number | null = null;
  for (let i = rules.maxCancels; i < times.length; i++) {
    if (times[i]! - times[i - rules.maxCancels]! <= rules.windowMs) {
      const end = times[i]! + rules.cooldownMs;
      if (until === null || end > until) until = end;
    }
  }
  return until !== null && until > nowMs ? until : null;
}

/** The refusal's plain message. */
export function cooldownMessage(advisorName: string, retryAfterMs: number): string {
  return `You cancelled several requests to ${advisorName} in a short time. You can request ${advisorName} again in ${retryInWords(retryAfterMs)}.`;
}
