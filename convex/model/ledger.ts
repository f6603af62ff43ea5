// The ledger: the ONE posting function every money movement goes through, balance readers and the checker.
// Journals and entries are only inserted here, never patched or deleted (corrections are reversal journals).
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import { fail } from "./errors";
import {
  CHART_OF_ACCOUNTS,
  accountKey,
  floorFor,
  normalBalance,
  type AccountKind,
  type AccountRef,
} from "../../lib/ledger/accounts";
import {
  isJournalType,
  legsProblem,
  legsSignature,
  totalsByCurrency,
  type JournalType,
  type Leg,
  type PostingDraft,
} from "../../lib/ledger/legs";
import { DEFAULT_CURRENCY, MoneyError, formatMoney, type Currency } from "../../lib/money";
import { countedMove, firstMove, isAdvisorSale, recordPosting, type AccountMove } from "./rollups";
import type { Carrier } from "./rollupBuckets";
import { CREDIT_TOTAL_SHARDS, creditLimitChange, creditPosting, creditWallets } from "./creditLimits";

export type UserId = Id<"users">;
export type LedgerLeg = Leg<UserId>;
export type LedgerDraft = PostingDraft<UserId>;

export type JournalRefs = {
  sessionId?: Id<"sessions">;
  payoutId?: string;
  disputeId?: string;
  processorEventId?: string;
  reversesJournalId?: Id<"journals">;
};

export type PostJournalInput = {
  type: JournalType;
  idempotencyKey: string;
  legs: LedgerLeg[];
  refs?: JournalRefs;
  actorId?: UserId | null;
  memo?: string;
  /** Only for seeding history; defaults to now. */
  createdAt?: number;
};

export type PostJournalResult = { journalId: Id<"journals">; replayed: boolean };

// ---------------------------------------------------------------------------------------------
// Sharding
// ---------------------------------------------------------------------------------------------

export const DEFAULT_HOUSE_SHARDS = 16;
const MAX_HOUSE_SHARDS = 1024;

/** LEDGER_HOUSE_SHARDS (default 16): how many balance rows each hot house account is split into. */
export function houseShardCount(): number {
  const raw = env.LEDGER_HOUSE_SHARDS;
  if (raw === undefined || raw === "") return DEFAULT_HOUSE_SHARDS;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_HOUSE_SHARDS) return DEFAULT_HOUSE_SHARDS;
  return n;
}

