import { NextResponse } from "next/server";
import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { withApiAuth } from "@/server/auth/api";

/**
 * Payout health (issue 19): transfer success rate over the last 7 and 30 days (paid / (paid + failed +
 * dead-lettered), in basis points), the 95% target, whether it is below target, and payouts held while the
 * reserve is critical. 401 without a session, 403 for non-admins.
 */
export const GET = withApiAuth("admin:billing", async ({ token }) => {
  const health = await fetchQuery(api.payouts.health, {}, { token });
  return NextResponse.json(health, { headers: { "cache-control": "no-store" } });
});
