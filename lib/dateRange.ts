// Date ranges of the admin pages and exports (margin analytics, stats): inclusive days "YYYY-MM-DD", at most 92 days.
import { z } from "zod";
import { tzOffsetMinutesParam } from "@/lib/schemas/query";

export const MAX_RANGE_DAYS = 92;
export const DEFAULT_RANGE_DAYS = 30;
const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!DAY_RE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** `day` moved by `days` calendar days. */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Today in a time zone `tzOffsetMinutes` east of UTC. */
export function todayIn(tzOffsetMinutes: number, now = Date.now()): string {
  return new Date(now + tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The default range: the last 30 days up to and including today. */
export function defaultRange(tzOffsetMinutes: number): { from: string; to: string } {
  const to = todayIn(tzOffsetMinutes);
  return { from: shiftDay(to, -(DEFAULT_RANGE_DAYS - 1)), to };
}

/** A plain-words problem with a range, or null when it is fine. */
export function rangeProblem(from: string, to: string): string | null {
  if (!isDay(from)) return "Choose a start date.";
  if (!isDay(to)) return "Choose an end date.";
  if (to < from) return "The end date is before the start date.";
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) return `Choose at most ${MAX_RANGE_DAYS} days (this range has ${days}).`;
  return null;
}

/** Query string of the CSV export: ?from=YYYY-MM-DD&to=YYYY-MM-DD&tzOffsetMinutes=N (defaults: last 30 days, UTC). */
export const marginQuerySchema = z
  .object({
    from: z.string().trim().refine(isDay, "from must be a date like 2025-03-07.").optional(),
    to: z.string().trim().refine(isDay, "to must be a date like 2025-03-07.").optional(),
    tzOffsetMinutes: tzOffsetMinutesParam,
  })
  .transform((q, ctx) => {
    const fallback = defaultRange(q.tzOffsetMinutes);
    const to = q.to ?? (q.from ? shiftDay(q.from, DEFAULT_RANGE_DAYS - 1) : fallback.to);
    const from = q.from ?? shiftDay(to, -(DEFAULT_RANGE_DAYS - 1));
    const problem = rangeProblem(from, to);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return { from, to, tzOffsetMinutes: q.tzOffsetMinutes };
  });
