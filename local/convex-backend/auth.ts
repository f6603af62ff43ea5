/**
 * JWT verification following convex/auth.config.ts, as a deployment does.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";

export type AuthProvider =
  | { type?: undefined; domain: string; applicationID: string }
  | { type: "customJwt"; issuer: string; jwks: string; algorithm: "RS256" | "ES256"; applicationID?: string };

export interface AuthConfigLike {
  providers?: AuthProvider[];
}

export type Identity = Record<string, unknown> & {
  tokenIdentifier: string;
  subject: string;
  issuer: string;
};

export interface VerifiedToken {
  identity: Identity;
  /** expiry in ms since epoch, or null */
  expiresAt: number | null;
}

/**
 * A refused credential. `code` is the deployment's error code for it (the HTTP API answers
 * 401 `{code, message}`): InvalidAuthHeader (not a JWT), NoAuthProvider (issuer/audience match no
 * provider), IdTokenExpired, Unauthenticated (signature or claims do not verify), BadAdminKey.
 */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly code: string = "Unauthenticated",
  ) {
    super(message);
  }
}

/** A token issued this far in the future is refused (clock skew allowance). */
const IAT_LEEWAY_S = 5;

const CLAIM_TO_ATTRIBUTE: Record<string, string> = {
  name: "name",
  given_name: "givenName",
  family_name: "familyName",
  nickname: "nickname",
  preferred_username: "preferredUsername",
  profile: "profileUrl",
  picture: "pictureUrl",
  email: "email",
  email_verified: "emailVerified",
  gender: "gender",
  birthdate: "birthday",
  zoneinfo: "timezone",
  locale: "language",
  phone_number: "phoneNumber",
  phone_number_verified: "phoneNumberVerified",
  address: "address",
  updated_at: "updatedAt",
};

/** Registered JWT claims that are not passed through as custom claims. */
const RESERVED = new Set(["iss", "sub", "aud", "exp", "iat", "nbf", "jti"]);

function stripSlash(s: string): string {
  return s.endsWith("/") ? s.slice(0, -1) : s;
}

function parseDataUri(uri: string): JSONWebKeySet {
  const comma = uri.indexOf(",");
  if (comma < 0) throw new Error("invalid data: URI for jwks");
  const meta = uri.slice(5, comma);
  const payload = uri.slice(comma + 1);
  const text = meta.endsWith(";base64") ? Buffer.from(payload, "base64").toString("utf8") : decodeURIComponent(payload);
  return JSON.parse(text) as JSONWebKeySet;
}

export function identityFromClaims(claims: JWTPayload): Identity {
  const iss = String(claims.iss);
  const sub = String(claims.sub);
  const identity: Identity = { tokenIdentifier: `${iss}|${sub}`, subject: sub, issuer: iss };
  for (const [claim, value] of Object.entries(claims)) {
    if (value === undefined || value === null || RESERVED.has(claim)) continue;
    const attr = CLAIM_TO_ATTRIBUTE[claim];
    if (attr === "updatedAt" && typeof value === "number") {
      identity[attr] = new Date(value * 1000).toISOString();
    } else if (attr === "address" && typeof value === "object") {
      identity[attr] = JSON.stringify(value);
    } else {
      identity[attr ?? claim] = value;
    }
  }
  return identity;
}

const VERIFIED_CACHE_MAX = 1000;

export class AuthVerifier {
  private keySets = new Map<string, JWTVerifyGetKey>();
  /** token -> verification result, until the token expires (or the auth config changes) */
  private verified = new Map<string, VerifiedToken>();
  constructor(private config: AuthConfigLike | null) {}

  setConfig(config: AuthConfigLike | null): void {
    this.config = config;
    this.keySets.clear();
    this.verified.clear();
  }

