// Retention of background margin exports (issue 25): a finished export's file is deleted EXPORT_RETENTION_MS after
// it finished and its row marked expired (the page and the download then say so); an export still in a step
// EXPORT_STUCK_MS after it started (a failed or lost step) is stopped, marked failed and its sums deleted. The cron
// handles a bounded batch per transaction and schedules itself again while more remain.
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { internal } from "../_generated/api";

/** How long a finished export's file is kept in file storage. */
export const EXPORT_RETENTION_MS = 7 * 24 * 60 * 60_000;
/** An export still building this long after it started is abandoned (a full-size export takes well under an hour). */
export const EXPORT_STUCK_MS = 24 * 60 * 60_000;
/** Exports expired, and abandoned, per transaction (each: a file delete or a job cancel, and a patch). */
export const EXPORT_RETENTION_BATCH = 100;

export const ABANDONED_ERROR = "The export did not finish within 24 hours and was stopped. Please start a new one.";

export type RetentionRun = { expired: number; abandoned: number; more: boolean };

/** One bounded pass at `now`; `limit` caps each of the two batches. Idempotent: handled rows leave the indexes' ranges. */
export async function sweepExportRetention(ctx: MutationCtx, now: number, limit: number): Promise<RetentionRun> {
  const done = await ctx.db
    .query("marginExports")
    .withIndex("by_status_finished", (q) => q.eq("status", "done").lt("finishedAt", now - EXPORT_RETENTION_MS))
    .take(limit);
  for (const row of done) await expire(ctx, row, now);

  let abandoned = 0;
  let full = done.length === limit;
  for (const status of ["rows", "file"] as const) {
    const stuck = await ctx.db
      .query("marginExports")
      .withIndex("by_status_created", (q) => q.eq("status", status).lt("createdAt", now - EXPORT_STUCK_MS))
      .take(limit - abandoned);
    for (const row of stuck) await abandon(ctx, row, now);
    abandoned += stuck.length;
  }
  full ||= abandoned === limit;
  if (full) await ctx.scheduler.runAfter(0, internal.marginExports.sweepRetention, { limit });
  return { expired: done.length, abandoned, more: full };
}

async function expire(ctx: MutationCtx, row: Doc<"marginExports">, now: number) {
  if (row.storageId !== undefined && (await ctx.db.system.get("_storage", row.storageId)) !== null)
    await ctx.storage.delete(row.storageId);
  await ctx.db.patch("marginExports", row._id, { status: "expired", storageId: undefined, expiredAt: now });
}

/** Stops the chain (a pending step is canceled; a running one finds the row failed and stops) and drops the sums. */
async function abandon(ctx: MutationCtx, row: Doc<"marginExports">, now: number) {
  const jobId = ctx.db.system.normalizeId("_scheduled_functions", row.jobId);
  const job = jobId === null ? null : await ctx.db.system.get("_scheduled_functions", jobId);
  if (jobId !== null && job?.state.kind === "pending") await ctx.scheduler.cancel(jobId);
  const cleanup = await ctx.scheduler.runAfter(0, internal.marginExports.cleanup, { exportId: row._id });
  await ctx.db.patch("marginExports", row._id, {
    status: "failed",
    error: ABANDONED_ERROR,
    finishedAt: now,
    jobId: cleanup,
  });
}
