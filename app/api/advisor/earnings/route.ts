import { NextResponse } from "next/server";
import { fetchQuery } from "convex/nextjs";
import type { FunctionReturnType } from "convex/server";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { earningsQuerySchema } from "@/lib/schemas/payouts";
import { earningsCsv, type EarningCsvRow } from "./csv";

const NO_STORE = { "cache-control": "no-store" };
/** Most rows one CSV export holds (newest first); the response says when it was cut. */
const CSV_MAX_ROWS = 10_000;
const CSV_PAGE_SIZE = 500;

/**
 * The signed-in advisor's earnings.
 * - `GET /api/advisor/earnings[?tz=America/New_York | ?tzOffsetMinutes=-300]` → the dashboard summary: balances (pending, available,
 *   in transit, receivable), today / week / month and 30 daily totals in that time zone (default UTC).
 * - `GET /api/advisor/earnings?format=csv` → every earning row (newest first, at most 10,000) as text/csv.
 */
export const GET = withApiAuth("advisor:earnings", async ({ request, token }) => {
  const params = new URL(request.url).searchParams;
  const parsed = earningsQuerySchema.safeParse({
    format: params.get("format") ?? undefined,
    tzOffsetMinutes: params.get("tzOffsetMinutes") ?? undefined,
    tz: params.get("tz") ?? undefined,
  });
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));

  if (parsed.data.format === "json") {
    const { tz, tzOffsetMinutes } = parsed.data;
    const summary = await fetchQuery(api.earnings.summary, tz !== undefined ? { tz } : { tzOffsetMinutes }, { token });
    return NextResponse.json(summary, { headers: NO_STORE });
  }

  const rows: EarningCsvRow[] = [];
  let cursor: string | null = null;
  let truncated = false;
  for (;;) {
    const page: FunctionReturnType<typeof api.earnings.list> = await fetchQuery(
      api.earnings.list,
      { paginationOpts: { numItems: Math.min(CSV_PAGE_SIZE, CSV_MAX_ROWS - rows.length), cursor } },
      { token },
    );
    rows.push(...page.page);
    if (page.isDone) break;
    if (rows.length >= CSV_MAX_ROWS) {
      truncated = true;
      break;
    }
    cursor = page.continueCursor;
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(earningsCsv(rows.slice(0, CSV_MAX_ROWS)), {
    headers: {
      ...NO_STORE,
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="earnings-${day}.csv"`,
      "x-row-count": String(Math.min(rows.length, CSV_MAX_ROWS)),
      ...(truncated ? { "x-truncated": "true" } : {}),
    },
  });
});
