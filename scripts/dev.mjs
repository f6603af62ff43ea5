#!/usr/bin/env node
// `npm run dev`: the whole app at http://localhost:3000.
// - A real Convex deployment configured (CONVEX_DEPLOYMENT or NEXT_PUBLIC_CONVEX_URL in the
//   environment or .env.local): runs `convex dev` + `next dev`; the local backend stays off.
// - Otherwise: the embedded local stack (local/convex-backend, local sign-in keys) + `next dev`,
//   seeded with demo data on first start.
// Flags: --reset (wipe local data first), --reset-only (wipe, re-seed, exit), --prod (next build + start, for tests).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { setPriority } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const args = new Set(process.argv.slice(2));

const fileEnv = readEnvFile(path.join(root, ".env.local"));
const env = { ...fileEnv, ...process.env };
const port = Number(env.PORT ?? 3000);
const dataDir = path.resolve(env.LOCAL_DATA_DIR ?? ".local-data");
const convexPort = Number(env.LOCAL_CONVEX_PORT ?? 3210);
const convexSitePort = Number(env.LOCAL_CONVEX_SITE_PORT ?? convexPort + 1);
// Local Stripe-compatible processor (only when STRIPE_SECRET_KEY is not set); derived from PORT so
// parallel runs on other ports do not clash.
const stripePort = Number(env.LOCAL_STRIPE_PORT ?? port + 12);
const children = [];
let stopping = false;

const hostedConvex = Boolean(env.CONVEX_DEPLOYMENT || env.NEXT_PUBLIC_CONVEX_URL);

if (args.has("--reset") || args.has("--reset-only")) {
  rmSync(dataDir, { recursive: true, force: true });
  log(`wiped ${path.relative(root, dataDir)}`);
}

if (hostedConvex) {
  if (args.has("--reset-only")) fail("--reset-only applies to the local stack only.");
  log("Convex deployment configured: running `convex dev` and `next dev`.");
  start("convex", "npx", ["convex", "dev"], env);
  start("next", "npx", ["next", "dev", "-p", String(port)], env);
} else {
  await startLocalStack().catch((error) => {
    // A failed step (e.g. next build) must not leave the backend and processor running.
    log(error instanceof Error ? error.message : String(error));
    return stopAll(1);
  });
}

async function startLocalStack() {
  mkdirSync(dataDir, { recursive: true });
  const keys = await localAuthKeys(path.join(dataDir, "auth-keys.json"));
  const convexUrl = `http://127.0.0.1:${convexPort}`;
  const siteUrl = `http://127.0.0.1:${convexSitePort}`;
  const localEnv = {
    ...env,
    LOCAL_CONVEX: "1",
    NEXT_PUBLIC_CONVEX_URL: convexUrl,
    NEXT_PUBLIC_CONVEX_SITE_URL: siteUrl,
    LOCAL_AUTH_PRIVATE_JWK: JSON.stringify(keys.privateJwk),
    LOCAL_AUTH_JWKS: keys.jwksDataUri,
    APP_URL: env.APP_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    // The local email stand-in (admin-only /dev/mailbox) is explicit, never inferred from NODE_ENV.
    EMAIL_DEV_MAILBOX: env.RESEND_API_KEY ? "" : "1",
  };

  if (!env.STRIPE_SECRET_KEY && !args.has("--reset-only")) {
    const stripeKeys = localStripeKeys(path.join(dataDir, "stripe-keys.json"));
    Object.assign(localEnv, {
      LOCAL_STRIPE_URL: `http://127.0.0.1:${stripePort}`,
      LOCAL_STRIPE_SECRET_KEY: stripeKeys.secretKey,
      STRIPE_WEBHOOK_SECRET: stripeKeys.webhookSecret,
    });
    const processor = start(
      "stripe-local",
      process.execPath,
      [
        "--import",
        "tsx",
        "local/stripe-processor/cli.ts",
        "--port",
        String(stripePort),
        "--data-dir",
        path.join(dataDir, "stripe"),
        "--webhook-url",
        `${siteUrl}/stripe/webhook`,
        // The seed's top-ups exist only in the ledger; the processor opens with the same amount so seeded
        // advisor earnings can be paid out and a fresh demo reconciles with zero drift.
        // Override with LOCAL_STRIPE_OPENING_BALANCE_CENTS (whole cents).
        "--opening-balance-cents",
        process.env.LOCAL_STRIPE_OPENING_BALANCE_CENTS ?? seededTopUpCents(),
      ],
      localEnv,
    );
    await waitForLine(processor, /local stripe processor ready/, 60_000);
  }

  const backendArgs = [
    "--import",
    "tsx",
    "local/convex-backend/cli.ts",
    "--convex-dir",
    "convex",
    "--data-dir",
    path.join(dataDir, "convex"),
    "--port",
    String(convexPort),
    "--site-port",
    String(convexSitePort),
    "--seed",
    "seed:seedDemo",
  ];
  if (!args.has("--reset-only") && !args.has("--prod")) backendArgs.push("--watch");
  const backend = start("convex-local", process.execPath, backendArgs, localEnv);
  await waitForLine(backend, /local convex backend ready/, 120_000);

  if (args.has("--reset-only")) {
    log("demo data seeded");
    await stopAll(0);
    return;
  }

  if (args.has("--prod")) {
    // `npm test` builds while its other steps run, at a low priority (NEXT_BUILD_NICENESS) so they keep the CPU.
    await run(
      "next-build",
      "npx",
      ["next", "build"],
      { ...localEnv, NODE_ENV: "production", ALLOW_LOCAL_SERVICES_IN_PRODUCTION: "true" },
      Number(env.NEXT_BUILD_NICENESS ?? 0),
    );
    start("next", "npx", ["next", "start", "-p", String(port)], {
      ...localEnv,
      NODE_ENV: "production",
      ALLOW_LOCAL_SERVICES_IN_PRODUCTION: "true",
    });
  } else {
    start("next", "npx", ["next", "dev", "-p", String(port)], localEnv);
  }
  log(
    `app: http://localhost:${port}  (local Convex ${convexUrl}, ` +
      `${localEnv.LOCAL_STRIPE_URL ? `local Stripe ${localEnv.LOCAL_STRIPE_URL}, ` : ""}data in ${path.relative(root, dataDir)})`,
  );
}

