// Ledger: internal posting entry points, the checker, and the admin explorer queries.
import { paginationOptsValidator, type PaginationResult } from "convex/server";
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./functions";
import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import type { MutationCtx } from "./_generated/server";
import { fail } from "./model/errors";
import { writeAudit } from "./model/users";
import { enforceRateLimit } from "./model/rateLimits";
import { checkLedger, houseShardCount, journalLegs, postDraft, type LedgerCheckResult } from "./model/ledger";
import { recordCheckRun } from "./model/ledgerChecker";
import { newRequestId, scheduledJobProgress } from "./model/backgroundJobs";
import { accountRow, journalRow, ownerName, type JournalRow } from "./model/ledgerExplorer";
import { journalRefsValidator, ledgerEventValidator, postEvent as postLedgerEvent } from "./model/ledgerEvents";
import { accountKindValidator, journalTypeValidator } from "./model/ledgerSchema";
import { CHART_OF_ACCOUNTS } from "../lib/ledger/accounts";
import { reversal } from "../lib/ledger/templates";

// Posting (internal: other modules call the model directly; these serve the seed, tests and bench)

/** Posts one business event through its template. Same key + same event = no-op replay. */
export const postEvent = internalMutation({
  args: {
    event: ledgerEventValidator,
    idempotencyKey: v.string(),
    refs: v.optional(journalRefsValidator),
    actorId: v.optional(v.union(v.id("users"), v.null())),
    memo: v.optional(v.string()),
  },
  handler: async (ctx, args) => await postLedgerEvent(ctx, args),
});

/** Posts several events in one transaction (all or nothing). */
export const postEvents = internalMutation({
  args: {
    items: v.array(
      v.object({ event: ledgerEventValidator, idempotencyKey: v.string(), refs: v.optional(journalRefsValidator) }),
    ),
  },
  handler: async (ctx, { items }) => {
    const out = [];
    for (const item of items) out.push(await postLedgerEvent(ctx, item));
    return out;
  },
});

/** Correction: posts the mirror of a journal, referencing it. Floors still apply. */
export const reverseJournal = internalMutation({
  args: {
    journalId: v.id("journals"),
    idempotencyKey: v.string(),
    memo: v.string(),
    actorId: v.optional(v.union(v.id("users"), v.null())),
  },
  handler: async (ctx, { journalId, idempotencyKey, memo, actorId }) => {
    const journal = await ctx.db.get("journals", journalId);
    if (journal === null) fail("NOT_FOUND", "That journal does not exist.");
    const legs = await journalLegs(ctx, journalId);
    return await postDraft(ctx, () => reversal(legs), {
      idempotencyKey,
      memo,
      actorId: actorId ?? null,
      refs: { reversesJournalId: journalId, ...(journal.sessionId ? { sessionId: journal.sessionId } : {}) },
    });
  },
});

// Checker

async function runAndRecord(
  ctx: MutationCtx,
  trigger: "cron" | "manual" | "internal",
): Promise<LedgerCheckResult & { runId: Id<"ledgerCheckRuns"> }> {
  const startedAt = Date.now();
  const result = await checkLedger(ctx);
  const runId = await recordCheckRun(ctx, { result, trigger, startedAt, pages: 1 });
  return { ...result, runId };
}

/** Runs the whole checker in one transaction (tests, bench, small ledgers); the daily cron runs the paged ledgerChecker:run. */
export const runChecker = internalMutation({
  args: { trigger: v.optional(v.union(v.literal("cron"), v.literal("internal"))) },
  handler: async (ctx, { trigger }) => await runAndRecord(ctx, trigger ?? "internal"),
});

/**
 * "Run now" on the Ledger health page: starts the paged checker (ledgerChecker:run, one bounded page per
 * transaction, like the daily cron) instead of reading the whole ledger in this mutation. The page follows the
 * run with ledger:checkRequest; the result is the ledgerCheckRuns row recorded with this request id.
 */
export const runCheckerNow = mutation({
  permission: "admin:ledger",
  args: {},
  // Annotated: the scheduler call references the generated API, which would otherwise infer this type from itself.
  handler: async (ctx): Promise<{ requestId: string; jobId: string }> => {
    // Each run walks the whole ledger: one admin cannot start them back to back.
    await enforceRateLimit(ctx, "ledgerCheckRun", ctx.viewer._id);
    const requestId = newRequestId(ctx.viewer._id);
    const jobId = await ctx.scheduler.runAfter(0, internal.ledgerChecker.run, { trigger: "manual", requestId });
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: "ledger.check_run",
      targetTable: "_scheduled_functions",
      targetId: jobId,
      details: "paged check started",
    });
    return { requestId, jobId: jobId as string };
  },
});

