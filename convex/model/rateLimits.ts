// Per-user rate limits for the writes people can repeat quickly: session requests, top-up checkouts,
// payout requests and dispute filings. One table, one place.
//
// This uses the @convex-dev/rate-limiter component (`components.rateLimiter`, installed in
// convex/convex.config.ts; its state lives in the component's own tables). The component's mutation runs
// inside the calling mutation's transaction, so its write commits or rolls back with it.
//
// Token buckets: `capacity` requests may come in a burst, then tokens refill at `rate` per `period`.
// A token is only spent when the mutation commits: a call refused for another reason (no funds,
// conflict, ...) rolls back together with its token. A refused call throws RATE_LIMITED with
// `retryAfterMs` and writes nothing.
import { RateLimiter, type RateLimitConfig } from "@convex-dev/rate-limiter";
import { components } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { retryInWords } from "../../lib/format";
import { fail } from "./errors";

export const MINUTE_MS = 60 * 1000;
export const HOUR_MS = 60 * MINUTE_MS;

/** The limits, per user. Names carry their unit. */
export const RATE_LIMIT_TABLE = {
  /** sessions.request: 10 per minute, burst of 10. */
  sessionRequest: { requestsPerPeriod: 10, periodMs: MINUTE_MS, burst: 10, what: "session requests" },
  /** stripeNode.createTopUpCheckout (topups.createPending): 10 per minute, burst of 10. */
  topupCheckout: { requestsPerPeriod: 10, periodMs: MINUTE_MS, burst: 10, what: "top-ups" },
  /** payouts.request: 5 per minute, burst of 5. */
  payoutRequest: { requestsPerPeriod: 5, periodMs: MINUTE_MS, burst: 5, what: "payout requests" },
  /** disputes.file: 5 per hour, burst of 5. */
  disputeFile: { requestsPerPeriod: 5, periodMs: HOUR_MS, burst: 5, what: "disputes" },
  /** advisorApplications.generateUploadUrl: 30 per hour, burst of 10. */
  uploadUrl: { requestsPerPeriod: 30, periodMs: HOUR_MS, burst: 10, what: "uploads" },
  /** ledger.runCheckerNow: 6 per hour, burst of 2 (each run walks the whole ledger). */
  ledgerCheckRun: { requestsPerPeriod: 6, periodMs: HOUR_MS, burst: 2, what: "ledger checks" },
  /**
   * ops.reconcileNow: 30 per hour, burst of 10. A run reads the liability accounts only (about a tenth of the
   * checker's pages) and runs one at a time; the limit stops a script chaining runs back to back.
   */
  reconciliationRun: { requestsPerPeriod: 30, periodMs: HOUR_MS, burst: 10, what: "reconciliations" },
  /** marginExports.start: 10 per hour, burst of 3 (each export reads every advisor-day row of its range). */
  marginExport: { requestsPerPeriod: 10, periodMs: HOUR_MS, burst: 3, what: "exports" },
} as const;

export type RateLimitName = keyof typeof RATE_LIMIT_TABLE;

const configs = Object.fromEntries(
  Object.entries(RATE_LIMIT_TABLE).map(([name, l]) => [
    name,
    {
      kind: "token bucket",
      rate: l.requestsPerPeriod,
      period: l.periodMs,
      capacity: l.burst,
    } satisfies RateLimitConfig,
  ]),
) as Record<RateLimitName, RateLimitConfig>;

const limiter = new RateLimiter(components.rateLimiter, configs);

/**
 * Spends one token of `name` for `userId`, or throws RATE_LIMITED ("Too many …. Try again in …")
 * with `retryAfterMs`. Call it before any other write of the mutation.
 */
export async function enforceRateLimit(ctx: MutationCtx, name: RateLimitName, userId: Id<"users">): Promise<void> {
  const { ok, retryAfter } = await limiter.limit(ctx, name, { key: userId });
  if (ok) return;
  const retryAfterMs = Math.max(1, Math.ceil(retryAfter));
  fail(
    "RATE_LIMITED",
    `Too many ${RATE_LIMIT_TABLE[name].what} in a short time. Try again in ${retryInWords(retryAfterMs)}.`,
    { retryAfterMs },
  );
}
