// The background margin CSV export (issue 25): a chain of bounded steps, so a range of any size (≈ 2M advisor-day
// rows at a million users) never runs in one request. Rows: each mutation adds one page of advisor-day rows into
// per-advisor sums (marginExportAdvisors) and schedules the next; file: an action reads the report's totals and
// days and the sums, writes the same CSV as the direct download to file storage; then the sums are deleted.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { internal } from "../_generated/api";
import { DEFAULT_CURRENCY } from "../../lib/money";
import { FIGURE_KEYS, ZERO_FIGURES } from "../../lib/moneyFigures";
import { advisorRowFigures, describeAdvisors, marginRange, type AdvisorMargin } from "./adminStats";
import { advisorMarginPage } from "./rollups";
import { scheduledJobProgress } from "./backgroundJobs";
import { EXPORT_RETENTION_MS } from "./exportRetention";
import { fail } from "./errors";

/** Still in a step of its chain (adding up rows, or writing the file): running, or failed there and resumable. */
const inStep = (status: Doc<"marginExports">["status"]): status is "rows" | "file" =>
  status === "rows" || status === "file";

/** Advisor-day rows per step (each also reads and writes its advisors' sums: a few hundred documents). */
export const EXPORT_ROWS_PER_PAGE = 200;
/** Sums read per query while writing the file, and deleted per step afterwards. */
export const EXPORT_SUMS_PER_PAGE = 1_000;

export type ExportRange = { from: string; to: string; tz?: string; tzOffsetMinutes?: number };

export function rangeOf(row: Doc<"marginExports">): ExportRange {
  return {
    from: row.from,
    to: row.to,
    ...(row.tz !== undefined ? { tz: row.tz } : {}),
    ...(row.tzOffsetMinutes !== undefined ? { tzOffsetMinutes: row.tzOffsetMinutes } : {}),
  };
}

export function exportFileName(row: Pick<Doc<"marginExports">, "from" | "to">): string {
  return `margin-${row.from}-to-${row.to}.csv`;
}

/** Creates the export row and schedules its first step (INVALID_ARGUMENT for a bad range, before any write). */
export async function beginMarginExport(
  ctx: MutationCtx,
  requestedBy: Id<"users">,
  range: ExportRange,
  rowsPerPage?: number,
): Promise<Id<"marginExports">> {
  marginRange(range);
  const exportId = await ctx.db.insert("marginExports", {
    requestedBy,
    ...range,
    status: "rows",
    cursor: null,
    rowsRead: 0,
    pages: 0,
    advisors: 0,
    jobId: "",
    createdAt: Date.now(),
  });
  const jobId = await ctx.scheduler.runAfter(0, internal.marginExports.foldPage, {
    exportId,
    ...(rowsPerPage !== undefined ? { rowsPerPage } : {}),
  });
  await ctx.db.patch("marginExports", exportId, { jobId });
  return exportId;
}

/** One step: a page of advisor-day rows added to the advisors' sums; schedules the next step or the file. */
export async function foldMarginPage(ctx: MutationCtx, exportId: Id<"marginExports">, rowsPerPage: number) {
  const row = await ctx.db.get("marginExports", exportId);
  if (row === null || row.status !== "rows") return;
  const { fromMs, toMs } = marginRange(rangeOf(row));
  const page = await advisorMarginPage(ctx, DEFAULT_CURRENCY, fromMs, toMs, row.cursor, rowsPerPage);
  const byAdvisor = new Map<Id<"users">, AdvisorMargin>();
  for (const day of page.page) {
    const entry = byAdvisor.get(day.advisorId) ?? {
      ...ZERO_FIGURES,
      advisorId: day.advisorId,
      name: "",
      category: null,
    };
    const figures = advisorRowFigures(day, fromMs, toMs);
    for (const key of FIGURE_KEYS) entry[key] += figures[key];
    byAdvisor.set(day.advisorId, entry);
  }
  const fresh: AdvisorMargin[] = [];
  for (const [advisorId, add] of byAdvisor) {
    const sums = await ctx.db
      .query("marginExportAdvisors")
      .withIndex("by_export_advisor", (q) => q.eq("exportId", exportId).eq("advisorId", advisorId))
      .unique();
    if (sums === null) fresh.push(add);
    else {
      const next: Partial<Doc<"marginExportAdvisors">> = {};
      for (const key of FIGURE_KEYS) next[key] = sums[key] + add[key];
      await ctx.db.patch("marginExportAdvisors", sums._id, next);
    }
  }
  // Named once, when first seen (as the direct download names an advisor from its first row).
  await describeAdvisors(ctx, fresh);
  for (const { advisorId, ...rest } of fresh)
    await ctx.db.insert("marginExportAdvisors", { ...rest, exportId, advisorId: advisorId! });
  const jobId = page.isDone
    ? await ctx.scheduler.runAfter(0, internal.marginExports.writeFile, { exportId })
    : await ctx.scheduler.runAfter(0, internal.marginExports.foldPage, { exportId, rowsPerPage });
  await ctx.db.patch("marginExports", exportId, {
    cursor: page.continueCursor,
    rowsRead: row.rowsRead + page.page.length,
    pages: row.pages + 1,
    advisors: row.advisors + fresh.length,
    jobId,
    ...(page.isDone ? { status: "file" as const } : {}),
  });
}

