import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { areaFor } from "@/lib/rolePermissions";
import { readConfig } from "@/lib/config";
import { AUTH_COOKIE, SESSION_ENDED_COOKIE } from "@/lib/localAuth";
import {
  authCookieOptions,
  endLocalSession,
  needsRefresh,
  signLocalToken,
  verifyLocalToken,
} from "@/server/auth/localSession";
import { mayRenewToken } from "@/server/auth/renewal";
import { contentSecurityPolicy, createNonce } from "@/lib/securityHeaders";

// First line of route protection: signed-out visitors of protected areas go to sign-in.
// Role checks happen in each area's server layout (roles live in Convex), which renders "not allowed".
const config_ = readConfig();
// Named one by one: Next inlines `process.env.NEXT_PUBLIC_*` member reads, not the object as a whole.
const cspEnv = {
  NODE_ENV: process.env.NODE_ENV,
  APP_URL: process.env.APP_URL,
  NEXT_PUBLIC_CONVEX_URL: process.env.NEXT_PUBLIC_CONVEX_URL,
  NEXT_PUBLIC_CONVEX_SITE_URL: process.env.NEXT_PUBLIC_CONVEX_SITE_URL,
  NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY,
  NEXT_PUBLIC_STREAM_API_KEY: process.env.NEXT_PUBLIC_STREAM_API_KEY,
  STREAM_API_KEY: process.env.STREAM_API_KEY,
  LOCAL_STRIPE_URL: process.env.LOCAL_STRIPE_URL,
};

async function localProxy(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  const token = request.cookies.get(AUTH_COOKIE)?.value;
  const verified = token ? await verifyLocalToken(token) : null;

  const sessionEnded = request.cookies.has(SESSION_ENDED_COOKIE);

  if (token && !verified) {
    // Tampered or expired cookie: sign out cleanly.
    const response =
      isApi || !areaFor(pathname)
        ? nextWithPath(request)
        : NextResponse.redirect(signInUrl(request, pathname + search, "expired"));
    return endLocalSession(response);
  }
  if (!verified && areaFor(pathname)) {
    // A background request (a prefetch, a token refresh) may have cleared the cookie first; the marker,
    // kept until the next sign-in or for 10 minutes, keeps the explanation.
    return NextResponse.redirect(signInUrl(request, pathname + search, sessionEnded ? "expired" : undefined));
  }
  const response = nextWithPath(request);
  if (verified && sessionEnded) response.cookies.delete(SESSION_ENDED_COOKIE);
  if (verified && token && needsRefresh(verified.expiresAt) && (await mayRenewToken(token))) {
    response.cookies.set(AUTH_COOKIE, await signLocalToken(verified.claims), authCookieOptions);
  }
  return response;
}

/**
 * Passes the path on to server layouts (for the sign-in redirect's `next`) and sets this response's CSP with
 * a fresh script nonce: on the request too, where Next reads it to nonce its own inline scripts.
 */
function nextWithPath(request: NextRequest): NextResponse {
  const headers = new Headers(request.headers);
  headers.set("x-pathname", request.nextUrl.pathname + request.nextUrl.search);
  const csp = contentSecurityPolicy(cspEnv, createNonce());
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

function signInUrl(request: NextRequest, next: string, reason?: string): URL {
  const url = new URL("/sign-in", request.url);
  url.searchParams.set("next", next);
  if (reason) url.searchParams.set("reason", reason);
  return url;
}

type ProxyHandler = (request: NextRequest, event: NextFetchEvent) => unknown;
let clerkHandler: ProxyHandler | null = null;

async function clerkProxy(request: NextRequest, event: NextFetchEvent) {
  if (clerkHandler === null) {
    const { clerkMiddleware } = await import("@clerk/nextjs/server");
    clerkHandler = clerkMiddleware(async (auth, req) => {
      if (areaFor(req.nextUrl.pathname)) await auth.protect();
      return nextWithPath(req);
    }) as ProxyHandler;
  }
  return (await clerkHandler(request, event)) as Response | undefined;
}

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  if (config_.auth.mode === "clerk") return clerkProxy(request, event);
  try {
    return await localProxy(request);
  } catch (error) {
    // Local sign-in refused (production without the flag): let pages explain instead of crashing.
    console.error(error);
    return nextWithPath(request);
  }
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|avatars/|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|webp|ico|css|js)$).*)"],
};
