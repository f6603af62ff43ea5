import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CONVEX_APPLICATION_ID,
  LOCAL_AUTH_ISSUER,
  TOKEN_REFRESH_WINDOW_SECONDS,
  TOKEN_TTL_SECONDS,
  localTokenIdentifier,
} from "@/lib/localAuth";

const AUTH_CONFIG_PATH = fileURLToPath(new URL("../../convex/auth.config.ts", import.meta.url));

type Provider = Record<string, string>;

async function loadAuthConfig(env: Record<string, string>): Promise<{ providers: Provider[] }> {
  vi.resetModules();
  vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", "");
  vi.stubEnv("LOCAL_AUTH_JWKS", "");
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  const mod = (await import("@/convex/auth.config")) as { default: { providers: Provider[] } };
  return mod.default;
}

describe("local auth constants", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("LOCAL_AUTH_ISSUER equals the issuer written in convex/auth.config.ts", () => {
    const text = readFileSync(AUTH_CONFIG_PATH, "utf8");
    const issuers = [...text.matchAll(/issuer:\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(issuers).toEqual([LOCAL_AUTH_ISSUER]);
  });

  it("convex/auth.config.ts accepts local tokens only when LOCAL_AUTH_JWKS is set", async () => {
    expect((await loadAuthConfig({})).providers).toEqual([]);
    const jwks = "data:text/plain;charset=utf-8;base64,e30=";
    const { providers } = await loadAuthConfig({ LOCAL_AUTH_JWKS: jwks });
    expect(providers).toEqual([
      {
        type: "customJwt",
        issuer: LOCAL_AUTH_ISSUER,
        jwks,
        algorithm: "RS256",
        applicationID: CONVEX_APPLICATION_ID,
      },
    ]);
  });

  it("convex/auth.config.ts adds Clerk when its issuer domain is set", async () => {
    const { providers } = await loadAuthConfig({ CLERK_JWT_ISSUER_DOMAIN: "https://clerk.example.test" });
    expect(providers).toEqual([{ domain: "https://clerk.example.test", applicationID: CONVEX_APPLICATION_ID }]);
  });

  it("builds token identifiers the way Convex does for custom JWTs (issuer|subject)", () => {
    expect(localTokenIdentifier("demo-client")).toBe(`${LOCAL_AUTH_ISSUER}|demo-client`);
  });

  it("refreshes tokens well before they expire", () => {
    expect(TOKEN_TTL_SECONDS).toBeGreaterThan(TOKEN_REFRESH_WINDOW_SECONDS);
    expect(TOKEN_REFRESH_WINDOW_SECONDS).toBeGreaterThanOrEqual(60);
  });
});