/**
 * Runs a failed export's step again, from where the chain stopped. Safe: each step commits its sums and its cursor
 * together, so the failed step left nothing half done (a file step that failed is written again from the start).
 * CONFLICT while the export is still running, and for one that finished, expired or was abandoned.
 */
export async function resumeMarginExport(ctx: MutationCtx, exportId: Id<"marginExports">): Promise<void> {
  const row = await ctx.db.get("marginExports", exportId);
  if (row === null) fail("NOT_FOUND", "That export was not found.");
  if (!inStep(row.status)) fail("CONFLICT", "Only an export whose step failed can be resumed. Please start a new one.");
  const job = await scheduledJobProgress(ctx, row.jobId, "export");
  if (job.status !== "failed") fail("CONFLICT", "This export is still running.");
  const jobId =
    row.status === "rows"
      ? await ctx.scheduler.runAfter(0, internal.marginExports.foldPage, { exportId })
      : await ctx.scheduler.runAfter(0, internal.marginExports.writeFile, { exportId });
  await ctx.db.patch("marginExports", exportId, { jobId, resumes: (row.resumes ?? 0) + 1 });
}

/** One page of an export's advisor sums, as the CSV's advisor rows. */
export async function exportSumsPage(ctx: QueryCtx, exportId: Id<"marginExports">, cursor: string | null) {
  const page = await ctx.db
    .query("marginExportAdvisors")
    .withIndex("by_export_advisor", (q) => q.eq("exportId", exportId))
    .paginate({ cursor, numItems: EXPORT_SUMS_PER_PAGE });
  return {
    isDone: page.isDone,
    continueCursor: page.continueCursor,
    rows: page.page.map(({ exportId: _e, _id, _creationTime, ...rest }) => rest),
  };
}

/** Deletes a page of a finished export's sums; true while more remain. */
export async function deleteSumsPage(ctx: MutationCtx, exportId: Id<"marginExports">): Promise<boolean> {
  const sums = await ctx.db
    .query("marginExportAdvisors")
    .withIndex("by_export_advisor", (q) => q.eq("exportId", exportId))
    .take(EXPORT_SUMS_PER_PAGE);
  for (const s of sums) await ctx.db.delete("marginExportAdvisors", s._id);
  return sums.length === EXPORT_SUMS_PER_PAGE;
}

/** An export as the page shows it: a step that failed makes the export failed (with the step's error). */
export async function exportView(ctx: QueryCtx, row: Doc<"marginExports">) {
  let status: "running" | "done" | "failed" | "expired" = inStep(row.status) ? "running" : row.status;
  let error = row.error ?? null;
  if (status === "running") {
    const job = await scheduledJobProgress(ctx, row.jobId, "export");
    if (job.status === "failed") ({ status, error } = { status: "failed", error: job.error });
  }
  return {
    _id: row._id,
    from: row.from,
    to: row.to,
    status,
    phase: row.status,
    error,
    /** A step failed: resumeMarginExport runs it again (an export the retention cron stopped is failed for good). */
    resumable: status === "failed" && inStep(row.status),
    rowsRead: row.rowsRead,
    pages: row.pages,
    advisors: row.advisors,
    csvRows: row.csvRows ?? null,
    bytes: row.bytes ?? null,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt ?? null,
    /** When the file is deleted (done), or was (expired). */
    expiresAt: row.status === "done" && row.finishedAt !== undefined ? row.finishedAt + EXPORT_RETENTION_MS : null,
    expiredAt: row.expiredAt ?? null,
    fileName: exportFileName(row),
  };
}
