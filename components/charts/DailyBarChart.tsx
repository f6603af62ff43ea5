"use client";

import type { ReactElement } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { DAY_AXIS, dollarAxis } from "./chartKit";

export type BarSeries = { dataKey: string; name: string; fill: string };

/** Daily money bars (one bar per series per day), on the shared day and dollar axes. Hidden from assistive
 * technology: callers pair it with a summary and a ChartTable. */
export function DailyBarChart({
  data,
  bars,
  tooltip,
  legend = false,
  maxBarSize,
}: {
  data: Array<{ date: string }>;
  bars: BarSeries[];
  tooltip: ReactElement;
  legend?: boolean;
  maxBarSize: number;
}) {
  return (
    <div className="h-64 w-full min-w-0" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <BarChart data={data} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis {...DAY_AXIS} dataKey="date" />
          <YAxis {...dollarAxis(56)} />
          <Tooltip content={tooltip} cursor={{ fill: "#f5f3ff" }} />
          {legend && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {bars.map((bar) => (
            <Bar
              key={bar.dataKey}
              dataKey={bar.dataKey}
              name={bar.name}
              fill={bar.fill}
              radius={[3, 3, 0, 0]}
              maxBarSize={maxBarSize}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
