import { NextResponse } from "next/server";
import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { withApiAuth } from "@/lib/auth/api";

/** Admin headline counts. 401 without a session, 403 for non-admins. */
export const GET = withApiAuth("admin:dashboard", async ({ token }) => {
  const overview = await fetchQuery(api.admin.overview, {}, { token });
  return NextResponse.json({ overview }, { headers: { "cache-control": "no-store" } });
});
