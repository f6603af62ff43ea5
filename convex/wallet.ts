// The signed-in client's wallet: live balance and readable history, straight from the ledger.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { query } from "./functions";
import { fail } from "./model/errors";
import { findAccount, walletSummary } from "./model/ledger";
import { walletLineTitle } from "../lib/ledger/history";
import { DEFAULT_CURRENCY } from "../lib/money";

/** `{balanceCents, creditLimitCents, availableCents, currency}`; zeros before the first top-up. */
export const getMyWallet = query({
  permission: "wallet:read_own",
  args: {},
  handler: async (ctx) => await walletSummary(ctx, ctx.viewer._id),
});

/**
 * Wallet lines, newest first: signed amount (+ money in, - money out) and a readable title naming the advisor
 * and the session's day on the viewer's clock (`tzOffsetMinutes` east of UTC, default UTC).
 */
export const listMyHistory = query({
  permission: "wallet:read_own",
  args: { paginationOpts: paginationOptsValidator, tzOffsetMinutes: v.optional(v.number()) },
  handler: async (ctx, { paginationOpts, tzOffsetMinutes = 0 }) => {
    if (!Number.isInteger(tzOffsetMinutes) || Math.abs(tzOffsetMinutes) > 14 * 60)
      fail("INVALID_ARGUMENT", "The time zone offset must be whole minutes within ±14 hours.");
    const account = await findAccount(ctx, {
      kind: "client_wallet",
      ownerId: ctx.viewer._id,
      currency: DEFAULT_CURRENCY,
    });
    if (account === null) return { page: [], isDone: true, continueCursor: "" };
    const page = await ctx.db
      .query("entries")
      .withIndex("by_account", (q) => q.eq("accountId", account._id))
      .order("desc")
      .paginate(paginationOpts);
    const lines = await Promise.all(
      page.page.map(async (entry) => {
        const journal = await ctx.db.get("journals", entry.journalId);
        let session = null;
        if (journal?.sessionId !== undefined) {
          const doc = await ctx.db.get("sessions", journal.sessionId);
          if (doc !== null) {
            const advisor = await ctx.db.get("users", doc.advisorId);
            session = {
              kind: doc.kind,
              advisorName: advisor?.name ?? "Former advisor",
              billableSeconds: doc.billableSeconds ?? null,
              at: doc.startedAt ?? doc.endedAt ?? doc.requestedAt,
            };
          }
        }
        return {
          _id: entry._id,
          journalId: entry.journalId,
          type: entry.journalType,
          at: entry.createdAt,
          title: walletLineTitle(entry.journalType, {
            session,
            disputed: journal?.disputeId !== undefined,
            tzOffsetMinutes,
          }),
          amountCents: entry.creditCents - entry.debitCents,
          currency: entry.currency,
          sessionId: journal?.sessionId ?? null,
        };
      }),
    );
    return { ...page, page: lines };
  },
});
