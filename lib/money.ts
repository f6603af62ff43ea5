// Money: integer minor units (cents) only. No floating point arithmetic touches an amount:
// rounding of rational amounts is done on BigInt, splits use allocation so parts sum exactly.
// Framework-free: imported by Convex functions, React components and tests alike.

/** Thrown for any invalid amount, currency or input. `message` is safe to show to a person. */
export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyError";
  }
}

// ---------------------------------------------------------------------------------------------
// Currencies
// ---------------------------------------------------------------------------------------------

/** Supported ISO 4217 codes; every one has 2 minor-unit digits (cents). */
export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD"] as const;
export type Currency = (typeof CURRENCIES)[number];
export const DEFAULT_CURRENCY: Currency = "USD";
/** Minor units per major unit for every supported currency. */
export const MINOR_UNITS_PER_MAJOR = 100;
const MINOR_DIGITS = 2;

export function isCurrency(value: unknown): value is Currency {
  return typeof value === "string" && (CURRENCIES as readonly string[]).includes(value);
}

export function assertCurrency(value: unknown): Currency {
  if (!isCurrency(value)) throw new MoneyError(`Unsupported currency: ${String(value)}.`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Integer cents
// ---------------------------------------------------------------------------------------------

/** True for a safe integer (the only thing an amount may be). */
export function isCents(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/** Returns `value` if it is a safe integer amount, throws otherwise. */
export function assertCents(value: unknown, label = "amount"): number {
  if (!isCents(value)) {
    throw new MoneyError(`${label} must be a whole number of cents (safe integer), got ${String(value)}.`);
  }
  return value;
}

/** A safe integer > 0. */
export function assertPositiveCents(value: unknown, label = "amount"): number {
  assertCents(value, label);
  if ((value as number) <= 0) throw new MoneyError(`${label} must be greater than zero, got ${String(value)}.`);
  return value as number;
}

/** A safe integer >= 0. */
export function assertNonNegativeCents(value: unknown, label = "amount"): number {
  assertCents(value, label);
  if ((value as number) < 0) throw new MoneyError(`${label} cannot be negative, got ${String(value)}.`);
  return value as number;
}

function toSafeNumber(value: bigint, label: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyError(`${label} is outside the safe integer range.`);
  }
  return Number(value);
}

/** Sum of amounts; throws when any input or the result is not a safe integer. */
export function sumCents(values: readonly number[]): number {
  let total = 0n;
  for (const [i, value] of values.entries()) total += BigInt(assertCents(value, `amount #${i + 1}`));
  return toSafeNumber(total, "sum");
}

export function addCents(a: number, b: number): number {
  return sumCents([a, b]);
}

// ---------------------------------------------------------------------------------------------
// Rounding
// ---------------------------------------------------------------------------------------------

function toBigInt(value: number | bigint, label: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new MoneyError(`${label} must be a safe integer, got ${String(value)}.`);
  return BigInt(value);
}

/**
 * Rounds the rational `numerator / denominator` to the nearest integer, ties to even
 * ("banker's rounding"). Works on integers (number or BigInt) only; the result must be a safe integer.
 *   roundHalfEven(5, 2) === 2, roundHalfEven(7, 2) === 4, roundHalfEven(-5, 2) === -2
 */
export function roundHalfEven(numerator: number | bigint, denominator: number | bigint): number {
  return toSafeNumber(
    roundHalfEvenBig(toBigInt(numerator, "numerator"), toBigInt(denominator, "denominator")),
    "rounded amount",
  );
}

/** BigInt version of {@link roundHalfEven}. */
export function roundHalfEvenBig(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new MoneyError("Cannot divide by zero.");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twiceRemainder = (n % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** round_half_even(a * b / c) without intermediate overflow or floats. */
export function mulDivHalfEven(a: number, b: number, c: number): number {
  return roundHalfEven(toBigInt(a, "a") * toBigInt(b, "b"), toBigInt(c, "c"));
}

// ---------------------------------------------------------------------------------------------
// Percentages and basis points (1 bp = 0.01 %, 10000 bps = 100 %)
// ---------------------------------------------------------------------------------------------

export const BPS_PER_WHOLE = 10_000;

export function assertBps(bps: unknown, label = "rate"): number {
  if (!isCents(bps) || (bps as number) < 0 || (bps as number) > BPS_PER_WHOLE) {
    throw new MoneyError(`${label} must be a whole number of basis points between 0 and 10000, got ${String(bps)}.`);
  }
  return bps as number;
}

/** `amountCents * bps / 10000`, rounded half-even. `bpsOf(1999, 1000) === 200`. */
export function bpsOf(amountCents: number, bps: number): number {
  assertCents(amountCents);
  assertBps(bps);
  return mulDivHalfEven(amountCents, bps, BPS_PER_WHOLE);
}

/** Whole percent -> basis points: `percentToBps(10) === 1000`. */
export function percentToBps(percent: number): number {
  if (!Number.isSafeInteger(percent) || percent < 0 || percent > 100) {
    throw new MoneyError(`Percent must be a whole number between 0 and 100, got ${String(percent)}.`);
  }
  return percent * 100;
}

/** `amountCents * percent / 100`, rounded half-even (whole percent). */
export function percentOf(amountCents: number, percent: number): number {
  return bpsOf(amountCents, percentToBps(percent));
}

/** "10%", "12.5%", "0.25%": exact, from integer bps. */
export function formatBps(bps: number): string {
  assertBps(bps);
  const whole = Math.trunc(bps / 100);
  const frac = String(bps % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return frac === "" ? `${whole}%` : `${whole}.${frac}%`;
}

// ---------------------------------------------------------------------------------------------
// Allocation
// ---------------------------------------------------------------------------------------------

/**
 * Splits `totalCents` in proportion to `weights` so that the parts always sum to the total.
 * Each part first gets floor(total * w / sum(w)); the leftover cents (fewer than the number of
 * parts) go one each to the parts with the largest fractional remainders (ties: earlier index).
 * Zero weights always get 0. Negative totals are allocated as the mirror of the positive total.
 *   allocate(100, [1, 1, 1]) -> [34, 33, 33]
 */
export function allocate(totalCents: number, weights: readonly number[]): number[] {
  assertCents(totalCents, "total");
  if (weights.length === 0) throw new MoneyError("allocate needs at least one weight.");
  for (const [i, w] of weights.entries()) {
    if (!Number.isSafeInteger(w) || w < 0)
      throw new MoneyError(`weight #${i + 1} must be a non-negative safe integer.`);
  }
  if (totalCents < 0) return allocate(-totalCents, weights).map((part) => (part === 0 ? 0 : -part));
  const big = weights.map((w) => BigInt(w));
  const sum = big.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new MoneyError("allocate needs at least one positive weight.");
  const total = BigInt(totalCents);
  const parts = big.map((w) => (total * w) / sum);
  const remainders = big.map((w) => (total * w) % sum);
  let leftover = total - parts.reduce((a, b) => a + b, 0n);
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .filter(({ index }) => big[index]! > 0n)
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (let k = 0; leftover > 0n; k = (k + 1) % order.length, leftover -= 1n) {
    parts[order[k]!.index]! += 1n;
  }
  return parts.map((p) => Number(p));
}

// ---------------------------------------------------------------------------------------------
// Formatting and parsing
// ---------------------------------------------------------------------------------------------

/** Exact decimal string for an amount: 123456 -> "1234.56", -5 -> "-0.05". */
export function centsToDecimalString(cents: number): string {
  assertCents(cents);
  const negative = cents < 0;
  const abs = negative ? -cents : cents;
  const whole = Math.trunc(abs / MINOR_UNITS_PER_MAJOR);
  const frac = String(abs % MINOR_UNITS_PER_MAJOR).padStart(MINOR_DIGITS, "0");
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "$1,234.56" for `formatMoney(123456, "USD")`. Uses Intl.NumberFormat with an exact decimal string. */
export function formatMoney(
  cents: number,
  currency: Currency = DEFAULT_CURRENCY,
  options: { locale?: string; signDisplay?: "auto" | "always" | "exceptZero" | "never" } = {},
): string {
  assertCents(cents);
  assertCurrency(currency);
  const locale = options.locale ?? "en-US";
  const signDisplay = options.signDisplay ?? "auto";
  const key = `${locale}|${currency}|${signDisplay}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: MINOR_DIGITS,
      maximumFractionDigits: MINOR_DIGITS,
      signDisplay,
    });
    formatters.set(key, formatter);
  }
  // A decimal string is formatted exactly (no binary float in between).
  return formatter.format(centsToDecimalString(cents) as `${number}`);
}

export type ParseMoneyResult = { ok: true; cents: number } | { ok: false; error: string };

/**
 * Parses what a person typed into an amount field: "12", "12.5", "12.50", "$1,234.50", " 0.99 ".
 * Rejects empty input, signs, exponents ("1e3"), more than 2 decimals ("12.345"), and anything else
 * that is not a plain amount, with a message that says what to type instead.
 */
export function tryParseMoneyInput(
  input: string,
  options: { allowZero?: boolean; maxCents?: number } = {},
): ParseMoneyResult {
  const text = String(input ?? "").trim();
  if (text === "") return { ok: false, error: "Enter an amount." };
  if (/^-/.test(text) || /^\$\s*-/.test(text)) return { ok: false, error: "The amount cannot be negative." };
  if (/^\+/.test(text)) return { ok: false, error: "Enter the amount without a sign, like 12.50." };
  if (/[eE]/.test(text)) return { ok: false, error: "Enter a plain amount like 12.50 (no exponents such as 1e3)." };
  const body = text.replace(/^\$\s*/, "");
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(body);
  if (match === null || (match[1] === undefined && (match[2] === undefined || match[2] === ""))) {
    return { ok: false, error: "Enter an amount using digits and an optional decimal point, like 12.50." };
  }
  const wholeText = (match[1] ?? "0").replace(/,/g, "");
  const fracText = match[2] ?? "";
  if (fracText.length > MINOR_DIGITS) return { ok: false, error: "Use at most 2 decimal places (whole cents)." };
  const cents = BigInt(wholeText) * BigInt(MINOR_UNITS_PER_MAJOR) + BigInt(fracText.padEnd(MINOR_DIGITS, "0") || "0");
  const limit = BigInt(options.maxCents ?? Number.MAX_SAFE_INTEGER);
  if (cents > limit) {
    return {
      ok: false,
      error:
        options.maxCents === undefined
          ? "That amount is too large."
          : `The amount can be at most ${formatMoney(options.maxCents)}.`,
    };
  }
  if (cents === 0n && !options.allowZero) return { ok: false, error: "Enter an amount greater than zero." };
  return { ok: true, cents: Number(cents) };
}

/** Like {@link tryParseMoneyInput} but throws a {@link MoneyError} with the message. `"12.5" -> 1250`. */
export function parseMoneyInput(input: string, options: { allowZero?: boolean; maxCents?: number } = {}): number {
  const result = tryParseMoneyInput(input, options);
  if (!result.ok) throw new MoneyError(result.error);
  return result.cents;
}

/**
 * A signed amount ("-12.50", "$1,000") in cents, or the problem with it (same rules as
 * {@link tryParseMoneyInput} after the leading minus sign; zero allowed).
 */
export function parseSignedMoney(text: string, options: { maxCents?: number } = {}): ParseMoneyResult {
  const trimmed = text.trim();
  const negative = trimmed.startsWith("-");
  const result = tryParseMoneyInput(negative ? trimmed.slice(1) : trimmed, {
    allowZero: true,
    maxCents: options.maxCents,
  });
  if (!result.ok) return result;
  return { ok: true, cents: negative && result.cents !== 0 ? -result.cents : result.cents };
}

/** "20" or "12.5" (percent, up to 2 decimals, optional "%") → basis points; null when it is not a plain percentage. */
export function parsePercentToBps(text: string): number | null {
  const match = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/%$/, "").trim());
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0") || "0");
}
