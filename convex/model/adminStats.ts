// Admin dashboard and margin analytics: live counts and money figures from the maintained rollups
// (convex/model/rollups.ts): exact at any volume; no journal or entry is read. Days are the viewer's (lib/days.ts).
// Definitions (BILLING_SYSTEM_DOCS.md, "Admin dashboard and margin analytics"), as rollup keys "<type>[:<kind>]":
//   gross       = Σ session_settled and offline_message_paid journal amounts (promotions included)
//   fees        = Σ platform_fees credits − debits of those journals
//   refunds     = Σ session_refunded and offline_message_refunded journal amounts (what went back to clients)
//   refundFees  = Σ platform_fees debits − credits of those refund journals (the fee part of refunds)
//   promotions  = Σ promotions debits of session_settled journals
//   chargebacks = Σ chargeback_losses debits of chargeback_opened − credits of chargeback_won, chargeback_recovered
//                 (clawed back from advisors) and reversal (recoveries returned when a chargeback is won)
//   processorFees = Σ processor_fees debits of top_up and processor_fee journals (card and Connect payout fees)
//   netMargin   = fees − refundFees − promotions − chargebacks − processorFees
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { JournalType } from "../../lib/ledger/legs";
import { DEFAULT_CURRENCY, type Currency } from "../../lib/money";
import { dayCount, dayOf, dayStartMs, daysBetween, isDay, monthStartDay, resolveZone, shiftDay } from "../../lib/days";
import { addFigures, FIGURE_KEYS, ZERO_FIGURES, type MoneyFigures } from "../../lib/moneyFigures";
import { maintainedCount } from "./counts";
import { fail } from "./errors";
import { HOUR_MS, hourOf, hourlySums, mergeSums, utcDayOf, type Sum, type Sums } from "./rollups";

/** Most rows read per live count; the UI shows "1,000+" above it. */
export const COUNT_LIMIT = 1_000;
/** Most alerts looked at (newest first) when counting unresolved ones. */
export const ALERT_SCAN_LIMIT = 500;
/** Longest range margin analytics accepts, in days. */
export const MAX_RANGE_DAYS = 92;
/** Advisor-day rows one margin report reads; a range with more gets its advisors from margins.advisorPage. */
export const ADVISOR_ROWS_PER_REPORT = 600;

/** Sales: settled sessions and answered offline messages; refunds: of either, after a dispute. */
const SALE_TYPES: JournalType[] = ["session_settled", "offline_message_paid"];
const REFUND_TYPES: JournalType[] = ["session_refunded", "offline_message_refunded"];
const CHARGEBACK_TYPES: JournalType[] = ["chargeback_opened", "chargeback_won", "chargeback_recovered", "reversal"];
const PROCESSOR_FEE_TYPES: JournalType[] = ["top_up", "processor_fee"];
const NONE: Sum = { n: 0, dr: 0, cr: 0 };

/**
 * The figures of a set of rollup sums. `attributed`: only the parts tied to an advisor's session (settlements and
 * refunds); chargebacks and processor fees stay with the house ("Not tied to an advisor").
 */
export function figuresOf(sums: Sums, attributed = false): MoneyFigures {
  const total = (types: readonly JournalType[], key: string, pick: (s: Sum) => number) =>
    types.reduce((n, t) => n + pick(sums[`${t}${key}`] ?? NONE), 0);
  const figures: MoneyFigures = {
    grossCents: total(SALE_TYPES, "", (s) => s.dr),
    feesCents: total(SALE_TYPES, ":platform_fees", (s) => s.cr - s.dr),
    refundsCents: total(REFUND_TYPES, "", (s) => s.dr),
    refundFeesCents: total(REFUND_TYPES, ":platform_fees", (s) => s.dr - s.cr),
    promotionsCents: total(["session_settled"], ":promotions", (s) => s.dr - s.cr),
    chargebacksCents: attributed ? 0 : total(CHARGEBACK_TYPES, ":chargeback_losses", (s) => s.dr - s.cr),
    processorFeesCents: attributed ? 0 : total(PROCESSOR_FEE_TYPES, ":processor_fees", (s) => s.dr - s.cr),
    netMarginCents: 0,
    sessions: total(["session_settled"], "", (s) => s.n),
  };
  figures.netMarginCents =
    figures.feesCents -
    figures.refundFeesCents -
    figures.promotionsCents -
    figures.chargebacksCents -
    figures.processorFeesCents;
  return figures;
}

