import { NextResponse } from "next/server";
import { fetchQuery } from "convex/nextjs";
import type { FunctionReturnType } from "convex/server";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { earningsQuerySchema } from "@/lib/schemas/payouts";
import { earningsCsvStream } from "./csv";

const NO_STORE = { "cache-control": "no-store" };
/** Rows per page of the streamed CSV: each page is one bounded query, fetched when the download pulls for more. */
const CSV_PAGE_SIZE = 500;

/**
 * The signed-in advisor's earnings.
 * - `GET /api/advisor/earnings[?tz=America/New_York | ?tzOffsetMinutes=-300]` → the dashboard summary: balances (pending, available,
 *   in transit, receivable), today / week / month and 30 daily totals in that time zone (default UTC).
 * - `GET /api/advisor/earnings?format=csv` → every earning row (newest first) as text/csv,
 *   streamed page by page (complete at any size; no row count up front).
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

  const fetchPage = (cursor: string | null): Promise<FunctionReturnType<typeof api.earnings.list>> =>
    fetchQuery(api.earnings.list, { paginationOpts: { numItems: CSV_PAGE_SIZE, cursor } }, { token });
  const first = await fetchPage(null);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(earningsCsvStream(first, fetchPage), {
    headers: {
      ...NO_STORE,
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="earnings-${day}.csv"`,
    },
  });
});
