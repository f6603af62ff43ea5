// Shared pieces of the money charts (recharts): day and dollar axes and the empty placeholder, so every
// chart reads and looks the same. Charts are aria-hidden; each page pairs them with a text summary/table.
import type { ComponentType, ReactNode } from "react";
import { cn } from "@/lib/cn";
import { formatMoney } from "@/lib/money";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2025-03-07" → "7 Mar" without going through a Date (the day is already in the viewer's time zone). */
export function shortDay(date: string): string {
  const [, month, day] = date.split("-");
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? ""}`;
}

/** Axis ticks in whole dollars: "$0", "$25", "$1,200". */
export function tickDollars(value: number): string {
  return formatMoney(Math.round(value)).replace(/\.00$/, "");
}

const TICK = { fontSize: 12, fill: "#64748b" };

/** Props for an XAxis of YYYY-MM-DD days (spread, then set dataKey). */
export const DAY_AXIS = {
  tickFormatter: shortDay,
  tickLine: false,
  axisLine: false,
  interval: "preserveStartEnd",
  minTickGap: 24,
  tick: TICK,
} as const;

/** Props for a YAxis of cents shown as whole dollars. */
export function dollarAxis(width: number) {
  return {
    tickFormatter: tickDollars,
    allowDecimals: false,
    tickLine: false,
    axisLine: false,
    width,
    tick: TICK,
  } as const;
}

/** The dashed box a chart shows before it has data. */
export function ChartPlaceholder({
  icon: Icon,
  className,
  children,
}: {
  icon: ComponentType<{ className?: string }>;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 text-sm text-slate-500",
        className ?? "h-40",
      )}
    >
      <Icon className="size-6 text-slate-400" aria-hidden="true" />
      {children}
    </div>
  );
}
