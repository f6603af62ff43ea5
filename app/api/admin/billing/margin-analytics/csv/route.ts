import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { marginQuerySchema } from "@/lib/dateRange";
import { marginCsv } from "../marginCsv";

/**
 * Margin analytics as text/csv: `GET /api/admin/billing/margin-analytics/csv?from=YYYY-MM-DD&to=YYYY-MM-DD&tzOffsetMinutes=N`
 * (inclusive days in that time zone, at most 92; defaults: the last 30 days in UTC). 400 JSON on bad parameters.
 */
export const GET = withApiAuth("admin:billing", async ({ request, token }) => {
  const params = new URL(request.url).searchParams;
  const parsed = marginQuerySchema.safeParse({
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    tzOffsetMinutes: params.get("tzOffsetMinutes") ?? undefined,
  });
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const report = await fetchQuery(api.margins.report, parsed.data, { token });
  return new Response(marginCsv(report), {
    headers: {
      "cache-control": "no-store",
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="margin-${report.from}-to-${report.to}.csv"`,
      ...(report.truncated ? { "x-truncated": "true" } : {}),
    },
  });
});
