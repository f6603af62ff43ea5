// Rows of the admin ledger explorer (convex/ledger.ts): an account with its live balance and owner, a journal with
// its references (and, with an account filter, its movement on that account).
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { accountBalance } from "./ledger";
import { CHART_OF_ACCOUNTS } from "../../lib/ledger/accounts";
import { JOURNAL_TYPE_LABELS, type JournalType } from "../../lib/ledger/legs";

export async function ownerName(ctx: QueryCtx, ownerId: Id<"users"> | null): Promise<string | null> {
  if (ownerId === null) return null;
  const user = await ctx.db.get("users", ownerId);
  return user?.name ?? "Deleted user";
}

export async function accountRow(ctx: QueryCtx, account: Doc<"accounts">) {
  const balance = await accountBalance(ctx, account);
  const shardRows = account.sharded
    ? (
        await ctx.db
          .query("accountBalances")
          .withIndex("by_account_shard", (q) => q.eq("accountId", account._id))
          .collect()
      ).length
    : 1;
  return {
    _id: account._id,
    kind: account.kind,
    label: CHART_OF_ACCOUNTS[account.kind].label,
    ownerId: account.ownerId,
    ownerName: await ownerName(ctx, account.ownerId),
    currency: account.currency,
    normalSide: account.normalSide,
    floorCents: account.floorCents,
    creditLimitCents: account.creditLimitCents,
    sharded: account.sharded,
    shardRows,
    ...balance,
  };
}

export type JournalRow = {
  _id: Id<"journals">;
  type: JournalType;
  typeLabel: string;
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  memo: string;
  createdAt: number;
  sessionId: Id<"sessions"> | null;
  payoutId: string | null;
  disputeId: string | null;
  processorEventId: string | null;
  reversesJournalId: Id<"journals"> | null;
  /** With an account filter: this journal's movement on that account. */
  accountDebitCents: number | null;
  accountCreditCents: number | null;
};

export function journalRow(journal: Doc<"journals">, entry?: Doc<"entries">): JournalRow {
  return {
    _id: journal._id,
    type: journal.type,
    typeLabel: JOURNAL_TYPE_LABELS[journal.type],
    idempotencyKey: journal.idempotencyKey,
    amountCents: journal.amountCents,
    currency: journal.currency,
    memo: journal.memo,
    createdAt: journal.createdAt,
    sessionId: journal.sessionId ?? null,
    payoutId: journal.payoutId ?? null,
    disputeId: journal.disputeId ?? null,
    processorEventId: journal.processorEventId ?? null,
    reversesJournalId: journal.reversesJournalId ?? null,
    accountDebitCents: entry ? entry.debitCents : null,
    accountCreditCents: entry ? entry.creditCents : null,
  };
}
