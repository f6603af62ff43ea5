// Admin dashboard and margin analytics: live counts and money figures computed from the ledger.
// Every read is an index range with a `.take()` limit; figures say when a limit cut them (`truncated`).
// Definitions (BILLING_SYSTEM_DOCS.md, "Admin dashboard and margin analytics"):
//   gross       = Σ session_settled journal amounts (= session cost, promotions included)
//   fees        = Σ platform_fees credits of session_settled journals
//   refunds     = Σ session_refunded journal amounts (what went back to clients)
//   refundFees  = Σ platform_fees debits of session_refunded journals (the fee part of refunds)
//   promotions  = Σ promotions debits of session_settled journals
//   chargebacks = Σ chargeback_losses debits of chargeback_opened − credits of chargeback_won, chargeback_recovered
//                 (clawed back from advisors) and reversal (recoveries returned when a chargeback is won)
//   processorFees = Σ processor_fees debits of top_up and processor_fee journals (card and Connect payout fees)
//   netMargin   = fees − refundFees − promotions − chargebacks − processorFees
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { JournalType } from "../../lib/ledger/legs";
import type { AccountKind } from "../../lib/ledger/accounts";
import { accountRef } from "../../lib/ledger/accounts";
import { DEFAULT_CURRENCY, type Currency } from "../../lib/money";
import { fail } from "./errors";
import { findAccount } from "./ledger";

/** Most rows read per (journal type or account+type) range in one query. */
export const MONEY_ROW_LIMIT = 5_000;
/** Most rows read per live count; the UI shows "1,000+" above it. */
export const COUNT_LIMIT = 1_000;
/** Most alerts looked at (newest first) when counting unresolved ones. */
export const ALERT_SCAN_LIMIT = 500;
/** Longest range margin analytics accepts, in days. */
export const MAX_RANGE_DAYS = 92;
const DAY_MS = 86_400_000;

export type MoneyFigures = {
  grossCents: number;
  feesCents: number;
  refundsCents: number;
  refundFeesCents: number;
  promotionsCents: number;
  chargebacksCents: number;
  processorFeesCents: number;
  netMarginCents: number;
  sessions: number;
};

export const ZERO_FIGURES: MoneyFigures = {
  grossCents: 0,
  feesCents: 0,
  refundsCents: 0,
  refundFeesCents: 0,
  promotionsCents: 0,
  chargebacksCents: 0,
  processorFeesCents: 0,
  netMarginCents: 0,
  sessions: 0,
};

/** One money fact on one instant (a journal or one account side of it). */
type Fact = Partial<Omit<MoneyFigures, "netMarginCents">> & { at: number; advisorId?: Id<"users"> };

function add(into: MoneyFigures, fact: Partial<MoneyFigures>): void {
  into.grossCents += fact.grossCents ?? 0;
  into.feesCents += fact.feesCents ?? 0;
  into.refundsCents += fact.refundsCents ?? 0;
  into.refundFeesCents += fact.refundFeesCents ?? 0;
  into.promotionsCents += fact.promotionsCents ?? 0;
  into.chargebacksCents += fact.chargebacksCents ?? 0;
  into.processorFeesCents += fact.processorFeesCents ?? 0;
  into.sessions += fact.sessions ?? 0;
  into.netMarginCents =
    into.feesCents - into.refundFeesCents - into.promotionsCents - into.chargebacksCents - into.processorFeesCents;
}

export function sumFacts(facts: readonly Fact[]): MoneyFigures {
  const total = { ...ZERO_FIGURES };
  for (const fact of facts) add(total, fact);
  return total;
}

// ---------------------------------------------------------------------------------------------
// Days in the viewer's time zone ("YYYY-MM-DD"; tzOffsetMinutes east of UTC).

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function assertTz(tzOffsetMinutes: number): void {
  if (!Number.isInteger(tzOffsetMinutes) || Math.abs(tzOffsetMinutes) > 14 * 60)
    fail("INVALID_ARGUMENT", "The time zone offset is not valid.");
}

/** Start of `day` (local midnight) in UTC milliseconds. */
export function dayStartMs(day: string, tzOffsetMinutes: number): number {
  const m = DAY_RE.exec(day);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day)
    fail("INVALID_ARGUMENT", `"${day}" is not a date (YYYY-MM-DD).`);
  return ms - tzOffsetMinutes * 60_000;
}

