"use node";
// Reconciliation: the ledger's processor_cash versus the processor's own balance (`stripe.balance.retrieve()`,
// the local processor reports its own). Daily from convex/crons.ts, or "Reconcile now" by an admin.
// Also sums what the platform owes, page by page (bounded transactions), for the day's reserve snapshot.
import Stripe from "stripe";
import { v } from "convex/values";
import { action, internalAction } from "./functions";
import { internal } from "./_generated/api";
import { env, type ActionCtx } from "./_generated/server";
import type { Id } from "./_generated/dataModel";
import { stripeSettings } from "../lib/payments/config";
import { DEFAULT_CURRENCY } from "../lib/money";
import type { ReserveFigures } from "../lib/reserve";
import {
  LIABILITY_KINDS,
  figureField,
  injectedProcessorBalance,
  type NearLimitClient,
  type ProcessorBalanceSource,
} from "./model/ops";

function stripeBalance(): ProcessorBalanceSource {
  const settings = stripeSettings(env);
  const stripe = new Stripe(settings.secretKey, settings.sdkOptions);
  return {
    mode: settings.mode,
    async retrieveBalanceCents(currency) {
      const balance = await stripe.balance.retrieve();
      const c = currency.toLowerCase();
      let total = 0;
      for (const part of [...balance.available, ...balance.pending]) if (part.currency === c) total += part.amount;
      return total;
    },
  };
}

type Outcome = {
  runId: Id<"reconciliationRuns">;
  driftCents: number | null;
  alerted: boolean;
  status: "healthy" | "warning" | "critical";
};

async function reconcile(
  ctx: ActionCtx,
  trigger: "cron" | "manual" | "internal",
  actorId: Id<"users"> | null,
): Promise<Outcome> {
  const startedAt = Date.now();
  // The ledger and the processor are read as close together as possible.
  const { ledgerCashCents } = await ctx.runQuery(internal.ops.reconciliationInputs, {});
  let processorMode = "unknown";
  let processorBalanceCents: number | null = null;
  let error: string | null = null;
  try {
    const source = injectedProcessorBalance() ?? stripeBalance();
    processorMode = source.mode;
    processorBalanceCents = await source.retrieveBalanceCents(DEFAULT_CURRENCY);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }

  const figures: ReserveFigures = {
    processorCashCents: ledgerCashCents,
    clientWalletsCents: 0,
    advisorPendingCents: 0,
    advisorAvailableCents: 0,
    advisorInTransitCents: 0,
  };
  let accountsCounted = 0;
  const nearLimit: NearLimitClient[] = [];
  for (const kind of LIABILITY_KINDS) {
    let cursor: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof sumPage>> = await sumPage(ctx, kind, cursor);
      figures[figureField(kind)] += page.sumCents;
      accountsCounted += page.counted;
      if (nearLimit.length < 200) nearLimit.push(...page.nearLimit.slice(0, 200 - nearLimit.length));
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
  }
  return await ctx.runMutation(internal.ops.recordReconciliation, {
    trigger,
    actorId,
    processorMode,
    processorBalanceCents,
    error,
    ledgerCashCents,
    figures,
    accountsCounted,
    nearLimit,
    startedAt,
  });
}

async function sumPage(ctx: ActionCtx, kind: (typeof LIABILITY_KINDS)[number], cursor: string | null) {
  return await ctx.runQuery(internal.ops.sumAccountsPage, { kind, cursor });
}

/** Daily cron (convex/crons.ts). */
export const runReconciliation = internalAction({
  args: { trigger: v.optional(v.union(v.literal("cron"), v.literal("internal"))) },
  handler: async (ctx, { trigger }): Promise<Outcome> => await reconcile(ctx, trigger ?? "internal", null),
});

/** "Reconcile now" on the reserve monitoring and reconciliation pages (audited). */
export const reconcileNow = action({
  permission: "admin:billing",
  args: {},
  handler: async (ctx): Promise<Outcome> => await reconcile(ctx, "manual", ctx.viewer._id),
});
