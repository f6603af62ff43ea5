// The paged reconciliation as a background job (issue 25): one run at a time (a lock row), each slice's
// scheduled function recorded on it so the admin page can follow the run and a dead run can be taken over.
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { scheduledJobProgress, type JobProgress } from "./backgroundJobs";

/** A run whose lock has not moved for this long is dead (a slice walks at most SLICE_MS, 4 minutes). */
export const RECONCILIATION_STALE_MS = 30 * 60_000;

async function currentLock(ctx: QueryCtx): Promise<Doc<"reconciliationLocks"> | null> {
  return await ctx.db.query("reconciliationLocks").first(); // at most one row
}

async function isDead(ctx: QueryCtx, lock: Doc<"reconciliationLocks">): Promise<boolean> {
  if (Date.now() - lock.updatedAt >= RECONCILIATION_STALE_MS) return true;
  if (lock.jobId === undefined) return false;
  return (await scheduledJobProgress(ctx, lock.jobId, "reconciliation")).status === "failed";
}

/** Takes the lock for `requestId`; false while another run holds it (a dead run's lock is taken over). */
export async function acquireReconciliationLock(ctx: MutationCtx, requestId: string): Promise<boolean> {
  const lock = await currentLock(ctx);
  if (lock !== null) {
    if (!(await isDead(ctx, lock))) return false;
    await ctx.db.delete("reconciliationLocks", lock._id);
  }
  const now = Date.now();
  await ctx.db.insert("reconciliationLocks", { requestId, startedAt: now, updatedAt: now, pages: 0 });
  return true;
}

/** Records the scheduled slice now carrying `requestId`; false when the run no longer holds the lock. */
export async function touchReconciliationLock(
  ctx: MutationCtx,
  requestId: string,
  update: { jobId: string; pages: number },
): Promise<boolean> {
  const lock = await currentLock(ctx);
  if (lock === null || lock.requestId !== requestId) return false;
  await ctx.db.patch("reconciliationLocks", lock._id, { ...update, updatedAt: Date.now() });
  return true;
}

export async function releaseReconciliationLock(ctx: MutationCtx, requestId: string): Promise<void> {
  const lock = await currentLock(ctx);
  if (lock !== null && lock.requestId === requestId) await ctx.db.delete("reconciliationLocks", lock._id);
}

/** Where a run is: done (its recorded row), or queued/running/failed from its latest slice. */
export async function reconciliationProgress(ctx: QueryCtx, requestId: string, jobId: string) {
  const run = await ctx.db
    .query("reconciliationRuns")
    .withIndex("by_request", (q) => q.eq("requestId", requestId))
    .first();
  if (run !== null) return { status: "done" as const, run, error: null, pages: run.pages ?? 0 };
  const lock = await ctx.db
    .query("reconciliationLocks")
    .withIndex("by_request", (q) => q.eq("requestId", requestId))
    .first();
  let progress: JobProgress = await scheduledJobProgress(ctx, lock?.jobId ?? jobId, "reconciliation");
  // Neither recorded nor holding the lock, yet its job did not fail: another run took a dead run's lock over.
  if (lock === null && progress.status !== "failed")
    progress = { status: "failed", error: "The reconciliation stopped before it recorded a result." };
  // A continuation waiting its turn: the run itself has started.
  else if (progress.status === "queued" && (lock?.pages ?? 0) > 0) progress = { status: "running", error: null };
  return { ...progress, run: null, pages: lock?.pages ?? 0 };
}
