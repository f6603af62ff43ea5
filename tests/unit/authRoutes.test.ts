// Sign-in and sign-up live on optional catch-all routes, as in Clerk's Next.js quickstart, so that
// Clerk's multi-step and SSO steps (/sign-in/factor-one, /sign-up/verify-email-address, …) render the
// same page. Rendered on the server with Clerk-shaped test keys; local sign-in unchanged without them.
import { existsSync } from "node:fs";
import path from "node:path";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";

// Clerk's components need Clerk's browser SDK; stand-ins show which one was mounted and with what routing.
vi.mock("@clerk/nextjs", () => ({
  SignIn: (p: Record<string, unknown>) =>
    createElement("div", {
      "data-clerk": "SignIn",
      "data-routing": p.routing,
      "data-path": p.path,
      "data-sign-up": p.signUpUrl,
    }),
  SignUp: (p: Record<string, unknown>) =>
    createElement("div", {
      "data-clerk": "SignUp",
      "data-routing": p.routing,
      "data-path": p.path,
      "data-sign-in": p.signInUrl,
    }),
}));
// The pages reach Clerk's components through next/dynamic (components/auth/ClerkForms.tsx, so local mode never
// downloads them); a static render cannot wait for a dynamic import, so the wrappers resolve to the stand-ins above.
vi.mock("@/components/auth/ClerkForms", async () => {
  const clerk = await import("@clerk/nextjs");
  return { ClerkSignIn: clerk.SignIn, ClerkSignUp: clerk.SignUp };
});
vi.mock("@/components/auth/LocalSignIn", () => ({
  LocalSignIn: (p: { accounts: unknown[]; next: string | null }) =>
    createElement("div", { "data-local-sign-in": String(p.accounts.length), "data-next": p.next ?? "" }),
}));

const ROOT = path.resolve(__dirname, "../..");
const CLERK_TEST_KEYS = {
  // Clerk-shaped development keys (pk_test_ + base64 of the frontend API host + "$"); never contacted here.
  NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: `pk_test_${Buffer.from("example-app-00.clerk.accounts.dev$").toString("base64")}`,
  CLERK_SECRET_KEY: "sk_test_00000000000000000000000000000000000000000000",
};

function withEnv(env: Record<string, string>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

async function renderSignIn(segments: string[] | undefined, search: Record<string, string> = {}): Promise<string> {
  const { default: Page } = await import("@/app/sign-in/[[...sign-in]]/page");
  const el = (await Page({
    searchParams: Promise.resolve(search),
    params: Promise.resolve({ "sign-in": segments }),
  } as never)) as ReactElement;
  return renderToStaticMarkup(el);
}

describe("Clerk catch-all routes", () => {
  it("sign-in and sign-up are optional catch-all routes (no plain page.tsx shadowing them)", () => {
    expect(existsSync(path.join(ROOT, "app/sign-in/[[...sign-in]]/page.tsx"))).toBe(true);
    expect(existsSync(path.join(ROOT, "app/sign-up/[[...sign-up]]/page.tsx"))).toBe(true);
    expect(existsSync(path.join(ROOT, "app/sign-in/page.tsx"))).toBe(false);
    expect(existsSync(path.join(ROOT, "app/sign-up/page.tsx"))).toBe(false);
  });

  it("with Clerk test keys, /sign-in/factor-one renders Clerk's sign-in with path routing", async () => {
    withEnv(CLERK_TEST_KEYS);
    const html = await renderSignIn(["factor-one"]);
    expect(html).toContain('data-clerk="SignIn"');
    expect(html).toContain('data-routing="path"');
    expect(html).toContain('data-path="/sign-in"');
    expect(html).toContain('data-sign-up="/sign-up"');
    expect(await renderSignIn(undefined)).toBe(html);
  });

  it("with Clerk test keys, /sign-up/verify-email-address renders Clerk's sign-up", async () => {
    withEnv(CLERK_TEST_KEYS);
    const { default: Page } = await import("@/app/sign-up/[[...sign-up]]/page");
    const el = (await Page({
      searchParams: Promise.resolve({}),
      params: Promise.resolve({ "sign-up": ["verify-email-address"] }),
    } as never)) as ReactElement;
    const html = renderToStaticMarkup(el);
    expect(html).toContain('data-clerk="SignUp"');
    expect(html).toContain('data-path="/sign-up"');
    expect(html).toContain('data-sign-in="/sign-in"');
  });

  it("without Clerk keys, /sign-in is the local sign-in as before; /sign-up goes to it", async () => {
    withEnv({ NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "", CLERK_SECRET_KEY: "", NODE_ENV: "development" });
    const html = await renderSignIn(undefined, { next: "/wallet" });
    expect(html).toContain("data-local-sign-in");
    expect(html).toContain('data-next="/wallet"');
    expect(html).not.toContain("data-clerk");
    const { default: SignUp } = await import("@/app/sign-up/[[...sign-up]]/page");
    const thrown = await SignUp({
      searchParams: Promise.resolve({ next: "/wallet" }),
      params: Promise.resolve({}),
    } as never).catch((e: unknown) => e);
    expect(String((thrown as { digest?: string }).digest)).toContain("/sign-in?next=%2Fwallet");
  });
});