  private async keySetFor(provider: AuthProvider): Promise<JWTVerifyGetKey> {
    const cacheKey = provider.type === "customJwt" ? `jwt:${provider.jwks}` : `oidc:${provider.domain}`;
    const cached = this.keySets.get(cacheKey);
    if (cached) return cached;
    let keySet: JWTVerifyGetKey;
    if (provider.type === "customJwt") {
      keySet = provider.jwks.startsWith("data:")
        ? createLocalJWKSet(parseDataUri(provider.jwks))
        : createRemoteJWKSet(new URL(provider.jwks));
    } else {
      const res = await fetch(`${stripSlash(provider.domain)}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new AuthError(`Could not fetch OIDC configuration for ${provider.domain}: HTTP ${res.status}`);
      const conf = (await res.json()) as { jwks_uri?: string };
      if (!conf.jwks_uri) throw new AuthError(`OIDC configuration for ${provider.domain} has no jwks_uri`);
      keySet = createRemoteJWKSet(new URL(conf.jwks_uri));
    }
    this.keySets.set(cacheKey, keySet);
    return keySet;
  }

  /** Verifies a JWT; a token verified before is not checked again until it expires. */
  async verify(token: string): Promise<VerifiedToken> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expiresAt === null || hit.expiresAt > Date.now())
        return { identity: { ...hit.identity }, expiresAt: hit.expiresAt };
      this.verified.delete(token);
    }
    const config = this.config;
    const result = await this.verifyUncached(token);
    if (this.config === config) {
      if (this.verified.size >= VERIFIED_CACHE_MAX) {
        const oldest = this.verified.keys().next().value;
        if (oldest !== undefined) this.verified.delete(oldest);
      }
      this.verified.set(token, result);
    }
    return { identity: { ...result.identity }, expiresAt: result.expiresAt };
  }

  private async verifyUncached(token: string): Promise<VerifiedToken> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new AuthError(
        "Could not parse JWT payload. Check that the token is a valid JWT format.",
        "InvalidAuthHeader",
      );
    }
    const providers = this.config?.providers ?? [];
    if (providers.length === 0) {
      throw new AuthError(
        "No auth provider found matching the given token (no providers configured in auth.config.ts)",
        "NoAuthProvider",
      );
    }
    const iss = typeof unverified.iss === "string" ? unverified.iss : "";
    const aud = unverified.aud;
    const auds = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud];
    const candidates = providers.filter((p) => {
      const providerIssuer = p.type === "customJwt" ? p.issuer : p.domain;
      if (stripSlash(providerIssuer) !== stripSlash(iss)) return false;
      if (p.applicationID !== undefined && !auds.includes(p.applicationID)) return false;
      return true;
    });
    if (candidates.length === 0) {
      throw new AuthError(
        `No auth provider found matching the given token. Check that your JWT's issuer (${iss || "missing"}) and audience (${auds.join(",") || "missing"}) match one of your configured providers`,
        "NoAuthProvider",
      );
    }
    let lastError: unknown = null;
    for (const provider of candidates) {
      try {
        const keySet = await this.keySetFor(provider);
        const { payload } = await jwtVerify(token, keySet, {
          issuer: iss,
          audience: provider.applicationID,
          algorithms: provider.type === "customJwt" ? [provider.algorithm] : undefined,
        });
        // As a deployment: with several keys to choose from, a token must name its key.
        const keys = (keySet as { jwks?: () => JSONWebKeySet | undefined }).jwks?.()?.keys;
        if (decodeProtectedHeader(token).kid === undefined && keys !== undefined && keys.length > 1) {
          throw new AuthError("Token is missing the `kid` header, which is required when the JWKS has several keys");
        }
        if (typeof payload.iat === "number" && payload.iat > Date.now() / 1000 + IAT_LEEWAY_S) {
          throw new AuthError("Token was issued in the future (`iat` claim)");
        }
        if (typeof payload.sub !== "string" || payload.sub === "") {
          throw new AuthError("Token is missing the `sub` claim");
        }
        if (provider.type !== "customJwt" && payload.exp === undefined) {
          throw new AuthError("Token is missing the `exp` claim");
        }
        return {
          identity: identityFromClaims(payload),
          expiresAt: typeof payload.exp === "number" ? payload.exp * 1000 : null,
        };
      } catch (e) {
        lastError = e;
      }
    }
    const err = lastError as { code?: string; message?: string } | null;
    if (err?.code === "ERR_JWT_EXPIRED") {
      throw new AuthError("Could not verify token claim: Token expired", "IdTokenExpired");
    }
    throw new AuthError(`Could not verify OIDC token claim: ${err?.message ?? "unknown error"}`);
  }
}
