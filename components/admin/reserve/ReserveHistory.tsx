"use client";

import { useId } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { LineChart as LineChartIcon } from "lucide-react";
import {
  ChartPlaceholder,
  ChartTable,
  DAY_AXIS,
  DayTooltipBox,
  dollarAxis,
  shortDay,
} from "@/components/charts/chartKit";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatMoney } from "@/lib/money";
import { RESERVE_STATUS_LABELS } from "@/lib/reserve";
import type { Overview } from "./types";

type HistoryPoint = Overview["history"][number];

function HistoryTooltip({ active, payload }: Partial<TooltipContentProps<number, string>>) {
  const point = active ? (payload?.[0]?.payload as HistoryPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <DayTooltipBox
      day={point.day}
      lines={[
        { text: `Reserve ${formatMoney(point.reserveCents)}` },
        { text: `Minimum ${formatMoney(point.minimumReserveCents)}`, muted: true },
        { text: RESERVE_STATUS_LABELS[point.status] },
      ]}
    />
  );
}

export function ReserveHistory({ history }: { history: HistoryPoint[] }) {
  const summaryId = useId();
  const last = history[history.length - 1];
  const summary =
    history.length === 0
      ? "No daily snapshots yet. Each reconciliation (daily, or Reconcile now) records the day's reserve."
      : `${history.length} ${history.length === 1 ? "day" : "days"} from ${shortDay(history[0]!.day)} to ${shortDay(last!.day)}; latest reserve ${formatMoney(
          last!.reserveCents,
        )} (${RESERVE_STATUS_LABELS[last!.status].toLowerCase()}).`;
  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
        <CardDescription id={summaryId}>{summary}</CardDescription>
      </CardHeader>
      <CardContent>
        <figure aria-describedby={summaryId} data-testid="reserve-history">
          {history.length === 0 ? (
            <ChartPlaceholder icon={LineChartIcon} className="h-32">
              The daily reserve will show here.
            </ChartPlaceholder>
          ) : (
            <div className="h-64 w-full min-w-0" aria-hidden="true">
              <ResponsiveContainer width="100%" height="100%" minWidth={0}>
                <LineChart data={history} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
                  <CartesianGrid vertical={false} stroke="#e2e8f0" />
                  <XAxis {...DAY_AXIS} dataKey="day" />
                  <YAxis {...dollarAxis(72)} />
                  <Tooltip content={<HistoryTooltip />} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Line
                    type="monotone"
                    dataKey="reserveCents"
                    name="Reserve"
                    stroke="#7c3aed"
                    strokeWidth={2}
                    dot={history.length < 20}
                    isAnimationActive={false}
                  />
                  <Line
                    type="stepAfter"
                    dataKey="minimumReserveCents"
                    name="Minimum"
                    stroke="#dc2626"
                    strokeDasharray="5 4"
                    dot={false}
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
          <ChartTable
            caption="Daily reserve"
            rows={history}
            dayKey="day"
            columns={[
              { header: "Reserve", cell: (h) => formatMoney(h.reserveCents) },
              { header: "Minimum", cell: (h) => formatMoney(h.minimumReserveCents) },
              { header: "Status", cell: (h) => RESERVE_STATUS_LABELS[h.status] },
            ]}
          />
        </figure>
      </CardContent>
    </Card>
  );
}
