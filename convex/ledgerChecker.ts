// The paged ledger checker (issue 22/25): an internal action that walks the ledger one bounded page per transaction
// (journals with their entries, then accounts with theirs, big house accounts in pages of their own), then records
// the run with how many pages and how long it took. The daily cron runs it; `ledger:runChecker` still runs the
// same checks in one transaction for tests and small ledgers.
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import type { ActionCtx } from "./_generated/server";
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
import { SLICE_MS } from "./model/backgroundJobs";

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

/** Journals per page (each with its entries: ~5 reads per journal). 1,000 came near the 1 s limit at scale. */
export const JOURNALS_PER_PAGE = 250;
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

/** Where a run is: the journals phase, then the accounts phase (with the big accounts of the current page). */
const positionValidator = v.object({
  phase: v.union(v.literal("journals"), v.literal("accounts"), v.literal("done")),
  cursor: v.union(v.string(), v.null()),
  /** The last accounts page has been read (its big accounts may still be walking). */
  accountsDone: v.boolean(),
  /** Big accounts of the current accounts page still to walk; the first one is in progress. */
  big: v.array(v.id("accounts")),
  entryCursor: v.union(v.string(), v.null()),
  sums: v.record(v.string(), sumsValidator),
  count: v.number(),
});
type Position = typeof positionValidator.type;
const START: Position = {
  phase: "journals",
  cursor: null,
  accountsDone: false,
  big: [],
  entryCursor: null,
  sums: {},
  count: 0,
};

const pageSizes = {
  journalsPerPage: v.optional(v.number()),
  accountsPerPage: v.optional(v.number()),
  entriesPerAccount: v.optional(v.number()),
  entriesPerPage: v.optional(v.number()),
};
type PageSizes = { [K in keyof typeof pageSizes]?: number };

/** Reads the next page at `position` (one bounded query) and returns the new state and position. */
async function nextPage(
  ctx: ActionCtx,
  sizes: PageSizes,
  state: CheckState,
  position: Position,
): Promise<{ state: CheckState; position: Position }> {
  if (position.phase === "journals") {
    const page: { state: CheckState; isDone: boolean; continueCursor: string } = await ctx.runQuery(
      internal.ledgerChecker.journalsPageQuery,
      { state, cursor: position.cursor, numItems: sizes.journalsPerPage ?? JOURNALS_PER_PAGE },
    );
    return {
      state: page.state,
      position: page.isDone ? { ...START, phase: "accounts" } : { ...position, cursor: page.continueCursor },
    };
  }
  const [accountId, ...laterBig] = position.big;
  if (accountId !== undefined) {
    const part: {
      state: CheckState;
      sums: Position["sums"];
      count: number;
      isDone: boolean;
      continueCursor: string;
    } = await ctx.runQuery(internal.ledgerChecker.accountEntriesPageQuery, {
      state,
      accountId,
      cursor: position.entryCursor,
      numItems: sizes.entriesPerPage ?? ENTRIES_PER_PAGE,
      sums: position.sums,
      count: position.count,
    });
    return {
      state: part.state,
      position: part.isDone
        ? { ...position, big: laterBig, entryCursor: null, sums: {}, count: 0 }
        : { ...position, entryCursor: part.continueCursor, sums: part.sums, count: part.count },
    };
  }
  const page: { state: CheckState; big: Id<"accounts">[]; isDone: boolean; continueCursor: string } =
    await ctx.runQuery(internal.ledgerChecker.accountsPageQuery, {
      state,
      cursor: position.cursor,
      numItems: sizes.accountsPerPage ?? ACCOUNTS_PER_PAGE,
      entriesPerAccount: sizes.entriesPerAccount ?? ENTRIES_PER_ACCOUNT,
    });
  return {
    state: page.state,
    position: { ...position, cursor: page.continueCursor, big: page.big, accountsDone: page.isDone },
  };
}

/**
 * Walks the whole ledger page by page and records the run; after SLICE_MS (`sliceMs` in tests) it schedules itself
 * to go on from where it is and returns null. Page sizes can be made small (tests).
 */
export const run = internalAction({
  args: {
    trigger: v.optional(triggerValidator),
    ...pageSizes,
    sliceMs: v.optional(v.number()),
    /** Set by the admin's "Run now" (ledger:runCheckerNow): recorded on the run so the page finds its result. */
    requestId: v.optional(v.string()),
    /** Set by the run itself when it continues in a new action. */
    resume: v.optional(v.object({ state: stateValidator, position: positionValidator, startedAt: v.number() })),
  },
  handler: async (ctx, args): Promise<RunResult | null> => {
    const sliceStartedAt = Date.now();
    const startedAt = args.resume?.startedAt ?? sliceStartedAt;
    let state: CheckState = args.resume?.state ?? emptyState();
    let position: Position = args.resume?.position ?? START;
    while (position.phase !== "done") {
      ({ state, position } = await nextPage(ctx, args, state, position));
      if (position.phase === "accounts" && position.accountsDone && position.big.length === 0)
        position = { ...position, phase: "done" };
      if (position.phase !== "done" && Date.now() - sliceStartedAt >= (args.sliceMs ?? SLICE_MS)) {
        await ctx.scheduler.runAfter(0, internal.ledgerChecker.run, {
          ...args,
          resume: { state, position, startedAt },
        });
        return null;
      }
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
