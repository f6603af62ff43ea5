import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importJWK, SignJWT } from "jose";
import WebSocket from "ws";
import { afterAll, beforeAll, expect } from "vitest";
import { ConvexClient } from "convex/browser";
import { startLocalBackend, type LocalBackend, type LocalBackendOptions } from "../../local/convex-backend/index";
import { TEST_AUDIENCE, TEST_ISSUER, TEST_PRIVATE_JWK } from "./fixture/testKeys";

export const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixture");
export const FIXTURE_CONVEX_DIR = path.join(FIXTURE_DIR, "convex");

export function tempDir(prefix = "lcb-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startFixture(
  overrides: Partial<LocalBackendOptions> & { dataDir: string },
): Promise<{ backend: LocalBackend; logs: string[] }> {
  const logs: string[] = [];
  const backend = await startLocalBackend({
    convexDir: FIXTURE_CONVEX_DIR,
    port: 0,
    sitePort: 0,
    log: (line) => logs.push(line),
    ...overrides,
  });
  return { backend, logs };
}

/** One fixture backend for a whole test file: started before its tests, stopped (and its data removed) after. */
export function fixtureBackendPerFile(): { readonly backend: LocalBackend } {
  let backend: LocalBackend | null = null;
  let cleanup = () => {};
  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    ({ backend } = await startFixture({ dataDir: t.dir }));
  });
  afterAll(async () => {
    await backend?.stop();
    cleanup();
  });
  return {
    get backend(): LocalBackend {
      if (backend === null) throw new Error("The fixture backend starts in beforeAll: use it inside a test.");
      return backend;
    },
  };
}

export function newClient(url: string): ConvexClient {
  return new ConvexClient(url, {
    webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
    unsavedChangesWarning: false,
    logger: false,
  });
}

export async function mintToken(
  claims: Record<string, unknown> & { sub: string },
  opts: { expiresIn?: string | number; audience?: string; issuer?: string } = {},
): Promise<string> {
  const key = await importJWK(TEST_PRIVATE_JWK, "RS256");
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: TEST_PRIVATE_JWK.kid })
    .setIssuer(opts.issuer ?? TEST_ISSUER)
    .setAudience(opts.audience ?? TEST_AUDIENCE)
    .setIssuedAt();
  jwt.setExpirationTime(opts.expiresIn ?? "1h");
  return await jwt.sign(key);
}

export async function waitFor<T>(
  fn: () => T | Promise<T>,
  { timeout = 5000, interval = 20 }: { timeout?: number; interval?: number } = {},
): Promise<NonNullable<T>> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeout) {
      throw new Error(`waitFor timed out${last ? `: ${String(last)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** The error a call that must fail failed with (the test fails if it succeeded). */
export async function failedWith(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => null,
    (err: unknown) => err as Error,
  );
  expect(e, "expected the call to fail").not.toBeNull();
  return e!;
}

/** The message a call that must fail failed with. */
export async function failure(p: Promise<unknown>): Promise<string> {
  return (await failedWith(p)).message;
}
