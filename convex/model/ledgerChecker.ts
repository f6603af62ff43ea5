// The ledger checker: every journal balances per currency (>= 2 well-formed entries, amount = its debits); total
// debits = total credits per currency; each materialized balance row equals the sum of its entries; no account is
// below its floor. It walks the ledger in pages (convex/ledgerChecker.ts chains them in an internal action), each page
// a bounded read well inside a transaction's limits (~16k documents / 8 MiB): journals with their entries, then
// accounts with theirs; an account with more entries than one page holds (a house account) gets pages of its own.
// checkLedger(ctx) runs the same checks in one transaction (tests, small ledgers, the legacy runChecker mutation).
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { raiseAlert } from "./alerts";
import { normalBalance } from "../../lib/ledger/accounts";
import type { Currency } from "../../lib/money";

export type LedgerCheckResult = {
  ok: boolean;
  problems: string[];
  journalsChecked: number;
  entriesChecked: number;
  accountsChecked: number;
  totals: { currency: Currency; debitsCents: number; creditsCents: number }[];
};

type Sums = { debitsCents: number; creditsCents: number };
const MAX_PROBLEMS = 50;
const MAX_LEGS_READ = 51;

/** What carries from page to page (small: totals, counters and the capped problem list). */
export type CheckState = {
  problems: string[];
  totals: Record<string, Sums>;
  journalsChecked: number;
  /** Entries seen through their journals and through their accounts: a difference means orphan entries. */
  entriesViaJournals: number;
  entriesViaAccounts: number;
  accountsChecked: number;
  pages: number;
};

export function emptyState(): CheckState {
  return {
    problems: [],
    totals: {},
    journalsChecked: 0,
    entriesViaJournals: 0,
    entriesViaAccounts: 0,
    accountsChecked: 0,
    pages: 0,
  };
}

function report(state: CheckState, message: string): void {
  if (state.problems.length < MAX_PROBLEMS) state.problems.push(message);
  else if (state.problems.length === MAX_PROBLEMS) state.problems.push("… more problems not shown");
}

function add(into: Sums, debitsCents: number, creditsCents: number): void {
  into.debitsCents += debitsCents;
  into.creditsCents += creditsCents;
}

/** Checks one journal against its entries (read by the caller through the by_journal index). */
export async function checkJournal(
  ctx: QueryCtx,
  state: CheckState,
  journal: Doc<"journals">,
  entries: Doc<"entries">[],
  accounts: Map<string, Doc<"accounts"> | null>,
) {
  state.journalsChecked++;
  state.entriesViaJournals += entries.length;
  const perCurrency = new Map<string, Sums>();
  for (const entry of entries) {
    const where = `entry ${entry._id} (journal ${entry.journalId})`;
    const oneSided =
      Number.isSafeInteger(entry.debitCents) &&
      Number.isSafeInteger(entry.creditCents) &&
      ((entry.debitCents > 0 && entry.creditCents === 0) || (entry.creditCents > 0 && entry.debitCents === 0));
    if (!oneSided)
      report(
        state,
        `${where}: needs exactly one positive whole-cent side (debit ${entry.debitCents}, credit ${entry.creditCents}).`,
      );
    if (!accounts.has(entry.accountId)) accounts.set(entry.accountId, await ctx.db.get("accounts", entry.accountId));
    const account = accounts.get(entry.accountId);
    if (!account) report(state, `${where}: account ${entry.accountId} does not exist.`);
    else if (account.currency !== entry.currency)
      report(state, `${where}: currency ${entry.currency} on a ${account.currency} account.`);
    const sums = perCurrency.get(entry.currency) ?? { debitsCents: 0, creditsCents: 0 };
    add(sums, entry.debitCents, entry.creditCents);
    perCurrency.set(entry.currency, sums);
    const total = (state.totals[entry.currency] ??= { debitsCents: 0, creditsCents: 0 });
    add(total, entry.debitCents, entry.creditCents);
  }
  if (entries.length < 2) {
    report(
      state,
      `journal ${journal._id} (${journal.type}, key ${journal.idempotencyKey}) has ${entries.length} entries; needs at least 2.`,
    );
    return;
  }
  for (const [currency, sums] of perCurrency) {
    if (sums.debitsCents !== sums.creditsCents) {
      report(
        state,
        `journal ${journal._id} (${journal.type}) does not balance in ${currency}: debits ${sums.debitsCents}, credits ${sums.creditsCents}.`,
      );
    }
  }
  const main = perCurrency.get(journal.currency);
  if (main !== undefined && main.debitsCents !== journal.amountCents) {
    report(
      state,
      `journal ${journal._id} says ${journal.amountCents} but its ${journal.currency} debits are ${main.debitsCents}.`,
    );
  }
}

