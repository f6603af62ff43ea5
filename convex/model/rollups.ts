// Maintained totals (issue 25). postJournal calls recordPosting in the same transaction as the journal, so every
// total is exact the moment money moves and no page, cron or API ever scans journals or entries to add them up.
//   ledgerRollupShards  per (UTC hour, currency, house shard): "<type>" and "<type>:<kind>" sums. The shard is the
//                       journal's house shard, so the rollups are exactly as hot as the house accounts (no new hot spot).
//   ledgerRollupDays    per (UTC day, currency): completed hours folded in by a cron (one writer), so a 92-day range
//                       reads ~93 day rows plus the unfolded hours (the current one and the one before).
//   ledgerKindTotals    per currency: all-time debits/credits per account kind, plus the sums of positive and
//                       negative balances of owner accounts (client wallets in credit, credit in use). A posting
//                       writes its kind changes into its hot row; the fold adds them here (readers add both).
//   advisorMarginDays   per (advisor, UTC day): the sums of the journals tied to an advisor's session.
//   advisorEarningHours per (advisor, UTC hour): what the advisor keeps (credits − debits on the advisor's accounts).
// Generic over journal types and account kinds: a new type or kind is rolled up with no change here.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { normalBalance, type AccountKind } from "../../lib/ledger/accounts";
import type { JournalType } from "../../lib/ledger/legs";
import type { Currency } from "../../lib/money";
import {
  HOUR_MS,
  addExtras,
  addSum,
  addKinds,
  hotRowKinds,
  hotRowSums,
  hourOf,
  kindDeltas,
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

/**
 * One account's move in a posting. An account not counted in the kind totals yet (created before the rollups) is
 * added whole, once, and marked; `whole` reads its balance over all shards (only then).
 */
export async function accountMove(
  ctx: MutationCtx,
  account: Doc<"accounts">,
  target: { debitsCents: number; creditsCents: number },
  row: Doc<"accountBalances"> | null,
  whole: () => Promise<{ debitsCents: number; creditsCents: number }>,
): Promise<AccountMove> {
  const counted = account.inTotals === true;
  const before = counted ? null : account.sharded ? await whole() : row;
  if (!counted) await ctx.db.patch("accounts", account._id, { inTotals: true });
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
  sessionLinked: boolean;
  moves: AccountMove[];
};

/** The sums one journal adds: "<type>" (1 journal, its amount) and "<type>:<kind>" per account kind it moves. */
export function journalSums(facts: Pick<PostingFacts, "type" | "amountCents" | "moves">): Sums {
  const sums: Sums = {};
  addSum(sums, facts.type, { n: 1, dr: facts.amountCents, cr: 0 });
  for (const m of facts.moves) addSum(sums, `${facts.type}:${m.kind}`, { n: 1, dr: m.debitsCents, cr: m.creditsCents });
  return sums;
}

/** The advisor a session-linked journal belongs to: the owner of its advisor account leg. */
function advisorOf(moves: readonly AccountMove[]): Id<"users"> | null {
  return moves.find((m) => m.kind.startsWith("advisor_") && m.ownerId !== null)?.ownerId ?? null;
}

/**
 * Writes the rollups of one posted journal (called by postJournal, in its transaction): the journal's sums and its
 * kind-total changes go to one hot row (its hour and house shard); an advisor's journal also writes the advisor's
 * hour row. Two documents per posting, no new hot spot: the hot row is exactly as contended as the house shard.
 */
export async function recordPosting(ctx: MutationCtx, facts: PostingFacts): Promise<void> {
  const sums = journalSums(facts);
  const hourStart = hourOf(facts.at);
  const hot = await ctx.db
    .query("ledgerRollupShards")
    .withIndex("by_hour_currency_shard", (q) =>
      q.eq("hourStart", hourStart).eq("currency", facts.currency).eq("shard", facts.shard),
    )
    .unique();
  if (hot === null) {
    const kx = kindExtras(facts.moves);
    await ctx.db.insert("ledgerRollupShards", {
      hourStart,
      currency: facts.currency,
      shard: facts.shard,
      sums,
      ...(Object.keys(kx).length > 0 ? { kx } : {}),
    });
  } else if (hot.kinds !== undefined) {
    // A row from before the compact form (at most the fold's lag old): it keeps its complete kind changes.
    await ctx.db.patch("ledgerRollupShards", hot._id, {
      sums: mergeSums({ ...hot.sums }, sums),
      kinds: addKinds({ ...hot.kinds }, kindDeltas(facts.moves)),
    });
  } else {
    const kx = kindExtras(facts.moves);
    await ctx.db.patch("ledgerRollupShards", hot._id, {
      sums: mergeSums({ ...hot.sums }, sums),
      ...(Object.keys(kx).length > 0 ? { kx: addExtras({ ...hot.kx }, kx) } : {}),
    });
  }

  const advisorId = facts.sessionLinked ? advisorOf(facts.moves) : null;
  if (advisorId !== null) await addAdvisorMargin(ctx, advisorId, facts.currency, facts.at, sums);

  const earning = advisorEarning(facts);
  if (earning !== null) await addEarningHour(ctx, earning, facts.at);
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
  return [...byHour].map(([hourStart, sums]) => ({ hourStart, sums })).sort((a, b) => a.hourStart - b.hourStart);
}

/** All-time totals per account kind: the folded rows plus the kind changes in the hot rows not folded yet. */
export async function kindTotals(ctx: QueryCtx, currency: Currency): Promise<Record<string, KindSum>> {
  const rows = await ctx.db
    .query("ledgerKindTotals")
    .withIndex("by_currency_shard", (q) => q.eq("currency", currency))
    .collect(); // one row per shard that ever held totals (at most LEDGER_HOUSE_SHARDS)
  const out: Record<string, KindSum> = {};
  for (const row of rows) addKinds(out, row.kinds);
  const hot = await ctx.db.query("ledgerRollupShards").collect(); // the unfolded hours only: the fold runs every 5 minutes
  for (const row of hot) if (row.currency === currency) addKinds(out, hotRowKinds(row));
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
export function advisorEarning(
  facts: Pick<PostingFacts, "type" | "moves">,
): { advisorId: Id<"users">; keptCents: number; sessions: number } | null {
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

/** Adds one journal's change to its advisor's hour row (per advisor: as hot as the advisor's own accounts). */
export async function addEarningHour(
  ctx: MutationCtx,
  earning: { advisorId: Id<"users">; keptCents: number; sessions: number },
  at: number,
): Promise<void> {
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
