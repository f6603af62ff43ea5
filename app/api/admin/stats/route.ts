import { NextResponse } from "next/server";
import { fetchQuery } from "convex/nextjs";
import { z } from "zod";
import { tzOffsetMinutesParam, tzParam } from "@/lib/schemas/query";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { isDay, todayIn } from "@/lib/dateRange";

/** ?today=YYYY-MM-DD&tz=Area/City (or &tzOffsetMinutes=N, minutes east of UTC); all optional (UTC today). */
const statsQuerySchema = z.object({
  today: z.string().trim().refine(isDay, "today must be a date like 2025-03-07.").optional(),
  tzOffsetMinutes: tzOffsetMinutesParam,
  tz: tzParam,
});

/**
 * Admin headline counts (`overview`) and the dashboard (`dashboard`: live counts, today's and this month's
 * money figures, the last 30 days). 401 without a session, 403 for non-admins, 400 on bad parameters.
 */
export const GET = withApiAuth("admin:dashboard", async ({ request, token }) => {
  const params = new URL(request.url).searchParams;
  const parsed = statsQuerySchema.safeParse({
    today: params.get("today") ?? undefined,
    tzOffsetMinutes: params.get("tzOffsetMinutes") ?? undefined,
    tz: params.get("tz") ?? undefined,
  });
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const { tzOffsetMinutes, tz } = parsed.data;
  const today = parsed.data.today ?? todayIn(tz ?? tzOffsetMinutes);
  const [overview, dashboard] = await Promise.all([
    fetchQuery(api.admin.overview, {}, { token }),
    fetchQuery(api.admin.dashboard, { today, ...(tz !== undefined ? { tz } : { tzOffsetMinutes }) }, { token }),
  ]);
  return NextResponse.json({ overview, dashboard }, { headers: { "cache-control": "no-store" } });
});
