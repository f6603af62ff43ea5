// Maintained totals (issue 25): the fold cron and the backfill of data posted before the rollups existed.
// Both run from the same internal mutation, every 5 minutes and again at once while work remains, so a deployment
// with existing data gets its rollups on its own (or now: `npx convex run rollups:fold`).
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { MutationCtx } from "./_generated/server";
import { internalMutation } from "./functions";
import { accountBalance } from "./model/ledger";
import { addEarningHour, advisorEarning } from "./model/rollupBuckets";
import {
  FOLD_BATCH,
  addAdvisorMargin,
  addKindTotals,
  foldHours,
  hourOf,
  isAdvisorSale,
  journalSums,
  kindDeltas,
  mergeSums,
  type AccountMove,
} from "./model/rollups";
import { normalBalance } from "../lib/ledger/accounts";

/** Rows per backfill step (journals with their entries; accounts with their balance rows). */
const BACKFILL_BATCH = 200;

/** A move with no amounts, counted (the backfill of journals adds sums, not kind totals). */
const NO_MOVE = {
  debitsCents: 0,
  creditsCents: 0,
  beforeDr: 0,
  beforeCr: 0,
  beforeCents: null,
  counted: true,
} as const;

/** Journals posted before the rollups: added to the hour rows (folded later), advisor margin and earning rows. Static set: paged by cursor. */
async function backfillJournals(ctx: MutationCtx, batch: number): Promise<boolean> {
  const state = await ctx.db
    .query("rollupBackfills")
    .withIndex("by_job", (q) => q.eq("job", "journals"))
    .unique();
  if (state?.done === true) return false;
  const page = await ctx.db
    .query("journals")
    .withIndex("by_rolled_up", (q) => q.eq("rolledUp", undefined))
    .paginate({ cursor: state?.cursor ?? null, numItems: batch });
  for (const journal of page.page) {
    const entries = await ctx.db
      .query("entries")
      .withIndex("by_journal", (q) => q.eq("journalId", journal._id))
      .take(51);
    // Net per account, as postJournal sees its targets.
    const byAccount = new Map<string, AccountMove>();
    for (const entry of entries) {
      const account = await ctx.db.get("accounts", entry.accountId);
      if (account === null) continue;
      const move = byAccount.get(account._id) ?? { ...NO_MOVE, kind: account.kind, ownerId: account.ownerId };
      move.debitsCents += entry.debitCents;
      move.creditsCents += entry.creditCents;
      byAccount.set(account._id, move);
    }
    const moves = [...byAccount.values()];
    const sums = journalSums({ type: journal.type, amountCents: journal.amountCents, moves });
    const advisorId = moves.find((m) => m.kind.startsWith("advisor_") && m.ownerId !== null)?.ownerId ?? null;
    const hourStart = hourOf(journal.createdAt);
    const hot = await ctx.db
      .query("ledgerRollupShards")
      .withIndex("by_hour_currency_shard", (q) =>
        q.eq("hourStart", hourStart).eq("currency", journal.currency).eq("shard", journal.shard),
      )
      .unique();
    // Into `bs`, not `sums`: a hot row's kind totals come from its postings' sums, and these journals' accounts
    // enter the kind totals whole (backfillAccounts). Older rows (with `kinds`) never derive, so `sums` is fine there.
    if (hot === null)
      await ctx.db.insert("ledgerRollupShards", {
        hourStart,
        currency: journal.currency,
        shard: journal.shard,
        sums: {},
        bs: sums,
      });
    else if (hot.kinds !== undefined)
      await ctx.db.patch("ledgerRollupShards", hot._id, { sums: mergeSums({ ...hot.sums }, sums) });
    else await ctx.db.patch("ledgerRollupShards", hot._id, { bs: mergeSums({ ...(hot.bs ?? {}) }, sums) });
    const earning = advisorEarning({ type: journal.type, moves });
    if (earning !== null) await addEarningHour(ctx, earning, journal.createdAt);
    if (isAdvisorSale(journal) && advisorId !== null)
      await addAdvisorMargin(ctx, advisorId, journal.currency, journal.createdAt, sums);
  }
  const row = {
    job: "journals",
    cursor: page.continueCursor,
    done: page.isDone,
    processed: (state?.processed ?? 0) + page.page.length,
    updatedAt: Date.now(),
  };
  if (state === null) await ctx.db.insert("rollupBackfills", row);
  else await ctx.db.replace("rollupBackfills", state._id, row);
  return !page.isDone;
}

/** Accounts not yet in the kind totals: added whole and marked (a posting may also do it first; OCC orders them). */
async function backfillAccounts(ctx: MutationCtx, batch: number): Promise<boolean> {
  const accounts = await ctx.db
    .query("accounts")
    .withIndex("by_in_totals", (q) => q.eq("inTotals", undefined))
    .take(batch + 1);
  for (const account of accounts.slice(0, batch)) {
    const balance = await accountBalance(ctx, account);
    const move: AccountMove = {
      kind: account.kind,
      ownerId: account.ownerId,
      debitsCents: 0,
      creditsCents: 0,
      beforeDr: balance.debitsCents,
      beforeCr: balance.creditsCents,
      beforeCents: account.sharded ? null : normalBalance(account.kind, balance.debitsCents, balance.creditsCents),
      counted: false,
    };
    await addKindTotals(ctx, account.currency, 0, kindDeltas([move]));
    await ctx.db.patch("accounts", account._id, { inTotals: true });
  }
  return accounts.length > batch;
}

/** Folds completed hours into day rows and runs one step of each backfill; reschedules itself while work remains. */
export const fold = internalMutation({
  args: { batch: v.optional(v.number()) },
  handler: async (ctx, { batch }) => {
    const folded = await foldHours(ctx, Date.now(), batch ?? FOLD_BATCH);
    const more = [
      folded.more,
      await backfillJournals(ctx, batch ?? BACKFILL_BATCH),
      await backfillAccounts(ctx, batch ?? BACKFILL_BATCH),
    ].some(Boolean);
    if (more) await ctx.scheduler.runAfter(0, internal.rollups.fold, batch === undefined ? {} : { batch });
    return { folded: folded.folded, more };
  },
});
