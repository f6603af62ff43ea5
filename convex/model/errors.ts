import { ConvexError } from "convex/values";
import type { ErrorCode } from "../../lib/errors";

/** Throws a ConvexError with a stable code; the whole mutation rolls back, so nothing is written. */
export function fail(code: ErrorCode, message: string, extra?: { retryAfterMs?: number }): never {
  throw new ConvexError({ code, message, ...extra });
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) fail("INTERNAL", `Invariant violated: ${message}`);
}
