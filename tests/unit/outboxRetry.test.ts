import { describe, expect, it } from "vitest";
import { OUTBOX_RULES, failedAttempt } from "../../lib/payouts";

// The one retry rule both outboxes (payouts and email) apply to a failed attempt.
describe("failedAttempt", () => {
  const row = { attempts: 1, maxAttempts: 3 };
  const now = 1_000_000;

  it("retries a retryable error after the backoff while attempts remain", () => {
    expect(failedAttempt(row, { message: "timeout", retryable: true }, now, () => 0)).toEqual({
      status: "pending",
      lastError: "timeout",
      nextAttemptAt: now + OUTBOX_RULES.baseDelayMs / 2,
    });
  });

  it("gives up on an error that is not retryable, whatever the attempts", () => {
    expect(failedAttempt(row, { message: "card declined", retryable: false }, now)).toEqual({
      status: "dead",
      lastError: "card declined",
    });
  });

  it("gives up once the last attempt failed", () => {
    expect(failedAttempt({ attempts: 3, maxAttempts: 3 }, { message: "503", retryable: true }, now).status).toBe(
      "dead",
    );
  });

  it("keeps at most 500 characters of the error", () => {
    const outcome = failedAttempt(row, { message: "x".repeat(2_000), retryable: true }, now);
    expect(outcome.lastError).toHaveLength(500);
  });
});
