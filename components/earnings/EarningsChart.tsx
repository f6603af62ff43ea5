"use client";

import { useId } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { BarChart3 } from "lucide-react";
import { Skeleton } from "@/components/ui/misc";
import { formatMoney, sumCents } from "@/lib/money";

export type DailyEarning = { date: string; netCents: number; sessions: number };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2025-03-07" → "7 Mar" without going through a Date (the day is already in the advisor's time zone). */
export function shortDay(date: string): string {
  const [, month, day] = date.split("-");
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? ""}`;
}

/** Axis ticks in whole dollars: "$0", "$25", "$1,200". */
function tickDollars(value: number): string {
  return formatMoney(Math.round(value)).replace(/\.00$/, "");
}

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
  const best = daily.reduce<DailyEarning | null>((top, d) => (d.netCents > 0 && (top === null || d.netCents > top.netCents) ? d : top), null);
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
        <div className="flex h-40 flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 text-sm text-slate-500">
          <BarChart3 className="size-6 text-slate-400" aria-hidden="true" />
          Your daily earnings will show here after your first session.
        </div>
      ) : (
        <div className="h-64 w-full min-w-0" aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%" minWidth={0}>
            <BarChart data={daily} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid vertical={false} stroke="#e2e8f0" />
              <XAxis
                dataKey="date"
                tickFormatter={shortDay}
                tickLine={false}
                axisLine={false}
                interval="preserveStartEnd"
                minTickGap={24}
                tick={{ fontSize: 12, fill: "#64748b" }}
              />
              <YAxis
                tickFormatter={tickDollars}
                allowDecimals={false}
                tickLine={false}
                axisLine={false}
                width={56}
                tick={{ fontSize: 12, fill: "#64748b" }}
              />
              <Tooltip content={<ChartTooltip />} cursor={{ fill: "#f5f3ff" }} />
              <Bar dataKey="netCents" name="Net" fill="#7c3aed" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
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
