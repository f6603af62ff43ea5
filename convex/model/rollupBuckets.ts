// The hour rows of the rollups (issue 25) and the current-hour buckets that stand in for them on the common path.
// A posting already rewrites its balance rows, so the current hour rides on them ("Hot spots stay cool"):
//   hourSums on the house shard's balance row (platform_fees / processor_cash, the journal's currency): the hour's
//            journal sums and kind changes, i.e. what the (hour, currency, shard) ledgerRollupShards row would add;
//   earning  on the advisor account's balance row: what the advisor keeps this hour (advisorEarningHours).
// Both are one string each (rollupPack.ts): the row is read and rewritten by every posting on it, and the engine
// handles one string for less than an object of numbers.
// A posting that finds a bucket of an earlier hour first moves it to that hour's row (insert or merge), so a
// settlement writes no document beyond its journal, entries and balance rows. A bucket moved after the fold took
// its hour makes a new hot row (hourStart < now), which the next fold takes. Readers add the buckets (by index,
// bounded: the house accounts' shard rows; the advisor's own four accounts).
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { ACCOUNT_KINDS, CHART_OF_ACCOUNTS, type AccountKind } from "../../lib/ledger/accounts";
import type { JournalType } from "../../lib/ledger/legs";
import type { Currency } from "../../lib/money";
import {
  addExtras,
  addKinds,
  hotRowKinds,
  hourOf,
  mergeSums,
  type AccountMove,
  type HourBucket,
  type KindExtras,
  type Sums,
} from "./rollupMath";
import {
  addPacked,
  packBucket,
  packEarning,
  packedHour,
  unpackBucket,
  unpackEarning,
  type PackedBucket,
} from "./rollupPack";
type Earning = { advisorId: Id<"users">; keptCents: number; sessions: number };

/** A balance row the posting is about to write (null: inserted) and its account. */
export type Carrier = { account: Doc<"accounts">; row: Doc<"accountBalances"> | null };
/**
 * What the posting adds to a balance row's patch (or insert): its buckets, packed (rollupPack.ts), in the same write.
 * `rollup: undefined` removes a house bucket of the plain form (written before the packed one), moved to its hot row.
 */
export type BucketFields = { hourSums?: PackedBucket; rollup?: undefined; earning?: string };

/** Most shard rows of one house account (LEDGER_HOUSE_SHARDS <= 1024). */
const MAX_SHARD_ROWS = 1100;
/** Most accounts one user owns (owner kinds × currencies). */
const MAX_OWNED_ACCOUNTS = 100;
const HOUSE_KINDS = ACCOUNT_KINDS.filter((kind) => CHART_OF_ACCOUNTS[kind].sharded);

const withKx = (kx: KindExtras | undefined) => (kx !== undefined && Object.keys(kx).length > 0 ? { kx } : {});

/** Adds sums and kind changes to an hour's hot row: a journal with no house leg, or a house bucket being moved. */
export async function addToHotRow(
  ctx: MutationCtx,
  at: { hourStart: number; currency: Currency; shard: number },
  add: { sums: Sums; kx?: KindExtras },
): Promise<void> {
  const hot = await ctx.db
    .query("ledgerRollupShards")
    .withIndex("by_hour_currency_shard", (q) =>
      q.eq("hourStart", at.hourStart).eq("currency", at.currency).eq("shard", at.shard),
    )
    .unique();
  if (hot === null) await ctx.db.insert("ledgerRollupShards", { ...at, sums: add.sums, ...withKx(add.kx) });
  else if (hot.kinds !== undefined)
    // A row from before the compact form: it keeps its complete kind changes.
    await ctx.db.patch("ledgerRollupShards", hot._id, {
      sums: mergeSums({ ...hot.sums }, add.sums),
      kinds: addKinds({ ...hot.kinds }, hotRowKinds(add)),
    });
  else
    await ctx.db.patch("ledgerRollupShards", hot._id, {
      sums: mergeSums({ ...hot.sums }, add.sums),
      ...withKx(add.kx === undefined ? undefined : addExtras({ ...hot.kx }, add.kx)),
    });
}

/**
 * Adds a journal's sums and kind changes to its house shard row's bucket of the same hour (returned packed, for the
 * row's write): the common case, no read or write, and the bucket's string is added to, not unpacked. Null when the
 * row holds no bucket of that hour, or one of an earlier form: addToHourBucket.
 */
