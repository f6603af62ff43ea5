// Advisor payout accounts (Stripe Connect Express): status derivation and the `account.updated` handler used
// by the processor-event dispatcher (convex/model/processorEvents.ts applyProcessorEvent). No money moves here.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";

export type PayoutAccountStatus = "not_connected" | "pending" | "enabled" | "restricted";
export type AccountFlags = {
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  disabledReason?: string;
};

/** enabled: payouts on; pending: onboarding not finished; restricted: submitted but Stripe disabled payouts. */
export function payoutStatusOf(flags: AccountFlags): Exclude<PayoutAccountStatus, "not_connected"> {
  if (flags.payoutsEnabled && flags.detailsSubmitted) return "enabled";
  if (!flags.detailsSubmitted) return "pending";
  return "restricted";
}

export async function payoutAccountOf(ctx: QueryCtx, userId: Id<"users">): Promise<Doc<"payoutAccounts"> | null> {
  return await ctx.db
    .query("payoutAccounts")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .unique();
}

async function byAccountId(ctx: QueryCtx, accountId: string): Promise<Doc<"payoutAccounts"> | null> {
  return await ctx.db
    .query("payoutAccounts")
    .withIndex("by_account", (q) => q.eq("accountId", accountId))
    .unique();
}

/** Stores the advisor's account once (a second call with the same account is a no-op). */
export async function attachPayoutAccount(
  ctx: MutationCtx,
  userId: Id<"users">,
  accountId: string,
  flags: AccountFlags,
): Promise<Doc<"payoutAccounts">> {
  const existing = await payoutAccountOf(ctx, userId);
  if (existing !== null) {
    if (existing.accountId !== accountId)
      throw new Error(`User ${userId} already has payout account ${existing.accountId}`);
    return existing;
  }
  const now = Date.now();
  const id = await ctx.db.insert("payoutAccounts", {
    userId,
    accountId,
    status: payoutStatusOf(flags),
    chargesEnabled: flags.chargesEnabled,
    payoutsEnabled: flags.payoutsEnabled,
    detailsSubmitted: flags.detailsSubmitted,
    ...(flags.disabledReason ? { disabledReason: flags.disabledReason } : {}),
    createdAt: now,
    updatedAt: now,
  });
  return (await ctx.db.get("payoutAccounts", id))!;
}

export function flagsOf(obj: Record<string, unknown>): AccountFlags {
  const requirements = (obj.requirements ?? {}) as Record<string, unknown>;
  const reason = requirements.disabled_reason;
  return {
    chargesEnabled: obj.charges_enabled === true,
    payoutsEnabled: obj.payouts_enabled === true,
    detailsSubmitted: obj.details_submitted === true,
    ...(typeof reason === "string" && reason !== "" ? { disabledReason: reason } : {}),
  };
}

export type AccountUpdatedResult = { outcome: "processed"; note?: string } | { outcome: "unmatched"; note: string };

/**
 * `account.updated`: records charges/payouts enabled and details submitted on the advisor's row. Matched by
 * account id, or by `metadata.userId` when the event overtook the action that stores the account. Events
 * older than the last applied one change nothing. Unknown accounts are reported to the caller (alerted).
 */
export async function applyAccountUpdated(
  ctx: MutationCtx,
  event: { id: string; created: number },
  obj: Record<string, unknown>,
): Promise<AccountUpdatedResult> {
  const accountId = typeof obj.id === "string" ? obj.id : "";
  const flags = flagsOf(obj);
  let row = accountId ? await byAccountId(ctx, accountId) : null;
  if (row === null) {
    const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
    const userId = typeof metadata.userId === "string" ? ctx.db.normalizeId("users", metadata.userId) : null;
    const user = userId === null ? null : await ctx.db.get("users", userId);
    if (user === null || user.role !== "advisor" || (await payoutAccountOf(ctx, user._id)) !== null) {
      return {
        outcome: "unmatched",
        note: `Payout account ${accountId || "(no id)"} was updated but belongs to no advisor; nothing changed.`,
      };
    }
    row = await attachPayoutAccount(ctx, user._id, accountId, flags);
  }
  if (row.lastEventCreated !== undefined && event.created < row.lastEventCreated) {
    return { outcome: "processed", note: "Older than the last applied account.updated; not applied." };
  }
  const status = payoutStatusOf(flags);
  await ctx.db.patch("payoutAccounts", row._id, {
    status,
    chargesEnabled: flags.chargesEnabled,
    payoutsEnabled: flags.payoutsEnabled,
    detailsSubmitted: flags.detailsSubmitted,
    disabledReason: flags.disabledReason,
    lastEventCreated: event.created,
    lastEventId: event.id,
    updatedAt: Date.now(),
  });
  return { outcome: "processed", note: `Payout account ${status}.` };
}
