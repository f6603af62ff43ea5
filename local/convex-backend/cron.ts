/** Next-run computation for the schedules of convex/crons.ts (all UTC). */

export type CronScheduleSpec =
  | { type: "interval"; seconds?: number; minutes?: number; hours?: number }
  | { type: "hourly"; minuteUTC?: number }
  | { type: "daily"; hourUTC: number; minuteUTC?: number }
  | { type: "weekly"; dayOfWeek: string; hourUTC: number; minuteUTC?: number }
  | { type: "monthly"; day: number; hourUTC: number; minuteUTC?: number }
  | { type: "cron"; cron: string };

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

export function intervalMs(s: CronScheduleSpec): number | null {
  if (s.type !== "interval") return null;
  return ((s.seconds ?? 0) + (s.minutes ?? 0) * 60 + (s.hours ?? 0) * 3600) * 1000;
}

function toCronString(s: CronScheduleSpec): string {
  switch (s.type) {
    case "hourly":
      return `${s.minuteUTC ?? 0} * * * *`;
    case "daily":
      return `${s.minuteUTC ?? 0} ${s.hourUTC} * * *`;
    case "weekly":
      return `${s.minuteUTC ?? 0} ${s.hourUTC} * * ${DAYS.indexOf(s.dayOfWeek)}`;
    case "monthly":
      return `${s.minuteUTC ?? 0} ${s.hourUTC} ${s.day} * *`;
    case "cron":
      return s.cron;
    case "interval":
      throw new Error("interval schedules have no cron string");
  }
}

function parseField(field: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [rangePart, stepPart] = part.split("/");
    const step = stepPart === undefined ? 1 : Number(stepPart);
    let lo = min;
    let hi = max;
    if (rangePart !== "*" && rangePart !== undefined) {
      const [a, b] = rangePart.split("-");
      lo = Number(a);
      hi = b === undefined ? (stepPart === undefined ? lo : max) : Number(b);
    }
    if (![lo, hi, step].every(Number.isInteger) || step <= 0 || lo < min || hi > max) {
      throw new Error(`invalid cron field "${field}"`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export interface ParsedCron {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domStar: boolean;
  dowStar: boolean;
}

export function parseCron(spec: string): ParsedCron {
  const fields = spec.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${spec}" must have 5 fields`);
  const [mi, h, dom, mo, dow] = fields as [string, string, string, string, string];
  const dowSet = parseField(dow, 0, 7);
  if (dowSet.has(7)) dowSet.add(0);
  return {
    minute: parseField(mi, 0, 59),
    hour: parseField(h, 0, 23),
    dom: parseField(dom, 1, 31),
    month: parseField(mo, 1, 12),
    dow: dowSet,
    domStar: dom === "*",
    dowStar: dow === "*",
  };
}

/** First matching minute strictly after `afterMs`. */
export function nextCronTime(c: ParsedCron, afterMs: number): number {
  const d = new Date(afterMs);
  d.setUTCSeconds(0, 0);
  d.setUTCMinutes(d.getUTCMinutes() + 1);
  for (let i = 0; i < 366 * 24 * 60 * 5; i++) {
    const dayOk = (() => {
      const domOk = c.dom.has(d.getUTCDate());
      const dowOk = c.dow.has(d.getUTCDay());
      if (c.domStar && c.dowStar) return true;
      if (c.domStar) return dowOk;
      if (c.dowStar) return domOk;
      return domOk || dowOk;
    })();
    if (!c.month.has(d.getUTCMonth() + 1) || !dayOk) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!c.hour.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!c.minute.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return d.getTime();
  }
  throw new Error("cron schedule never fires");
}

/** Next run time of a schedule after `nowMs`; `lastRunMs` anchors intervals. */
export function nextRun(s: CronScheduleSpec, nowMs: number, anchorMs: number): number {
  const iv = intervalMs(s);
  if (iv !== null) {
    if (iv <= 0) throw new Error("interval must be positive");
    const periods = Math.floor((nowMs - anchorMs) / iv) + 1;
    return anchorMs + Math.max(1, periods) * iv;
  }
  return nextCronTime(parseCron(toCronString(s)), nowMs);
}
