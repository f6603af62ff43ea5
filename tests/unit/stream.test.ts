// Stream token route, pure parts: request body, ids per session, server keys, the user token.
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { readConfig } from "@/lib/config";
import {
  mintStreamUserToken,
  streamIdsFor,
  streamServerKeys,
  streamTokenRequestSchema,
  STREAM_TOKEN_TTL_SECONDS,
} from "@/lib/stream";

const SECRET = "stream-test-secret-0123456789abcdef";

describe("stream switch and keys", () => {
  it("uses Stream only when both the key and the secret are set", () => {
    expect(readConfig({}).stream.mode).toBe("local");
    expect(readConfig({ STREAM_API_KEY: "k" }).stream.mode).toBe("local");
    expect(readConfig({ STREAM_API_SECRET: "s" }).stream.mode).toBe("local");
    expect(readConfig({ STREAM_API_KEY: "", STREAM_API_SECRET: "" }).stream.mode).toBe("local");
    expect(readConfig({ STREAM_API_KEY: "k", STREAM_API_SECRET: "s" }).stream.mode).toBe("stream");
    expect(streamServerKeys({ STREAM_API_KEY: "k" })).toBeNull();
    expect(streamServerKeys({ STREAM_API_KEY: "k", STREAM_API_SECRET: "s" })).toEqual({ apiKey: "k", apiSecret: "s" });
  });
});

describe("token request body", () => {
  it("accepts a Convex-style id and refuses anything else", () => {
    expect(streamTokenRequestSchema.safeParse({ sessionId: "jd7f3k2m9x0q1w2e3r4t5y6u7i8o9p0a" }).success).toBe(true);
    for (const body of [
      {},
      { sessionId: "" },
      { sessionId: 42 },
      { sessionId: "../x" },
      { sessionId: "a b" },
      { sessionId: "x".repeat(57) },
    ]) {
      expect(streamTokenRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });
});

describe("ids", () => {
  it("one channel and one call per session, same id", () => {
    expect(streamIdsFor("abc123")).toEqual({
      channelType: "messaging",
      channelId: "session-abc123",
      callType: "default",
      callId: "session-abc123",
    });
  });
});

describe("user token", () => {
  it("is an HS256 JWT with user_id, expiring in an hour, signed with the secret", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintStreamUserToken("user123", SECRET, { nowSeconds: now });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "HS256", typ: "JWT" });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ["HS256"] });
    expect(payload.user_id).toBe("user123");
    expect(payload.exp).toBe(now + STREAM_TOKEN_TTL_SECONDS);
    expect(payload.iat).toBeUndefined();
    await expect(jwtVerify(token, new TextEncoder().encode("another-secret-0123456789abcdef"))).rejects.toThrow();
  });
});
