// Date ranges of the admin pages and exports (margin analytics, stats): inclusive days "YYYY-MM-DD", at most 92 days,
// in the viewer's time zone. Day arithmetic is lib/days.ts (IANA zones, daylight saving included).
import { z } from "zod";
import { tzOffsetMinutesParam, tzParam } from "@/lib/schemas/query";
import { dayCount, isDay, offsetZone, shiftDay, todayIn as todayInZone } from "@/lib/days";

export { isDay, shiftDay };

export const MAX_RANGE_DAYS = 92;
export const DEFAULT_RANGE_DAYS = 30;

/** Today in a zone: an IANA name, or an offset in minutes east of UTC (older callers). */
export function todayIn(zone: string | number, now = Date.now()): string {
  return todayInZone(typeof zone === "number" ? offsetZone(zone) : zone, now);
}

/** The viewer's IANA time zone (browser), UTC when unknown. */
export function viewerTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The default range: the last 30 days up to and including today. */
export function defaultRange(zone: string | number): { from: string; to: string } {
  const to = todayIn(zone);
  return { from: shiftDay(to, -(DEFAULT_RANGE_DAYS - 1)), to };
}

/** A plain-words problem with a range, or null when it is fine. */
export function rangeProblem(from: string, to: string): string | null {
  if (!isDay(from)) return "Choose a start date.";
  if (!isDay(to)) return "Choose an end date.";
  if (to < from) return "The end date is before the start date.";
  const days = dayCount(from, to);
  if (days > MAX_RANGE_DAYS) return `Choose at most ${MAX_RANGE_DAYS} days (this range has ${days}).`;
  return null;
}

/** Query string of the CSV export: ?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City (or &tzOffsetMinutes=N; defaults: last 30 days, UTC). */
export const marginQuerySchema = z
  .object({
    from: z.string().trim().refine(isDay, "from must be a date like 2025-03-07.").optional(),
    to: z.string().trim().refine(isDay, "to must be a date like 2025-03-07.").optional(),
    tzOffsetMinutes: tzOffsetMinutesParam,
    tz: tzParam,
  })
  .transform((q, ctx) => {
    const fallback = defaultRange(q.tz ?? q.tzOffsetMinutes);
    const to = q.to ?? (q.from ? shiftDay(q.from, DEFAULT_RANGE_DAYS - 1) : fallback.to);
    const from = q.from ?? shiftDay(to, -(DEFAULT_RANGE_DAYS - 1));
    const problem = rangeProblem(from, to);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return { from, to, tzOffsetMinutes: q.tzOffsetMinutes, ...(q.tz !== undefined ? { tz: q.tz } : {}) };
  });
