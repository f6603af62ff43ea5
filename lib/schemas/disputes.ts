// Zod schemas for the disputes API route (app/api/admin/disputes) and the dispute forms.
// Convex checks the same rules again (lib/disputes.ts DISPUTE_RULES); these give a plain 400 or message first.
import { z } from "zod";
import { DISPUTE_CATEGORIES, DISPUTE_RULES, DISPUTE_STATUSES } from "../disputes";

/** Query string of GET /api/admin/disputes: ?status=open|refunded|partially_refunded|rejected (optional: all). */
export const adminDisputesQuerySchema = z.object({
  status: z.enum(DISPUTE_STATUSES, { error: `status must be one of: ${DISPUTE_STATUSES.join(", ")}.` }).optional(),
});

/** The client's dispute form (the amount is parsed separately with tryParseMoneyInput). */
export const disputeFormSchema = z.object({
  category: z.enum(DISPUTE_CATEGORIES, { error: "Choose what went wrong." }),
  description: z
    .string()
    .trim()
    .min(10, "Describe what happened in at least 10 characters.")
    .max(
      DISPUTE_RULES.descriptionMaxChars,
      `Keep the description to ${DISPUTE_RULES.descriptionMaxChars.toLocaleString("en-US")} characters or fewer.`,
    ),
});
