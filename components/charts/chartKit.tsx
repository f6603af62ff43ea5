// Shared pieces of the money charts (recharts): day and dollar axes and the empty placeholder, so every
// chart reads and looks the same. Charts are aria-hidden; each page pairs them with a text summary/table.
import type { ComponentType, ReactNode } from "react";
import { cn } from "@/lib/cn";
import { formatMoney } from "@/lib/money";
import { Skeleton } from "@/components/ui/misc";

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

/** The bars a chart shows while its data loads. */
export function ChartSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-label={label} className="flex h-64 items-end gap-1.5 px-2 pb-6">
      {Array.from({ length: 30 }, (_, i) => (
        <Skeleton key={i} className="flex-1" style={{ height: `${20 + ((i * 37) % 70)}%` }} />
      ))}
    </div>
  );
}

/** The tooltip box: the day in bold, then one line per figure. */
export function DayTooltipBox({ day, lines }: { day: string; lines: Array<{ text: string; muted?: boolean }> }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-md">
      <p className="font-medium text-slate-900">{shortDay(day)}</p>
      {lines.map(({ text, muted }) => (
        <p key={text} className={cn("tabular-nums", muted ? "text-slate-500" : "text-slate-700")}>
          {text}
        </p>
      ))}
    </div>
  );
}

/** "1 session", "3 sessions". */
export function sessionsText(sessions: number): string {
  return `${sessions} ${sessions === 1 ? "session" : "sessions"}`;
}

/**
 * The visually hidden table that carries a chart's numbers for assistive technology (the SVG is aria-hidden).
 * The first column is the day, as a row header.
 */
export function ChartTable<Row extends Record<string, unknown>>({
  caption,
  rows,
  dayKey,
  columns,
}: {
  caption: string;
  rows: Row[];
  dayKey: keyof Row & string;
  columns: Array<{ header: string; cell: (row: Row) => ReactNode }>;
}) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          {columns.map((c) => (
            <th key={c.header} scope="col">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const day = String(row[dayKey]);
          return (
            <tr key={day}>
              <th scope="row">{shortDay(day)}</th>
              {columns.map((c) => (
                <td key={c.header}>{c.cell(row)}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
