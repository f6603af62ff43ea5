import type { ReactNode } from "react";
import { BarChart3 } from "lucide-react";
import { EmptyState } from "@/components/ui/misc";
import { formatMoney, type Currency } from "@/lib/money";
import type { MoneyFigures } from "./MarginChart";

/** One row of money figures per day, advisor or category, with a caption for screen readers. */
export function FiguresTable({
  caption,
  firstColumn,
  rows,
  currency,
  empty,
  testId,
}: {
  caption: string;
  firstColumn: string;
  rows: Array<{ key: string; label: ReactNode; figures: MoneyFigures }>;
  currency: Currency;
  empty: string;
  testId: string;
}) {
  if (rows.length === 0) {
    return (
      <div data-testid={testId}>
        <EmptyState icon={<BarChart3 />} title="Nothing to show">
          {empty}
        </EmptyState>
      </div>
    );
  }
  const money = (cents: number) => formatMoney(cents, currency);
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">
              {firstColumn}
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Sessions
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Gross
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Fees
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Refunds
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Promotions
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Chargebacks
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Processor fees
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Net margin
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map(({ key, label, figures: f }) => (
            <tr key={key} className="hover:bg-slate-50">
              <th scope="row" className="max-w-56 truncate whitespace-nowrap px-4 py-3 font-normal">
                {label}
              </th>
              <td className="px-4 py-3 text-right tabular-nums">{f.sessions}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.grossCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.feesCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.refundsCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.promotionsCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.chargebacksCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.processorFeesCents)}</td>
              <td
                className={`whitespace-nowrap px-4 py-3 text-right font-medium tabular-nums ${f.netMarginCents < 0 ? "text-red-700" : ""}`}
              >
                {money(f.netMarginCents)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
