// Ledger tables (double entry, append-only), spread into convex/schema.ts.
// Journals and entries are only ever inserted; balances are materialized per (account, shard).
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { ACCOUNT_KINDS, type AccountKind } from "../../lib/ledger/accounts";
import { JOURNAL_TYPES, type JournalType } from "../../lib/ledger/legs";
import { CURRENCIES, type Currency } from "../../lib/money";
import { earningBucketValidator, hourBucketValidator, packedBucketValidator } from "./rollupValidators";

export function literalUnion<T extends string>(values: readonly T[]) {
  const [a, b, ...rest] = values.map((value) => v.literal(value));
  return v.union(a!, b!, ...rest);
}

export const accountKindValidator = literalUnion<AccountKind>(ACCOUNT_KINDS);
export const journalTypeValidator = literalUnion<JournalType>(JOURNAL_TYPES);
export const currencyValidator = literalUnion<Currency>(CURRENCIES);
export const sideValidator = v.union(v.literal("debit"), v.literal("credit"));
export const alertSeverityValidator = v.union(v.literal("info"), v.literal("warning"), v.literal("critical"));

export const ledgerTables = {
  /** One per (kind, owner, currency), created on first use. */
  accounts: defineTable({
    kind: accountKindValidator,
    /** The client or advisor who owns it; null for house accounts. */
    ownerId: v.union(v.id("users"), v.null()),
    currency: currencyValidator,
    normalSide: sideValidator,
    /** Lowest allowed normal-side balance; null = unbounded (house accounts). */
    floorCents: v.union(v.number(), v.null()),
    /** Client wallets only: how far below zero the wallet may go (floor = -creditLimitCents). */
    creditLimitCents: v.number(),
    /** Balance split into shard rows (hot house accounts). */
    sharded: v.boolean(),
    createdAt: v.number(),
    /** Counted in ledgerKindTotals (issue 25): set by the first posting after the rollups existed, or by the backfill. */
    inTotals: v.optional(v.boolean()),
    /** Client wallets with a limit, once counted in creditLimitTotals: 0 ok, 1 near, 2 over (model/creditLimits.ts). */
    creditRank: v.optional(v.number()),
  })
    .index("by_kind_owner_currency", ["kind", "ownerId", "currency"])
    .index("by_in_totals", ["inTotals"])
    .index("by_owner", ["ownerId"])
    /** Credit-limits list (over, near, ok; larger limits first) and the wallets with a limit not counted yet. */
    .index("by_kind_credit_rank", ["kind", "creditRank", "creditLimitCents"]),

  /** Credit-limit usage totals, one row per shard (issue 25, model/creditLimits.ts); the page adds the rows up. */
  creditLimitTotals: defineTable({
    shard: v.number(),
    wallets: v.number(),
    limitCents: v.number(),
    usedCents: v.number(),
    near: v.number(),
    over: v.number(),
  }).index("by_shard", ["shard"]),

  /** Materialized balance of one shard of an account (non-sharded accounts have shard 0 only). */
  accountBalances: defineTable({
    accountId: v.id("accounts"),
    shard: v.number(),
    debitsCents: v.number(),
    creditsCents: v.number(),
    /** House shard rows: this hour's rollups of the journals posted on this shard (issue 25, rollupBuckets.ts). */
    hourSums: v.optional(packedBucketValidator),
    /** The same bucket in its first, plain form: moved to its hot row by the shard's next posting. */
    rollup: v.optional(hourBucketValidator),
    /** Advisor account rows: what the advisor keeps this hour (issue 25, rollupBuckets.ts). */
    earning: v.optional(earningBucketValidator),
  }).index("by_account_shard", ["accountId", "shard"]),

  /** One per business event. Never updated or deleted; corrections are reversal journals. */
  journals: defineTable({
    type: journalTypeValidator,
    idempotencyKey: v.string(),
    /** Order-independent text form of the legs (lib/ledger legsSignature), for idempotent replay. */
    legsSignature: v.string(),
    currency: currencyValidator,
    /** Sum of the debits (= sum of the credits). */
    amountCents: v.number(),
    sessionId: v.optional(v.id("sessions")),
    payoutId: v.optional(v.string()),
    disputeId: v.optional(v.string()),
    processorEventId: v.optional(v.string()),
    reversesJournalId: v.optional(v.id("journals")),
    actorId: v.union(v.id("users"), v.null()),
    memo: v.string(),
    /** House shard this journal's house legs went to. */
    shard: v.number(),
    createdAt: v.number(),
    /** Posted with its rollups (issue 25); journals without it are the backfill's (convex/rollups.ts). */
    rolledUp: v.optional(v.boolean()),
  })
    .index("by_key", ["idempotencyKey"])
    .index("by_rolled_up", ["rolledUp"])
    .index("by_created", ["createdAt"])
    .index("by_type_created", ["type", "createdAt"])
    .index("by_session", ["sessionId", "createdAt"])
    .index("by_payout", ["payoutId", "createdAt"])
    .index("by_dispute", ["disputeId", "createdAt"])
    .index("by_processor_event", ["processorEventId", "createdAt"])
    .index("by_reverses", ["reversesJournalId", "createdAt"]),

  /** One side of a journal on one account: exactly one of debitCents / creditCents is > 0. */
  entries: defineTable({
    journalId: v.id("journals"),
    journalType: journalTypeValidator,
    accountId: v.id("accounts"),
    shard: v.number(),
    currency: currencyValidator,
    debitCents: v.number(),
    creditCents: v.number(),
    createdAt: v.number(),
  })
    .index("by_journal", ["journalId"])
    .index("by_account", ["accountId", "createdAt"])
    .index("by_account_type", ["accountId", "journalType", "createdAt"]),

  /** Ledger checker runs (cron, manual, tests). */
  ledgerCheckRuns: defineTable({
    ok: v.boolean(),
    trigger: v.union(v.literal("cron"), v.literal("manual"), v.literal("internal")),
    journalsChecked: v.number(),
    entriesChecked: v.number(),
    accountsChecked: v.number(),
    problems: v.array(v.string()),
    totals: v.array(v.object({ currency: currencyValidator, debitsCents: v.number(), creditsCents: v.number() })),
    startedAt: v.number(),
    durationMs: v.number(),
    /** Transactions the paged checker used (convex/ledgerChecker.ts); absent for one-transaction runs. */
    pages: v.optional(v.number()),
    /** The admin's "Run now" request this run answers (ledger:runCheckerNow → ledger:checkRequest). */
    requestId: v.optional(v.string()),
  })
    .index("by_started", ["startedAt"])
    .index("by_request", ["requestId"]),

  /** Admin alerts (ledger checker failures, dead-lettered outbox rows, ...). */
  alerts: defineTable({
    kind: v.string(),
    severity: alertSeverityValidator,
    message: v.string(),
    details: v.optional(v.string()),
    createdAt: v.number(),
    resolvedAt: v.optional(v.number()),
    /** Set when an admin acknowledges (resolves) the alert: their note and id. */
    ackNote: v.optional(v.string()),
    ackBy: v.optional(v.id("users")),
  })
    .index("by_created", ["createdAt"])
    .index("by_kind", ["kind", "createdAt"])
    .index("by_resolved", ["resolvedAt", "createdAt"])
    .index("by_kind_resolved", ["kind", "resolvedAt", "createdAt"]),
};
