// Credit-limit usage (issue 25): maintained, not scanned. Each client wallet with a limit carries its credit state as a
// rank (`accounts.creditRank`: 0 ok, 1 near, 2 over), and `creditLimitTotals` (one row per shard) holds the totals:
// wallets with a limit, Σ limits, Σ used (max(0, −balance)), and how many are near or over. Both change in the
// transaction that changes them: `setCreditLimit` (a limit set, changed or removed) and `postJournal` (a wallet with a
// limit moved). A posting pays only for a wallet with a limit, and only when its used cents or its state change.
// A wallet carries a rank exactly when it is counted in the totals. Wallets with a limit from before this existed have
// none: the first posting or limit change counts them whole, and `creditBackfillStep` (cron) counts the rest. The
// totals are exact once no wallet with a limit lacks a rank (one indexed read says so).
// No imports from ./ledger: it calls in here (the shards are picked by the caller).
import type { PaginationOptions, PaginationResult } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { normalBalance } from "../../lib/ledger/accounts";
import { nearCreditLimit } from "../../lib/reserve";
import type { UserStatus } from "../../lib/rolePermissions";

export const CREDIT_TOTAL_SHARDS = 16;

export type CreditState = "ok" | "near" | "over";
const RANKS: readonly CreditState[] = ["ok", "near", "over"];

export function creditState(usedCents: number, creditLimitCents: number): CreditState {
  if (creditLimitCents <= 0) return usedCents > 0 ? "over" : "ok";
  if (usedCents >= creditLimitCents) return "over";
  if (nearCreditLimit(-usedCents, creditLimitCents)) return "near"; // the reserve page's rule: one definition of "near"
  return "ok";
}

export const stateOfRank = (rank: number): CreditState => RANKS[rank] ?? "ok";

export type CreditTotals = { wallets: number; limitCents: number; usedCents: number; near: number; over: number };
const FIGURES = ["wallets", "limitCents", "usedCents", "near", "over"] as const;
const ZERO: CreditTotals = { wallets: 0, limitCents: 0, usedCents: 0, near: 0, over: 0 };

/** What one wallet adds to the totals: nothing without a limit. `state` defaults to the one its figures give. */
function contribution(limitCents: number, balanceCents: number, state?: CreditState): CreditTotals {
  if (limitCents <= 0) return ZERO;
  const usedCents = Math.max(0, -balanceCents);
  const s = state ?? creditState(usedCents, limitCents);
  return { wallets: 1, limitCents, usedCents, near: s === "near" ? 1 : 0, over: s === "over" ? 1 : 0 };
}

/** What the wallet adds now, as counted: its stored rank (not recomputed) for the state; nothing if not counted. */
function counted(account: Doc<"accounts">, balanceCents: number): CreditTotals {
  if (account.creditRank === undefined) return ZERO;
  return contribution(account.creditLimitCents, balanceCents, stateOfRank(account.creditRank));
}

function rankOf(limitCents: number, balanceCents: number): number | undefined {
  if (limitCents <= 0) return undefined;
  return RANKS.indexOf(creditState(Math.max(0, -balanceCents), limitCents));
}

function minus(a: CreditTotals, b: CreditTotals): CreditTotals {
  return Object.fromEntries(FIGURES.map((f) => [f, a[f] - b[f]])) as CreditTotals;
}

function plus(a: CreditTotals, b: CreditTotals): CreditTotals {
  return Object.fromEntries(FIGURES.map((f) => [f, a[f] + b[f]])) as CreditTotals;
}

async function addTotals(ctx: MutationCtx, shard: number, delta: CreditTotals): Promise<void> {
  if (FIGURES.every((f) => delta[f] === 0)) return;
  const row = await ctx.db
    .query("creditLimitTotals")
    .withIndex("by_shard", (q) => q.eq("shard", shard))
    .unique();
  if (row === null) await ctx.db.insert("creditLimitTotals", { shard, ...delta });
  else await ctx.db.patch("creditLimitTotals", row._id, Object.fromEntries(FIGURES.map((f) => [f, row[f] + delta[f]])));
}

/** A wallet moved by a posting (balance before → after, its limit unchanged): the totals' change and its new rank. */
async function walletMoved(
  ctx: MutationCtx,
  account: Doc<"accounts">,
  beforeCents: number,
  afterCents: number,
  shard: number,
): Promise<void> {
  await addTotals(ctx, shard, minus(contribution(account.creditLimitCents, afterCents), counted(account, beforeCents)));
  const rank = rankOf(account.creditLimitCents, afterCents);
  if (rank !== account.creditRank) await ctx.db.patch("accounts", account._id, { creditRank: rank });
}

type Moved = {
  account: Doc<"accounts">;
  row: Doc<"accountBalances"> | null;
  target: { debitsCents: number; creditsCents: number };
};

/** The moved accounts whose credit-limit totals a posting changes: client wallets with a limit (or a rank). */
export function creditWallets<M extends Moved>(moved: readonly M[]): M[] {
  return moved.filter(
    ({ account }) =>
      account.kind === "client_wallet" && (account.creditLimitCents > 0 || account.creditRank !== undefined),
  );
}

