import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalServiceInProductionError, assertLocalAllowed, clientAuthMode, readConfig } from "@/lib/config";

describe("readConfig", () => {
  it("defaults to local auth and development with an empty environment", () => {
    const config = readConfig({});
    expect(config.auth.mode).toBe("local");
    expect(config.nodeEnv).toBe("development");
    expect(config.allowLocalInProduction).toBe(false);
    expect(config.convex).toEqual({ mode: "hosted", url: null, siteUrl: null });
  });

  it("switches to Clerk only when both Clerk keys are set", () => {
    expect(
      readConfig({ NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "pk_test_x", CLERK_SECRET_KEY: "sk_test_x" }).auth.mode,
    ).toBe("clerk");
    expect(readConfig({ NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "pk_test_x" }).auth.mode).toBe("local");
    expect(readConfig({ CLERK_SECRET_KEY: "sk_test_x" }).auth.mode).toBe("local");
    expect(readConfig({ NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "", CLERK_SECRET_KEY: "" }).auth.mode).toBe("local");
  });

  it("reads the Convex URLs and the local switch", () => {
    const config = readConfig({
      LOCAL_CONVEX: "1",
      NEXT_PUBLIC_CONVEX_URL: "http://127.0.0.1:3210",
      NEXT_PUBLIC_CONVEX_SITE_URL: "http://127.0.0.1:3211",
    });
    expect(config.convex).toEqual({ mode: "local", url: "http://127.0.0.1:3210", siteUrl: "http://127.0.0.1:3211" });
  });

  it("takes the production escape hatch only from the exact value 'true'", () => {
    expect(readConfig({ ALLOW_LOCAL_SERVICES_IN_PRODUCTION: "true" }).allowLocalInProduction).toBe(true);
    for (const value of ["1", "yes", "TRUE", ""]) {
      expect(readConfig({ ALLOW_LOCAL_SERVICES_IN_PRODUCTION: value }).allowLocalInProduction).toBe(false);
    }
  });
});

describe("assertLocalAllowed", () => {
  it("allows local stand-ins outside production", () => {
    for (const NODE_ENV of ["development", "test", undefined]) {
      expect(() => assertLocalAllowed(readConfig({ NODE_ENV }), "Auth")).not.toThrow();
    }
  });

  it("refuses local stand-ins in production and says why and how", () => {
    const config = readConfig({ NODE_ENV: "production" });
    expect(() => assertLocalAllowed(config, "Auth")).toThrow(LocalServiceInProductionError);
    try {
      assertLocalAllowed(config, "Auth");
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("Auth is not configured");
      expect(message).toContain("NODE_ENV=production");
      expect(message).toContain("ALLOW_LOCAL_SERVICES_IN_PRODUCTION=true");
    }
  });

  it("allows production with the explicit flag", () => {
    const config = readConfig({ NODE_ENV: "production", ALLOW_LOCAL_SERVICES_IN_PRODUCTION: "true" });
    expect(() => assertLocalAllowed(config, "Auth")).not.toThrow();
  });
});

describe("clientAuthMode", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("follows the public Clerk key", () => {
    vi.stubEnv("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", "");
    expect(clientAuthMode()).toBe("local");
    vi.stubEnv("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", "pk_test_x");
    expect(clientAuthMode()).toBe("clerk");
  });
});
