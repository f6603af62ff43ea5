#!/usr/bin/env node
// Starts the local Stripe-compatible processor (see README.md). Configuration from flags or env:
//   --port / LOCAL_STRIPE_PORT, --data-dir / LOCAL_STRIPE_DATA_DIR, LOCAL_STRIPE_SECRET_KEY,
//   --webhook-url / LOCAL_STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET,
//   --payout-delay-ms / LOCAL_STRIPE_PAYOUT_DELAY_MS (pending -> paid/failed, default 1000),
//   --opening-balance-cents / LOCAL_STRIPE_OPENING_BALANCE_CENTS (platform funds at start, default 0; scripts/dev.mjs
//   passes the demo seed's top-ups, so local/ needs nothing from the app).
import { startProcessor } from "./server";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const required = (value: string | undefined, name: string): string => {
  if (!value) {
    console.error(`[stripe-local] ${name} is required`);
    process.exit(1);
  }
  return value;
};

if (process.env.NODE_ENV === "production" && process.env.ALLOW_LOCAL_SERVICES_IN_PRODUCTION !== "true") {
  console.error(
    "[stripe-local] refusing to run with NODE_ENV=production (set ALLOW_LOCAL_SERVICES_IN_PRODUCTION=true on purpose)",
  );
  process.exit(1);
}

/** Whole cents. */
function openingBalanceCents(value: string): number {
  const cents = Number(value);
  if (!Number.isSafeInteger(cents) || cents < 0)
    throw new Error(`--opening-balance-cents must be whole cents, got ${value}`);
  return cents;
}

const processor = await startProcessor({
  port: Number(flag("port") ?? process.env.LOCAL_STRIPE_PORT ?? 3012),
  host: flag("host") ?? "127.0.0.1",
  dataDir: required(flag("data-dir") ?? process.env.LOCAL_STRIPE_DATA_DIR, "--data-dir"),
  secretKey: required(process.env.LOCAL_STRIPE_SECRET_KEY, "LOCAL_STRIPE_SECRET_KEY"),
  webhookUrl: flag("webhook-url") ?? process.env.LOCAL_STRIPE_WEBHOOK_URL ?? null,
  webhookSecret: required(process.env.STRIPE_WEBHOOK_SECRET, "STRIPE_WEBHOOK_SECRET"),
  payoutDelayMs: Number(flag("payout-delay-ms") ?? process.env.LOCAL_STRIPE_PAYOUT_DELAY_MS ?? 1000),
  openingBalanceCents: openingBalanceCents(
    flag("opening-balance-cents") ?? process.env.LOCAL_STRIPE_OPENING_BALANCE_CENTS ?? "0",
  ),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`local stripe processor ready url=${processor.url}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void processor.stop().then(() => process.exit(0));
  });
}
