import { NextResponse } from "next/server";
import { fetchQuery } from "convex/nextjs";
import { z } from "zod";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { FINAL_STATUSES, OPEN_STATUSES, type SessionStatus } from "@/lib/sessionUtils";

const OPEN = ["requested", "active", "paused"] as const satisfies readonly SessionStatus[];
const FINAL = ["ended", "declined", "expired", "cancelled"] as const satisfies readonly SessionStatus[];

const querySchema = z.object({
  /** "live" (every open status), "history" (every finished status) or one status. Default: live. */
  status: z.enum(["live", "history", ...OPEN, ...FINAL], { message: "Unknown status." }).default("live"),
  limit: z.coerce
    .number({ message: "The limit must be a number." })
    .int("The limit must be a whole number.")
    .min(1, "The limit must be at least 1.")
    .max(100, "The limit is at most 100.")
    .default(50),
  /** History only: the continueCursor of the previous page. */
  cursor: z.string().max(2000).optional(),
});

/**
 * Sessions for admins, the rows of /admin/sessions:
 * `GET /api/admin/sessions[?status=live|history|requested|active|paused|ended|declined|expired|cancelled][&limit=1..100][&cursor=…]`
 * → `{ sessions: [...], hasMore, cursor }`. Live rows are newest request first (every open session, up to `limit`);
 * history is paginated newest first. 401 without a session, 403 for non-admins, 400 for a bad query.
 */
export const GET = withApiAuth("admin:sessions", async ({ request, token }) => {
  const params = new URL(request.url).searchParams;
  const parsed = querySchema.safeParse({
    status: params.get("status") ?? undefined,
    limit: params.get("limit") ?? undefined,
    cursor: params.get("cursor") ?? undefined,
  });
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const { status, limit, cursor } = parsed.data;
  const headers = { "cache-control": "no-store" };
  if (status === "live" || (OPEN_STATUSES as readonly string[]).includes(status)) {
    const rows = await fetchQuery(
      api.adminSessions.live,
      status === "live" ? {} : { status: status as (typeof OPEN)[number] },
      { token },
    );
    return NextResponse.json(
      { sessions: rows.slice(0, limit), hasMore: rows.length > limit, cursor: null },
      { headers },
    );
  }
  const page = await fetchQuery(
    api.adminSessions.history,
    {
      ...((FINAL_STATUSES as readonly string[]).includes(status) ? { status: status as (typeof FINAL)[number] } : {}),
      paginationOpts: { numItems: limit, cursor: cursor ?? null },
    },
    { token },
  );
  return NextResponse.json(
    { sessions: page.page, hasMore: !page.isDone, cursor: page.isDone ? null : page.continueCursor },
    { headers },
  );
});