export function addToSameHourBucket(
  carrier: Carrier,
  hourStart: number,
  add: { sums: Sums; kx: KindExtras },
): Pick<BucketFields, "hourSums"> | null {
  const row = carrier.row;
  if (row === null || row.rollup !== undefined || typeof row.hourSums !== "string") return null;
  if (packedHour(row.hourSums) !== hourStart) return null;
  return { hourSums: addPacked(row.hourSums, add) };
}

/** A bucket with a journal's sums and kind changes added, packed. */
function merged(bucket: HourBucket, add: { sums: Sums; kx: KindExtras }): PackedBucket {
  const sums = mergeSums({ ...bucket.sums }, add.sums);
  return packBucket({ hourStart: bucket.hourStart, sums, ...withKx(addExtras({ ...bucket.kx }, add.kx)) });
}

/**
 * Adds a journal's sums and kind changes to its house shard row's bucket (returned packed, for the row's write); a
 * bucket of an earlier hour is moved to its hot row first, and so is a bucket of the plain form (any hour).
 */
export async function addToHourBucket(
  ctx: MutationCtx,
  carrier: Carrier,
  hourStart: number,
  add: { sums: Sums; kx: KindExtras },
): Promise<Pick<BucketFields, "hourSums" | "rollup">> {
  const row = carrier.row;
  const at = (bucket: HourBucket) => ({
    hourStart: bucket.hourStart,
    currency: carrier.account.currency,
    shard: row!.shard,
  });
  let cleared: { rollup?: undefined } = {};
  if (row?.rollup !== undefined) {
    await addToHotRow(ctx, at(row.rollup), row.rollup);
    cleared = { rollup: undefined };
  }
  const bucket = row?.hourSums === undefined ? undefined : unpackBucket(row.hourSums);
  if (bucket !== undefined && bucket.hourStart === hourStart) return { ...cleared, hourSums: merged(bucket, add) };
  if (bucket !== undefined) await addToHotRow(ctx, at(bucket), bucket);
  return { ...cleared, hourSums: packBucket({ hourStart, sums: add.sums, ...withKx(add.kx) }) };
}

// ---------------------------------------------------------------------------------------------
// Advisor earnings per hour, from the advisor's own legs (so they agree with the advisor's ledger accounts)
// ---------------------------------------------------------------------------------------------

/** The advisor's own accounts. What the advisor keeps moves by credits − debits on them (a receivable debit is owed back). */
const ADVISOR_KINDS: ReadonlySet<AccountKind> = new Set([
  "advisor_pending",
  "advisor_available",
  "advisor_in_transit",
  "advisor_receivable",
]);

/**
 * What one journal changes in what its advisor keeps: settlements and underpayments add, refunds, chargeback
 * recoveries and overpayments take off (at once, from pending, available or as a receivable), releases and offsets
 * move nothing. Journals with a processor_cash leg (a payout paid, a transfer reversal) move kept money between the
 * platform and the advisor's bank, so they change nothing here either. Null: nothing to record.
 */
export function advisorEarning(facts: { type: JournalType; moves: readonly AccountMove[] }): Earning | null {
  if (facts.moves.some((m) => m.kind === "processor_cash")) return null;
  let advisorId: Id<"users"> | null = null;
  let keptCents = 0;
  for (const m of facts.moves) {
    if (!ADVISOR_KINDS.has(m.kind) || m.ownerId === null) continue;
    advisorId ??= m.ownerId;
    keptCents += m.creditsCents - m.debitsCents;
  }
  const sessions = facts.type === "session_settled" ? 1 : 0;
  if (advisorId === null || (keptCents === 0 && sessions === 0)) return null;
  return { advisorId, keptCents, sessions };
}

/** The balance row that carries an advisor's earning bucket: the first of the journal's rows on the advisor's accounts. */
export function earningCarrier(carriers: readonly Carrier[], advisorId: Id<"users">): Carrier | undefined {
  return carriers.find((c) => ADVISOR_KINDS.has(c.account.kind) && c.account.ownerId === advisorId);
}

/** Adds to an advisor's hour row (a moved bucket; the backfill of old journals). As hot as the advisor's own accounts. */
export async function addEarningHour(ctx: MutationCtx, earning: Earning, at: number): Promise<void> {
  const hourStart = hourOf(at);
  const row = await ctx.db
    .query("advisorEarningHours")
    .withIndex("by_advisor_hour", (q) => q.eq("advisorId", earning.advisorId).eq("hourStart", hourStart))
    .unique();
  if (row === null)
    await ctx.db.insert("advisorEarningHours", {
      advisorId: earning.advisorId,
      hourStart,
      keptCents: earning.keptCents,
      sessions: earning.sessions,
    });
  else
    await ctx.db.patch("advisorEarningHours", row._id, {
      keptCents: row.keptCents + earning.keptCents,
      sessions: row.sessions + earning.sessions,
    });
}

