"use client";

import { useId } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { BarChart3 } from "lucide-react";
import { Skeleton } from "@/components/ui/misc";
import { ChartPlaceholder, DAY_AXIS, dollarAxis, shortDay } from "@/components/charts/chartKit";
import { formatMoney, sumCents } from "@/lib/money";

export type DailyEarning = { date: string; netCents: number; sessions: number };

function ChartTooltip({ active, payload }: Partial<TooltipContentProps<number, string>>) {
  const point = active ? (payload?.[0]?.payload as DailyEarning | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-md">
      <p className="font-medium text-slate-900">{shortDay(point.date)}</p>
      <p className="tabular-nums text-slate-700">{formatMoney(point.netCents)} net</p>
      <p className="text-slate-500">
        {point.sessions} {point.sessions === 1 ? "session" : "sessions"}
      </p>
    </div>
  );
}

/**
 * Daily net earnings for the last 30 days. The SVG is decorative for assistive technology: a summary
 * sentence and a visually hidden table carry the same numbers.
 */
export function EarningsChart({ daily }: { daily: DailyEarning[] | undefined }) {
  const summaryId = useId();
  if (daily === undefined) {
    return (
      <div role="status" aria-label="Loading the earnings chart" className="flex h-64 items-end gap-1.5 px-2 pb-6">
        {Array.from({ length: 30 }, (_, i) => (
          <Skeleton key={i} className="flex-1" style={{ height: `${20 + ((i * 37) % 70)}%` }} />
        ))}
      </div>
    );
  }
  const total = sumCents(daily.map((d) => d.netCents));
  const sessions = daily.reduce((n, d) => n + d.sessions, 0);
  const best = daily.reduce<DailyEarning | null>(
    (top, d) => (d.netCents > 0 && (top === null || d.netCents > top.netCents) ? d : top),
    null,
  );
  const first = daily[0];
  const last = daily[daily.length - 1];
  const summary =
    total === 0 && sessions === 0
      ? "No earnings in the last 30 days."
      : `${formatMoney(total)} net from ${sessions} ${sessions === 1 ? "session" : "sessions"} in the last 30 days` +
        (first && last ? ` (${shortDay(first.date)} – ${shortDay(last.date)})` : "") +
        (best ? `; best day ${shortDay(best.date)} with ${formatMoney(best.netCents)}.` : ".");

  return (
    <figure className="flex flex-col gap-3" aria-describedby={summaryId} data-testid="earnings-chart">
      <figcaption id={summaryId} className="text-sm text-slate-600">
        {summary}
      </figcaption>
      {total === 0 && sessions === 0 ? (
        <ChartPlaceholder icon={BarChart3}>
          Your daily earnings will show here after your first session.
        </ChartPlaceholder>
      ) : (
        <div className="h-64 w-full min-w-0" aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%" minWidth={0}>
            <BarChart data={daily} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid vertical={false} stroke="#e2e8f0" />
              <XAxis {...DAY_AXIS} dataKey="date" />
              <YAxis {...dollarAxis(56)} />
              <Tooltip content={<ChartTooltip />} cursor={{ fill: "#f5f3ff" }} />
              <Bar
                dataKey="netCents"
                name="Net"
                fill="#7c3aed"
                radius={[3, 3, 0, 0]}
                maxBarSize={28}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <table className="sr-only">
        <caption>Daily net earnings, last 30 days</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Sessions</th>
            <th scope="col">Net</th>
          </tr>
        </thead>
        <tbody>
          {daily.map((d) => (
            <tr key={d.date}>
              <th scope="row">{shortDay(d.date)}</th>
              <td>{d.sessions}</td>
              <td>{formatMoney(d.netCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
