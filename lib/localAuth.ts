// Shared constants of the local sign-in stand-in (used when Clerk is not configured).
// convex/auth.config.ts repeats LOCAL_AUTH_ISSUER (it cannot import app code); a unit test keeps them equal.
export const LOCAL_AUTH_ISSUER = "urn:advisor-marketplace:local-auth";
export const CONVEX_APPLICATION_ID = "convex";
export const AUTH_COOKIE = "am_session";
/**
 * Set for a few minutes when an invalid or expired cookie is cleared, so the next protected page can say
 * "your session ended" even when a background request (a prefetch, a token refresh) did the clearing.
 */
export const SESSION_ENDED_COOKIE = "am_session_ended";
/** Access tokens live an hour and are re-minted when less than 15 minutes remain. */
export const TOKEN_TTL_SECONDS = 60 * 60;
export const TOKEN_REFRESH_WINDOW_SECONDS = 15 * 60;

export function localTokenIdentifier(subject: string): string {
  return `${LOCAL_AUTH_ISSUER}|${subject}`;
}