/** The demo seed's top-ups in cents (lib/seedData.ts, run through tsx): the processor does not import the app. */
function seededTopUpCents() {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/seed-top-ups.ts"], {
    cwd: root,
    encoding: "utf8",
  }).trim();
}

/** Secret key and webhook signing secret for the local processor, created once per data dir. */
function localStripeKeys(file) {
  if (!existsSync(file)) {
    writeAtomic(
      file,
      JSON.stringify({
        secretKey: `sk_test_local_${randomBytes(18).toString("base64url")}`,
        webhookSecret: `whsec_${randomBytes(24).toString("base64url")}`,
      }),
    );
  }
  return JSON.parse(readFileSync(file, "utf8"));
}

/** RS256 key pair for the local sign-in stand-in, created once per data dir. */
async function localAuthKeys(file) {
  if (!existsSync(file)) {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = `local-${Date.now().toString(36)}`;
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    writeAtomic(file, JSON.stringify({ privateJwk, publicJwk }, null, 2));
  }
  const { privateJwk, publicJwk } = JSON.parse(readFileSync(file, "utf8"));
  const jwks = JSON.stringify({ keys: [publicJwk] });
  return {
    privateJwk,
    jwksDataUri: `data:application/json;base64,${Buffer.from(jwks).toString("base64")}`,
  };
}

function start(name, command, commandArgs, childEnv) {
  const child = spawn(command, commandArgs, { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.name = name;
  children.push(child);
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream.on("data", (chunk) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) process.stdout.write(prefix + line + "\n");
    });
  }
  child.on("exit", (code, signal) => {
    if (stopping) return;
    log(`${name} exited (${signal ?? code}); stopping`);
    void stopAll(code === 0 ? 1 : (code ?? 1));
  });
  return child;
}

/** Runs a command to its end; `niceness` (0-19) lowers its CPU priority and its children's. */
function run(name, command, commandArgs, childEnv, niceness = 0) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { env: childEnv, stdio: "inherit" });
    if (niceness > 0) setPriority(child.pid, niceness);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed (${code})`))));
  });
}

function waitForLine(child, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} did not start in ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk) => {
      if (pattern.test(chunk.toString())) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.on("exit", () => reject(new Error(`${child.name} exited before it was ready`)));
  });
}

async function stopAll(code) {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", resolve);
          child.kill("SIGTERM");
          setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 5000).unref();
        }),
    ),
  );
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => void stopAll(0));
}

function readEnvFile(file) {
  if (!existsSync(file)) return {};
  const out = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (!match) continue;
    out[match[1]] = match[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return out;
}

function writeAtomic(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

function log(line) {
  process.stdout.write(`[dev] ${line}\n`);
}

function fail(message) {
  console.error(`[dev] ${message}`);
  process.exit(1);
}
