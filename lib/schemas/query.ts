import { z } from "zod";
import { isTimeZone } from "@/lib/days";

/** `?tzOffsetMinutes=-300`: the viewer's offset east of UTC in whole minutes, within ±14 hours; default 0 (UTC). */
export const tzOffsetMinutesParam = z
  .string()
  .trim()
  .regex(/^[+-]?\d{1,3}$/, "tzOffsetMinutes must be whole minutes, like -300 or 60.")
  .transform(Number)
  .refine((value) => Math.abs(value) <= 14 * 60, "tzOffsetMinutes must be within ±840 (±14 hours).")
  .default(0);

/** `?tz=Europe/Paris`: the viewer's IANA time zone (wins over tzOffsetMinutes when both are given). */
export const tzParam = z
  .string()
  .trim()
  .refine(isTimeZone, "tz must be an IANA time zone, like Europe/Paris.")
  .optional();