/** Where a "Run now" request is: queued, running, failed (the job's error) or done (with its recorded run). */
export const checkRequest = query({
  permission: "admin:ledger",
  args: { requestId: v.string(), jobId: v.string() },
  handler: async (ctx, { requestId, jobId }) => {
    const run = await ctx.db
      .query("ledgerCheckRuns")
      .withIndex("by_request", (q) => q.eq("requestId", requestId))
      .first();
    if (run !== null) return { status: "done" as const, run, error: null };
    return { ...(await scheduledJobProgress(ctx, jobId, "check")), run: null };
  },
});

/** Latest checker run, recent runs and recent ledger alerts. */
export const health = query({
  permission: "admin:ledger",
  args: {},
  handler: async (ctx) => {
    const runs = await ctx.db.query("ledgerCheckRuns").withIndex("by_started").order("desc").take(10);
    const alerts = await ctx.db
      .query("alerts")
      .withIndex("by_kind", (q) => q.eq("kind", "ledger_check"))
      .order("desc")
      .take(10);
    return { latest: runs[0] ?? null, runs, alerts, houseShards: houseShardCount() };
  },
});

// Explorer

/** Accounts with live balances (house totals sum their shards), optionally one kind or one owner. */
export const listAccounts = query({
  permission: "admin:ledger",
  args: {
    paginationOpts: paginationOptsValidator,
    kind: v.optional(accountKindValidator),
    ownerId: v.optional(v.id("users")),
  },
  handler: async (ctx, { paginationOpts, kind, ownerId }) => {
    const base = ctx.db.query("accounts");
    const page =
      ownerId !== undefined
        ? await base.withIndex("by_owner", (q) => q.eq("ownerId", ownerId)).paginate(paginationOpts)
        : kind !== undefined
          ? await base.withIndex("by_kind_owner_currency", (q) => q.eq("kind", kind)).paginate(paginationOpts)
          : await base.withIndex("by_kind_owner_currency").paginate(paginationOpts);
    return { ...page, page: await Promise.all(page.page.map((account) => accountRow(ctx, account))) };
  },
});

export const getAccount = query({
  permission: "admin:ledger",
  args: { accountId: v.id("accounts") },
  handler: async (ctx, { accountId }) => {
    const account = await ctx.db.get("accounts", accountId);
    return account === null ? null : await accountRow(ctx, account);
  },
});

const referenceKindValidator = v.union(
  v.literal("session"),
  v.literal("payout"),
  v.literal("dispute"),
  v.literal("processor_event"),
  v.literal("reverses"),
  v.literal("idempotency_key"),
);

const EMPTY_PAGE: PaginationResult<JournalRow> = { page: [], isDone: true, continueCursor: "" };

/**
 * Journals, newest first. Filters: type, account (its entries, optionally of one type), reference
 * (session/payout/dispute/processor event/reversed journal/idempotency key), date range (createdAt ms).
 * Precedence when combined: reference, then account (+type), then type. Every branch is one index range.
 */
