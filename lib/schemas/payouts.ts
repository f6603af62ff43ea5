// Zod schemas for the advisor earnings and payout API routes (app/api/advisor/earnings, app/api/advisor/payouts).
// Convex checks the same rules again (payoutBlocker, the time zone offset); these give a plain 400 first.
import { z } from "zod";
import { tzOffsetMinutesParam, tzParam } from "./query";

/** POST /api/advisor/payouts: { amountCents } in whole cents. Minimum, balance and account are checked by Convex. */
export const payoutRequestSchema = z.object(
  {
    amountCents: z
      .number({ error: "amountCents must be a number of cents." })
      .refine(
        (value) => Number.isSafeInteger(value),
        "amountCents must be a whole number of cents (an integer), like 2500 for $25.00.",
      )
      .refine((value) => value > 0, "amountCents must be greater than zero."),
  },
  { error: 'Send a JSON object like { "amountCents": 2500 }.' },
);

/** Query string of GET /api/advisor/earnings: ?format=json|csv&tz=Area/City (or &tzOffsetMinutes=-300, minutes east of UTC). */
export const earningsQuerySchema = z.object({
  format: z.enum(["json", "csv"], { error: 'format must be "json" or "csv".' }).default("json"),
  tzOffsetMinutes: tzOffsetMinutesParam,
  tz: tzParam,
});
