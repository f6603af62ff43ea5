"use node";
// Reconciliation: the ledger's processor_cash versus the processor's own balance (`stripe.balance.retrieve()`,
// the local processor reports its own). Daily from convex/crons.ts, or "Reconcile now" by an admin (ops.reconcileNow).
// Also sums what the platform owes, page by page (bounded transactions), for the day's reserve snapshot; a run
// longer than one slice continues in scheduled actions (issue 25), one run at a time.
import Stripe from "stripe";
import { v } from "convex/values";
import { internalAction } from "./functions";
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
import { SLICE_MS } from "./model/backgroundJobs";
import { reconciliationResumeValidator, reconciliationTriggerValidator } from "./model/opsSchema";

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

type Resume = typeof reconciliationResumeValidator.type;
type Trigger = "cron" | "manual" | "internal";

/** A cron that finds another run going on tries again this much later (the day's alerts come from the cron). */
const CRON_RETRY_MS = 10 * 60_000;

/** The first slice: reads the ledger's and the processor's cash as close together as possible. */
async function begin(ctx: ActionCtx, requestId: string): Promise<Resume> {
  const startedAt = Date.now();
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
  return {
    requestId,
    startedAt,
    ledgerCashCents,
    processorMode,
    processorBalanceCents,
    error,
    figures,
    accountsCounted: 0,
    nearLimit: [],
    kindIndex: 0,
    cursor: null,
    pages: 0,
  };
}

/** Adds one page of accounts (one bounded query) to the sums and moves the position on. */
async function sumNextPage(ctx: ActionCtx, at: Resume, numItems: number | undefined): Promise<Resume> {
  const kind = LIABILITY_KINDS[at.kindIndex]!;
  const page: SumPage = await ctx.runQuery(internal.ops.sumAccountsPage, {
    kind,
    cursor: at.cursor,
    ...(numItems !== undefined ? { numItems } : {}),
  });
  const figures = { ...at.figures, [figureField(kind)]: at.figures[figureField(kind)] + page.sumCents };
  const room = NEAR_LIMIT_KEPT - at.nearLimit.length;
  return {
    ...at,
    figures,
    accountsCounted: at.accountsCounted + page.counted,
    nearLimit: room > 0 ? [...at.nearLimit, ...page.nearLimit.slice(0, room)] : at.nearLimit,
    kindIndex: page.isDone ? at.kindIndex + 1 : at.kindIndex,
    cursor: page.isDone ? null : page.continueCursor,
    pages: at.pages + 1,
  };
}

type SumPage = {
  sumCents: number;
  counted: number;
  nearLimit: NearLimitClient[];
  isDone: boolean;
  continueCursor: string;
};
const NEAR_LIMIT_KEPT = 200;

/**
 * Daily cron (convex/crons.ts), "Reconcile now" (ops.reconcileNow schedules it) and its own continuations: sums
 * every liability account page by page; after SLICE_MS (`sliceMs` in tests) it schedules itself to go on from where
 * it is and returns null; the last slice records the run and returns its outcome. One run at a time (ops.ts lock).
 */
export const runReconciliation = internalAction({
  args: {
    trigger: v.optional(reconciliationTriggerValidator),
    /** Set by ops.reconcileNow, which took the lock for it. */
    requestId: v.optional(v.string()),
    actorId: v.optional(v.id("users")),
    sliceMs: v.optional(v.number()),
    /** Accounts per page (tests make it small). */
    accountsPerPage: v.optional(v.number()),
    /** Set by the run itself when it continues in a new action. */
    resume: v.optional(reconciliationResumeValidator),
  },
  handler: async (ctx, args): Promise<Outcome | null> => {
    const sliceStartedAt = Date.now();
    const trigger: Trigger = args.trigger ?? "internal";
    let at = args.resume;
    if (at === undefined) {
      const requestId = args.requestId ?? (await ctx.runMutation(internal.ops.beginReconciliation, {}));
      if (requestId === null) {
        // Another run is going on (e.g. an admin's): the cron's alerts still come, a little later.
        if (trigger === "cron") await ctx.scheduler.runAfter(CRON_RETRY_MS, internal.opsNode.runReconciliation, args);
        return null;
      }
      at = await begin(ctx, requestId);
    }
    while (at.kindIndex < LIABILITY_KINDS.length) {
      at = await sumNextPage(ctx, at, args.accountsPerPage);
      if (at.kindIndex < LIABILITY_KINDS.length && Date.now() - sliceStartedAt >= (args.sliceMs ?? SLICE_MS)) {
        await ctx.runMutation(internal.ops.continueReconciliation, {
          trigger,
          ...(args.actorId !== undefined ? { actorId: args.actorId } : {}),
          ...(args.sliceMs !== undefined ? { sliceMs: args.sliceMs } : {}),
          ...(args.accountsPerPage !== undefined ? { accountsPerPage: args.accountsPerPage } : {}),
          resume: at,
        });
        return null;
      }
    }
    return await ctx.runMutation(internal.ops.recordReconciliation, {
      trigger,
      actorId: args.actorId ?? null,
      processorMode: at.processorMode,
      processorBalanceCents: at.processorBalanceCents,
      error: at.error,
      ledgerCashCents: at.ledgerCashCents,
      figures: at.figures,
      accountsCounted: at.accountsCounted,
      nearLimit: at.nearLimit,
      startedAt: at.startedAt,
      pages: at.pages,
      requestId: at.requestId,
    });
  },
});
