// Maintained totals (issue 25). postJournal calls recordPosting in the same transaction as the journal, so every
// total is exact the moment money moves and no page, cron or API ever scans journals or entries to add them up.
//   ledgerRollupShards  per (UTC hour, currency, house shard): "<type>" and "<type>:<kind>" sums and the kind-total
//                       changes. The current hour rides as a bucket on the house shard's balance row the posting
//                       writes anyway (rollupBuckets.ts) and moves here when the hour changes; journals with no house
//                       leg write here directly. Same shard as the house accounts: no new hot spot.
//   ledgerRollupDays    per (UTC day, currency): completed hours folded in by a cron (one writer), so a 92-day range
//                       reads ~93 day rows plus the unfolded hours (hot rows and the buckets).
//   ledgerKindTotals    per currency: all-time debits/credits per account kind, plus the sums of positive and
//                       negative balances of owner accounts (client wallets in credit, credit in use). The fold adds
//                       the hot rows' kind changes here (readers add the hot rows and buckets not folded yet).
//   advisorMarginDays   per (advisor, UTC day): the sums of the journals tied to an advisor's session or paid message.
//   advisorEarningHours per (advisor, UTC hour): what the advisor keeps (credits − debits on the advisor's accounts);
//                       the current hour rides on the advisor account's balance row (rollupBuckets.ts).
// Generic over journal types and account kinds: a new type or kind is rolled up with no change here.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { normalBalance } from "../../lib/ledger/accounts";
import { isOfflineMessageJournal, type JournalType } from "../../lib/ledger/legs";
import type { Currency } from "../../lib/money";
import {
  addEarningHour,
  startEarningBucket,
  addToHotRow,
  addToHourBucket,
  addToSameHourBucket,
  addToSameHourEarning,
  advisorEarning,
  earningCarrier,
  houseBuckets,
  type BucketFields,
  type Carrier,
} from "./rollupBuckets";
import {
  HOUR_MS,
  addSum,
  addKinds,
  hotRowKinds,
  hotRowSums,
  hourOf,
  kindExtras,
  mergeSums,
  utcDayOf,
  type AccountMove,
  type KindSum,
  type Sums,
} from "./rollupMath";

// Callers import these from here (the arithmetic lives in ./rollupMath).
export {
  DAY_MS,
  HOUR_MS,
  addSum,
  hourOf,
  kindDeltas,
  mergeSums,
  utcDayOf,
  type AccountMove,
  type KindSum,
  type Sum,
  type Sums,
} from "./rollupMath";

/** One account's move in a posting, for an account already counted in the kind totals; null: not counted yet. */
export function countedMove(
  account: Doc<"accounts">,
  target: { debitsCents: number; creditsCents: number },
  row: Doc<"accountBalances"> | null,
): AccountMove | null {
  return account.inTotals === true ? moveOf(account, target, row, { counted: true }) : null;
}

/**
 * The move of an account not counted in the kind totals yet (created before the rollups, or new): it is added whole,
 * once, and marked; `whole` reads its balance over all shards (only then).
 */
export async function firstMove(
  ctx: MutationCtx,
  account: Doc<"accounts">,
  target: { debitsCents: number; creditsCents: number },
  row: Doc<"accountBalances"> | null,
  whole: () => Promise<{ debitsCents: number; creditsCents: number }>,
): Promise<AccountMove> {
  const before = account.sharded ? await whole() : row;
  await ctx.db.patch("accounts", account._id, { inTotals: true });
  return moveOf(account, target, row, { counted: false, before });
}

/** `before`: what an account counted for the first time held (none for a new account). */
function moveOf(
  account: Doc<"accounts">,
  target: { debitsCents: number; creditsCents: number },
  row: Doc<"accountBalances"> | null,
  { counted, before }: { counted: boolean; before?: { debitsCents: number; creditsCents: number } | null },
): AccountMove {
  return {
    kind: account.kind,
    ownerId: account.ownerId,
    debitsCents: target.debitsCents,
    creditsCents: target.creditsCents,
    beforeDr: before?.debitsCents ?? 0,
    beforeCr: before?.creditsCents ?? 0,
    beforeCents: account.sharded
      ? null
      : row === null
        ? 0
        : normalBalance(account.kind, row.debitsCents, row.creditsCents),
    counted,
  };
}

export type PostingFacts = {
  type: JournalType;
  currency: Currency;
  amountCents: number;
  shard: number;
  at: number;
  /** A session's journal or a paid offline message's: its sums count in its advisor's margins. */
  advisorSale: boolean;
  moves: AccountMove[];
};

/** The sums one journal adds: "<type>" (1 journal, its amount) and "<type>:<kind>" per account kind it moves. */
export function journalSums(facts: Pick<PostingFacts, "type" | "amountCents" | "moves">): Sums {
  const sums: Sums = {};
  addSum(sums, facts.type, { n: 1, dr: facts.amountCents, cr: 0 });
  for (const m of facts.moves) addSum(sums, `${facts.type}:${m.kind}`, { n: 1, dr: m.debitsCents, cr: m.creditsCents });
  return sums;
}

