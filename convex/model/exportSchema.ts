// Background exports (issue 25): a margin CSV of any size, built page by page and written to file storage.
import { defineTable } from "convex/server";
import { v } from "convex/values";

const figures = {
  grossCents: v.number(),
  feesCents: v.number(),
  refundsCents: v.number(),
  refundFeesCents: v.number(),
  promotionsCents: v.number(),
  chargebacksCents: v.number(),
  processorFeesCents: v.number(),
  netMarginCents: v.number(),
  sessions: v.number(),
};

export const exportTables = {
  /** One per export an admin started: its range, where the chain is, and the file when done. */
  marginExports: defineTable({
    requestedBy: v.id("users"),
    from: v.string(),
    to: v.string(),
    tz: v.optional(v.string()),
    tzOffsetMinutes: v.optional(v.number()),
    /** rows: adding up advisor-day rows; file: writing the CSV; done; failed (error); expired (file deleted). */
    status: v.union(v.literal("rows"), v.literal("file"), v.literal("done"), v.literal("failed"), v.literal("expired")),
    cursor: v.union(v.string(), v.null()),
    /** Advisor-day rows read so far, in `pages` transactions; advisors found. */
    rowsRead: v.number(),
    pages: v.number(),
    advisors: v.number(),
    /** The scheduled function of the chain's latest step (a failed step shows as a failed export). */
    jobId: v.string(),
    storageId: v.optional(v.id("_storage")),
    /** CSV lines below the header, and the file's size. */
    csvRows: v.optional(v.number()),
    bytes: v.optional(v.number()),
    error: v.optional(v.string()),
    createdAt: v.number(),
    finishedAt: v.optional(v.number()),
    /** When the retention cron deleted the file (status expired). */
    expiredAt: v.optional(v.number()),
    /** Times an admin resumed the export after a step failed (marginExports:resume). */
    resumes: v.optional(v.number()),
  })
    .index("by_created", ["createdAt"])
    // The retention cron: finished exports by age, and exports stuck in a step by age.
    .index("by_status_finished", ["status", "finishedAt"])
    .index("by_status_created", ["status", "createdAt"]),

  /** An export's running sums per advisor (deleted once the file is written). */
  marginExportAdvisors: defineTable({
    exportId: v.id("marginExports"),
    advisorId: v.id("users"),
    name: v.string(),
    category: v.union(v.string(), v.null()),
    ...figures,
  }).index("by_export_advisor", ["exportId", "advisorId"]),
};
