import { NextResponse, type NextRequest } from "next/server";
import { jsonError } from "@/server/auth/api";
import {
  authCookieOptions,
  endLocalSession,
  needsRefresh,
  signLocalToken,
  verifyLocalToken,
} from "@/server/auth/localSession";
import { localAuthRoute } from "@/server/auth/localRoutes";
import { mayRenewToken } from "@/server/auth/renewal";
import { AUTH_COOKIE } from "@/lib/localAuth";

/** The browser's Convex client asks here for its access token (the cookie itself is httpOnly). */
export async function GET(request: NextRequest) {
  return localAuthRoute(async () => {
    const current = request.cookies.get(AUTH_COOKIE)?.value;
    const verified = await verifyLocalToken(current);
    if (!verified || !current) {
      const response = jsonError("UNAUTHENTICATED", "Your session has ended. Please sign in again.");
      return current ? endLocalSession(response) : response;
    }
    const forceRefresh = request.nextUrl.searchParams.get("refresh") === "1";
    if (!forceRefresh && !needsRefresh(verified.expiresAt)) {
      return NextResponse.json({ token: current }, { headers: { "cache-control": "no-store" } });
    }
    // A suspended user's token is not renewed: it stops working within one token lifetime.
    if (!(await mayRenewToken(current))) {
      return NextResponse.json({ token: current }, { headers: { "cache-control": "no-store" } });
    }
    const token = await signLocalToken(verified.claims);
    const response = NextResponse.json({ token }, { headers: { "cache-control": "no-store" } });
    response.cookies.set(AUTH_COOKIE, token, authCookieOptions);
    return response;
  });
}