export async function entriesOfJournal(ctx: QueryCtx, journalId: Id<"journals">): Promise<Doc<"entries">[]> {
  return await ctx.db
    .query("entries")
    .withIndex("by_journal", (q) => q.eq("journalId", journalId))
    .take(MAX_LEGS_READ);
}

/** Per-shard sums of an account's entries so far (an account checked over several pages carries this). */
export type ShardSums = Record<string, Sums>;

export function addEntries(into: ShardSums, entries: Doc<"entries">[]): ShardSums {
  for (const entry of entries)
    add((into[String(entry.shard)] ??= { debitsCents: 0, creditsCents: 0 }), entry.debitCents, entry.creditCents);
  return into;
}

/** Compares an account's balance rows with the sums of all its entries, and its floor. */
export async function finishAccount(
  ctx: QueryCtx,
  state: CheckState,
  account: Doc<"accounts">,
  fromEntries: ShardSums,
  entryCount: number,
) {
  state.accountsChecked++;
  state.entriesViaAccounts += entryCount;
  const rows = await ctx.db
    .query("accountBalances")
    .withIndex("by_account_shard", (q) => q.eq("accountId", account._id))
    .take(1100); // at most one row per house shard (LEDGER_HOUSE_SHARDS <= 1024)
  const total = { debitsCents: 0, creditsCents: 0 };
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(String(row.shard));
    const sums = fromEntries[String(row.shard)] ?? { debitsCents: 0, creditsCents: 0 };
    if (row.debitsCents !== sums.debitsCents || row.creditsCents !== sums.creditsCents) {
      report(
        state,
        `balance of account ${account._id} shard ${row.shard} is ${row.debitsCents}/${row.creditsCents} (Dr/Cr) but its entries sum to ${sums.debitsCents}/${sums.creditsCents}.`,
      );
    }
    add(total, row.debitsCents, row.creditsCents);
  }
  for (const shard of Object.keys(fromEntries)) {
    if (!seen.has(shard)) report(state, `account shard ${account._id}|${shard} has entries but no balance row.`);
  }
  if (account.floorCents !== null) {
    const balance = normalBalance(account.kind, total.debitsCents, total.creditsCents);
    if (balance < account.floorCents)
      report(
        state,
        `account ${account._id} (${account.kind}) is at ${balance}, below its floor ${account.floorCents}.`,
      );
  }
}

/** The end of a run: totals balance, orphan entries, the result. */
export function finish(state: CheckState): LedgerCheckResult {
  for (const [currency, t] of Object.entries(state.totals)) {
    if (t.debitsCents !== t.creditsCents) {
      report(
        state,
        `${currency}: total debits ${t.debitsCents} != total credits ${t.creditsCents} (off by ${t.debitsCents - t.creditsCents}).`,
      );
    }
  }
  if (state.entriesViaAccounts !== state.entriesViaJournals) {
    report(
      state,
      `${state.entriesViaAccounts} entries belong to accounts but ${state.entriesViaJournals} to journals: some entries point at a missing journal or account.`,
    );
  }
  return {
    ok: state.problems.length === 0,
    problems: state.problems,
    journalsChecked: state.journalsChecked,
    entriesChecked: Math.max(state.entriesViaJournals, state.entriesViaAccounts),
    accountsChecked: state.accountsChecked,
    totals: Object.entries(state.totals).map(([currency, t]) => ({ currency: currency as Currency, ...t })),
  };
}

/**
 * The whole check in one transaction. Reads everything (each table once, grouped in memory): for tests and small
 * ledgers; the cron uses the paged action.
 */
