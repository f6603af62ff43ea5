import { ConvexError } from "convex/values";
import type { ErrorCode } from "../../lib/errors";

/** Throws a ConvexError with a stable code; the whole mutation rolls back, so nothing is written. */
export function fail(code: ErrorCode, message: string, extra?: { retryAfterMs?: number }): never {
  throw new ConvexError({ code, message, ...extra });
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) fail("INTERNAL", `Invariant violated: ${message}`);
}

/** Length bounds for the reasons and notes admins give (audit trail). */
export const REASON_LENGTH = { min: 3, max: 500 } as const;

/** Trims free text and checks its length; otherwise refuses with INVALID_ARGUMENT and `message`. */
export function requireText(value: string, bounds: { min: number; max: number }, message: string): string {
  const trimmed = value.trim();
  if (trimmed.length < bounds.min || trimmed.length > bounds.max) fail("INVALID_ARGUMENT", message);
  return trimmed;
}