/** FNV-1a 32-bit hash of the idempotency key, mod the shard count. */
export function shardForKey(idempotencyKey: string, shards = houseShardCount()): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < idempotencyKey.length; i++) {
    hash ^= idempotencyKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

// ---------------------------------------------------------------------------------------------
// Accounts and balances
// ---------------------------------------------------------------------------------------------

export async function findAccount(ctx: QueryCtx, ref: AccountRef<UserId>): Promise<Doc<"accounts"> | null> {
  return await ctx.db
    .query("accounts")
    .withIndex("by_kind_owner_currency", (q) =>
      q.eq("kind", ref.kind).eq("ownerId", ref.ownerId).eq("currency", ref.currency),
    )
    .unique();
}

/** The balance row of one shard of an account, or null before its first journal. */
async function findBalanceRow(
  ctx: QueryCtx,
  accountId: Id<"accounts">,
  shard: number,
): Promise<Doc<"accountBalances"> | null> {
  return await ctx.db
    .query("accountBalances")
    .withIndex("by_account_shard", (q) => q.eq("accountId", accountId).eq("shard", shard))
    .unique();
}

async function createAccount(ctx: MutationCtx, ref: AccountRef<UserId>, now: number): Promise<Doc<"accounts">> {
  const spec = CHART_OF_ACCOUNTS[ref.kind];
  const id = await ctx.db.insert("accounts", {
    kind: ref.kind,
    ownerId: ref.ownerId,
    currency: ref.currency,
    normalSide: spec.normalSide,
    floorCents: floorFor(ref.kind, 0),
    creditLimitCents: 0,
    sharded: spec.sharded,
    createdAt: now,
  });
  const account = await ctx.db.get("accounts", id);
  if (account === null) fail("INTERNAL", "Account was not created.");
  return account;
}

/** The account, created on first use. */
export async function ensureAccount(ctx: MutationCtx, ref: AccountRef<UserId>): Promise<Doc<"accounts">> {
  return (await findAccount(ctx, ref)) ?? (await createAccount(ctx, ref, Date.now()));
}

export type Balance = { debitsCents: number; creditsCents: number; balanceCents: number };

/** Total over every shard row of an account. For house accounts: admin pages and the checker only. */
export async function accountBalance(ctx: QueryCtx, account: Doc<"accounts">): Promise<Balance> {
  const rows = await ctx.db
    .query("accountBalances")
    .withIndex("by_account_shard", (q) => q.eq("accountId", account._id))
    .collect();
  let debitsCents = 0;
  let creditsCents = 0;
  for (const row of rows) {
    debitsCents += row.debitsCents;
    creditsCents += row.creditsCents;
  }
  return { debitsCents, creditsCents, balanceCents: normalBalance(account.kind, debitsCents, creditsCents) };
}

/** Balance of an account by reference; zero when it does not exist yet. */
export async function balanceOf(ctx: QueryCtx, ref: AccountRef<UserId>): Promise<Balance> {
  const account = await findAccount(ctx, ref);
  if (account === null) return { debitsCents: 0, creditsCents: 0, balanceCents: 0 };
  return await accountBalance(ctx, account);
}

export type WalletSummary = {
  balanceCents: number;
  creditLimitCents: number;
  availableCents: number;
  currency: Currency;
};

/** A client's wallet: balance, credit limit and what can be spent (balance + credit limit). */
export async function walletSummary(
  ctx: QueryCtx,
  clientId: UserId,
  currency: Currency = DEFAULT_CURRENCY,
): Promise<WalletSummary> {
  const account = await findAccount(ctx, { kind: "client_wallet", ownerId: clientId, currency });
  if (account === null) return { balanceCents: 0, creditLimitCents: 0, availableCents: 0, currency };
  const { balanceCents } = await accountBalance(ctx, account);
  return {
    balanceCents,
    creditLimitCents: account.creditLimitCents,
    availableCents: balanceCents + account.creditLimitCents,
    currency,
  };
}

/** Sets a client's credit limit (wallet floor = -limit). Refused if the wallet is already below the new floor. */
export async function setCreditLimit(ctx: MutationCtx, clientId: UserId, creditLimitCents: number): Promise<void> {
  if (!Number.isSafeInteger(creditLimitCents) || creditLimitCents < 0) {
    fail("INVALID_ARGUMENT", "The credit limit must be a non-negative whole number of cents.");
  }
  const account = await ensureAccount(ctx, { kind: "client_wallet", ownerId: clientId, currency: DEFAULT_CURRENCY });
  const { balanceCents } = await accountBalance(ctx, account);
  if (balanceCents < -creditLimitCents) {
    fail("CONFLICT", `The wallet is at ${formatMoney(balanceCents)}; the credit limit cannot be lower than that.`);
  }
  const shard = shardForKey(account._id, CREDIT_TOTAL_SHARDS);
  const rank = await creditLimitChange(ctx, account, balanceCents, creditLimitCents, shard);
  await ctx.db.patch("accounts", account._id, {
    creditLimitCents,
    floorCents: floorFor("client_wallet", creditLimitCents),
    ...rank,
  });
}

// ---------------------------------------------------------------------------------------------
// Posting
// ---------------------------------------------------------------------------------------------

const MAX_KEY_LENGTH = 200;
const MAX_MEMO_LENGTH = 500;
const MAX_LEGS = 50;

function insufficientMessage(kind: AccountKind, availableCents: number, neededCents: number): string {
  if (kind === "client_wallet") {
    return `Not enough funds in the wallet: ${formatMoney(availableCents)} available, ${formatMoney(neededCents)} needed.`;
  }
  const label = CHART_OF_ACCOUNTS[kind].label.toLowerCase();
  return `Not enough in ${label}: ${formatMoney(availableCents)} available, ${formatMoney(neededCents)} needed.`;
}

/**
 * Posts one balanced journal. Asserts: at least two legs; every amount a positive safe integer; debits =
 * credits per currency; account currencies match; no account ends below its floor; idempotency (same key +
 * same legs returns the first journal and writes nothing; same key + different legs is CONFLICT).
 * Every check runs before the first write, so a rejected posting writes nothing (and the mutation rolls
 * back anyway). Accounts are created on first use. Hot house accounts write to one shard row chosen by a
 * hash of the idempotency key; no house total is read here.
 */
export async function postJournal(ctx: MutationCtx, input: PostJournalInput): Promise<PostJournalResult> {
  const { type, idempotencyKey, legs } = input;
  if (!isJournalType(type)) fail("INVALID_ARGUMENT", `Unknown journal type: ${String(type)}.`);
  if (typeof idempotencyKey !== "string" || idempotencyKey.trim() === "" || idempotencyKey.length > MAX_KEY_LENGTH) {
    fail("INVALID_ARGUMENT", `An idempotency key of 1 to ${MAX_KEY_LENGTH} characters is required.`);
  }
  const memo = input.memo ?? "";
  if (memo.length > MAX_MEMO_LENGTH) fail("INVALID_ARGUMENT", `The memo is limited to ${MAX_MEMO_LENGTH} characters.`);
  if (!Array.isArray(legs) || legs.length > MAX_LEGS)
    fail("INVALID_ARGUMENT", `A journal has at most ${MAX_LEGS} legs.`);
  for (const leg of legs) {
    const spec = CHART_OF_ACCOUNTS[leg.account.kind];
    if (spec === undefined) fail("INVALID_ARGUMENT", `Unknown account kind: ${String(leg.account.kind)}.`);
    if ((spec.owner === null) !== (leg.account.ownerId === null)) {
      fail("INVALID_ARGUMENT", `${leg.account.kind} ${spec.owner === null ? "has no owner" : "needs an owner"}.`);
    }
  }
  const problem = legsProblem(legs);
  if (problem !== null) fail("INVALID_ARGUMENT", problem);
  const signature = legsSignature(legs);

  // Idempotency: the first journal with this key wins.
  const existing = await ctx.db
    .query("journals")
    .withIndex("by_key", (q) => q.eq("idempotencyKey", idempotencyKey))
    .unique();
  if (existing !== null) {
    if (existing.type === type && existing.legsSignature === signature)
      return { journalId: existing._id, replayed: true };
    fail("CONFLICT", `Idempotency key "${idempotencyKey}" was already used for a different ${existing.type} journal.`);
  }

  // Resolve accounts (read only) and net the legs per account.
  const now = input.createdAt ?? Date.now();
  const houseShard = shardForKey(idempotencyKey);
  type Target = { ref: AccountRef<UserId>; account: Doc<"accounts"> | null; debitsCents: number; creditsCents: number };
  const targets = new Map<string, Target>();
  for (const leg of legs) {
    const key = accountKey(leg.account);
    let target = targets.get(key);
    if (target === undefined) {
      target = { ref: leg.account, account: await findAccount(ctx, leg.account), debitsCents: 0, creditsCents: 0 };
      targets.set(key, target);
    }
    if (target.account !== null && target.account.currency !== leg.account.currency) {
      fail(
        "INVALID_ARGUMENT",
        `Account ${key} is in ${target.account.currency}, the leg is in ${leg.account.currency}.`,
      );
    }
    if (leg.side === "debit") target.debitsCents += leg.amountCents;
    else target.creditsCents += leg.amountCents;
  }

  // Floors: only accounts with a floor are read (never the sharded house accounts, which are unbounded).
  const balanceRows = new Map<string, Doc<"accountBalances"> | null>();
  for (const [key, target] of targets) {
    const floor = target.account?.floorCents ?? floorFor(target.ref.kind, 0);
    if (floor === null) continue;
    const delta = normalBalance(target.ref.kind, target.debitsCents, target.creditsCents);
    const row = target.account === null ? null : await findBalanceRow(ctx, target.account._id, 0);
    balanceRows.set(key, row);
    if (delta >= 0) continue; // a journal that adds to an account never breaks its floor
    const current = row === null ? 0 : normalBalance(target.ref.kind, row.debitsCents, row.creditsCents);
    if (current + delta < floor) {
      fail("INSUFFICIENT_FUNDS", insufficientMessage(target.ref.kind, Math.max(0, current - floor), -delta));
    }
  }

  // All checks passed: write.
  const currencies = Object.keys(totalsByCurrency(legs)) as Currency[];
  const currency = currencies[0] ?? DEFAULT_CURRENCY;
  const refs = input.refs ?? {};
  const amountCents = totalsByCurrency(legs)[currency]!.debitsCents;
  const journalId = await ctx.db.insert("journals", {
    type,
    idempotencyKey,
    legsSignature: signature,
    currency,
    amountCents,
    ...(refs.sessionId !== undefined ? { sessionId: refs.sessionId } : {}),
    ...(refs.payoutId !== undefined ? { payoutId: refs.payoutId } : {}),
    ...(refs.disputeId !== undefined ? { disputeId: refs.disputeId } : {}),
    ...(refs.processorEventId !== undefined ? { processorEventId: refs.processorEventId } : {}),
    ...(refs.reversesJournalId !== undefined ? { reversesJournalId: refs.reversesJournalId } : {}),
    actorId: input.actorId ?? null,
    memo,
    shard: houseShard,
    createdAt: now,
    rolledUp: true,
  });

  // Each account's move (before any balance write), then the rollups: their current-hour buckets go into the same
  // balance row writes (one write per row; see rollupBuckets.ts).
  const moves: AccountMove[] = [];
  const carriers: (Carrier & { shard: number; target: Target })[] = [];
  for (const [key, target] of targets) {
    const account = target.account ?? (await createAccount(ctx, target.ref, now));
    target.account = account;
    const shard = account.sharded ? houseShard : 0;
    const row = balanceRows.has(key) ? balanceRows.get(key)! : await findBalanceRow(ctx, account._id, shard);
    moves.push(
      countedMove(account, target, row) ??
        (await firstMove(ctx, account, target, row, () => accountBalance(ctx, account))),
    );
    carriers.push({ account, row, shard, target });
  }
  const advisorSale = isAdvisorSale({ type, sessionId: refs.sessionId });
  const facts = { type, currency, amountCents, shard: houseShard, at: now, advisorSale, moves };
  const buckets = await recordPosting(ctx, facts, carriers);
  const limited = creditWallets(carriers); // wallets with a credit limit: usage totals and state
  if (limited.length > 0) await creditPosting(ctx, limited, houseShard);
  for (const { account, row, shard, target } of carriers) {
    const { debitsCents, creditsCents } = target;
    const fields = buckets.get(account._id) ?? {};
    if (row === null)
      await ctx.db.insert("accountBalances", { accountId: account._id, shard, debitsCents, creditsCents, ...fields });
    else
      await ctx.db.patch("accountBalances", row._id, {
        debitsCents: row.debitsCents + debitsCents,
        creditsCents: row.creditsCents + creditsCents,
        ...fields,
      });
  }

  for (const leg of legs) {
    const account = targets.get(accountKey(leg.account))!.account!;
    await ctx.db.insert("entries", {
      journalId,
      journalType: type,
      accountId: account._id,
      shard: account.sharded ? houseShard : 0,
      currency: leg.account.currency,
      debitCents: leg.side === "debit" ? leg.amountCents : 0,
      creditCents: leg.side === "credit" ? leg.amountCents : 0,
      createdAt: now,
    });
  }
  return { journalId, replayed: false };
}

/** Runs a template and posts its draft; template errors (bad amounts) become INVALID_ARGUMENT. */
export async function postDraft(
  ctx: MutationCtx,
  build: () => LedgerDraft,
  input: Omit<PostJournalInput, "type" | "legs">,
): Promise<PostJournalResult> {
  let draft: LedgerDraft;
  try {
    draft = build();
  } catch (error) {
    if (error instanceof MoneyError) fail("INVALID_ARGUMENT", error.message);
    throw error;
  }
  return await postJournal(ctx, { ...input, type: draft.type, legs: draft.legs });
}

/** Legs of a posted journal, as templates produce them (for reversals and conflict checks). */
export async function journalLegs(ctx: QueryCtx, journalId: Id<"journals">): Promise<LedgerLeg[]> {
  const entries = await ctx.db
    .query("entries")
    .withIndex("by_journal", (q) => q.eq("journalId", journalId))
    .collect();
  const legs: LedgerLeg[] = [];
  for (const entry of entries) {
    const account = await ctx.db.get("accounts", entry.accountId);
    if (account === null) fail("INTERNAL", "Entry without account.");
    const ref = { kind: account.kind, ownerId: account.ownerId, currency: account.currency };
    legs.push(
      entry.debitCents > 0
        ? { account: ref, side: "debit", amountCents: entry.debitCents }
        : { account: ref, side: "credit", amountCents: entry.creditCents },
    );
  }
  return legs;
}

// The checker lives in ./ledgerChecker (paged, within a transaction's read limits); re-exported for callers.
export { checkLedger, type LedgerCheckResult } from "./ledgerChecker";

// Alerts (and their fan-out to every admin) live in ./alerts; re-exported for the existing callers.
export { raiseAlert } from "./alerts";