/** postJournal's hook for the wallets creditWallets picked (most postings have none: they skip the call). */
export async function creditPosting(ctx: MutationCtx, wallets: readonly Moved[], shard: number): Promise<void> {
  for (const { account, row, target } of wallets) {
    const beforeCents = row === null ? 0 : normalBalance(account.kind, row.debitsCents, row.creditsCents);
    const afterCents = beforeCents + normalBalance(account.kind, target.debitsCents, target.creditsCents);
    await walletMoved(ctx, account, beforeCents, afterCents, shard % CREDIT_TOTAL_SHARDS);
  }
}

/** setCreditLimit's hook, before it patches the limit: moves the totals and returns the rank to store with it. */
export async function creditLimitChange(
  ctx: MutationCtx,
  account: Doc<"accounts">,
  balanceCents: number,
  creditLimitCents: number,
  shard: number,
): Promise<{ creditRank: number | undefined }> {
  const delta = minus(contribution(creditLimitCents, balanceCents), counted(account, balanceCents));
  await addTotals(ctx, shard % CREDIT_TOTAL_SHARDS, delta);
  return { creditRank: rankOf(creditLimitCents, balanceCents) };
}

const uncountedWallets = (ctx: QueryCtx) =>
  ctx.db
    .query("accounts")
    .withIndex("by_kind_credit_rank", (q) =>
      q.eq("kind", "client_wallet").eq("creditRank", undefined).gt("creditLimitCents", 0),
    );

/** The totals (≤ 16 shard rows + 1 read), and whether they are exact (no wallet with a limit left to count). */
export async function creditTotals(ctx: QueryCtx): Promise<CreditTotals & { exact: boolean }> {
  const rows = await ctx.db.query("creditLimitTotals").withIndex("by_shard").take(CREDIT_TOTAL_SHARDS);
  const totals = rows.reduce((sum: CreditTotals, row) => plus(sum, row), ZERO);
  return { ...totals, exact: (await uncountedWallets(ctx).first()) === null };
}

/** A wallet's balance (client wallets are not sharded: one balance row, shard 0). */
async function walletBalance(ctx: QueryCtx, account: Doc<"accounts">): Promise<number> {
  const row = await ctx.db
    .query("accountBalances")
    .withIndex("by_account_shard", (q) => q.eq("accountId", account._id).eq("shard", 0))
    .unique();
  return row === null ? 0 : normalBalance(account.kind, row.debitsCents, row.creditsCents);
}

/** Counts up to `batch` wallets with a limit and no rank yet (each whole, then ranked). Returns whether more remain. */
export async function creditBackfillStep(ctx: MutationCtx, batch: number): Promise<boolean> {
  const wallets = await uncountedWallets(ctx).take(batch);
  let delta = { ...ZERO };
  for (const account of wallets) {
    const balanceCents = await walletBalance(ctx, account);
    delta = plus(delta, contribution(account.creditLimitCents, balanceCents));
    await ctx.db.patch("accounts", account._id, { creditRank: rankOf(account.creditLimitCents, balanceCents) });
  }
  await addTotals(ctx, 0, delta);
  return wallets.length === batch;
}

export type CreditLimitRow = {
  userId: Id<"users">;
  name: string;
  email: string;
  status: UserStatus;
  creditLimitCents: number;
  balanceCents: number;
  /** How much of the limit is in use (the negative balance, as a positive number). */
  usedCents: number;
  state: CreditState;
};

/** Most wallets one page lists (each costs 3 reads: the account, its user, its balance row). */
export const CREDIT_PAGE_MAX = 100;

/**
 * Client wallets with a limit, a page at a time: over the limit first, then near it, then the rest (the maintained
 * rank), larger limits first within each. Wallets not counted yet (before the backfill) are not listed.
 */
export async function listCreditLimits(
  ctx: QueryCtx,
  paginationOpts: PaginationOptions,
): Promise<PaginationResult<CreditLimitRow>> {
  const numItems = Math.max(1, Math.min(CREDIT_PAGE_MAX, Math.floor(paginationOpts.numItems)));
  const result = await ctx.db
    .query("accounts")
    .withIndex("by_kind_credit_rank", (q) => q.eq("kind", "client_wallet").gte("creditRank", 0))
    .order("desc")
    .paginate({ ...paginationOpts, numItems });
  const page: CreditLimitRow[] = [];
  for (const account of result.page) {
    if (account.ownerId === null) continue;
    const user = await ctx.db.get("users", account.ownerId);
    if (user === null) continue;
    const balanceCents = await walletBalance(ctx, account);
    const usedCents = Math.max(0, -balanceCents);
    page.push({
      userId: user._id,
      name: user.name,
      email: user.email,
      status: user.status,
      creditLimitCents: account.creditLimitCents,
      balanceCents,
      usedCents,
      state: creditState(usedCents, account.creditLimitCents),
    });
  }
  return { ...result, page };
}
