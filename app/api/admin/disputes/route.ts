import { NextResponse } from "next/server";
import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { adminDisputesQuerySchema } from "@/lib/schemas/disputes";

const PAGE_SIZE = 50;

/**
 * Session disputes for admins: `GET /api/admin/disputes[?status=open|refunded|partially_refunded|rejected]`
 * → `{ disputes: [...] }`, the first 50 (with a status: oldest first, the queue order; without: newest first).
 * 401 without a session, 403 for non-admins, 400 for an unknown status.
 */
export const GET = withApiAuth("admin:disputes", async ({ request, token }) => {
  const params = new URL(request.url).searchParams;
  const parsed = adminDisputesQuerySchema.safeParse({ status: params.get("status") ?? undefined });
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));
  const page = await fetchQuery(
    api.disputes.adminList,
    {
      ...(parsed.data.status ? { status: parsed.data.status } : {}),
      paginationOpts: { numItems: PAGE_SIZE, cursor: null },
    },
    { token },
  );
  return NextResponse.json(
    { disputes: page.page, hasMore: !page.isDone },
    { headers: { "cache-control": "no-store" } },
  );
});