export function dayOf(ms: number, tzOffsetMinutes: number): string {
  return new Date(ms + tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(dayStartMs(day, 0) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length <= MAX_RANGE_DAYS * 2; d = addDays(d, 1)) out.push(d);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reads

type Range = { fromMs: number; toMs: number; currency: Currency };
type Read<T> = { rows: T[]; truncated: boolean };

async function journalsOfType(ctx: QueryCtx, type: JournalType, range: Range): Promise<Read<Doc<"journals">>> {
  const rows = await ctx.db
    .query("journals")
    .withIndex("by_type_created", (q) => q.eq("type", type).gte("createdAt", range.fromMs).lt("createdAt", range.toMs))
    .take(MONEY_ROW_LIMIT + 1);
  return {
    rows: rows.slice(0, MONEY_ROW_LIMIT).filter((j) => j.currency === range.currency),
    truncated: rows.length > MONEY_ROW_LIMIT,
  };
}

async function houseEntries(
  ctx: QueryCtx,
  kind: AccountKind,
  type: JournalType,
  range: Range,
): Promise<Read<Doc<"entries">>> {
  const account = await findAccount(ctx, accountRef<Id<"users">>(kind, null, range.currency));
  if (account === null) return { rows: [], truncated: false };
  const rows = await ctx.db
    .query("entries")
    .withIndex("by_account_type", (q) =>
      q.eq("accountId", account._id).eq("journalType", type).gte("createdAt", range.fromMs).lt("createdAt", range.toMs),
    )
    .take(MONEY_ROW_LIMIT + 1);
  return { rows: rows.slice(0, MONEY_ROW_LIMIT), truncated: rows.length > MONEY_ROW_LIMIT };
}

/** Chargeback losses net of those won and recovered, and processor fees (house-level: not tied to a session or advisor). */
async function chargebackFacts(ctx: QueryCtx, range: Range): Promise<Read<Fact>> {
  const reads = await Promise.all([
    houseEntries(ctx, "chargeback_losses", "chargeback_opened", range),
    houseEntries(ctx, "chargeback_losses", "chargeback_won", range),
    houseEntries(ctx, "chargeback_losses", "chargeback_recovered", range),
    houseEntries(ctx, "chargeback_losses", "reversal", range),
    houseEntries(ctx, "processor_fees", "top_up", range),
    houseEntries(ctx, "processor_fees", "processor_fee", range),
  ]);
  const losses = reads
    .slice(0, 4)
    .flatMap((r) => r.rows.map((e) => ({ at: e.createdAt, chargebacksCents: e.debitCents - e.creditCents })));
  const fees = reads
    .slice(4)
    .flatMap((r) => r.rows.map((e) => ({ at: e.createdAt, processorFeesCents: e.debitCents - e.creditCents })));
  return { rows: [...losses, ...fees], truncated: reads.some((r) => r.truncated) };
}

/** Day-level facts from journal amounts and house-account entry ranges (no per-journal reads). */
export async function houseFacts(ctx: QueryCtx, range: Range): Promise<Read<Fact>> {
  const [settled, refunded, fees, refundFees, promos, chargebacks] = await Promise.all([
    journalsOfType(ctx, "session_settled", range),
    journalsOfType(ctx, "session_refunded", range),
    houseEntries(ctx, "platform_fees", "session_settled", range),
    houseEntries(ctx, "platform_fees", "session_refunded", range),
    houseEntries(ctx, "promotions", "session_settled", range),
    chargebackFacts(ctx, range),
  ]);
  const rows: Fact[] = [
    ...settled.rows.map((j) => ({ at: j.createdAt, grossCents: j.amountCents, sessions: 1 })),
    ...refunded.rows.map((j) => ({ at: j.createdAt, refundsCents: j.amountCents })),
    ...fees.rows.map((e) => ({ at: e.createdAt, feesCents: e.creditCents - e.debitCents })),
    ...refundFees.rows.map((e) => ({ at: e.createdAt, refundFeesCents: e.debitCents - e.creditCents })),
    ...promos.rows.map((e) => ({ at: e.createdAt, promotionsCents: e.debitCents - e.creditCents })),
    ...chargebacks.rows,
  ];
  return { rows, truncated: [settled, refunded, fees, refundFees, promos, chargebacks].some((r) => r.truncated) };
}

/**
 * Facts per journal with the advisor they belong to (session_settled and session_refunded journals:
 * the journal's entries give the fee and promotion parts, its session the advisor), plus chargebacks.
 */
export async function attributedFacts(ctx: QueryCtx, range: Range): Promise<Read<Fact>> {
  const [settled, refunded, chargebacks, feesAccount, promoAccount] = await Promise.all([
    journalsOfType(ctx, "session_settled", range),
    journalsOfType(ctx, "session_refunded", range),
    chargebackFacts(ctx, range),
    findAccount(ctx, accountRef<Id<"users">>("platform_fees", null, range.currency)),
    findAccount(ctx, accountRef<Id<"users">>("promotions", null, range.currency)),
  ]);
  const sessions = new Map<Id<"sessions">, Doc<"sessions"> | null>();
  const advisorOf = async (sessionId: Id<"sessions"> | undefined) => {
    if (sessionId === undefined) return undefined;
    if (!sessions.has(sessionId)) sessions.set(sessionId, await ctx.db.get("sessions", sessionId));
    return sessions.get(sessionId)?.advisorId;
  };
  const rows: Fact[] = [...chargebacks.rows];
  for (const j of [...settled.rows, ...refunded.rows]) {
    const entries = await ctx.db
      .query("entries")
      .withIndex("by_journal", (q) => q.eq("journalId", j._id))
      .take(16);
    let fee = 0;
    let promo = 0;
    for (const e of entries) {
      if (feesAccount && e.accountId === feesAccount._id) fee += e.creditCents - e.debitCents;
      if (promoAccount && e.accountId === promoAccount._id) promo += e.debitCents - e.creditCents;
    }
    const advisorId = await advisorOf(j.sessionId);
    rows.push(
      j.type === "session_settled"
        ? { at: j.createdAt, advisorId, grossCents: j.amountCents, feesCents: fee, promotionsCents: promo, sessions: 1 }
        : { at: j.createdAt, advisorId, refundsCents: j.amountCents, refundFeesCents: -fee },
    );
  }
  return { rows, truncated: settled.truncated || refunded.truncated || chargebacks.truncated };
}

export function byDay(
  facts: readonly Fact[],
  days: readonly string[],
  tzOffsetMinutes: number,
): Array<MoneyFigures & { date: string }> {
  const map = new Map(days.map((date) => [date, { ...ZERO_FIGURES, date }]));
  for (const fact of facts) {
    const row = map.get(dayOf(fact.at, tzOffsetMinutes));
    if (row) add(row, fact);
  }
  return [...map.values()];
}

// ---------------------------------------------------------------------------------------------
// Live counts

export type LiveCounts = {
  activeSessions: number;
  advisorsOnline: number;
  openDisputes: number;
  payoutsAwaitingApproval: number;
  unresolvedAlerts: number;
  /** Which counts reached their limit (shown as "N+"). */
  capped: string[];
};

export async function liveCounts(ctx: QueryCtx): Promise<LiveCounts> {
  const [active, paused, online, disputes, payouts, alerts] = await Promise.all([
    ctx.db
      .query("sessions")
      .withIndex("by_status", (q) => q.eq("status", "active"))
      .take(COUNT_LIMIT),
    ctx.db
      .query("sessions")
      .withIndex("by_status", (q) => q.eq("status", "paused"))
      .take(COUNT_LIMIT),
    ctx.db
      .query("advisorProfiles")
      .withIndex("by_status_online", (q) => q.eq("status", "approved").eq("online", true))
      .take(COUNT_LIMIT),
    ctx.db
      .query("sessionDisputes")
      .withIndex("by_status", (q) => q.eq("status", "open"))
      .take(COUNT_LIMIT),
    ctx.db
      .query("payouts")
      .withIndex("by_status", (q) => q.eq("status", "awaiting_approval"))
      .take(COUNT_LIMIT),
    ctx.db.query("alerts").withIndex("by_created").order("desc").take(ALERT_SCAN_LIMIT),
  ]);
  const counts = {
    activeSessions: Math.min(active.length + paused.length, COUNT_LIMIT),
    advisorsOnline: online.length,
    openDisputes: disputes.length,
    payoutsAwaitingApproval: payouts.length,
    unresolvedAlerts: alerts.filter((a) => a.resolvedAt === undefined).length,
  };
  const capped = Object.entries(counts)
    .filter(([key, n]) => n >= (key === "unresolvedAlerts" ? ALERT_SCAN_LIMIT : COUNT_LIMIT))
    .map(([key]) => key);
  return { ...counts, capped };
}

// ---------------------------------------------------------------------------------------------
// Dashboard

export type DashboardStats = {
  today: string;
  counts: LiveCounts;
  todayFigures: MoneyFigures;
  monthFigures: MoneyFigures;
  daily: Array<MoneyFigures & { date: string }>;
  currency: Currency;
  truncated: boolean;
};

export async function dashboardStats(
  ctx: QueryCtx,
  input: { today: string; tzOffsetMinutes: number },
): Promise<DashboardStats> {
  assertTz(input.tzOffsetMinutes);
  const { today, tzOffsetMinutes } = input;
  const currency = DEFAULT_CURRENCY;
  const monthStart = `${today.slice(0, 7)}-01`;
  const chartStart = addDays(today, -29);
  const from = monthStart < chartStart ? monthStart : chartStart;
  const range = {
    fromMs: dayStartMs(from, tzOffsetMinutes),
    toMs: dayStartMs(addDays(today, 1), tzOffsetMinutes),
    currency,
  };
  const [counts, facts] = await Promise.all([liveCounts(ctx), houseFacts(ctx, range)]);
  const todayStart = dayStartMs(today, tzOffsetMinutes);
  const monthStartMs = dayStartMs(monthStart, tzOffsetMinutes);
  return {
    today,
    counts,
    todayFigures: sumFacts(facts.rows.filter((f) => f.at >= todayStart)),
    monthFigures: sumFacts(facts.rows.filter((f) => f.at >= monthStartMs)),
    daily: byDay(facts.rows, daysBetween(chartStart, today), tzOffsetMinutes),
    currency,
    truncated: facts.truncated,
  };
}

// ---------------------------------------------------------------------------------------------
// Margin analytics

export type AdvisorMargin = MoneyFigures & { advisorId: Id<"users"> | null; name: string; category: string | null };
export type CategoryMargin = MoneyFigures & { category: string | null };

export type MarginReport = {
  from: string;
  to: string;
  currency: Currency;
  totals: MoneyFigures;
  byDay: Array<MoneyFigures & { date: string }>;
  byAdvisor: AdvisorMargin[];
  byCategory: CategoryMargin[];
  truncated: boolean;
};

export async function marginReport(
  ctx: QueryCtx,
  input: { from: string; to: string; tzOffsetMinutes: number },
): Promise<MarginReport> {
  assertTz(input.tzOffsetMinutes);
  const { from, to, tzOffsetMinutes } = input;
  const fromMs = dayStartMs(from, tzOffsetMinutes);
  const toMs = dayStartMs(addDays(to, 1), tzOffsetMinutes);
  if (toMs <= fromMs) fail("INVALID_ARGUMENT", "The end date is before the start date.");
  if ((toMs - fromMs) / DAY_MS > MAX_RANGE_DAYS) fail("INVALID_ARGUMENT", `Choose at most ${MAX_RANGE_DAYS} days.`);
  const currency = DEFAULT_CURRENCY;
  const facts = await attributedFacts(ctx, { fromMs, toMs, currency });

  const advisors = new Map<string, AdvisorMargin>();
  for (const fact of facts.rows) {
    const key = fact.advisorId ?? "none";
    let row = advisors.get(key);
    if (!row) {
      row = { ...ZERO_FIGURES, advisorId: fact.advisorId ?? null, name: "Not tied to an advisor", category: null };
      advisors.set(key, row);
    }
    add(row, fact);
  }
  for (const row of advisors.values()) {
    if (row.advisorId === null) continue;
    const [user, profile] = await Promise.all([
      ctx.db.get("users", row.advisorId),
      ctx.db
        .query("advisorProfiles")
        .withIndex("by_user", (q) => q.eq("userId", row.advisorId!))
        .first(),
    ]);
    row.name = profile?.displayName ?? user?.name ?? "Unknown advisor";
    row.category = profile?.categories[0] ?? null;
  }
  const byAdvisor = [...advisors.values()].sort((a, b) => b.grossCents - a.grossCents || a.name.localeCompare(b.name));

  const categories = new Map<string, CategoryMargin>();
  for (const row of byAdvisor) {
    const key = row.category ?? "none";
    let cat = categories.get(key);
    if (!cat) {
      cat = { ...ZERO_FIGURES, category: row.category };
      categories.set(key, cat);
    }
    add(cat, row);
  }
  return {
    from,
    to,
    currency,
    totals: sumFacts(facts.rows),
    byDay: byDay(facts.rows, daysBetween(from, to), tzOffsetMinutes),
    byAdvisor,
    byCategory: [...categories.values()].sort((a, b) => b.grossCents - a.grossCents),
    truncated: facts.truncated,
  };
}
