import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

// No server secret reaches the browser: after the production build the E2E stack runs on (playwright.config.ts,
// scripts/dev.mjs --prod), no client chunk may name a server-only env var or contain a secret value.

const PORT = Number(process.env.E2E_PORT ?? 3100);
const distDir = path.resolve(PORT === 3100 ? ".next-e2e" : `.next-e2e-${PORT}`);
const dataDir = path.resolve(PORT === 3100 ? ".local-data/e2e" : `.local-data/e2e-${PORT}`);

const SECRET_NAMES = [
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "CLERK_SECRET_KEY",
  "CLERK_WEBHOOK_SECRET",
  "STREAM_API_SECRET",
  "RESEND_API_KEY",
  "LOCAL_AUTH_PRIVATE_JWK",
  "LOCAL_CONVEX_ADMIN_KEY",
  "LOCAL_STRIPE_SECRET_KEY",
];

function clientChunks(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...clientChunks(full));
    else if (entry.name.endsWith(".js")) out.push(full);
  }
  return out;
}

/** Secret values the local stack generated for this run (the private key's `d`, processor keys). */
function localSecretValues(): { label: string; value: string }[] {
  const values: { label: string; value: string }[] = [];
  const authKeys = path.join(dataDir, "auth-keys.json");
  if (existsSync(authKeys)) {
    const { privateJwk } = JSON.parse(readFileSync(authKeys, "utf8")) as { privateJwk: Record<string, string> };
    for (const part of ["d", "p", "q", "dp", "dq", "qi"]) {
      if (privateJwk[part]) values.push({ label: `local private JWK "${part}"`, value: privateJwk[part] });
    }
  }
  const stripeKeys = path.join(dataDir, "stripe-keys.json");
  if (existsSync(stripeKeys)) {
    const { secretKey, webhookSecret } = JSON.parse(readFileSync(stripeKeys, "utf8")) as Record<string, string>;
    if (secretKey) values.push({ label: "local processor secret key", value: secretKey });
    if (webhookSecret) values.push({ label: "local processor webhook secret", value: webhookSecret });
  }
  for (const name of SECRET_NAMES) {
    const value = process.env[name];
    if (value && value.length >= 8) values.push({ label: `$${name}`, value });
  }
  return values;
}

test("no server secret name or value appears in the client bundle", async () => {
  test.skip(
    process.env.E2E_DEV === "1",
    "E2E_DEV=1 runs against next dev: there is no production client bundle to scan.",
  );
  const staticDir = path.join(distDir, "static");
  expect(existsSync(staticDir), `${staticDir} missing: the production build did not run`).toBe(true);
  const files = clientChunks(staticDir);
  expect(files.length).toBeGreaterThan(0);
  const secrets = localSecretValues();
  // The local stack always writes its signing key; without it the value check would prove nothing.
  expect(secrets.some((s) => s.label.startsWith("local private JWK"))).toBe(true);

  const leaks: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const rel = path.relative(distDir, file);
    for (const name of SECRET_NAMES) {
      // A bare process.env.NAME read (e.g. @clerk/nextjs's shared constants read CLERK_SECRET_KEY) is inert
      // in the browser: Next inlines only NEXT_PUBLIC_* and the read yields undefined. Any other occurrence
      // (a string literal, an object key, an inlined value) fails.
      const other = text.replaceAll(new RegExp(`\\.env\\.${name}(?![A-Z0-9_])`, "g"), "");
      if (other.includes(name)) leaks.push(`${rel}: names ${name}`);
    }
    for (const { label, value } of secrets) if (text.includes(value)) leaks.push(`${rel}: contains ${label}`);
  }
  expect(leaks, `secrets in the client bundle:\n${leaks.join("\n")}`).toEqual([]);
});
