// Shared harness for the local processor's unit tests: a fresh processor per test (temp data dir),
// the official stripe SDK pointed at it, and a webhook receiver that verifies signatures with the SDK.
// `stripe`, `processor` and `received` are live bindings: read them after the hooks ran.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { startProcessor, type Processor, type ProcessorOptions } from "../../local/stripe-processor/server";

export const SECRET_KEY = "sk_test_local_unit";
export const WEBHOOK_SECRET = "whsec_unit_test_secret";

export type Received = { event: Stripe.Event; raw: string };

export let processor: Processor;
export let stripe: Stripe;
export let received: Received[] = [];
let failNext = 0;
let hookUrl = "";
let dataDir = "";

/** The webhook receiver answers 500 to the next `count` deliveries (to exercise retries). */
export function failNextDeliveries(count: number): void {
  failNext = count;
}

/** Waits until every webhook delivery so far has been answered (and queued payouts settled). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await processor.idle();
    await new Promise((r) => setTimeout(r, 20));
    if (
      processor.store.state.undelivered.length === 0 &&
      processor.store.list("payout").every((p) => p.status !== "pending")
    )
      return;
  }
}

/** (Re)starts the processor on the current data dir, e.g. after `processor.stop()`; `overrides` e.g. `{ payoutDelayMs }`. */
export async function start(overrides: Partial<ProcessorOptions> = {}): Promise<void> {
  processor = await startProcessor({
    dataDir,
    secretKey: SECRET_KEY,
    webhookUrl: hookUrl,
    webhookSecret: WEBHOOK_SECRET,
    retryDelaysMs: [20, 40, 80],
    payoutDelayMs: 0,
    ...overrides,
  });
  stripe = new Stripe(SECRET_KEY, { host: "127.0.0.1", port: processor.port, protocol: "http", maxNetworkRetries: 0 });
}

/** Registers the hooks; call once at the top of a test file. */
export function setupLocalProcessor(dataDirPrefix: string): void {
  let hook: Server;
  const verifier = new Stripe("sk_test_unused");

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      req.on("end", () => {
        void (async () => {
          if (failNext > 0) {
            failNext--;
            res.writeHead(500).end();
            return;
          }
          try {
            const event = await verifier.webhooks.constructEventAsync(
              raw,
              String(req.headers["stripe-signature"]),
              WEBHOOK_SECRET,
            );
            received.push({ event, raw });
            res.writeHead(200).end();
          } catch {
            res.writeHead(400).end();
          }
        })();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/stripe/webhook`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => hook.close(() => r()));
  });

  beforeEach(async () => {
    received = [];
    failNext = 0;
    dataDir = mkdtempSync(path.join(tmpdir(), dataDirPrefix));
    await start();
  });

  afterEach(async () => {
    await processor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
}