/** Adds a journal's earning to the carrier row's bucket of the same hour (the common case, packed); null: no such bucket. */
export function addToSameHourEarning(carrier: Carrier, hourStart: number, earning: Earning): string | null {
  const stored = carrier.row?.earning;
  const bucket = stored === undefined ? undefined : unpackEarning(stored);
  if (bucket?.hourStart !== hourStart) return null;
  return packEarning({
    hourStart,
    keptCents: bucket.keptCents + earning.keptCents,
    sessions: bucket.sessions + earning.sessions,
  });
}

/**
 * Starts the carrier row's earning bucket for a new hour with a journal's earning (returned, for the row's write); a
 * bucket of an earlier hour is moved to its hour row first. The same hour: addToSameHourEarning.
 */
export async function startEarningBucket(
  ctx: MutationCtx,
  carrier: Carrier,
  hourStart: number,
  earning: Earning,
): Promise<string> {
  const stored = carrier.row?.earning;
  if (stored !== undefined) {
    const bucket = unpackEarning(stored);
    await addEarningHour(
      ctx,
      { advisorId: earning.advisorId, keptCents: bucket.keptCents, sessions: bucket.sessions },
      bucket.hourStart,
    );
  }
  return packEarning({ hourStart, keptCents: earning.keptCents, sessions: earning.sessions });
}

// ---------------------------------------------------------------------------------------------
// Readers: the buckets the hour rows do not hold yet
// ---------------------------------------------------------------------------------------------

/** The hour buckets on the house accounts' shard rows in one currency (≤ 2 accounts × LEDGER_HOUSE_SHARDS rows). */
export async function houseBuckets(ctx: QueryCtx, currency: Currency): Promise<HourBucket[]> {
  const out: HourBucket[] = [];
  for (const kind of HOUSE_KINDS) {
    const account = await ctx.db
      .query("accounts")
      .withIndex("by_kind_owner_currency", (q) => q.eq("kind", kind).eq("ownerId", null).eq("currency", currency))
      .unique();
    if (account === null) continue;
    const rows = await ctx.db
      .query("accountBalances")
      .withIndex("by_account_shard", (q) => q.eq("accountId", account._id))
      .take(MAX_SHARD_ROWS);
    for (const row of rows) {
      if (row.hourSums !== undefined) out.push(unpackBucket(row.hourSums));
      if (row.rollup !== undefined) out.push(row.rollup); // the plain form, until the shard's next posting moves it
    }
  }
  return out;
}

/** Most hour rows one earnings read takes: a 31-day range is ≤ 31 × 24 + 1 hours (a DST day has 25). */
const MAX_EARNING_HOURS = 800;

/**
 * What an advisor kept per UTC hour from `fromMs` (rounded down to the hour) on: the advisorEarningHours rows plus
 * the current-hour buckets on the advisor's own accounts' balance rows (all currencies, as the rows).
 * Reads at most one row per hour of the range plus the advisor's accounts and their rows.
 */
export async function earningsByHour(
  ctx: QueryCtx,
  advisorId: Id<"users">,
  fromMs: number,
): Promise<Map<number, { keptCents: number; sessions: number }>> {
  const from = hourOf(fromMs);
  const byHour = new Map<number, { keptCents: number; sessions: number }>();
  const add = (b: { hourStart: number; keptCents: number; sessions: number }) => {
    if (b.hourStart < from) return;
    const cur = byHour.get(b.hourStart) ?? { keptCents: 0, sessions: 0 };
    byHour.set(b.hourStart, { keptCents: cur.keptCents + b.keptCents, sessions: cur.sessions + b.sessions });
  };
  const rows = await ctx.db
    .query("advisorEarningHours")
    .withIndex("by_advisor_hour", (q) => q.eq("advisorId", advisorId).gte("hourStart", from))
    .take(MAX_EARNING_HOURS);
  for (const row of rows) add(row);
  const accounts = await ctx.db
    .query("accounts")
    .withIndex("by_owner", (q) => q.eq("ownerId", advisorId))
    .take(MAX_OWNED_ACCOUNTS);
  for (const account of accounts) {
    if (!ADVISOR_KINDS.has(account.kind)) continue;
    const row = await ctx.db
      .query("accountBalances")
      .withIndex("by_account_shard", (q) => q.eq("accountId", account._id).eq("shard", 0))
      .unique();
    if (row?.earning !== undefined) add(unpackEarning(row.earning));
  }
  return byHour;
}
