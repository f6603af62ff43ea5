import { describe, expect, it } from "vitest";
import { clerkFrontendApi, contentSecurityPolicy, createNonce, securityHeaders } from "@/lib/securityHeaders";

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

const localEnv = {
  NODE_ENV: "production",
  APP_URL: "http://localhost:3100",
  NEXT_PUBLIC_CONVEX_URL: "http://127.0.0.1:3310",
  NEXT_PUBLIC_CONVEX_SITE_URL: "http://127.0.0.1:3311",
  LOCAL_STRIPE_URL: "http://127.0.0.1:3112",
};

const clerkKey = `pk_test_${Buffer.from("happy-cat-12.clerk.accounts.dev$").toString("base64")}`;
const hostedEnv = {
  NODE_ENV: "production",
  APP_URL: "https://advisors.example.com",
  NEXT_PUBLIC_CONVEX_URL: "https://happy-animal-123.convex.cloud",
  NEXT_PUBLIC_CONVEX_SITE_URL: "https://happy-animal-123.convex.site",
  NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: clerkKey,
  CLERK_SECRET_KEY: "sk_test_x",
  STREAM_API_KEY: "abc",
  STREAM_API_SECRET: "def",
  STRIPE_SECRET_KEY: "sk_test_y",
};

describe("contentSecurityPolicy", () => {
  it("allows the local stack (Convex http + ws, local processor) and nothing hosted", () => {
    const d = directives(contentSecurityPolicy(localEnv));
    expect(d.get("default-src")).toEqual(["'self'"]);
    expect(d.get("connect-src")).toEqual(
      expect.arrayContaining(["'self'", "http://127.0.0.1:3310", "ws://127.0.0.1:3310", "http://127.0.0.1:3112"]),
    );
    expect(d.get("form-action")).toContain("http://127.0.0.1:3112");
    expect(d.get("frame-src")).toContain("http://127.0.0.1:3112");
    // Production without a nonce: no inline script at all (proxy.ts always passes one for pages).
    expect(d.get("script-src")).toEqual(["'self'", "https://js.stripe.com"]);
    expect(d.get("img-src")).toEqual(
      expect.arrayContaining(["'self'", "http://127.0.0.1:3310", "http://127.0.0.1:3311"]),
    );
    expect(d.get("script-src")).not.toContain("'unsafe-eval'");
    expect(d.get("connect-src")!.some((v) => v.includes("clerk") || v.includes("stream-io"))).toBe(false);
    expect(d.get("media-src")).toEqual(expect.arrayContaining(["'self'", "blob:"]));
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    // http://127.0.0.1 must stay reachable: no upgrade on a local origin.
    expect(d.has("upgrade-insecure-requests")).toBe(false);
  });

  it("uses the request's nonce instead of 'unsafe-inline' for scripts in production", () => {
    const d = directives(contentSecurityPolicy(hostedEnv, "abc123=="));
    const script = d.get("script-src")!;
    expect(script).toEqual(expect.arrayContaining(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]));
    expect(script).not.toContain("'unsafe-inline'");
    expect(script).not.toContain("'unsafe-eval'");
    // Styles may stay inline (component libraries set style attributes).
    expect(d.get("style-src")).toContain("'unsafe-inline'");
  });

  it("allows images from the configured Convex deployment (uploaded photos)", () => {
    const d = directives(contentSecurityPolicy(hostedEnv, "n"));
    expect(d.get("img-src")).toEqual(
      expect.arrayContaining(["https://happy-animal-123.convex.cloud", "https://happy-animal-123.convex.site"]),
    );
    expect(d.get("img-src")!.some((v) => v.startsWith("http://127.0.0.1"))).toBe(false);
  });

  it("gives a fresh nonce each time", () => {
    const a = createNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce()).not.toBe(a);
  });

  it("keeps 'unsafe-inline' scripts in development only (React refresh), without a nonce", () => {
    const d = directives(contentSecurityPolicy({ ...localEnv, NODE_ENV: "development" }, "n"));
    expect(d.get("script-src")).toEqual(expect.arrayContaining(["'self'", "'unsafe-inline'"]));
    expect(d.get("script-src")).not.toContain("'nonce-n'");
  });

  it("adds 'unsafe-eval' only in development", () => {
    const d = directives(contentSecurityPolicy({ ...localEnv, NODE_ENV: "development" }));
    expect(d.get("script-src")).toContain("'unsafe-eval'");
  });

  it("allows configured Convex, Clerk, Stream and Stripe", () => {
    const d = directives(contentSecurityPolicy(hostedEnv));
    const connect = d.get("connect-src")!;
    expect(connect).toEqual(
      expect.arrayContaining([
        "https://happy-animal-123.convex.cloud",
        "wss://happy-animal-123.convex.cloud",
        "https://*.clerk.accounts.dev",
        "https://happy-cat-12.clerk.accounts.dev",
        "https://*.stream-io-api.com",
        "wss://*.stream-io-api.com",
        "https://*.stream-io-video.com",
        "wss://*.stream-io-video.com",
        "https://api.stripe.com",
      ]),
    );
    expect(connect.some((v) => v.startsWith("http://127.0.0.1"))).toBe(false);
    expect(d.get("script-src")).toEqual(
      expect.arrayContaining(["https://js.stripe.com", "https://happy-cat-12.clerk.accounts.dev"]),
    );
    expect(d.get("img-src")).toContain("https://img.clerk.com");
    expect(d.get("frame-src")).toEqual(
      expect.arrayContaining(["https://js.stripe.com", "https://checkout.stripe.com"]),
    );
    expect(d.get("form-action")).toContain("https://checkout.stripe.com");
    expect(d.has("upgrade-insecure-requests")).toBe(true);
  });

  it("ignores malformed URLs", () => {
    const d = directives(contentSecurityPolicy({ NODE_ENV: "production", NEXT_PUBLIC_CONVEX_URL: "not a url" }));
    expect(d.get("connect-src")).toEqual(["'self'", "https://api.stripe.com", "https://checkout.stripe.com"]);
  });
});

describe("securityHeaders", () => {
  it("sets framing, referrer, sniffing, permissions, and HSTS only in production", () => {
    const prod = new Map(securityHeaders(localEnv).map((h) => [h.key, h.value]));
    expect(prod.get("X-Frame-Options")).toBe("DENY");
    expect(prod.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(prod.get("X-Content-Type-Options")).toBe("nosniff");
    expect(prod.get("Permissions-Policy")).toContain("camera=(self)");
    expect(prod.get("Permissions-Policy")).toContain("microphone=(self)");
    expect(prod.get("Strict-Transport-Security")).toMatch(/max-age=\d+/);
    // The CSP is per request (proxy.ts), never a static header.
    expect(prod.has("Content-Security-Policy")).toBe(false);
    const dev = new Map(securityHeaders({ ...localEnv, NODE_ENV: "development" }).map((h) => [h.key, h.value]));
    expect(dev.has("Strict-Transport-Security")).toBe(false);
  });

  it("decodes Clerk's Frontend API host from the publishable key", () => {
    expect(clerkFrontendApi(clerkKey)).toBe("happy-cat-12.clerk.accounts.dev");
    expect(clerkFrontendApi("nope")).toBeNull();
  });
});
