// Where a background job started by an admin is (the paged checker, the paged reconciliation, a margin export):
// read from the scheduled function of its latest slice. One answer for every "follow the job" page.
import type { QueryCtx } from "../_generated/server";

/**
 * How long one action of a paged job (the checker, the reconciliation, a margin export) walks before it hands the
 * rest to a scheduled continuation with its position in the arguments: Convex stops an action at 10 minutes.
 */
export const SLICE_MS = 4 * 60_000;

export type JobProgress = { status: "queued" | "running" | "failed"; error: string | null };

/**
 * The state of a scheduled job whose result is not recorded yet: queued (pending), running (in progress, or
 * finished after scheduling a continuation), failed (its error) or canceled. `what` names the job in messages.
 */
export async function scheduledJobProgress(ctx: QueryCtx, jobId: string, what: string): Promise<JobProgress> {
  const id = ctx.db.system.normalizeId("_scheduled_functions", jobId);
  const job = id === null ? null : await ctx.db.system.get("_scheduled_functions", id);
  if (job === null) return { status: "failed", error: `This ${what} request is unknown.` };
  const state = job.state;
  if (state.kind === "failed") return { status: "failed", error: state.error };
  if (state.kind === "canceled") return { status: "failed", error: `The ${what} was canceled.` };
  // "success" without a recorded result: the job goes on in a scheduled continuation.
  return { status: state.kind === "pending" ? "queued" : "running", error: null };
}

/** A request id for a job an admin starts: the page follows the job with it. */
export function newRequestId(userId: string): string {
  return `${userId}:${Date.now()}:${Math.random().toString(36).slice(2, 10)}`;
}
