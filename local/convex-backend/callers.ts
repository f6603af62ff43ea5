/**
 * Who is calling, from an `Authorization` header, as a deployment reads it:
 * `Bearer <jwt>` (a user), `Convex <admin key>` (admin) and `Convex <admin key>:<base64 JSON identity>`
 * (admin acting as a user, ConvexHttpClient.setAdminAuth(key, actingAs)).
 */
import { AuthError, identityFromClaims, type AuthVerifier, type Identity } from "./auth";

export type Caller = { identity: Identity | null; admin: boolean };

/** The identity an admin acts as (`impersonating` over WebSocket, the suffix of the admin key over HTTP). */
export function actingAsIdentity(attrs: Record<string, unknown>): Identity {
  const identity = identityFromClaims({ iss: String(attrs.issuer ?? "admin"), sub: String(attrs.subject ?? "admin") });
  Object.assign(identity, attrs);
  identity.tokenIdentifier = `${identity.issuer}|${identity.subject}`;
  return identity;
}

/** Splits `<key>[:<base64 identity>]`; throws AuthError for a wrong key or an undecodable identity. */
export function adminCaller(adminKey: string | null, value: string): Caller {
  const colon = value.indexOf(":");
  const key = colon < 0 ? value : value.slice(0, colon);
  if (!adminKey || key !== adminKey)
    throw new AuthError("The provided admin key was invalid for this instance", "BadAdminKey");
  if (colon < 0) return { identity: null, admin: true };
  let attrs: unknown;
  try {
    const bytes = Buffer.from(value.slice(colon + 1), "base64");
    attrs = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new AuthError("Malformed Authorization header.", "HeaderParseFailure");
  }
  if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) {
    throw new AuthError("Malformed Authorization header.", "HeaderParseFailure");
  }
  return { identity: actingAsIdentity(attrs as Record<string, unknown>), admin: true };
}

export async function callerFromHeader(
  auth: AuthVerifier,
  adminKey: string | null,
  header: string | undefined,
): Promise<Caller> {
  if (!header) return { identity: null, admin: false };
  if (header.startsWith("Bearer ")) {
    const v = await auth.verify(header.slice(7).trim());
    return { identity: v.identity, admin: false };
  }
  if (header.startsWith("Convex ")) return adminCaller(adminKey, header.slice(7).trim());
  throw new AuthError("Header must begin with `bearer `", "InvalidAuthHeader");
}
