import { importJWK, jwtVerify, SignJWT, type JWK } from "jose";
import type { NextResponse } from "next/server";
import {
  AUTH_COOKIE,
  CONVEX_APPLICATION_ID,
  LOCAL_AUTH_ISSUER,
  SESSION_ENDED_COOKIE,
  TOKEN_REFRESH_WINDOW_SECONDS,
  TOKEN_TTL_SECONDS,
} from "@/lib/localAuth";
import { assertLocalAllowed, readConfig } from "@/lib/config";

export type LocalClaims = { sub: string; name: string; email: string };

let keyPromise: Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; kid: string }> | null = null;

/** The signing key written by scripts/dev.mjs; refuses production unless explicitly allowed. */
function keys() {
  assertLocalAllowed(readConfig(), "Authentication (Clerk)");
  if (keyPromise === null) {
    const raw = process.env.LOCAL_AUTH_PRIVATE_JWK;
    if (!raw) {
      throw new Error(
        "LOCAL_AUTH_PRIVATE_JWK is not set. Start the app with `npm run dev`, which creates the local sign-in keys.",
      );
    }
    const privateJwk = JSON.parse(raw) as JWK & { kid: string };
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
    keyPromise = Promise.all([importJWK(privateJwk, "RS256"), importJWK(publicJwk, "RS256")]).then(
      ([privateKey, publicKey]) => ({
        privateKey: privateKey as CryptoKey,
        publicKey: publicKey as CryptoKey,
        kid: privateJwk.kid,
      }),
    );
  }
  return keyPromise;
}

export async function signLocalToken(claims: LocalClaims, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const { privateKey, kid } = await keys();
  return await new SignJWT({ name: claims.name, email: claims.email })
    .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
    .setIssuer(LOCAL_AUTH_ISSUER)
    .setAudience(CONVEX_APPLICATION_ID)
    .setSubject(claims.sub)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + TOKEN_TTL_SECONDS)
    .sign(privateKey);
}

export type VerifiedLocalToken = { claims: LocalClaims; expiresAt: number };

/** Null for a missing, tampered or expired token. */
export async function verifyLocalToken(token: string | undefined): Promise<VerifiedLocalToken | null> {
  if (!token) return null;
  try {
    const { publicKey } = await keys();
    const { payload } = await jwtVerify(token, publicKey, {
      issuer: LOCAL_AUTH_ISSUER,
      audience: CONVEX_APPLICATION_ID,
      algorithms: ["RS256"],
    });
    if (typeof payload.sub !== "string" || typeof payload.exp !== "number") return null;
    return {
      claims: { sub: payload.sub, name: String(payload.name ?? ""), email: String(payload.email ?? "") },
      expiresAt: payload.exp,
    };
  } catch {
    return null;
  }
}

export function needsRefresh(expiresAt: number, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  return expiresAt - nowSeconds < TOKEN_REFRESH_WINDOW_SECONDS;
}

export const authCookieOptions = {
  httpOnly: true,
  sameSite: "lax" as const,
  secure: process.env.NODE_ENV === "production",
  path: "/",
  maxAge: TOKEN_TTL_SECONDS,
};

/** Clears an invalid auth cookie and remembers (briefly) that the session ended rather than being signed out. */
export function endLocalSession(response: NextResponse): NextResponse {
  response.cookies.delete(AUTH_COOKIE);
  response.cookies.set(SESSION_ENDED_COOKIE, "1", { ...authCookieOptions, maxAge: 10 * 60 });
  return response;
}
