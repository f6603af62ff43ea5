// Advisor payout accounts (Stripe Connect Express): the advisor's status for the profile page, and the
// internal functions convex/stripeNode.ts uses. `account.updated` webhooks keep the status current
// (convex/model/payoutAccounts.ts). SDK calls live in stripeNode.ts.
import { v } from "convex/values";
import { internalMutation, internalQuery, query } from "./functions";
import { attachPayoutAccount, payoutAccountOf, type PayoutAccountStatus } from "./model/payoutAccounts";

export type PayoutAccountView = {
  status: PayoutAccountStatus;
  /** Only approved advisors can connect an account. */
  canConnect: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  disabledReason: string | null;
  updatedAt: number | null;
};

/** The viewer's payout account status (any applicant may read their own; only advisors can connect). */
export const mine = query({
  permission: "advisor_application:manage_own",
  args: {},
  handler: async (ctx): Promise<PayoutAccountView> => {
    const row = await payoutAccountOf(ctx, ctx.viewer._id);
    return {
      status: row?.status ?? "not_connected",
      canConnect: ctx.viewer.role === "advisor",
      chargesEnabled: row?.chargesEnabled ?? false,
      payoutsEnabled: row?.payoutsEnabled ?? false,
      detailsSubmitted: row?.detailsSubmitted ?? false,
      disabledReason: row?.disabledReason ?? null,
      updatedAt: row?.updatedAt ?? null,
    };
  },
});

export const forUser = internalQuery({
  args: { userId: v.id("users") },
  handler: async (ctx, { userId }) => {
    const row = await payoutAccountOf(ctx, userId);
    return row === null ? null : { accountId: row.accountId, status: row.status };
  },
});

/** Stores the account created by startPayoutOnboarding (once; repeating with the same account is a no-op). */
export const attach = internalMutation({
  args: {
    userId: v.id("users"),
    accountId: v.string(),
    chargesEnabled: v.boolean(),
    payoutsEnabled: v.boolean(),
    detailsSubmitted: v.boolean(),
  },
  handler: async (ctx, { userId, accountId, ...flags }) => {
    const row = await attachPayoutAccount(ctx, userId, accountId, flags);
    return { accountId: row.accountId, status: row.status };
  },
});
