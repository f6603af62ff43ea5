"use client";

import { useId } from "react";
import type { TooltipContentProps } from "recharts";
import { BarChart3 } from "lucide-react";
import {
  ChartPlaceholder,
  ChartSkeleton,
  ChartTable,
  DayTooltipBox,
  sessionsText,
  shortDay,
} from "@/components/charts/chartKit";
import { DailyBarChart } from "@/components/charts/DailyBarChart";
import { formatMoney, sumCents } from "@/lib/money";

export type DailyEarning = { date: string; netCents: number; sessions: number };

function ChartTooltip({ active, payload }: Partial<TooltipContentProps<number, string>>) {
  const point = active ? (payload?.[0]?.payload as DailyEarning | undefined) : undefined;
  if (!point) return null;
  return (
    <DayTooltipBox
      day={point.date}
      lines={[{ text: `${formatMoney(point.netCents)} net` }, { text: sessionsText(point.sessions), muted: true }]}
    />
  );
}

/**
 * Daily net earnings for the last 30 days. The SVG is decorative for assistive technology: a summary
 * sentence and a visually hidden table carry the same numbers.
 */
export function EarningsChart({ daily }: { daily: DailyEarning[] | undefined }) {
  const summaryId = useId();
  if (daily === undefined) {
    return <ChartSkeleton label="Loading the earnings chart" />;
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
      : `${formatMoney(total)} net from ${sessionsText(sessions)} in the last 30 days` +
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
        <DailyBarChart
          data={daily}
          tooltip={<ChartTooltip />}
          maxBarSize={28}
          bars={[{ dataKey: "netCents", name: "Net", fill: "#7c3aed" }]}
        />
      )}
      <ChartTable
        caption="Daily net earnings, last 30 days"
        rows={daily}
        dayKey="date"
        columns={[
          { header: "Sessions", cell: (d) => d.sessions },
          { header: "Net", cell: (d) => formatMoney(d.netCents) },
        ]}
      />
    </figure>
  );
}
