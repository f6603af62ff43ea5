// Background margin CSV exports (issue 25): an admin starts one, a chain of bounded steps builds it
// (convex/model/marginExports.ts), the file lands in file storage, and only admins can fetch it
// (GET /exports/margin in convex/http.ts, proxied by app/api/admin/billing/margin-analytics/exports/[id]).
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { internalAction, internalMutation, internalQuery, mutation, query } from "./functions";
import { enforceRateLimit } from "./model/rateLimits";
import { writeAudit, viewerOrNull } from "./model/users";
import { marginReport } from "./model/adminStats";
import {
  EXPORT_ROWS_PER_PAGE,
  beginMarginExport,
  deleteSumsPage,
  exportFileName,
  exportSumsPage,
  exportView,
  foldMarginPage,
  rangeOf,
  resumeMarginExport,
} from "./model/marginExports";
import { EXPORT_RETENTION_BATCH, EXPORT_RETENTION_MS, sweepExportRetention } from "./model/exportRetention";
import { marginCsv, withAdvisorRows } from "../lib/marginCsv";
import { can } from "../lib/rolePermissions";

const rangeArgs = {
  from: v.string(),
  to: v.string(),
  tzOffsetMinutes: v.optional(v.number()),
  tz: v.optional(v.string()),
};

/** Starts an export of `from`..`to` (the report's range rules); rate limited per admin; audited. */
export const start = mutation({
  permission: "admin:billing",
  args: rangeArgs,
  handler: async (ctx, range): Promise<Id<"marginExports">> => {
    await enforceRateLimit(ctx, "marginExport", ctx.viewer._id);
    const exportId = await beginMarginExport(ctx, ctx.viewer._id, range);
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "margins.export",
      targetTable: "marginExports",
      targetId: exportId,
      details: JSON.stringify(range),
    });
    return exportId;
  },
});

/** Runs a failed export's step again from where it stopped (admins; audited). */
export const resume = mutation({
  permission: "admin:billing",
  args: { exportId: v.id("marginExports") },
  handler: async (ctx, { exportId }): Promise<null> => {
    await resumeMarginExport(ctx, exportId);
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "margins.export_resume",
      targetTable: "marginExports",
      targetId: exportId,
    });
    return null;
  },
});

/** The latest exports (any admin's), with progress, newest first. */
export const list = query({
  permission: "admin:billing",
  args: {},
  handler: async (ctx) => {
    const rows = await ctx.db.query("marginExports").withIndex("by_created").order("desc").take(10);
    return await Promise.all(rows.map((row) => exportView(ctx, row)));
  },
});

export const foldPage = internalMutation({
  args: { exportId: v.id("marginExports"), rowsPerPage: v.optional(v.number()) },
  handler: async (ctx, { exportId, rowsPerPage }) =>
    await foldMarginPage(ctx, exportId, Math.min(Math.max(1, rowsPerPage ?? EXPORT_ROWS_PER_PAGE), 1_000)),
});

export const fileInputs = internalQuery({
  args: { exportId: v.id("marginExports") },
  handler: async (ctx, { exportId }) => {
    const row = await ctx.db.get("marginExports", exportId);
    if (row === null || row.status !== "file") return null;
    return await marginReport(ctx, rangeOf(row));
  },
});

export const sumsPage = internalQuery({
  args: { exportId: v.id("marginExports"), cursor: v.union(v.string(), v.null()) },
  handler: async (ctx, { exportId, cursor }) => await exportSumsPage(ctx, exportId, cursor),
});

/** Writes the CSV (the same as the direct download's) to file storage, then records it. */
export const writeFile = internalAction({
  args: { exportId: v.id("marginExports") },
  handler: async (ctx, { exportId }) => {
    const report = await ctx.runQuery(internal.marginExports.fileInputs, { exportId });
    if (report === null) return null;
    const rows: (typeof report)["byAdvisor"] = [];
    let cursor: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof exportSumsPage>> = await ctx.runQuery(internal.marginExports.sumsPage, {
        exportId,
        cursor,
      });
      rows.push(...page.rows);
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    const csv = marginCsv(withAdvisorRows(report, rows));
    const blob = new Blob([csv], { type: "text/csv; charset=utf-8" });
    const storageId = await ctx.storage.store(blob);
    await ctx.runMutation(internal.marginExports.finish, {
      exportId,
      storageId,
      csvRows: csv.split("\r\n").length - 2, // less the header and the final line break
      bytes: blob.size,
    });
    return null;
  },
});

export const finish = internalMutation({
  args: { exportId: v.id("marginExports"), storageId: v.id("_storage"), csvRows: v.number(), bytes: v.number() },
  handler: async (ctx, { exportId, ...file }) => {
    // Abandoned by the retention cron while the file was being written: the file has no row to be kept by.
    const row = await ctx.db.get("marginExports", exportId);
    if (row === null || row.status !== "file") return await ctx.storage.delete(file.storageId);
    const jobId = await ctx.scheduler.runAfter(0, internal.marginExports.cleanup, { exportId });
    await ctx.db.patch("marginExports", exportId, { ...file, status: "done", finishedAt: Date.now(), jobId });
  },
});

/** Deletes the finished export's per-advisor sums, a page per step. */
export const cleanup = internalMutation({
  args: { exportId: v.id("marginExports") },
  handler: async (ctx, { exportId }) => {
    if (await deleteSumsPage(ctx, exportId))
      await ctx.scheduler.runAfter(0, internal.marginExports.cleanup, { exportId });
  },
});

/** The retention cron (convex/crons.ts): expires old files, abandons stuck exports, in bounded batches. */
export const sweepRetention = internalMutation({
  args: { limit: v.optional(v.number()) },
  handler: async (ctx, { limit }) =>
    await sweepExportRetention(
      ctx,
      Date.now(),
      Math.min(Math.max(1, Math.floor(limit ?? EXPORT_RETENTION_BATCH)), EXPORT_RETENTION_BATCH),
    ),
});

const EXPORT_RETENTION_DAYS = EXPORT_RETENTION_MS / (24 * 60 * 60_000);

type FileAccess =
  | { ok: true; storageId: Id<"_storage">; fileName: string; contentType: string }
  | { ok: false; status: 401 | 403 | 404 | 410; message: string };

/** A finished export's file for the calling identity (run by the HTTP action with the caller's auth): admins only. */
export const fileForViewer = internalQuery({
  args: { exportId: v.string() },
  handler: async (ctx, args): Promise<FileAccess> => {
    const viewer = await viewerOrNull(ctx);
    if (viewer === null) return { ok: false, status: 401, message: "Please sign in to continue." };
    if (viewer.status === "suspended") return { ok: false, status: 403, message: "Your account is suspended." };
    if (!can(viewer.role, "admin:billing"))
      return { ok: false, status: 403, message: "You are not allowed to do that." };
    const id = ctx.db.normalizeId("marginExports", args.exportId);
    const row = id === null ? null : await ctx.db.get("marginExports", id);
    if (row?.status === "expired")
      return {
        ok: false,
        status: 410,
        message: `This export has expired: its file is deleted ${EXPORT_RETENTION_DAYS} days after it finishes. Please start a new export.`,
      };
    if (row === null || row.storageId === undefined)
      return { ok: false, status: 404, message: "That export was not found or is not finished." };
    return {
      ok: true,
      storageId: row.storageId,
      fileName: exportFileName(row),
      contentType: "text/csv; charset=utf-8",
    };
  },
});
