// CSV of a margin analytics report: one row per total, day, advisor and category, exact amounts from cents.
// Shared by the direct download (app/api/admin/billing/margin-analytics/csv) and the background export
// (convex/marginExports.ts), so both write the same file.
import { centsToDecimalString } from "./money";
import { csvCell } from "./csv";
import { addFigures, FIGURE_KEYS, ZERO_FIGURES, type MoneyFigures } from "./moneyFigures";

/** The parts of a margin report (convex/model/adminStats.ts `MarginReport`) the CSV is made of. */
export type MarginCsvReport = {
  from: string;
  to: string;
  totals: MoneyFigures;
  byDay: Array<MoneyFigures & { date: string }>;
  byAdvisor: Array<MoneyFigures & { advisorId: string | null; name: string; category: string | null }>;
  byCategory: Array<MoneyFigures & { category: string | null }>;
  advisorsComplete: boolean;
};

export const MARGIN_CSV_HEADER = [
  "section",
  "label",
  "advisor_id",
  "category",
  "sessions",
  "gross",
  "platform_fees",
  "refunds",
  "refunded_fees",
  "promotions",
  "chargebacks",
  "processor_fees",
  "net_margin",
] as const;

function line(section: string, label: string, advisorId: string, category: string, f: MoneyFigures): string {
  return [
    csvCell(section),
    csvCell(label),
    csvCell(advisorId),
    csvCell(category),
    // Numbers we produce ourselves (amounts may be negative) are not user text: no formula prefix.
    csvCell(f.sessions, { text: false }),
    ...[
      f.grossCents,
      f.feesCents,
      f.refundsCents,
      f.refundFeesCents,
      f.promotionsCents,
      f.chargebacksCents,
      f.processorFeesCents,
      f.netMarginCents,
    ].map((c) => csvCell(centsToDecimalString(c), { text: false })),
  ].join(",");
}

export function marginCsv(report: MarginCsvReport): string {
  const lines = [
    MARGIN_CSV_HEADER.join(","),
    line("total", `${report.from} to ${report.to}`, "", "", report.totals),
    ...report.byDay.map((d) => line("day", d.date, "", "", d)),
    ...report.byAdvisor.map((a) => line("advisor", a.name, a.advisorId ?? "", a.category ?? "", a)),
    ...report.byCategory.map((c) => line("category", c.category ?? "Uncategorised", "", c.category ?? "", c)),
  ];
  return lines.join("\r\n") + "\r\n";
}

type AdvisorRow = MarginCsvReport["byAdvisor"][number];
type CategoryRow = MarginCsvReport["byCategory"][number];

/**
 * The report with its advisors and categories rebuilt from advisor-day rows (an advisor may span several rows).
 * Advisors with no session, gross or refund in the range are left out, as in the report itself.
 */
export function withAdvisorRows<R extends MarginCsvReport>(report: R, rows: R["byAdvisor"]): R {
  const zero = (): MoneyFigures => ({ ...ZERO_FIGURES });
  const advisors = new Map<string, AdvisorRow>();
  for (const row of rows) {
    const key = row.advisorId ?? "none";
    const entry = advisors.get(key) ?? { ...row, ...zero() };
    addFigures(entry, row);
    advisors.set(key, entry);
  }
  for (const [key, a] of advisors)
    if (a.sessions === 0 && a.grossCents === 0 && a.refundsCents === 0) advisors.delete(key);
  const attributed = zero();
  for (const a of advisors.values()) addFigures(attributed, a);
  const house = zero();
  for (const key of FIGURE_KEYS) house[key] = report.totals[key] - attributed[key];
  if (FIGURE_KEYS.some((k) => house[k] !== 0))
    advisors.set("none", { ...house, advisorId: null, name: "Not tied to an advisor", category: null });
  const byAdvisor = [...advisors.values()].sort((a, b) => b.grossCents - a.grossCents || a.name.localeCompare(b.name));
  const categories = new Map<string, CategoryRow>();
  for (const a of byAdvisor) {
    const cat = categories.get(a.category ?? "none") ?? { ...zero(), category: a.category };
    addFigures(cat, a);
    categories.set(a.category ?? "none", cat);
  }
  return {
    ...report,
    byAdvisor,
    byCategory: [...categories.values()].sort((a, b) => b.grossCents - a.grossCents),
    advisorsComplete: true,
  } as R;
}
