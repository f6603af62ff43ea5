import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { jsonError, errorResponse } from "@/server/auth/api";
import { authCookieOptions, signLocalToken } from "@/server/auth/localSession";
import { localAuthRoute } from "@/server/auth/localRoutes";
import { findDemoAccount } from "@/lib/demoAccounts";
import { AUTH_COOKIE, SESSION_ENDED_COOKIE } from "@/lib/localAuth";
import { signInRequestSchema } from "@/lib/schemas/auth";
import { readConfig } from "@/lib/config";
import { HOME_BY_ROLE } from "@/lib/rolePermissions";
import { signInKey, signInLimiter } from "@/lib/slidingWindowLimiter";
import { retryInWords } from "@/lib/format";

/** Local sign-in: a demo account by subject, or a new account by name and email. */
export async function POST(request: Request) {
  return localAuthRoute(async () => {
    if (readConfig().auth.mode !== "local") return jsonError("NOT_FOUND", "Local sign-in is off: Clerk is configured.");
    const parsed = signInRequestSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) {
      return jsonError("INVALID_ARGUMENT", parsed.error.issues[0]?.message ?? "Invalid sign-in request.");
    }
    const limited = signInLimiter.hit(
      signInKey(request.headers, "subject" in parsed.data ? parsed.data.subject : parsed.data.email),
    );
    if (!limited.ok) {
      return jsonError(
        "RATE_LIMITED",
        `Too many sign-in attempts. Try again in ${retryInWords(limited.retryAfterMs)}.`,
        {
          retryAfterMs: limited.retryAfterMs,
        },
      );
    }
    let claims: { sub: string; name: string; email: string };
    if ("subject" in parsed.data) {
      const account = findDemoAccount(parsed.data.subject);
      if (!account) return jsonError("NOT_FOUND", "That demo account does not exist.");
      claims = { sub: account.subject, name: account.name, email: account.email };
    } else {
      claims = { sub: `user:${parsed.data.email}`, name: parsed.data.name, email: parsed.data.email };
    }
    const token = await signLocalToken(claims);
    try {
      const viewer = await fetchMutation(api.users.ensureViewer, {}, { token });
      const response = NextResponse.json({ ok: true, role: viewer.role, redirectTo: HOME_BY_ROLE[viewer.role] });
      response.cookies.set(AUTH_COOKIE, token, authCookieOptions);
      response.cookies.delete(SESSION_ENDED_COOKIE);
      return response;
    } catch (error) {
      return errorResponse(error);
    }
  });
}
