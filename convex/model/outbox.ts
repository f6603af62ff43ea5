// The outbox: every call to the outside world is a row written in the same mutation as the business
// change. A worker action claims a row, calls the processor with the row id as idempotency key, and reports
// back: success, a retry at a capped exponential backoff with jitter, or a dead letter after the attempt
// limit (or a permanent refusal). A crashed worker's claim lapses and the sweep picks the row up again.
//
// Why a hand-written outbox rather than @convex-dev/workpool or action-retrier (the local backend runs
// components now, so that is no longer the reason):
//  - The row is written in the same mutation as the payout, so "the payout exists" and "the transfer will be
//    sent" commit together; its id is the processor's idempotency key, stored beside the business row, so a
//    retry after a crash or timeout can never send a second transfer.
//  - Claim, result and ledger posting happen in our own mutations, keyed by that row: the worker's report is
//    applied once even if it is delivered twice (tests/convex/faults.test.ts and payouts.test.ts prove exactly
//    one transfer per payout through outages, redeliveries and dead-letter retries).
//  - Dead letters are ordinary rows admins see and retry from Billing → Payouts (convex/payouts.ts), with the
//    attempt count and last error; a component's internal state is not queryable from the app's tables.
//  - Backoff, attempt limits and the sweep are a few small functions (lib/payouts.ts OUTBOX_RULES) we test
//    with fake clocks; a component would add a dependency without removing any of these needs.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { OUTBOX_RULES, failedAttempt } from "../../lib/payouts";

export type OutboxRow = Doc<"outbox">;
type OutboxId = Id<"outbox">;

const processRef = makeFunctionReference<"action", { outboxId: OutboxId }>("payoutWorker:process");

export async function scheduleOutbox(ctx: MutationCtx, outboxId: OutboxId, at: number): Promise<void> {
  await ctx.scheduler.runAt(at, processRef, { outboxId });
}

export async function enqueue(
  ctx: MutationCtx,
  kind: OutboxRow["kind"],
  payoutId: Id<"payouts">,
  extra: { receivableId?: Id<"receivables">; amountCents?: number } = {},
): Promise<OutboxId> {
  const now = Date.now();
  const outboxId = await ctx.db.insert("outbox", {
    kind,
    payoutId,
    ...extra,
    status: "pending",
    attempts: 0,
    maxAttempts: OUTBOX_RULES.maxAttempts,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  });
  await scheduleOutbox(ctx, outboxId, now);
  return outboxId;
}

/** Takes a due row for one attempt; null when it is not due, already taken, finished or dead. */
export async function claim(ctx: MutationCtx, outboxId: OutboxId, now: number): Promise<OutboxRow | null> {
  const row = await ctx.db.get("outbox", outboxId);
  if (row === null) return null;
  const lapsed = row.status === "running" && (row.leaseUntil ?? 0) <= now;
  if (!(row.status === "pending" && row.nextAttemptAt <= now) && !lapsed) return null;
  const claimed = {
    status: "running" as const,
    attempts: row.attempts + 1,
    leaseUntil: now + OUTBOX_RULES.leaseMs,
    updatedAt: now,
  };
  await ctx.db.patch("outbox", outboxId, claimed);
  return { ...row, ...claimed };
}

export async function succeed(ctx: MutationCtx, outboxId: OutboxId): Promise<void> {
  await ctx.db.patch("outbox", outboxId, {
    status: "succeeded",
    leaseUntil: undefined,
    lastError: undefined,
    updatedAt: Date.now(),
  });
}

/**
 * An attempt failed. Retryable and attempts left: back to pending at the backoff time. Otherwise: dead.
 * Returns "dead" so the caller can update the business object and alert.
 */
export async function failAttempt(
  ctx: MutationCtx,
  outboxId: OutboxId,
  error: { message: string; retryable: boolean },
  now: number,
  random: () => number = Math.random,
): Promise<"retry" | "dead" | "ignored"> {
  const row = await ctx.db.get("outbox", outboxId);
  if (row === null || row.status !== "running") return "ignored";
  const outcome = failedAttempt(row, error, now, random);
  if (outcome.status === "dead") {
    await ctx.db.patch("outbox", outboxId, {
      status: "dead",
      leaseUntil: undefined,
      lastError: outcome.lastError,
      lastErrorRetryable: error.retryable,
      updatedAt: now,
    });
    return "dead";
  }
  const { nextAttemptAt } = outcome;
  await ctx.db.patch("outbox", outboxId, {
    status: "pending",
    leaseUntil: undefined,
    lastError: outcome.lastError,
    lastErrorRetryable: true,
    nextAttemptAt,
    updatedAt: now,
  });
  await scheduleOutbox(ctx, outboxId, nextAttemptAt);
  return "retry";
}

/** Cron: re-arm rows whose scheduled run was lost (overdue pending) or whose worker crashed (lapsed lease). */
export async function sweep(ctx: MutationCtx, now: number, limit = 100): Promise<number> {
  let rearmed = 0;
  const overdue = await ctx.db
    .query("outbox")
    .withIndex("by_status_next", (q) => q.eq("status", "pending").lt("nextAttemptAt", now - OUTBOX_RULES.leaseMs))
    .take(limit);
  const running = await ctx.db
    .query("outbox")
    .withIndex("by_status_next", (q) => q.eq("status", "running"))
    .take(limit);
  for (const row of [...overdue, ...running.filter((r) => (r.leaseUntil ?? 0) <= now)]) {
    await scheduleOutbox(ctx, row._id, now);
    rearmed++;
  }
  return rearmed;
}