function minus(a: MoneyFigures, b: MoneyFigures): MoneyFigures {
  const out = { ...ZERO_FIGURES };
  for (const key of FIGURE_KEYS) out[key] = a[key] - b[key];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Days and zones

/** The zone of a request (IANA `tz`, else the older offset in minutes, else UTC); INVALID_ARGUMENT when bad. */
export function zoneOf(input: { tz?: string; tzOffsetMinutes?: number }): string {
  const zone = resolveZone(input);
  if (zone === null) fail("INVALID_ARGUMENT", "The time zone is not valid.");
  return zone;
}

function checkDay(day: string): void {
  if (!isDay(day)) fail("INVALID_ARGUMENT", `"${day}" is not a date (YYYY-MM-DD).`);
}

/** Sums per local day over `days` (rolled-up hours assigned to the local day their start falls in). */
async function sumsByDay(
  ctx: QueryCtx,
  currency: Currency,
  days: readonly string[],
  tz: string,
): Promise<Map<string, Sums>> {
  const out = new Map<string, Sums>(days.map((d) => [d, {}]));
  if (days.length === 0) return out;
  const fromMs = dayStartMs(days[0]!, tz);
  const toMs = dayStartMs(shiftDay(days.at(-1)!, 1), tz);
  for (const { hourStart, sums } of await hourlySums(ctx, currency, fromMs, toMs)) {
    const day = out.get(dayOf(hourStart, tz));
    if (day !== undefined) mergeSums(day, sums);
  }
  return out;
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

/**
 * The live counts: maintained counters (convex/model/counts.ts), exact at any volume, once their backfill is done;
 * until then (a deployment upgrading, tests that insert rows directly) the capped scans below, "N+" when capped.
 */
export async function liveCounts(ctx: QueryCtx): Promise<LiveCounts> {
  const maintained = await Promise.all([
    maintainedCount(ctx, "sessions", "sessions.active"),
    maintainedCount(ctx, "sessions", "sessions.paused"),
    maintainedCount(ctx, "advisorProfiles", "advisors.online"),
    maintainedCount(ctx, "sessionDisputes", "disputes.open"),
    maintainedCount(ctx, "payouts", "payouts.awaiting_approval"),
    maintainedCount(ctx, "alerts", "alerts.unresolved"),
  ]);
  if (maintained.every((n) => n !== null)) {
    const [active, paused, online, disputes, payouts, alerts] = maintained as number[];
    return {
      activeSessions: active! + paused!,
      advisorsOnline: online!,
      openDisputes: disputes!,
      payoutsAwaitingApproval: payouts!,
      unresolvedAlerts: alerts!,
      capped: [],
    };
  }
  return await scannedCounts(ctx);
}

async function scannedCounts(ctx: QueryCtx): Promise<LiveCounts> {
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
};

export async function dashboardStats(
  ctx: QueryCtx,
  input: { today: string; tzOffsetMinutes?: number; tz?: string },
): Promise<DashboardStats> {
  const tz = zoneOf(input);
  const { today } = input;
  checkDay(today);
  const currency = DEFAULT_CURRENCY;
  const monthStart = monthStartDay(today);
  const chartStart = shiftDay(today, -29);
  const from = monthStart < chartStart ? monthStart : chartStart;
  const [counts, byDay] = await Promise.all([liveCounts(ctx), sumsByDay(ctx, currency, daysBetween(from, today), tz)]);
  const todayFigures = { ...ZERO_FIGURES };
  const monthFigures = { ...ZERO_FIGURES };
  const daily: Array<MoneyFigures & { date: string }> = [];
  for (const [date, sums] of byDay) {
    const figures = figuresOf(sums);
    if (date === today) addFigures(todayFigures, figures);
    if (date >= monthStart) addFigures(monthFigures, figures);
    if (date >= chartStart) daily.push({ ...figures, date });
  }
  return { today, counts, todayFigures, monthFigures, daily, currency };
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
  /** False when the range holds more advisor-days than one report reads: walk margins.advisorPage for them. */
  advisorsComplete: boolean;
};

export type MarginRange = { from: string; to: string; tzOffsetMinutes?: number; tz?: string };

/** The range in UTC milliseconds; INVALID_ARGUMENT for bad, reversed or too long ranges. */
export function marginRange(input: MarginRange): { tz: string; fromMs: number; toMs: number } {
  const tz = zoneOf(input);
  checkDay(input.from);
  checkDay(input.to);
  if (input.to < input.from) fail("INVALID_ARGUMENT", "The end date is before the start date.");
  if (dayCount(input.from, input.to) > MAX_RANGE_DAYS)
    fail("INVALID_ARGUMENT", `Choose at most ${MAX_RANGE_DAYS} days.`);
  return { tz, fromMs: dayStartMs(input.from, tz), toMs: dayStartMs(shiftDay(input.to, 1), tz) };
}

/** An advisor-day row's figures inside [fromMs, toMs) (its hours outside the range are left out). */
export function advisorRowFigures(
  row: { dayStart: number; hours: Record<string, Sums> },
  fromMs: number,
  toMs: number,
): MoneyFigures {
  const sums: Sums = {};
  for (const [hour, s] of Object.entries(row.hours)) {
    const start = row.dayStart + Number(hour) * HOUR_MS;
    if (start >= hourOf(fromMs) && start < hourOf(toMs)) mergeSums(sums, s);
  }
  return figuresOf(sums, true);
}

/** Names and first category of advisors (one user and one profile read each). */
export async function describeAdvisors(ctx: QueryCtx, rows: Iterable<AdvisorMargin>): Promise<void> {
  for (const row of rows) {
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
}

export async function marginReport(ctx: QueryCtx, input: MarginRange): Promise<MarginReport> {
  const { tz, fromMs, toMs } = marginRange(input);
  const { from, to } = input;
  const currency = DEFAULT_CURRENCY;
  const days = await sumsByDay(ctx, currency, daysBetween(from, to), tz);
  const totals = { ...ZERO_FIGURES };
  const byDay: Array<MoneyFigures & { date: string }> = [];
  for (const [date, sums] of days) {
    const figures = figuresOf(sums);
    addFigures(totals, figures);
    byDay.push({ ...figures, date });
  }

  const rows = await ctx.db
    .query("advisorMarginDays")
    .withIndex("by_currency_day", (q) =>
      q.eq("currency", currency).gte("dayStart", utcDayOf(fromMs)).lt("dayStart", toMs),
    )
    .take(ADVISOR_ROWS_PER_REPORT + 1);
  const advisorsComplete = rows.length <= ADVISOR_ROWS_PER_REPORT;
  const advisors = new Map<string, AdvisorMargin>();
  if (advisorsComplete) {
    for (const row of rows) {
      let entry = advisors.get(row.advisorId);
      if (!entry) {
        entry = { ...ZERO_FIGURES, advisorId: row.advisorId, name: "", category: null };
        advisors.set(row.advisorId, entry);
      }
      addFigures(entry, advisorRowFigures(row, fromMs, toMs));
    }
    for (const [key, entry] of advisors)
      if (entry.sessions === 0 && entry.grossCents === 0 && entry.refundsCents === 0) advisors.delete(key);
    await describeAdvisors(ctx, advisors.values());
    // The house row: everything not tied to an advisor's session (chargebacks, processor fees, unlinked journals).
    const attributed = { ...ZERO_FIGURES };
    for (const entry of advisors.values()) addFigures(attributed, entry);
    const house = minus(totals, attributed);
    if (Object.values(house).some((n) => n !== 0))
      advisors.set("none", { ...house, advisorId: null, name: "Not tied to an advisor", category: null });
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
    addFigures(cat, row);
  }
  return {
    from,
    to,
    currency,
    totals,
    byDay,
    byAdvisor,
    byCategory: [...categories.values()].sort((a, b) => b.grossCents - a.grossCents),
    advisorsComplete,
  };
}