/** Whether a journal's sums count in its advisor's margins: a session's journals and a paid offline message's. */
export function isAdvisorSale(journal: { type: JournalType; sessionId?: unknown }): boolean {
  return journal.sessionId !== undefined || isOfflineMessageJournal(journal.type);
}

/** The advisor a session's or paid message's journal belongs to: the owner of its advisor account leg. */
function advisorOf(moves: readonly AccountMove[]): Id<"users"> | null {
  return moves.find((m) => m.kind.startsWith("advisor_") && m.ownerId !== null)?.ownerId ?? null;
}

/**
 * The rollups of one posted journal (called by postJournal, in its transaction, before it writes its balance rows).
 * A journal with a house leg in its currency keeps its sums and kind changes in the bucket on that house shard's
 * balance row; an advisor's journal keeps the advisor's change on the advisor account's row (rollupBuckets.ts). The
 * buckets come back per account, for postJournal to write in the same patch as the balances: so a posting writes no
 * extra document, except once an hour per row (a bucket of an earlier hour moves to its hour row). A journal with no
 * house leg (a release, a payout request) writes its hot row (its hour and house shard) as before.
 */
export async function recordPosting(
  ctx: MutationCtx,
  facts: PostingFacts,
  carriers: readonly Carrier[],
): Promise<Map<Id<"accounts">, BucketFields>> {
  const out = new Map<Id<"accounts">, BucketFields>();
  const sums = journalSums(facts);
  const kx = kindExtras(facts.moves);
  const hourStart = hourOf(facts.at);
  const house = carriers.find((c) => c.account.sharded && c.account.currency === facts.currency);
  if (house === undefined)
    await addToHotRow(ctx, { hourStart, currency: facts.currency, shard: facts.shard }, { sums, kx });
  else
    out.set(
      house.account._id,
      addToSameHourBucket(house, hourStart, { sums, kx }) ??
        (await addToHourBucket(ctx, house, hourStart, { sums, kx })),
    );

  const advisorId = facts.advisorSale ? advisorOf(facts.moves) : null;
  if (advisorId !== null) await addAdvisorMargin(ctx, advisorId, facts.currency, facts.at, sums);

  const earning = advisorEarning(facts);
  if (earning === null) return out;
  const carrier = earningCarrier(carriers, earning.advisorId);
  if (carrier === undefined)
    await addEarningHour(ctx, earning, facts.at); // not reached: the advisor leg is a carrier
  else
    out.set(carrier.account._id, {
      earning:
        addToSameHourEarning(carrier, hourStart, earning) ??
        (await startEarningBucket(ctx, carrier, hourStart, earning)),
    });
  return out;
}

/** Adds to the folded all-time kind totals (the fold and the backfill of accounts: one writer). */
export async function addKindTotals(
  ctx: MutationCtx,
  currency: Currency,
  shard: number,
  kinds: Record<string, KindSum>,
): Promise<void> {
  const totals = await ctx.db
    .query("ledgerKindTotals")
    .withIndex("by_currency_shard", (q) => q.eq("currency", currency).eq("shard", shard))
    .unique();
  if (totals === null) await ctx.db.insert("ledgerKindTotals", { currency, shard, kinds });
  else await ctx.db.patch("ledgerKindTotals", totals._id, { kinds: addKinds({ ...totals.kinds }, kinds) });
}

/** Adds a journal's sums to its advisor's day row (per advisor: as hot as the advisor's own accounts). */
export async function addAdvisorMargin(
  ctx: MutationCtx,
  advisorId: Id<"users">,
  currency: Currency,
  at: number,
  sums: Sums,
): Promise<void> {
  const dayStart = utcDayOf(at);
  const hour = String((hourOf(at) - dayStart) / HOUR_MS);
  const row = await ctx.db
    .query("advisorMarginDays")
    .withIndex("by_advisor_day", (q) => q.eq("advisorId", advisorId).eq("currency", currency).eq("dayStart", dayStart))
    .unique();
  if (row === null)
    await ctx.db.insert("advisorMarginDays", { advisorId, currency, dayStart, hours: { [hour]: sums } });
  else
    await ctx.db.patch("advisorMarginDays", row._id, {
      hours: { ...row.hours, [hour]: mergeSums({ ...(row.hours[hour] ?? {}) }, sums) },
    });
}

// ---------------------------------------------------------------------------------------------
// Folding completed hours into day rows (cron; one writer, so day rows are never contended)
// ---------------------------------------------------------------------------------------------

/** Most hot rows one fold transaction reads (16 shards × 24 hours = 384 for a whole busy day). */
export const FOLD_BATCH = 512;

