import { NextResponse } from "next/server";
import { withApiAuth } from "@/server/auth/api";

/** The signed-in user, with their account status (readable while suspended). 401 without a session. */
export const GET = withApiAuth(
  "self:read",
  async ({ viewer }) => NextResponse.json({ user: viewer }, { headers: { "cache-control": "no-store" } }),
  { allowSuspended: true },
);
