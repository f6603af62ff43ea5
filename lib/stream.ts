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

/**
 * The chat channel and the video call of one session. The call id names the active segment (one call per
 * stretch of billed time): a pause ends the call server-side, and a resumed session joins a fresh call.
 */
export function streamIdsFor(
  sessionId: string,
  segmentCount = 1,
): { channelType: string; channelId: string; callType: string; callId: string } {
  const id = `session-${sessionId}`;
  return {
    channelType: STREAM_CHANNEL_TYPE,
    channelId: id,
    callType: STREAM_CALL_TYPE,
    callId: segmentCount > 1 ? `${id}-${segmentCount}` : id,
  };
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

export const STREAM_CHAT_BASE_URL = "https://chat.stream-io-api.com";
export const STREAM_VIDEO_BASE_URL = "https://video.stream-io-api.com";

/** A server-side token: HS256 `{ server: true }` signed with the API secret (as stream-chat's JWTServerToken). */
export async function mintStreamServerToken(apiSecret: string): Promise<string> {
  return await new SignJWT({ server: true })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(apiSecret));
}

export type StreamRestCall = { method: "PATCH" | "POST"; url: string; body: unknown };

/**
 * The REST calls that make Stream follow a session's status (checked against stream-chat's Channel.updatePartial
 * and @stream-io/video-client's Call.endCall): the channel is frozen unless the session is active; when the
 * session is no longer active, the segment's call is ended (a pause ends it; resume starts a new call id).
 */
export function streamSyncCalls(input: {
  apiKey: string;
  sessionId: string;
  status: string;
  segmentCount: number;
  kind: "chat" | "video";
}): StreamRestCall[] {
  const ids = streamIdsFor(input.sessionId, Math.max(1, input.segmentCount));
  const key = `api_key=${encodeURIComponent(input.apiKey)}`;
  const active = input.status === "active";
  const calls: StreamRestCall[] = [
    {
      method: "PATCH",
      url: `${STREAM_CHAT_BASE_URL}/channels/${ids.channelType}/${encodeURIComponent(ids.channelId)}?${key}`,
      body: { set: { frozen: !active } },
    },
  ];
  if (!active && input.kind === "video") {
    calls.push({
      method: "POST",
      url: `${STREAM_VIDEO_BASE_URL}/api/v2/video/call/${ids.callType}/${encodeURIComponent(ids.callId)}/mark_ended?${key}`,
      body: {},
    });
  }
  return calls;
}
