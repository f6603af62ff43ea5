import { NextResponse } from "next/server";
import { fetchQuery } from "convex/nextjs";
import { StreamChat } from "stream-chat";
import { api } from "@/convex/_generated/api";
import { jsonError, withApiAuth } from "@/server/auth/api";
import { readConfig } from "@/lib/config";
import { firstIssue } from "@/lib/schemas/advisorProfile";
import { mintStreamUserToken, streamIdsFor, streamServerKeys, streamTokenRequestSchema } from "@/lib/stream";

const NO_STORE = { "cache-control": "no-store" };

/**
 * Stream credentials for one session's chat channel and video call: POST `{ sessionId }`.
 * Only the session's client and advisor get them, and only while the session is active (checked in Convex:
 * chat.streamAccess; 409 SESSION_NOT_ACTIVE when ringing, paused or ended). Upserts both
 * users, gets or creates the channel `messaging:session-<id>` with both as members, and returns
 * `{ apiKey, userId, token, channelType, channelId, callType, callId }`. The token lasts an hour; ask again
 * to refresh. 404 when Stream is not configured (the room then uses the built-in chat and video).
 */
export const POST = withApiAuth("sessions:read_own", async ({ request, token }) => {
  const keys = streamServerKeys();
  if (readConfig().stream.mode !== "stream" || keys === null) {
    return jsonError("NOT_FOUND", "Stream is not configured on this server.");
  }
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return jsonError("INVALID_ARGUMENT", "Send a JSON body.");
  const parsed = streamTokenRequestSchema.safeParse(body);
  if (!parsed.success) return jsonError("INVALID_ARGUMENT", firstIssue(parsed.error));

  const { sessionId } = parsed.data;
  // Refuses anyone but the two parties (NOT_FOUND), and unknown ids alike.
  const access = await fetchQuery(api.chat.streamAccess, { sessionId }, { token });
  const ids = streamIdsFor(access.sessionId, access.segmentCount);

  try {
    const server = StreamChat.getInstance(keys.apiKey, keys.apiSecret);
    await server.upsertUsers([
      { id: access.client.id, name: access.client.name },
      { id: access.advisor.id, name: access.advisor.name },
    ]);
    const channel = server.channel(ids.channelType, ids.channelId, {
      members: [access.client.id, access.advisor.id],
      created_by_id: access.client.id,
    });
    await channel.create();
  } catch (error) {
    console.error("Stream setup failed", error);
    return jsonError("UNAVAILABLE", "The chat service is not reachable right now. Please try again.");
  }

  const userToken = await mintStreamUserToken(access.viewerId, keys.apiSecret);
  return NextResponse.json(
    { apiKey: keys.apiKey, userId: access.viewerId, token: userToken, ...ids },
    { headers: NO_STORE },
  );
});
