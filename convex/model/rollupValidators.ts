// Shapes of the maintained totals (issue 25), shared by the rollup tables (rollupSchema.ts) and the current-hour
// buckets on balance rows (ledgerSchema.ts, see rollupBuckets.ts); apart so the two schema modules need not import
// each other.
import { v } from "convex/values";

/** One figure: count, debits and credits in cents. Keys: "<journalType>" (n journals, dr = their amounts) or "<journalType>:<accountKind>". */
export const rollupSumsValidator = v.record(v.string(), v.object({ n: v.number(), dr: v.number(), cr: v.number() }));

/** Per liability/house kind: debits, credits, and (owner accounts) the sum of positive and negative balances. */
export const kindSumsValidator = v.record(
  v.string(),
  v.object({ dr: v.number(), cr: v.number(), pos: v.number(), neg: v.number(), accounts: v.number() }),
);

/** What a posting adds to the kind totals beyond its own "<type>:<kind>" sums (zero fields left out; see rollups.ts). */
export const kindExtrasValidator = v.record(
  v.string(),
  v.object({
    dr: v.optional(v.number()),
    cr: v.optional(v.number()),
    pos: v.optional(v.number()),
    neg: v.optional(v.number()),
    accounts: v.optional(v.number()),
  }),
);

/** A house shard's current hour on its balance row: what its hot row would hold (moved there when the hour changes). */
export const hourBucketValidator = v.object({
  hourStart: v.number(),
  sums: rollupSumsValidator,
  kx: v.optional(kindExtrasValidator),
});

/**
 * The same, packed (rollupPack.ts): one string, what postings write; or its first packed form, an object (rows
 * written before; read and rewritten as the string by the shard's next posting).
 */
export const packedBucketValidator = v.union(
  v.string(),
  v.object({ hourStart: v.number(), sums: v.string(), extras: v.optional(v.string()) }),
);

/**
 * An advisor account's current hour on its balance row: what its advisorEarningHours row would add. Packed as
 * "<hourStart>,<keptCents>,<sessions>" (what postings write), or the object rows written before hold.
 */
export const earningBucketValidator = v.union(
  v.string(),
  v.object({ hourStart: v.number(), keptCents: v.number(), sessions: v.number() }),
);
