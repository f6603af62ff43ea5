// Billing operations (issue 10): reserve monitoring, reconciliation with the processor, the alerts center.
// The processor's balance comes through a small interface (the Stripe SDK in convex/opsNode.ts, or a fake
// injected by tests), like convex/model/payoutProcessor.ts.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { REASON_LENGTH, fail, requireText } from "./errors";
import { accountBalance, balanceOf, raiseAlert } from "./ledger";
import { kindTotals } from "./rollups";
import { normalBalance } from "../../lib/ledger/accounts";
import { writeAudit } from "./users";
import type { AccountKind } from "../../lib/ledger/accounts";
import { DEFAULT_CURRENCY, formatMoney } from "../../lib/money";
import {
  RESERVE_RULES,
  driftNeedsAlert,
  nearCreditLimit,
  owedCents,
  reconciliationDrift,
  reserveCents,
  reserveStatus,
  warningLineCents,
  type ReserveFigures,
  type ReserveStatus,
} from "../../lib/reserve";

// ---------------------------------------------------------------------------------------------
// The processor's balance
// ---------------------------------------------------------------------------------------------

export type ProcessorBalanceSource = {
  /** "stripe", "local" or "test": shown on the reconciliation page. */
  mode: string;
  /** The platform's balance (available + pending) in one currency, in cents. */
  retrieveBalanceCents(currency: string): Promise<number>;
};

let injectedBalance: ProcessorBalanceSource | null = null;

/** Tests replace the processor's balance source; null restores the real one. */
export function setProcessorBalanceForTests(source: ProcessorBalanceSource | null): void {
  injectedBalance = source;
}

