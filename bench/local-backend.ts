/**
 * Benchmark for the embedded local Convex backend (loopback only, bounded).
 *   npx tsx bench/local-backend.ts
 * The backend runs as a child process (the CLI), clients run here with the
 * stock `convex` ConvexClient over WebSockets.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { pct, ROOT, startBenchBackend } from "./support";

const CONVEX_DIR = path.join(ROOT, "tests/local-backend/fixture/convex");
const ping = makeFunctionReference<"mutation", { channel: string; seq: number }, string>("bench:ping");
const latest = makeFunctionReference<"query", { channel: string }, { seq: number; at: number } | null>("bench:latest");
const pingMany = makeFunctionReference<"mutation", { prefix: string; channels: number; count: number }, number>(
  "bench:pingMany",
);

function fmt(n: number): string {
  return n.toFixed(1);
}

function newClient(url: string): ConvexClient {
  return new ConvexClient(url, {
    webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
    unsavedChangesWarning: false,
  });
}

async function mutationScenario(url: string, concurrency: number, total: number, budgetMs: number): Promise<void> {
  const clients = Array.from({ length: concurrency }, () => newClient(url));
  // warm up connections
  await Promise.all(clients.map((c, i) => c.mutation(ping, { channel: `warm-${concurrency}-${i}`, seq: 0 })));
  const perClient = Math.ceil(total / concurrency);
  const latencies: number[] = [];
  const deadline = performance.now() + budgetMs;
  const start = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      for (let k = 0; k < perClient && performance.now() < deadline; k++) {
        const t0 = performance.now();
        await c.mutation(ping, { channel: `m-${concurrency}-${i}`, seq: k });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `mutations  clients=${String(concurrency).padStart(3)}  n=${String(latencies.length).padStart(5)}  ` +
      `p50=${fmt(pct(latencies, 50))}ms  p99=${fmt(pct(latencies, 99))}ms  throughput=${fmt(latencies.length / elapsed)}/s`,
  );
  await Promise.all(clients.map((c) => c.close()));
}

async function subscriptionScenario(
  url: string,
  subscribers: number,
  updates: number,
  budgetMs: number,
): Promise<void> {
  const channel = `sub-${Date.now()}`;
  const clients = Array.from({ length: subscribers }, () => newClient(url));
  const writer = newClient(url);
  const samples: number[] = [];
  const seenSeq = new Array<number>(subscribers).fill(-1);
  let ready = 0;
  clients.forEach((c, i) => {
    c.onUpdate(latest, { channel }, (v) => {
      const now = Date.now();
      if (v === null) {
        if (seenSeq[i] === -1) {
          seenSeq[i] = 0;
          ready++;
        }
        return;
      }
      if (v.seq > (seenSeq[i] ?? 0)) {
        seenSeq[i] = v.seq;
        samples.push(now - v.at);
      }
    });
  });
  const t0 = Date.now();
  while (ready < subscribers && Date.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 10));
  const deadline = Date.now() + budgetMs;
  let sent = 0;
  for (let seq = 1; seq <= updates && Date.now() < deadline; seq++) {
    await writer.mutation(ping, { channel, seq });
    sent = seq;
    // wait until every subscriber saw it (or 2s), then pause briefly
    const waitStart = Date.now();
    while (seenSeq.some((s) => s < seq) && Date.now() - waitStart < 2000) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 5));
  }
  samples.sort((a, b) => a - b);
  const missed = seenSeq.filter((s) => s < sent).length;
  console.log(
    `subscription updates  subscribers=${subscribers}  updates=${sent}  samples=${samples.length}  ` +
      `p50=${fmt(pct(samples, 50))}ms  p95=${fmt(pct(samples, 95))}ms  p99=${fmt(pct(samples, 99))}ms  max=${fmt(samples[samples.length - 1] ?? NaN)}ms` +
      (missed ? `  (${missed} subscribers missed the last update)` : ""),
  );
  await Promise.all([...clients, writer].map((c) => c.close()));
}

/** Indexed point queries (withIndex eq + order desc + first) against a table of `docs` documents, over HTTP. */
async function indexedQueryScenario(url: string, docs: number, concurrency: number, budgetMs: number): Promise<void> {
  const channels = 1000;
  const admin = new ConvexHttpClient(url);
  const t0 = performance.now();
  for (let done = 0; done < docs; done += 2000)
    await admin.mutation(pingMany, { prefix: "idx", channels, count: Math.min(2000, docs - done) });
  const loadSeconds = (performance.now() - t0) / 1000;
  const clients = Array.from({ length: concurrency }, () => new ConvexHttpClient(url));
  const latencies: number[] = [];
  const deadline = performance.now() + budgetMs;
  const start = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      for (let k = 0; performance.now() < deadline; k++) {
        const q0 = performance.now();
        const v = await c.query(latest, { channel: `idx-${(i * 7919 + k * 104729) % channels}` });
        if (v === null) throw new Error("indexed query found nothing");
        latencies.push(performance.now() - q0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `indexed query  docs=${docs}  clients=${concurrency}  n=${latencies.length}  p50=${fmt(pct(latencies, 50))}ms  p99=${fmt(pct(latencies, 99))}ms  ` +
      `throughput=${fmt(latencies.length / elapsed)}/s  (loading ${docs} docs took ${loadSeconds.toFixed(1)} s)`,
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "lcb-bench-"));
  const { url, child } = await startBenchBackend({ dataDir, convexDir: CONVEX_DIR, startTimeoutMs: 30_000 });
  console.log(`local backend bench (backend pid ${child.pid}, ${os.cpus().length} cpus, node ${process.version})`);
  try {
    await mutationScenario(url, 1, 500, 15000);
    await mutationScenario(url, 10, 1000, 15000);
    await mutationScenario(url, 100, 2000, 20000);
    await subscriptionScenario(url, 100, 200, 30000);
    await indexedQueryScenario(url, 50_000, 10, 10000);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
