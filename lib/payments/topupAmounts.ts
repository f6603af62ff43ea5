// Top-up amount rules, shared by the server (which decides) and the wallet form (which explains).
import { formatMoney, tryParseMoneyInput } from "../money";

export const TOP_UP_PRESETS_CENTS = [1000, 2500, 5000, 10000] as const;
export const TOP_UP_MIN_CENTS = 500;
export const TOP_UP_MAX_CENTS = 50000;

export const CREDIT_LIMIT_MAX_CENTS = 20000;

export const AUTO_RELOAD_THRESHOLD_MIN_CENTS = 500;
export const AUTO_RELOAD_THRESHOLD_MAX_CENTS = 10000;

export type AmountCheck = { ok: true; cents: number } | { ok: false; error: string };

/** What a person typed (or a preset, as text) -> cents between $5 and $500, or a message saying what to fix. */
export function checkTopUpAmount(input: string, limits: { minCents?: number; maxCents?: number } = {}): AmountCheck {
  const min = limits.minCents ?? TOP_UP_MIN_CENTS;
  const max = limits.maxCents ?? TOP_UP_MAX_CENTS;
  const parsed = tryParseMoneyInput(input);
  if (!parsed.ok) return parsed;
  if (parsed.cents < min) return { ok: false, error: `The minimum is ${formatMoney(min)}.` };
  if (parsed.cents > max) return { ok: false, error: `The maximum is ${formatMoney(max)}.` };
  return parsed;
}

/** Auto-reload settings: threshold $5–$100, reload amount within the top-up limits. */
export function checkAutoReload(thresholdCents: number, amountCents: number): string | null {
  if (
    !Number.isSafeInteger(thresholdCents) ||
    thresholdCents < AUTO_RELOAD_THRESHOLD_MIN_CENTS ||
    thresholdCents > AUTO_RELOAD_THRESHOLD_MAX_CENTS
  ) {
    return `The threshold must be between ${formatMoney(AUTO_RELOAD_THRESHOLD_MIN_CENTS)} and ${formatMoney(AUTO_RELOAD_THRESHOLD_MAX_CENTS)}.`;
  }
  if (!Number.isSafeInteger(amountCents) || amountCents < TOP_UP_MIN_CENTS || amountCents > TOP_UP_MAX_CENTS) {
    return `The reload amount must be between ${formatMoney(TOP_UP_MIN_CENTS)} and ${formatMoney(TOP_UP_MAX_CENTS)}.`;
  }
  return null;
}