export const listJournals = query({
  permission: "admin:ledger",
  args: {
    paginationOpts: paginationOptsValidator,
    type: v.optional(journalTypeValidator),
    accountId: v.optional(v.id("accounts")),
    reference: v.optional(v.object({ kind: referenceKindValidator, value: v.string() })),
    fromMs: v.optional(v.number()),
    toMs: v.optional(v.number()),
  },
  handler: async (
    ctx,
    { paginationOpts, type, accountId, reference, fromMs, toMs },
  ): Promise<PaginationResult<JournalRow>> => {
    const from = fromMs ?? 0;
    const to = toMs ?? Number.MAX_SAFE_INTEGER;
    if (reference !== undefined) {
      const value = reference.value.trim();
      if (value === "") return EMPTY_PAGE;
      const journals = ctx.db.query("journals");
      let page: PaginationResult<Doc<"journals">>;
      switch (reference.kind) {
        case "session": {
          const sessionId = ctx.db.normalizeId("sessions", value);
          if (sessionId === null) return EMPTY_PAGE;
          page = await journals
            .withIndex("by_session", (q) => q.eq("sessionId", sessionId).gte("createdAt", from).lte("createdAt", to))
            .order("desc")
            .paginate(paginationOpts);
          break;
        }
        case "reverses": {
          const journalId = ctx.db.normalizeId("journals", value);
          if (journalId === null) return EMPTY_PAGE;
          page = await journals
            .withIndex("by_reverses", (q) =>
              q.eq("reversesJournalId", journalId).gte("createdAt", from).lte("createdAt", to),
            )
            .order("desc")
            .paginate(paginationOpts);
          break;
        }
        case "payout":
          page = await journals
            .withIndex("by_payout", (q) => q.eq("payoutId", value).gte("createdAt", from).lte("createdAt", to))
            .order("desc")
            .paginate(paginationOpts);
          break;
        case "dispute":
          page = await journals
            .withIndex("by_dispute", (q) => q.eq("disputeId", value).gte("createdAt", from).lte("createdAt", to))
            .order("desc")
            .paginate(paginationOpts);
          break;
        case "processor_event":
          page = await journals
            .withIndex("by_processor_event", (q) =>
              q.eq("processorEventId", value).gte("createdAt", from).lte("createdAt", to),
            )
            .order("desc")
            .paginate(paginationOpts);
          break;
        case "idempotency_key":
          page = await journals.withIndex("by_key", (q) => q.eq("idempotencyKey", value)).paginate(paginationOpts);
          break;
      }
      return { ...page, page: page.page.map((journal) => journalRow(journal)) };
    }
    if (accountId !== undefined) {
      const entries = ctx.db.query("entries");
      const page =
        type !== undefined
          ? await entries
              .withIndex("by_account_type", (q) =>
                q.eq("accountId", accountId).eq("journalType", type).gte("createdAt", from).lte("createdAt", to),
              )
              .order("desc")
              .paginate(paginationOpts)
          : await entries
              .withIndex("by_account", (q) => q.eq("accountId", accountId).gte("createdAt", from).lte("createdAt", to))
              .order("desc")
              .paginate(paginationOpts);
      const rows: JournalRow[] = [];
      for (const entry of page.page) {
        const journal = await ctx.db.get("journals", entry.journalId);
        if (journal !== null) rows.push(journalRow(journal, entry));
      }
      return { ...page, page: rows };
    }
    const page =
      type !== undefined
        ? await ctx.db
            .query("journals")
            .withIndex("by_type_created", (q) => q.eq("type", type).gte("createdAt", from).lte("createdAt", to))
            .order("desc")
            .paginate(paginationOpts)
        : await ctx.db
            .query("journals")
            .withIndex("by_created", (q) => q.gte("createdAt", from).lte("createdAt", to))
            .order("desc")
            .paginate(paginationOpts);
    return { ...page, page: page.page.map((journal) => journalRow(journal)) };
  },
});

/** One journal with its entries, the accounts they hit, what it reverses and what reversed it. */
export const getJournal = query({
  permission: "admin:ledger",
  // A string, not v.id: ids arrive from URLs (?journal=), and a malformed one is simply "not found".
  args: { journalId: v.string() },
  handler: async (ctx, args) => {
    const journalId = ctx.db.normalizeId("journals", args.journalId);
    if (journalId === null) return null;
    const journal = await ctx.db.get("journals", journalId);
    if (journal === null) return null;
    const entries = await ctx.db
      .query("entries")
      .withIndex("by_journal", (q) => q.eq("journalId", journalId))
      .collect();
    const entryRows = await Promise.all(
      entries.map(async (entry) => {
        const account = await ctx.db.get("accounts", entry.accountId);
        return {
          _id: entry._id,
          accountId: entry.accountId,
          accountKind: account?.kind ?? null,
          accountLabel: account ? CHART_OF_ACCOUNTS[account.kind].label : "Missing account",
          ownerName: account ? await ownerName(ctx, account.ownerId) : null,
          shard: entry.shard,
          currency: entry.currency,
          debitCents: entry.debitCents,
          creditCents: entry.creditCents,
        };
      }),
    );
    const reversedBy = await ctx.db
      .query("journals")
      .withIndex("by_reverses", (q) => q.eq("reversesJournalId", journalId))
      .take(10);
    let session = null;
    if (journal.sessionId !== undefined) {
      const doc = await ctx.db.get("sessions", journal.sessionId);
      if (doc !== null) {
        session = {
          _id: doc._id,
          kind: doc.kind,
          status: doc.status,
          clientName: (await ownerName(ctx, doc.clientId)) ?? "",
          advisorName: (await ownerName(ctx, doc.advisorId)) ?? "",
          billableSeconds: doc.billableSeconds ?? null,
          costCents: doc.costCents ?? null,
        };
      }
    }
    return {
      journal: journalRow(journal),
      actorName: await ownerName(ctx, journal.actorId),
      shard: journal.shard,
      entries: entryRows,
      reversedBy: reversedBy.map((j) => ({ _id: j._id, type: j.type, createdAt: j.createdAt })),
      session,
      // disputeId is a session dispute's id or a processor (chargeback) dispute id; only the first has a page.
      sessionDisputeId:
        journal.disputeId === undefined ? null : ctx.db.normalizeId("sessionDisputes", journal.disputeId),
    };
  },
});
