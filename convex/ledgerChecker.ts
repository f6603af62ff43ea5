// The paged ledger checker (issue 22/25): an internal action that walks the ledger one bounded page per transaction
// (journals with their entries, then accounts with theirs, big house accounts in pages of their own), then records
// the run with how many pages and how long it took. The daily cron runs it; `ledger:runChecker` still runs the
// same checks in one transaction for tests and small ledgers.
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { internalAction, internalMutation, internalQuery } from "./functions";
import {
  accountEntriesPage,
  accountsPage,
  emptyState,
  finish,
  journalsPage,
  recordCheckRun,
  type CheckState,
  type LedgerCheckResult,
} from "./model/ledgerChecker";
import { currencyValidator } from "./model/ledgerSchema";

const sumsValidator = v.object({ debitsCents: v.number(), creditsCents: v.number() });
const stateValidator = v.object({
  problems: v.array(v.string()),
  totals: v.record(v.string(), sumsValidator),
  journalsChecked: v.number(),
  entriesViaJournals: v.number(),
  entriesViaAccounts: v.number(),
  accountsChecked: v.number(),
  pages: v.number(),
});
const triggerValidator = v.union(v.literal("cron"), v.literal("manual"), v.literal("internal"));

/** Journals per page (each with its entries: ~5 reads per journal). */
export const JOURNALS_PER_PAGE = 1_000;
/** Accounts per page, and entries read per account before it gets pages of its own. */
export const ACCOUNTS_PER_PAGE = 200;
export const ENTRIES_PER_ACCOUNT = 40;
/** Entries per page of a big account. */
export const ENTRIES_PER_PAGE = 8_000;

export const journalsPageQuery = internalQuery({
  args: { state: stateValidator, cursor: v.union(v.string(), v.null()), numItems: v.number() },
  handler: async (ctx, { state, cursor, numItems }) => await journalsPage(ctx, state, cursor, numItems),
});

export const accountsPageQuery = internalQuery({
  args: {
    state: stateValidator,
    cursor: v.union(v.string(), v.null()),
    numItems: v.number(),
    entriesPerAccount: v.number(),
  },
  handler: async (ctx, { state, cursor, numItems, entriesPerAccount }) =>
    await accountsPage(ctx, state, cursor, numItems, entriesPerAccount),
});

export const accountEntriesPageQuery = internalQuery({
  args: {
    state: stateValidator,
    accountId: v.id("accounts"),
    cursor: v.union(v.string(), v.null()),
    numItems: v.number(),
    sums: v.record(v.string(), sumsValidator),
    count: v.number(),
  },
  handler: async (ctx, { state, ...input }) => await accountEntriesPage(ctx, state, input),
});

export const record = internalMutation({
  args: {
    result: v.object({
      ok: v.boolean(),
      problems: v.array(v.string()),
      journalsChecked: v.number(),
      entriesChecked: v.number(),
      accountsChecked: v.number(),
      totals: v.array(v.object({ currency: currencyValidator, debitsCents: v.number(), creditsCents: v.number() })),
    }),
    trigger: triggerValidator,
    startedAt: v.number(),
    pages: v.number(),
    requestId: v.optional(v.string()),
  },
  handler: async (ctx, args) => await recordCheckRun(ctx, args),
});

type RunResult = LedgerCheckResult & { pages: number; durationMs: number; runId: Id<"ledgerCheckRuns"> };

/** Walks the whole ledger page by page and records the run. Page sizes can be made small (tests). */
export const run = internalAction({
  args: {
    trigger: v.optional(triggerValidator),
    journalsPerPage: v.optional(v.number()),
    accountsPerPage: v.optional(v.number()),
    entriesPerAccount: v.optional(v.number()),
    entriesPerPage: v.optional(v.number()),
    /** Set by the admin's "Run now" (ledger:runCheckerNow): recorded on the run so the page finds its result. */
    requestId: v.optional(v.string()),
  },
  handler: async (ctx, args): Promise<RunResult> => {
    const startedAt = Date.now();
    let state: CheckState = emptyState();
    let cursor: string | null = null;
    for (;;) {
      const page: { state: CheckState; isDone: boolean; continueCursor: string } = await ctx.runQuery(
        internal.ledgerChecker.journalsPageQuery,
        {
          state,
          cursor,
          numItems: args.journalsPerPage ?? JOURNALS_PER_PAGE,
        },
      );
      state = page.state;
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    cursor = null;
    for (;;) {
      const page: { state: CheckState; big: Id<"accounts">[]; isDone: boolean; continueCursor: string } =
        await ctx.runQuery(internal.ledgerChecker.accountsPageQuery, {
          state,
          cursor,
          numItems: args.accountsPerPage ?? ACCOUNTS_PER_PAGE,
          entriesPerAccount: args.entriesPerAccount ?? ENTRIES_PER_ACCOUNT,
        });
      state = page.state;
      for (const accountId of page.big) {
        let entryCursor: string | null = null;
        let sums: Record<string, { debitsCents: number; creditsCents: number }> = {};
        let count = 0;
        for (;;) {
          const part: { state: CheckState; sums: typeof sums; count: number; isDone: boolean; continueCursor: string } =
            await ctx.runQuery(internal.ledgerChecker.accountEntriesPageQuery, {
              state,
              accountId,
              cursor: entryCursor,
              numItems: args.entriesPerPage ?? ENTRIES_PER_PAGE,
              sums,
              count,
            });
          ({ state, sums, count } = part);
          if (part.isDone) break;
          entryCursor = part.continueCursor;
        }
      }
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    const result = finish(state);
    const runId: Id<"ledgerCheckRuns"> = await ctx.runMutation(internal.ledgerChecker.record, {
      result,
      trigger: args.trigger ?? "internal",
      startedAt,
      pages: state.pages,
      ...(args.requestId !== undefined ? { requestId: args.requestId } : {}),
    });
    return { ...result, pages: state.pages, durationMs: Date.now() - startedAt, runId };
  },
});