export async function checkLedger(ctx: QueryCtx): Promise<LedgerCheckResult> {
  const state = emptyState();
  const accounts = new Map<string, Doc<"accounts"> | null>();
  for (const account of await ctx.db.query("accounts").collect()) accounts.set(account._id, account);
  const byJournal = new Map<string, Doc<"entries">[]>();
  const byAccount = new Map<string, Doc<"entries">[]>();
  for (const entry of await ctx.db.query("entries").collect()) {
    const ofJournal = byJournal.get(entry.journalId) ?? [];
    const ofAccount = byAccount.get(entry.accountId) ?? [];
    ofJournal.push(entry);
    ofAccount.push(entry);
    byJournal.set(entry.journalId, ofJournal);
    byAccount.set(entry.accountId, ofAccount);
  }
  const known = new Map(accounts);
  for (const journal of await ctx.db.query("journals").collect()) {
    await checkJournal(ctx, state, journal, byJournal.get(journal._id) ?? [], accounts);
  }
  for (const account of known.values()) {
    if (account === null) continue;
    const entries = byAccount.get(account._id) ?? [];
    await finishAccount(ctx, state, account, addEntries({}, entries), entries.length);
  }
  state.pages = 1;
  return finish(state);
}

// ---------------------------------------------------------------------------------------------
// Pages (each one internal query; convex/ledgerChecker.ts runs them in order from an action)
// ---------------------------------------------------------------------------------------------

/** One page of journals (creation order) with their entries. */
export async function journalsPage(ctx: QueryCtx, state: CheckState, cursor: string | null, numItems: number) {
  const page = await ctx.db.query("journals").paginate({ cursor, numItems });
  const accounts = new Map<string, Doc<"accounts"> | null>();
  for (const journal of page.page)
    await checkJournal(ctx, state, journal, await entriesOfJournal(ctx, journal._id), accounts);
  state.pages++;
  return { state, isDone: page.isDone, continueCursor: page.continueCursor };
}

/**
 * One page of accounts; each one's entries are read up to `entriesPerAccount`. Accounts with more are returned in
 * `big` for accountEntriesPage (their own pages), so no page reads more than numItems × entriesPerAccount entries.
 */
export async function accountsPage(
  ctx: QueryCtx,
  state: CheckState,
  cursor: string | null,
  numItems: number,
  entriesPerAccount: number,
) {
  const page = await ctx.db.query("accounts").paginate({ cursor, numItems });
  const big: Id<"accounts">[] = [];
  for (const account of page.page) {
    const entries = await ctx.db
      .query("entries")
      .withIndex("by_account", (q) => q.eq("accountId", account._id))
      .take(entriesPerAccount + 1);
    if (entries.length > entriesPerAccount) big.push(account._id);
    else await finishAccount(ctx, state, account, addEntries({}, entries), entries.length);
  }
  state.pages++;
  return { state, big, isDone: page.isDone, continueCursor: page.continueCursor };
}

/** One page of a big account's entries, added to its running per-shard sums; the last page checks the account. */
export async function accountEntriesPage(
  ctx: QueryCtx,
  state: CheckState,
  input: { accountId: Id<"accounts">; cursor: string | null; numItems: number; sums: ShardSums; count: number },
) {
  const page = await ctx.db
    .query("entries")
    .withIndex("by_account", (q) => q.eq("accountId", input.accountId))
    .paginate({ cursor: input.cursor, numItems: input.numItems });
  const sums = addEntries(input.sums, page.page);
  const count = input.count + page.page.length;
  state.pages++;
  if (page.isDone) {
    const account = await ctx.db.get("accounts", input.accountId);
    if (account !== null) await finishAccount(ctx, state, account, sums, count);
  }
  return { state, sums, count, isDone: page.isDone, continueCursor: page.continueCursor };
}

/** Records a run (ledgerCheckRuns) and raises a critical alert when it failed. */
export async function recordCheckRun(
  ctx: MutationCtx,
  input: {
    result: LedgerCheckResult;
    trigger: "cron" | "manual" | "internal";
    startedAt: number;
    pages: number;
    requestId?: string;
  },
): Promise<Id<"ledgerCheckRuns">> {
  const { result } = input;
  const runId = await ctx.db.insert("ledgerCheckRuns", {
    ok: result.ok,
    trigger: input.trigger,
    journalsChecked: result.journalsChecked,
    entriesChecked: result.entriesChecked,
    accountsChecked: result.accountsChecked,
    problems: result.problems,
    totals: result.totals,
    startedAt: input.startedAt,
    durationMs: Date.now() - input.startedAt,
    pages: input.pages,
    ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
  });
  if (!result.ok) {
    await raiseAlert(ctx, {
      kind: "ledger_check",
      severity: "critical",
      message: `Ledger check failed with ${result.problems.length} problem(s): ${result.problems[0] ?? ""}`,
      details: result.problems.join("\n"),
    });
  }
  return runId;
}
