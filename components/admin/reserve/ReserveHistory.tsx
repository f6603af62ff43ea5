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
import { ChartPlaceholder, DAY_AXIS, dollarAxis, shortDay } from "@/components/charts/chartKit";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatMoney } from "@/lib/money";
import { RESERVE_STATUS_LABELS } from "@/lib/reserve";
import type { Overview } from "./types";

type HistoryPoint = Overview["history"][number];

function HistoryTooltip({ active, payload }: Partial<TooltipContentProps<number, string>>) {
  const point = active ? (payload?.[0]?.payload as HistoryPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-md">
      <p className="font-medium text-slate-900">{shortDay(point.day)}</p>
      <p className="tabular-nums text-slate-700">Reserve {formatMoney(point.reserveCents)}</p>
      <p className="tabular-nums text-slate-500">Minimum {formatMoney(point.minimumReserveCents)}</p>
      <p className="text-slate-700">{RESERVE_STATUS_LABELS[point.status]}</p>
    </div>
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
          <table className="sr-only">
            <caption>Daily reserve</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Reserve</th>
                <th scope="col">Minimum</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.day}>
                  <th scope="row">{shortDay(h.day)}</th>
                  <td>{formatMoney(h.reserveCents)}</td>
                  <td>{formatMoney(h.minimumReserveCents)}</td>
                  <td>{RESERVE_STATUS_LABELS[h.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      </CardContent>
    </Card>
  );
}
