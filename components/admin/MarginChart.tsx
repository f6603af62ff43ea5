"use client";

import { useId } from "react";
import type { FunctionReturnType } from "convex/server";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { BarChart3 } from "lucide-react";
import type { api } from "@/convex/_generated/api";
import { ChartPlaceholder, DAY_AXIS, dollarAxis, shortDay } from "@/components/charts/chartKit";
import { Skeleton } from "@/components/ui/misc";
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
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-md">
      <p className="font-medium text-slate-900">{shortDay(point.date)}</p>
      <p className="tabular-nums text-slate-700">{formatMoney(point.grossCents, currency)} gross</p>
      <p className="tabular-nums text-slate-700">{formatMoney(point.netMarginCents, currency)} net margin</p>
      <p className="text-slate-500">
        {point.sessions} {point.sessions === 1 ? "session" : "sessions"}
      </p>
    </div>
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
    return (
      <div role="status" aria-label={`Loading the chart: ${label}`} className="flex h-64 items-end gap-1.5 px-2 pb-6">
        {Array.from({ length: 30 }, (_, i) => (
          <Skeleton key={i} className="flex-1" style={{ height: `${20 + ((i * 37) % 70)}%` }} />
        ))}
      </div>
    );
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
    : `${formatMoney(gross, currency)} gross and ${formatMoney(net, currency)} net margin from ${sessions} ${sessions === 1 ? "session" : "sessions"}${span}.`;

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
        <div className="h-64 w-full min-w-0" aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%" minWidth={0}>
            <BarChart data={daily} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid vertical={false} stroke="#e2e8f0" />
              <XAxis {...DAY_AXIS} dataKey="date" />
              <YAxis {...dollarAxis(56)} />
              <Tooltip content={<ChartTooltip currency={currency} />} cursor={{ fill: "#f5f3ff" }} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar
                dataKey="grossCents"
                name="Gross"
                fill="#c4b5fd"
                radius={[3, 3, 0, 0]}
                maxBarSize={24}
                isAnimationActive={false}
              />
              <Bar
                dataKey="netMarginCents"
                name="Net margin"
                fill="#7c3aed"
                radius={[3, 3, 0, 0]}
                maxBarSize={24}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Sessions</th>
            <th scope="col">Gross</th>
            <th scope="col">Net margin</th>
          </tr>
        </thead>
        <tbody>
          {daily.map((d) => (
            <tr key={d.date}>
              <th scope="row">{shortDay(d.date)}</th>
              <td>{d.sessions}</td>
              <td>{formatMoney(d.grossCents, currency)}</td>
              <td>{formatMoney(d.netMarginCents, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