/** Folds hot rows of hours before `now`'s hour into their day rows. Returns how many rows it folded and whether more remain. */
export async function foldHours(
  ctx: MutationCtx,
  now: number,
  batch = FOLD_BATCH,
): Promise<{ folded: number; more: boolean }> {
  const rows = await ctx.db
    .query("ledgerRollupShards")
    .withIndex("by_hour_currency_shard", (q) => q.lt("hourStart", hourOf(now)))
    .take(batch + 1);
  const more = rows.length > batch;
  const days = new Map<string, { dayStart: number; currency: Currency; hours: Record<string, Sums> }>();
  const kinds = new Map<Currency, Record<string, KindSum>>();
  for (const row of rows.slice(0, batch)) {
    kinds.set(row.currency, addKinds(kinds.get(row.currency) ?? {}, hotRowKinds(row)));
    const dayStart = utcDayOf(row.hourStart);
    const key = `${row.currency}|${dayStart}`;
    const day = days.get(key) ?? { dayStart, currency: row.currency, hours: {} };
    const hour = String((row.hourStart - dayStart) / HOUR_MS);
    day.hours[hour] = mergeSums(day.hours[hour] ?? {}, hotRowSums(row));
    days.set(key, day);
    await ctx.db.delete("ledgerRollupShards", row._id);
  }
  for (const day of days.values()) {
    const existing = await ctx.db
      .query("ledgerRollupDays")
      .withIndex("by_currency_day", (q) => q.eq("currency", day.currency).eq("dayStart", day.dayStart))
      .unique();
    if (existing === null) {
      await ctx.db.insert("ledgerRollupDays", day);
      continue;
    }
    const hours: Record<string, Sums> = { ...existing.hours };
    for (const [hour, sums] of Object.entries(day.hours)) hours[hour] = mergeSums({ ...(hours[hour] ?? {}) }, sums);
    await ctx.db.patch("ledgerRollupDays", existing._id, { hours });
  }
  for (const [currency, sums] of kinds) await addKindTotals(ctx, currency, 0, sums);
  return { folded: Math.min(rows.length, batch), more };
}

// ---------------------------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------------------------

export type HourSums = { hourStart: number; sums: Sums };

/**
 * The rolled-up sums per UTC hour in [fromMs, toMs) (both rounded down to the hour): day rows plus hot rows.
 * Reads about one document per day plus the unfolded hours' shard rows, whatever the volume.
 */
export async function hourlySums(ctx: QueryCtx, currency: Currency, fromMs: number, toMs: number): Promise<HourSums[]> {
  const from = hourOf(fromMs);
  const to = hourOf(toMs);
  const byHour = new Map<number, Sums>();
  const add = (hourStart: number, sums: Sums) => {
    if (hourStart < from || hourStart >= to) return;
    byHour.set(hourStart, mergeSums(byHour.get(hourStart) ?? {}, sums));
  };
  const days = await ctx.db
    .query("ledgerRollupDays")
    .withIndex("by_currency_day", (q) => q.eq("currency", currency).gte("dayStart", utcDayOf(from)).lt("dayStart", to))
    .collect(); // one row per UTC day: bounded by the range (at most 93 for the longest range)
  for (const day of days)
    for (const [hour, sums] of Object.entries(day.hours)) add(day.dayStart + Number(hour) * HOUR_MS, sums);
  const hot = await ctx.db
    .query("ledgerRollupShards")
    .withIndex("by_hour_currency_shard", (q) => q.gte("hourStart", from).lt("hourStart", to))
    .collect(); // shards of the hours not folded yet: the current hour and the fold's lag (minutes)
  for (const row of hot) if (row.currency === currency) add(row.hourStart, hotRowSums(row));
  for (const bucket of await houseBuckets(ctx, currency)) add(bucket.hourStart, bucket.sums); // the current hours
  return [...byHour].map(([hourStart, sums]) => ({ hourStart, sums })).sort((a, b) => a.hourStart - b.hourStart);
}

/** All-time totals per account kind: the folded rows plus the kind changes in the hot rows and buckets not folded yet. */
export async function kindTotals(ctx: QueryCtx, currency: Currency): Promise<Record<string, KindSum>> {
  const rows = await ctx.db
    .query("ledgerKindTotals")
    .withIndex("by_currency_shard", (q) => q.eq("currency", currency))
    .collect(); // one row per shard that ever held totals (at most LEDGER_HOUSE_SHARDS)
  const out: Record<string, KindSum> = {};
  for (const row of rows) addKinds(out, row.kinds);
  const hot = await ctx.db.query("ledgerRollupShards").collect(); // the unfolded hours only: the fold runs every 5 minutes
  for (const row of hot) if (row.currency === currency) addKinds(out, hotRowKinds(row));
  for (const bucket of await houseBuckets(ctx, currency)) addKinds(out, hotRowKinds(bucket));
  return out;
}

/** Per-advisor sums over UTC days [fromDay, toDay), one page (ordered by day, then advisor). */
export async function advisorMarginPage(
  ctx: QueryCtx,
  currency: Currency,
  fromMs: number,
  toMs: number,
  cursor: string | null,
  numItems: number,
) {
  return await ctx.db
    .query("advisorMarginDays")
    .withIndex("by_currency_day", (q) =>
      q.eq("currency", currency).gte("dayStart", utcDayOf(fromMs)).lt("dayStart", toMs),
    )
    .paginate({ cursor, numItems });
}
