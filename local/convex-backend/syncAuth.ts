/** The sync protocol's Authenticate message: which identity (and admin rights) a client asks for. */
import { AuthError, type AuthVerifier, type Identity } from "./auth";
import { actingAsIdentity } from "./callers";

export interface Credentials {
  identity: Identity | null;
  admin: boolean;
  /** when a user token expires (ms since the epoch) */
  expiresAt: number | null;
  token: string | null;
}

/** Checks an Authenticate message; throws AuthError (or whatever verifying threw) when it is refused. */
export async function credentialsOf(
  msg: Record<string, unknown>,
  auth: AuthVerifier,
  adminKey: string | null,
): Promise<Credentials> {
  const token = typeof msg.value === "string" ? msg.value : null;
  if (msg.tokenType === "User") {
    if (!token) throw new AuthError("Missing token");
    const v = await auth.verify(token);
    return { identity: v.identity, admin: false, expiresAt: v.expiresAt, token };
  }
  if (msg.tokenType === "Admin") {
    if (!adminKey || token !== adminKey)
      throw new AuthError("The provided admin key was invalid for this instance", "BadAdminKey");
    const imp = msg.impersonating as Record<string, unknown> | undefined;
    return { identity: imp ? actingAsIdentity(imp) : null, admin: true, expiresAt: null, token };
  }
  if (msg.tokenType !== "None") throw new AuthError(`Invalid token type ${String(msg.tokenType)}`);
  return { identity: null, admin: false, expiresAt: null, token };
}
