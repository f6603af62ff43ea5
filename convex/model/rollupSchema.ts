// Maintained totals (issue 25): written in the posting transaction, never recomputed by scanning.
// Spread into convex/schema.ts. See convex/model/rollups.ts and BILLING_SYSTEM_DOCS.md "Scale".
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { currencyValidator } from "./ledgerSchema";
import { kindExtrasValidator, kindSumsValidator, rollupSumsValidator } from "./rollupValidators";

export const rollupTables = {
  /** Hot rows: one per (UTC hour, currency, house shard); the posting writes the shard of its journal. Folded into days. */
  ledgerRollupShards: defineTable({
    hourStart: v.number(),
    currency: currencyValidator,
    shard: v.number(),
    sums: rollupSumsValidator,
    /** Rows written before the compact form: the hour's complete changes to the kind totals. */
    kinds: v.optional(kindSumsValidator),
    /**
     * The hour's changes to the kind totals that its "<type>:<kind>" sums do not already say (the kind debits and
     * credits are those sums): balances crossing zero, accounts counted for the first time. Folded with the hour.
     */
    kx: v.optional(kindExtrasValidator),
    /** Sums the backfill added for journals posted before the rollups (their accounts enter the kind totals whole). */
    bs: v.optional(rollupSumsValidator),
  }).index("by_hour_currency_shard", ["hourStart", "currency", "shard"]),

  /** Cold rows: one per (UTC day, currency), the folded hours inside (keys "0".."23"). Written only by the fold. */
  ledgerRollupDays: defineTable({
    dayStart: v.number(),
    currency: currencyValidator,
    hours: v.record(v.string(), rollupSumsValidator),
  }).index("by_currency_day", ["currency", "dayStart"]),

  /** All-time totals per account kind of the folded hours (the hot rows hold the rest); written by the fold. */
  ledgerKindTotals: defineTable({
    currency: currencyValidator,
    shard: v.number(),
    kinds: kindSumsValidator,
  }).index("by_currency_shard", ["currency", "shard"]),

  /** What an advisor keeps per UTC hour (posting time; refunds and clawbacks taken off the hour they were posted). */
  advisorEarningHours: defineTable({
    advisorId: v.id("users"),
    hourStart: v.number(),
    keptCents: v.number(),
    sessions: v.number(),
  }).index("by_advisor_hour", ["advisorId", "hourStart"]),

  /** Per advisor and UTC day: the sums of the journals tied to the advisor's sessions, per hour (keys "0".."23"). */
  advisorMarginDays: defineTable({
    dayStart: v.number(),
    currency: currencyValidator,
    advisorId: v.id("users"),
    hours: v.record(v.string(), rollupSumsValidator),
  })
    .index("by_advisor_day", ["advisorId", "currency", "dayStart"])
    .index("by_currency_day", ["currency", "dayStart"]),

  /** Backfill progress of the rollups for data posted before they existed (one row per job). */
  rollupBackfills: defineTable({
    job: v.string(),
    cursor: v.union(v.string(), v.null()),
    done: v.boolean(),
    processed: v.number(),
    updatedAt: v.number(),
  }).index("by_job", ["job"]),
};
