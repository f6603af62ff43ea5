// Calendar days in a viewer's time zone: one module for every "per day" figure (dashboard, margins, earnings).
// A zone is an IANA name ("Europe/Paris") or a fixed offset ("+05:30", what the older tzOffsetMinutes
// arguments become). Days are "YYYY-MM-DD"; a day's start is its local midnight, so a day that crosses a
// daylight-saving change lasts 23 or 25 hours and no hour of data lands in the wrong day.
import { TZDate, tzOffset } from "@date-fns/tz";

export const UTC = "UTC";
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** Real offsets lie within −12 h and +14 h. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** True for a zone the runtime knows (IANA name or ±HH:MM offset). */
export function isTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.length === 0 || tz.length > 64) return false;
  return Number.isFinite(tzOffset(tz, new Date(0)));
}

/** The fixed-offset zone of an offset in minutes east of UTC (the older API's tzOffsetMinutes). */
export function offsetZone(tzOffsetMinutes: number): string {
  if (!Number.isInteger(tzOffsetMinutes) || Math.abs(tzOffsetMinutes) > MAX_OFFSET_MINUTES) return "";
  const sign = tzOffsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(tzOffsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * The zone of a request: `tz` (IANA) wins, else the offset, else UTC. Null when what was given is not valid.
 */
export function resolveZone(input: { tz?: string; tzOffsetMinutes?: number }): string | null {
  if (input.tz !== undefined) return isTimeZone(input.tz) ? input.tz : null;
  if (input.tzOffsetMinutes !== undefined) {
    const zone = offsetZone(input.tzOffsetMinutes);
    return zone === "" ? null : zone;
  }
  return UTC;
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** `day` moved by `days` calendar days (calendar arithmetic: no zone involved). */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to`, both included (0 when `to` is before `from`). */
export function dayCount(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1);
}

/** Every day from `from` to `to` inclusive (at most `max`). */
export function daysBetween(from: string, to: string, max = 400): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < max; d = shiftDay(d, 1)) out.push(d);
  return out;
}

/** Local midnight of `day` in `tz`, in UTC milliseconds. */
export function dayStartMs(day: string, tz: string): number {
  const m = DAY_RE.exec(day);
  if (!m) return NaN;
  return new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), tz).getTime();
}

/** The local day of an instant. */
export function dayOf(ms: number, tz: string): string {
  const d = new TZDate(ms, tz);
  return `${String(d.getFullYear()).padStart(4, "0")}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Today in `tz`. */
export function todayIn(tz: string, now = Date.now()): string {
  return dayOf(now, tz);
}

/** The Monday that starts the week of `day`. */
export function weekStartDay(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return shiftDay(day, -((weekday + 6) % 7));
}

/** The first day of the month of `day`. */
export function monthStartDay(day: string): string {
  return `${day.slice(0, 7)}-01`;
}
