import { fetchQuery } from "convex/nextjs";
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { marginQuerySchema } from "@/lib/dateRange";
import { marginCsv, withAdvisorRows, type MarginReport } from "../marginCsv";

async function withAllAdvisors(
  report: MarginReport,
  range: FunctionArgs<typeof api.margins.report>,
  token: string | undefined,
): Promise<MarginReport> {
  const rows: FunctionReturnType<typeof api.margins.advisorPage>["page"] = [];
  let cursor: string | null = null;
  for (;;) {
    const page: FunctionReturnType<typeof api.margins.advisorPage> = await fetchQuery(
      api.margins.advisorPage,
      { ...range, paginationOpts: { numItems: 200, cursor } },
      { token },
    );
    rows.push(...page.page);
    if (page.isDone) break;
    cursor = page.continueCursor;
  }
  return withAdvisorRows(report, rows);
}

/**
 * Margin analytics as text/csv: `GET /api/admin/billing/margin-analytics/csv?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City`
 * (or `&tzOffsetMinutes=N`; inclusive days in that time zone, at most 92; defaults: the last 30 days in UTC). Every
 * advisor and category at any volume (paged when there are many). 400 JSON on bad parameters.
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
  // Too many advisors for one report: walk the advisor pages (each a bounded query) and add them up here.
  const complete = report.advisorsComplete ? report : await withAllAdvisors(report, parsed.data, token);
  return new Response(marginCsv(complete), {
    headers: {
      "cache-control": "no-store",
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="margin-${report.from}-to-${report.to}.csv"`,
    },
  });
});
