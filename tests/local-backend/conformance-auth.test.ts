// Token checks as strict as a deployment's, with its error codes on the HTTP API
// (401 {code, message}) and AuthError over WebSocket.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importJWK, SignJWT } from "jose";
import type { LocalBackend } from "../../local/convex-backend/index";
import { mintToken, newClient, startFixture, tempDir, waitFor } from "./helpers";
import { TEST_AUDIENCE, TEST_ISSUER, TEST_PRIVATE_JWK } from "./fixture/testKeys";

let backend: LocalBackend;
let cleanup: () => void;
const previousKey = process.env.LOCAL_CONVEX_ADMIN_KEY;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  process.env.LOCAL_CONVEX_ADMIN_KEY = "auth-test-admin-key";
  ({ backend } = await startFixture({ dataDir: t.dir }));
});

afterAll(async () => {
  if (previousKey === undefined) delete process.env.LOCAL_CONVEX_ADMIN_KEY;
  else process.env.LOCAL_CONVEX_ADMIN_KEY = previousKey;
  await backend.stop();
  cleanup();
});

async function sign(opts: { kid?: string; iatOffsetS?: number; expOffsetS?: number }): Promise<string> {
  const key = await importJWK(TEST_PRIVATE_JWK, "RS256");
  const now = Math.floor(Date.now() / 1000);
  return await new SignJWT({ sub: "strict-user" })
    .setProtectedHeader(opts.kid === undefined ? { alg: "RS256" } : { alg: "RS256", kid: opts.kid })
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt(now + (opts.iatOffsetS ?? 0))
    .setExpirationTime(now + (opts.expOffsetS ?? 3600))
    .sign(key);
}

async function httpQuery(
  authorization: string,
): Promise<{ status: number; body: { code?: string; message?: string } }> {
  const res = await fetch(`${backend.url}/api/query`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: authorization },
    body: JSON.stringify({ path: "auth:whoami", args: [{}], format: "convex_encoded_json" }),
  });
  return { status: res.status, body: (await res.json()) as { code?: string; message?: string } };
}

/** Whether ConvexClient.setAuth with this token ends authenticated (true) or refused (false). */
async function wsAccepts(token: string): Promise<boolean> {
  const client = newClient(backend.url);
  try {
    let result: boolean | undefined;
    client.setAuth(
      async () => token,
      (ok) => (result = ok),
    );
    await waitFor(() => result !== undefined, { timeout: 5000 });
    return result!;
  } finally {
    await client.close();
  }
}

describe("JWT checks", () => {
  it("a well-formed token with its kid is accepted", async () => {
    const token = await sign({ kid: TEST_PRIVATE_JWK.kid });
    const r = await httpQuery(`Bearer ${token}`);
    expect(r.status).toBe(200);
    expect(await wsAccepts(token)).toBe(true);
  });

  it("a token without kid is refused when the JWKS has several keys", async () => {
    const token = await sign({});
    const r = await httpQuery(`Bearer ${token}`);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe("Unauthenticated");
    expect(await wsAccepts(token)).toBe(false);
  });

  it("a token issued in the future is refused", async () => {
    const token = await sign({ kid: TEST_PRIVATE_JWK.kid, iatOffsetS: 600 });
    const r = await httpQuery(`Bearer ${token}`);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe("Unauthenticated");
    expect(await wsAccepts(token)).toBe(false);
  });

  it("failure codes: expired, unknown issuer, not a JWT, bad admin key", async () => {
    const expired = await sign({ kid: TEST_PRIVATE_JWK.kid, iatOffsetS: -7200, expOffsetS: -3600 });
    expect((await httpQuery(`Bearer ${expired}`)).body.code).toBe("IdTokenExpired");
    const otherIssuer = await mintToken({ sub: "x" }, { issuer: "https://someone-else.example" });
    expect((await httpQuery(`Bearer ${otherIssuer}`)).body.code).toBe("NoAuthProvider");
    expect((await httpQuery("Bearer garbage")).body.code).toBe("InvalidAuthHeader");
    const bad = await httpQuery("Convex not-the-key");
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ code: "BadAdminKey", message: "The provided admin key was invalid for this instance" });
    const malformed = await httpQuery("Convex auth-test-admin-key:%%%not-base64-json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("HeaderParseFailure");
  });

  it("the admin key alone is accepted", async () => {
    const r = await httpQuery("Convex auth-test-admin-key");
    expect(r.status).toBe(200);
  });
});
