// CSV of a margin analytics report: one row per total, day, advisor and category, exact amounts from cents.
import type { FunctionReturnType } from "convex/server";
import type { api } from "@/convex/_generated/api";
import { centsToDecimalString } from "@/lib/money";
import { csvCell } from "@/lib/csv";

export type MarginReport = FunctionReturnType<typeof api.margins.report>;
type Figures = MarginReport["totals"];

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

function line(section: string, label: string, advisorId: string, category: string, f: Figures): string {
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

export function marginCsv(report: MarginReport): string {
  const lines = [
    MARGIN_CSV_HEADER.join(","),
    line("total", `${report.from} to ${report.to}`, "", "", report.totals),
    ...report.byDay.map((d) => line("day", d.date, "", "", d)),
    ...report.byAdvisor.map((a) => line("advisor", a.name, a.advisorId ?? "", a.category ?? "", a)),
    ...report.byCategory.map((c) => line("category", c.category ?? "Uncategorised", "", c.category ?? "", c)),
  ];
  return lines.join("\r\n") + "\r\n";
}

type AdvisorRow = MarginReport["byAdvisor"][number];
type CategoryRow = MarginReport["byCategory"][number];
const FIGURE_KEYS = [
  "grossCents",
  "feesCents",
  "refundsCents",
  "refundFeesCents",
  "promotionsCents",
  "chargebacksCents",
  "processorFeesCents",
  "netMarginCents",
  "sessions",
] as const;

function addFigures(into: Figures, f: Figures): void {
  for (const key of FIGURE_KEYS) into[key] += f[key];
}

/** The report with its advisors and categories rebuilt from advisor-day pages (an advisor may span several rows). */
export function withAdvisorRows(report: MarginReport, rows: AdvisorRow[]): MarginReport {
  const zero = (): Figures => Object.fromEntries(FIGURE_KEYS.map((k) => [k, 0])) as Figures;
  const advisors = new Map<string, AdvisorRow>();
  for (const row of rows) {
    const key = row.advisorId ?? "none";
    const entry = advisors.get(key) ?? { ...row, ...zero() };
    addFigures(entry, row);
    advisors.set(key, entry);
  }
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
  };
}
