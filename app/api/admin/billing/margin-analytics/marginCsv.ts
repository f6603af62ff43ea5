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
