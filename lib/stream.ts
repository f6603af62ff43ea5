// Stream (chat and video) pieces without I/O: the token request body, ids per session, server keys,
// and the user token (HS256 JWT `{ user_id }` signed with the API secret, as Stream expects).
// Used by app/api/stream/token/route.ts; Stream user ids are Convex user ids.
import { SignJWT } from "jose";
import { z } from "zod";

export const STREAM_TOKEN_TTL_SECONDS = 60 * 60;
export const STREAM_CHANNEL_TYPE = "messaging";
export const STREAM_CALL_TYPE = "default";

/** Convex ids are short alphanumeric strings; Stream ids allow them as they are. */
export const streamTokenRequestSchema = z.object({
  sessionId: z
    .string({ error: "sessionId is required." })
    .regex(/^[a-zA-Z0-9]{1,56}$/, "sessionId is not a valid session id."),
});

export type StreamTokenRequest = z.infer<typeof streamTokenRequestSchema>;

/** The chat channel and the video call of one session (the same id for both). */
export function streamIdsFor(sessionId: string): { channelType: string; channelId: string; callType: string; callId: string } {
  const id = `session-${sessionId}`;
  return { channelType: STREAM_CHANNEL_TYPE, channelId: id, callType: STREAM_CALL_TYPE, callId: id };
}

export type StreamServerKeys = { apiKey: string; apiSecret: string };

/** The server keys, or null when Stream is not configured (both must be set, as in lib/config.ts). */
export function streamServerKeys(env: Record<string, string | undefined> = process.env): StreamServerKeys | null {
  const apiKey = env.STREAM_API_KEY;
  const apiSecret = env.STREAM_API_SECRET;
  if (!apiKey || !apiSecret) return null;
  return { apiKey, apiSecret };
}

/**
 * A Stream user token: HS256, `{ user_id, exp }`. No `iat`: Stream refuses tokens "issued in the future",
 * and a server clock slightly ahead would trip that.
 */
export async function mintStreamUserToken(
  userId: string,
  apiSecret: string,
  options: { nowSeconds?: number; ttlSeconds?: number } = {},
): Promise<string> {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  return await new SignJWT({ user_id: userId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setExpirationTime(now + (options.ttlSeconds ?? STREAM_TOKEN_TTL_SECONDS))
    .sign(new TextEncoder().encode(apiSecret));
}
