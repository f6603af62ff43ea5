// Maintained counts (issue 25): spread into convex/schema.ts. See convex/model/counts.ts.
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const countTables = {
  /** One counter (e.g. "sessions.active") split into shard rows; a change writes the shard of the changed document. */
  counters: defineTable({ name: v.string(), shard: v.number(), n: v.number() }).index("by_name_shard", [
    "name",
    "shard",
  ]),
  /** Per counted table: how far the backfill has counted existing rows (by creation time), and whether it is done. */
  counterBackfills: defineTable({
    table: v.string(),
    scannedThrough: v.number(),
    done: v.boolean(),
    updatedAt: v.number(),
  }).index("by_table", ["table"]),
};
