import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { marginQuerySchema } from "@/lib/dateRange";
import { marginCsv } from "@/lib/marginCsv";

/**
 * Margin analytics as text/csv: `GET /api/admin/billing/margin-analytics/csv?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City`
 * (or `&tzOffsetMinutes=N`; inclusive days in that time zone, at most 92; defaults: the last 30 days in UTC).
 * One bounded query: for ranges whose advisors fit one report. A range with more advisor-days gets 409 CONFLICT:
 * its file is made by a background export (convex/marginExports.ts, the margin analytics page), which pages through
 * every row. 400 JSON on bad parameters.
 */
export const GET = withApiAuth("admin:billing", async ({ request, token }) => {
  const params = new URL(request.url).searchParams;
  const parsed = marginQuerySchema.safeParse({
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    tzOffsetMinutes: params.get("tzOffsetMinutes") ?? undefined,
    tz: params.get("tz") ?? undefined,
  });
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const report = await fetchQuery(api.margins.report, parsed.data, { token });
  if (!report.advisorsComplete)
    return jsonError(
      "CONFLICT",
      "This range has too many advisors for a direct download. Start a background export on the margin analytics page.",
    );
  return new Response(marginCsv(report), {
    headers: {
      "cache-control": "no-store",
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="margin-${report.from}-to-${report.to}.csv"`,
    },
  });
});