export function injectedProcessorBalance(): ProcessorBalanceSource | null {
  return injectedBalance;
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

export type ReserveSettings = {
  minimumReserveCents: number;
  warningMarginBps: number;
  expectedDifferenceCents: number;
  updatedAt: number | null;
  updatedBy: Id<"users"> | null;
};

export async function getReserveSettings(ctx: QueryCtx): Promise<ReserveSettings> {
  const row = await ctx.db.query("reserveSettings").withIndex("by_updated").order("desc").first();
  if (row === null) {
    return {
      minimumReserveCents: RESERVE_RULES.defaultMinimumReserveCents,
      warningMarginBps: RESERVE_RULES.defaultWarningMarginBps,
      expectedDifferenceCents: 0,
      updatedAt: null,
      updatedBy: null,
    };
  }
  return {
    minimumReserveCents: row.minimumReserveCents,
    warningMarginBps: row.warningMarginBps,
    expectedDifferenceCents: row.expectedDifferenceCents,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

function checkCents(value: number, label: string, { min, max }: { min: number; max: number }): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    fail(
      "INVALID_ARGUMENT",
      `${label} must be a whole number of cents between ${formatMoney(min)} and ${formatMoney(max)}.`,
    );
  }
}

/** Changes the settings (a new row; the latest wins) and writes the audit log with before and after. */
export async function updateReserveSettings(
  ctx: MutationCtx,
  actorId: Id<"users">,
  patch: { minimumReserveCents?: number; warningMarginBps?: number; expectedDifferenceCents?: number; reason: string },
): Promise<ReserveSettings> {
  const before = await getReserveSettings(ctx);
  const reason = requireText(patch.reason, REASON_LENGTH, "Give a reason of 3 to 500 characters.");
  const next = {
    minimumReserveCents: patch.minimumReserveCents ?? before.minimumReserveCents,
    warningMarginBps: patch.warningMarginBps ?? before.warningMarginBps,
    expectedDifferenceCents: patch.expectedDifferenceCents ?? before.expectedDifferenceCents,
  };
  checkCents(next.minimumReserveCents, "The minimum reserve", { min: 0, max: RESERVE_RULES.maxMinimumReserveCents });
  if (
    !Number.isSafeInteger(next.warningMarginBps) ||
    next.warningMarginBps < 0 ||
    next.warningMarginBps > RESERVE_RULES.maxWarningMarginBps
  ) {
    fail("INVALID_ARGUMENT", "The warning margin must be between 0% and 1000%.");
  }
  checkCents(next.expectedDifferenceCents, "The expected difference", {
    min: -RESERVE_RULES.maxMinimumReserveCents,
    max: RESERVE_RULES.maxMinimumReserveCents,
  });
  const now = Date.now();
  const id = await ctx.db.insert("reserveSettings", { ...next, updatedAt: now, updatedBy: actorId });
  await writeAudit(ctx, {
    actorId,
    action: "billing.reserve_settings_set",
    targetTable: "reserveSettings",
    targetId: id,
    details: JSON.stringify({
      before: {
        minimumReserveCents: before.minimumReserveCents,
        warningMarginBps: before.warningMarginBps,
        expectedDifferenceCents: before.expectedDifferenceCents,
      },
      after: next,
      reason,
    }),
  });
  return { ...next, updatedAt: now, updatedBy: actorId };
}

// ---------------------------------------------------------------------------------------------
// Totals: bounded, indexed (accounts by kind), summed page by page when there are many
// ---------------------------------------------------------------------------------------------

export const LIABILITY_KINDS = [
  "client_wallet",
  "advisor_pending",
  "advisor_available",
  "advisor_in_transit",
] as const satisfies readonly AccountKind[];
export type LiabilityKind = (typeof LIABILITY_KINDS)[number];

/** Accounts per page when the reconciliation action sums everything. */
export const SUM_PAGE_SIZE = 200;

export type NearLimitClient = { ownerId: Id<"users">; balanceCents: number; creditLimitCents: number };

/**
 * What one batch of accounts of a kind contributes to what the platform owes. Client wallets count only
 * when in credit (a negative wallet is money the client owes us, not cash we hold for them).
 */
async function sumAccounts(ctx: QueryCtx, kind: LiabilityKind, accounts: Doc<"accounts">[]) {
  let sumCents = 0;
  let counted = 0;
  const nearLimit: NearLimitClient[] = [];
  for (const account of accounts) {
    if (account.currency !== DEFAULT_CURRENCY) continue;
    const { balanceCents } = await accountBalance(ctx, account);
    counted += 1;
    sumCents += kind === "client_wallet" ? Math.max(0, balanceCents) : balanceCents;
    if (
      kind === "client_wallet" &&
      account.ownerId !== null &&
      nearCreditLimit(balanceCents, account.creditLimitCents)
    ) {
      nearLimit.push({ ownerId: account.ownerId, balanceCents, creditLimitCents: account.creditLimitCents });
    }
  }
  return { sumCents, counted, nearLimit };
}

export async function sumAccountsPage(
  ctx: QueryCtx,
  kind: LiabilityKind,
  cursor: string | null,
  numItems: number = SUM_PAGE_SIZE,
) {
  const page = await ctx.db
    .query("accounts")
    .withIndex("by_kind_owner_currency", (q) => q.eq("kind", kind))
    .paginate({ numItems: Math.min(Math.max(1, numItems), SUM_PAGE_SIZE), cursor });
  const sums = await sumAccounts(ctx, kind, page.page);
  return { ...sums, isDone: page.isDone, continueCursor: page.continueCursor };
}

export async function processorCashCents(ctx: QueryCtx): Promise<number> {
  return (await balanceOf(ctx, { kind: "processor_cash", ownerId: null, currency: DEFAULT_CURRENCY })).balanceCents;
}

const FIGURE_FIELD: Record<LiabilityKind, keyof ReserveFigures> = {
  client_wallet: "clientWalletsCents",
  advisor_pending: "advisorPendingCents",
  advisor_available: "advisorAvailableCents",
  advisor_in_transit: "advisorInTransitCents",
};

export function figureField(kind: LiabilityKind): keyof ReserveFigures {
  return FIGURE_FIELD[kind];
}

/**
 * Live figures from the maintained kind totals (convex/model/rollups.ts): ~16 shard rows, exact at any number of
 * accounts. Client wallets count only when in credit (the sum of positive wallet balances). Null until every account
 * is counted in the totals (accounts from before the rollups wait for the backfill, convex/rollups.ts).
 */
export async function liveFigures(
  ctx: QueryCtx,
): Promise<{ figures: ReserveFigures; accountsCounted: number; creditInUseCents: number } | null> {
  if (
    (await ctx.db
      .query("accounts")
      .withIndex("by_in_totals", (q) => q.eq("inTotals", undefined))
      .first()) !== null
  )
    return null;
  const kinds = await kindTotals(ctx, DEFAULT_CURRENCY);
  const figures: ReserveFigures = {
    processorCashCents: await processorCashCents(ctx),
    clientWalletsCents: 0,
    advisorPendingCents: 0,
    advisorAvailableCents: 0,
    advisorInTransitCents: 0,
  };
  let accountsCounted = 0;
  for (const kind of LIABILITY_KINDS) {
    const k = kinds[kind] ?? { dr: 0, cr: 0, pos: 0, neg: 0, accounts: 0 };
    figures[FIGURE_FIELD[kind]] = kind === "client_wallet" ? k.pos : normalBalance(kind, k.dr, k.cr);
    accountsCounted += k.accounts;
  }
  return { figures, accountsCounted, creditInUseCents: -(kinds.client_wallet?.neg ?? 0) };
}

export function assess(
  figures: ReserveFigures,
  settings: Pick<ReserveSettings, "minimumReserveCents" | "warningMarginBps">,
) {
  const reserve = reserveCents(figures);
  return {
    ...figures,
    owedCents: owedCents(figures),
    reserveCents: reserve,
    warningLineCents: warningLineCents(settings.minimumReserveCents, settings.warningMarginBps),
    status: reserveStatus({ reserveCents: reserve, ...settings }) as ReserveStatus,
  };
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Recording a reconciliation run (+ the day's reserve snapshot and the alerts)
// ---------------------------------------------------------------------------------------------

export type ReconciliationRecord = {
  trigger: "cron" | "manual" | "internal";
  actorId: Id<"users"> | null;
  processorMode: string;
  processorBalanceCents: number | null;
  error: string | null;
  ledgerCashCents: number;
  figures: ReserveFigures;
  accountsCounted: number;
  nearLimit: NearLimitClient[];
  startedAt: number;
  pages?: number;
  requestId?: string;
};

export async function recordReconciliation(ctx: MutationCtx, input: ReconciliationRecord) {
  const settings = await getReserveSettings(ctx);
  const now = Date.now();
  const driftCents =
    input.processorBalanceCents === null
      ? null
      : reconciliationDrift({
          processorBalanceCents: input.processorBalanceCents,
          ledgerCashCents: input.ledgerCashCents,
          expectedDifferenceCents: settings.expectedDifferenceCents,
        });
  const alerted = driftCents !== null && driftNeedsAlert(driftCents);
  const runId = await ctx.db.insert("reconciliationRuns", {
    trigger: input.trigger,
    ok: driftCents !== null && !alerted,
    processorMode: input.processorMode,
    processorBalanceCents: input.processorBalanceCents,
    ledgerCashCents: input.ledgerCashCents,
    expectedDifferenceCents: settings.expectedDifferenceCents,
    driftCents,
    alerted,
    ...(input.error !== null ? { error: input.error.slice(0, 500) } : {}),
    actorId: input.actorId,
    startedAt: input.startedAt,
    durationMs: now - input.startedAt,
    ...(input.pages !== undefined ? { pages: input.pages } : {}),
    ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
  });
  if (driftCents === null) {
    await raiseAlert(ctx, {
      kind: "reconciliation_failed",
      severity: "warning",
      message: `Reconciliation could not read the processor's balance: ${input.error ?? "unknown error"}`,
      details: JSON.stringify({ runId }),
    });
  } else if (alerted) {
    await raiseAlert(ctx, {
      kind: "reconciliation_drift",
      severity: "critical",
      message: `Processor balance ${formatMoney(input.processorBalanceCents!)} differs from the ledger's processor cash ${formatMoney(
        input.ledgerCashCents,
      )} by ${formatMoney(driftCents)} (after the expected difference of ${formatMoney(settings.expectedDifferenceCents)}).`,
      details: JSON.stringify({
        runId,
        driftCents,
        processorBalanceCents: input.processorBalanceCents,
        ledgerCashCents: input.ledgerCashCents,
      }),
    });
  }

  // The day's reserve snapshot (one row per UTC day, the latest computation wins).
  const assessed = assess(input.figures, settings);
  const day = utcDay(now);
  const snapshot = {
    day,
    processorCashCents: assessed.processorCashCents,
    clientWalletsCents: assessed.clientWalletsCents,
    advisorPendingCents: assessed.advisorPendingCents,
    advisorAvailableCents: assessed.advisorAvailableCents,
    advisorInTransitCents: assessed.advisorInTransitCents,
    owedCents: assessed.owedCents,
    reserveCents: assessed.reserveCents,
    minimumReserveCents: settings.minimumReserveCents,
    warningMarginBps: settings.warningMarginBps,
    status: assessed.status,
    accountsCounted: input.accountsCounted,
    createdAt: now,
  };
  const existing = await ctx.db
    .query("reserveSnapshots")
    .withIndex("by_day", (q) => q.eq("day", day))
    .first();
  if (existing === null) await ctx.db.insert("reserveSnapshots", snapshot);
  else await ctx.db.replace("reserveSnapshots", existing._id, snapshot);

  // Daily alerts (the cron only: a manual run must not repeat them).
  if (input.trigger === "cron") {
    if (assessed.status !== "healthy") {
      await raiseAlert(ctx, {
        kind: "reserve_warning",
        severity: assessed.status === "critical" ? "critical" : "warning",
        message: `Reserve ${formatMoney(assessed.reserveCents)} is ${
          assessed.status === "critical" ? "below the minimum" : "less than the warning margin above the minimum"
        } ${formatMoney(settings.minimumReserveCents)}.`,
        details: JSON.stringify({
          day,
          reserveCents: assessed.reserveCents,
          minimumReserveCents: settings.minimumReserveCents,
        }),
      });
    }
    if (input.nearLimit.length > 0) {
      const names: string[] = [];
      for (const client of input.nearLimit.slice(0, 20)) {
        const user = await ctx.db.get("users", client.ownerId);
        names.push(
          `${user?.name ?? client.ownerId} (${formatMoney(-client.balanceCents)} of ${formatMoney(client.creditLimitCents)})`,
        );
      }
      await raiseAlert(ctx, {
        kind: "credit_limit_near",
        severity: "warning",
        message: `${input.nearLimit.length} client(s) have used 80% or more of their credit limit: ${names.join(", ")}${
          input.nearLimit.length > names.length ? ", …" : ""
        }.`,
        details: JSON.stringify(input.nearLimit.slice(0, 200)),
      });
    }
  }
  if (input.actorId !== null) {
    await writeAudit(ctx, {
      actorId: input.actorId,
      action: "billing.reconcile_now",
      targetTable: "reconciliationRuns",
      targetId: runId,
      details: JSON.stringify({
        driftCents,
        processorBalanceCents: input.processorBalanceCents,
        ledgerCashCents: input.ledgerCashCents,
      }),
    });
  }
  return { runId, driftCents, alerted, status: assessed.status };
}

// Alerts and webhook failures live in ./opsAlerts; re-exported for the existing callers.
export { acknowledgeAlert, webhookFailed } from "./opsAlerts";
