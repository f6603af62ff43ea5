"use client";

import { useId } from "react";
import type { FunctionReturnType } from "convex/server";
import type { TooltipContentProps } from "recharts";
import { BarChart3 } from "lucide-react";
import type { api } from "@/convex/_generated/api";
import {
  ChartPlaceholder,
  ChartSkeleton,
  ChartTable,
  DayTooltipBox,
  sessionsText,
  shortDay,
} from "@/components/charts/chartKit";
import { DailyBarChart } from "@/components/charts/DailyBarChart";
import { formatMoney, sumCents, type Currency } from "@/lib/money";

type Report = FunctionReturnType<typeof api.margins.report>;
export type MoneyFigures = Report["totals"];
export type DailyFigures = Report["byDay"][number];

function ChartTooltip({
  active,
  payload,
  currency,
}: Partial<TooltipContentProps<number, string>> & { currency: Currency }) {
  const point = active ? (payload?.[0]?.payload as DailyFigures | undefined) : undefined;
  if (!point) return null;
  return (
    <DayTooltipBox
      day={point.date}
      lines={[
        { text: `${formatMoney(point.grossCents, currency)} gross` },
        { text: `${formatMoney(point.netMarginCents, currency)} net margin` },
        { text: sessionsText(point.sessions), muted: true },
      ]}
    />
  );
}

/**
 * Gross sales and net margin by day. The SVG is hidden from assistive technology: a summary sentence
 * (the figure's description) and a visually hidden table carry the same numbers.
 */
export function MarginChart({
  daily,
  currency,
  label,
  testId,
}: {
  daily: DailyFigures[] | undefined;
  currency: Currency;
  label: string;
  testId?: string;
}) {
  const summaryId = useId();
  if (daily === undefined) {
    return <ChartSkeleton label={`Loading the chart: ${label}`} />;
  }
  const gross = sumCents(daily.map((d) => d.grossCents));
  const net = sumCents(daily.map((d) => d.netMarginCents));
  const sessions = daily.reduce((n, d) => n + d.sessions, 0);
  const empty = daily.every(
    (d) => d.grossCents === 0 && d.refundsCents === 0 && d.chargebacksCents === 0 && d.processorFeesCents === 0,
  );
  const first = daily[0];
  const last = daily[daily.length - 1];
  const span = first && last ? ` (${shortDay(first.date)} – ${shortDay(last.date)})` : "";
  const summary = empty
    ? `No sales${span}.`
    : `${formatMoney(gross, currency)} gross and ${formatMoney(net, currency)} net margin from ${sessionsText(sessions)}${span}.`;

  return (
    <figure className="flex flex-col gap-3" aria-label={label} aria-describedby={summaryId} data-testid={testId}>
      <figcaption id={summaryId} className="text-sm text-slate-600">
        {summary}
      </figcaption>
      {empty ? (
        <ChartPlaceholder icon={BarChart3} className="h-40 px-4 text-center">
          Daily sales show here once sessions are paid for.
        </ChartPlaceholder>
      ) : (
        <DailyBarChart
          data={daily}
          tooltip={<ChartTooltip currency={currency} />}
          legend
          maxBarSize={24}
          bars={[
            { dataKey: "grossCents", name: "Gross", fill: "#c4b5fd" },
            { dataKey: "netMarginCents", name: "Net margin", fill: "#7c3aed" },
          ]}
        />
      )}
      <ChartTable
        caption={label}
        rows={daily}
        dayKey="date"
        columns={[
          { header: "Sessions", cell: (d) => d.sessions },
          { header: "Gross", cell: (d) => formatMoney(d.grossCents, currency) },
          { header: "Net margin", cell: (d) => formatMoney(d.netMarginCents, currency) },
        ]}
      />
    </figure>
  );
}
