// HTTP actions and the HTTP API as a deployment answers them: JSON errors from HTTP actions
// (ConvexError keeps its data), admin auth acting as a user (`Convex <key>:<base64 identity>`),
// unverifiable credentials making ctx.auth.getUserIdentity() throw, and asynchronous throws
// failing an action instead of hanging it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import type { LocalBackend } from "../../local/convex-backend/index";
import { mintToken, newClient, startFixture, tempDir } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;
const ADMIN_KEY = "test-admin-key-conformance";

let backend: LocalBackend;
let cleanup: () => void;
const previousKey = process.env.LOCAL_CONVEX_ADMIN_KEY;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  process.env.LOCAL_CONVEX_ADMIN_KEY = ADMIN_KEY;
  ({ backend } = await startFixture({ dataDir: t.dir }));
});

afterAll(async () => {
  if (previousKey === undefined) delete process.env.LOCAL_CONVEX_ADMIN_KEY;
  else process.env.LOCAL_CONVEX_ADMIN_KEY = previousKey;
  await backend.stop();
  cleanup();
});

describe("HTTP action errors", () => {
  it("a ConvexError comes back as JSON {code, data} with status 500", async () => {
    const res = await fetch(`${backend.siteUrl}/fail/convex`, { method: "POST" });
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as { code: string; data: unknown };
    expect(body.data).toEqual({ code: "BAD_INPUT", field: "amountCents" });
    expect(body.code).toMatch(/^Uncaught ConvexError: /);
  });

  it("a plain Error comes back as JSON with Convex's wording", async () => {
    const res = await fetch(`${backend.siteUrl}/fail/plain`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string; data?: unknown };
    expect(body.code).toBe("Uncaught Error: plain failure");
    expect(body.data).toBeUndefined();
  });

  it("an unknown route is a 404 with Convex's text", async () => {
    const res = await fetch(`${backend.siteUrl}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("No matching routes found");
  });
});

describe("credentials in HTTP actions", () => {
  it("a verified Bearer token is the identity; none is null", async () => {
    const token = await mintToken({ sub: "http-user" });
    const ok = await fetch(`${backend.siteUrl}/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await ok.json()).toEqual({ subject: "http-user" });
    const anon = await fetch(`${backend.siteUrl}/whoami`);
    expect(await anon.json()).toEqual({ subject: null });
  });

  it("an unverifiable Bearer token makes getUserIdentity() throw (not return null)", async () => {
    const res = await fetch(`${backend.siteUrl}/whoami`, { headers: { Authorization: "Bearer not-a-jwt" } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string };
    expect(body.code).toContain("Uncaught Error: Could not parse JWT payload");
  });
});

describe("admin auth acting as a user over HTTP", () => {
  it("ConvexHttpClient.setAdminAuth(key, actingAs) runs as that user", async () => {
    const http = new ConvexHttpClient(backend.url);
    (http as unknown as { setAdminAuth(k: string, a?: unknown): void }).setAdminAuth(ADMIN_KEY, {
      subject: "acting-user",
      issuer: "https://issuer.example",
      name: "Zoë Actor",
    });
    const identity = (await http.query(api.auth.whoami, {})) as Record<string, unknown>;
    expect(identity).toMatchObject({
      subject: "acting-user",
      issuer: "https://issuer.example",
      tokenIdentifier: "https://issuer.example|acting-user",
      name: "Zoë Actor",
    });
  });

  it("a wrong admin key is refused", async () => {
    const http = new ConvexHttpClient(backend.url);
    (http as unknown as { setAdminAuth(k: string, a?: unknown): void }).setAdminAuth("wrong", {
      subject: "x",
      issuer: "y",
    });
    await expect(http.query(api.auth.whoami, {})).rejects.toThrow();
  });
});

describe("asynchronous throws inside actions", () => {
  it("fail the action at once (ConvexClient and ConvexHttpClient)", async () => {
    const client = newClient(backend.url);
    try {
      const started = Date.now();
      const err = (await client.action(api.asyncFailures.throwInTimer, {}).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toContain("Uncaught Error: thrown in a timer");
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await client.close();
    }
    const http = new ConvexHttpClient(backend.url);
    await expect(http.action(api.asyncFailures.throwInTimer, {})).rejects.toThrow("thrown in a timer");
    await expect(http.action(api.asyncFailures.throwInTimerAfterWork, {})).rejects.toThrow("caught and rethrown");
  });

  it("the backend keeps serving afterwards", async () => {
    const http = new ConvexHttpClient(backend.url);
    expect(await http.query(api.messages.count, {})).toBeTypeOf("number");
  });
});
