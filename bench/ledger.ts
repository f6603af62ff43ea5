/**
 * Ledger benchmark: journals per second through the embedded local Convex backend with 50 concurrent
 * writers, every journal touching platform_fees (and processor_cash), LEDGER_HOUSE_SHARDS=1 vs 16.
 *   npx tsx bench/ledger.ts                 (≈ 2 × 10 s)
 *   BENCH_SECONDS=5 npx tsx bench/ledger.ts
 * The backend runs as a child process (local/convex-backend/cli.ts, like bench/local-backend.ts) so that it has a
 * core to itself; each writer is a separate ConvexHttpClient posting `ledger:postEvent` (session_settled) over HTTP with
 * the admin key, one request at a time; writers use distinct client/advisor pairs where possible.
 * A second figure runs the same 50 writers in-process straight into the engine (`runFunction`, no HTTP, no
 * second process) to separate the ledger + engine cost from the transport.
 * After each run the ledger checker must pass and the fee total must equal what was posted.
 * Besides journals/s, each run reports the backend's CPU time per journal (the child's utime + stime from /proc over
 * HTTP, Linux only; this process's CPU time in-process): on a shared, loaded machine wall-clock throughput swings
 * with the other load, CPU per journal much less, so compare before/after changes on that figure too.
 * The checker reads every journal of the run in one mutation, so both backends run with Convex's per-function
 * limits raised (`--raise-limits`, RAISED_LIMITS); the app and its tests run under the real ones.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { fundedLedgerBackend } from "./lib/fundedLedger";
import { pct, processCpuMs, ROOT, startBenchBackend } from "./support";

const WRITERS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ADMIN_KEY = "bench-ledger-admin-key";
const COST_CENTS = 100;
const FEE_CENTS = 10;

type Event = { kind: "session_settled"; clientId: string; advisorId: string; costCents: number; feeCents: number };
const postEvent = makeFunctionReference<
  "mutation",
  { event: Event; idempotencyKey: string },
  { journalId: string; replayed: boolean }
>("ledger:postEvent");

const listApproved = makeFunctionReference<"query", Record<string, never>, { userId: string }[]>(
  "advisorProfiles:listApproved",
);
const postEvents = makeFunctionReference<"mutation", { items: unknown[] }, unknown>("ledger:postEvents");
const runChecker = makeFunctionReference<
  "mutation",
  Record<string, never>,
  { ok: boolean; journalsChecked: number; problems: string[] }
>("ledger:runChecker");

function adminClient(url: string): ConvexHttpClient {
  const client = new ConvexHttpClient(url, { skipConvexDeploymentUrlCheck: true });
  (client as unknown as { setAdminAuth(key: string): void }).setAdminAuth(ADMIN_KEY);
  return client;
}

function ownCpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

type Result = {
  shards: number;
  /** the backend's CPU time per journal posted, in ms */
  cpuMsPerJournal: number;
  journals: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  checkerOk: boolean;
  feesOk: boolean;
};

async function runOnce(shards: number): Promise<Result> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ledger-bench-"));
  let child: ChildProcess | null = null;
  try {
    const started = await startBenchBackend({
      dataDir,
      seed: "seed:seedDemo",
      raiseLimits: true,
      env: { LEDGER_HOUSE_SHARDS: String(shards), LOCAL_CONVEX_ADMIN_KEY: ADMIN_KEY },
    });
    child = started.child;
    const url = started.url;
    const admin = adminClient(url);
    const people = (await admin.query(listApproved, {})).map((a) => a.userId);
    if (people.length < 2) throw new Error("seed produced no advisors");
    // Fund every wallet generously (any user may own a client wallet; the ledger does not care about roles).
    await admin.mutation(postEvents, {
      items: people.map((id) => ({
        event: { kind: "top_up", clientId: id, amountCents: 1_000_000_000 },
        idempotencyKey: `bench:fund:${id}`,
      })),
    });
    const before = await admin.mutation(runChecker, {});

    const latencies: number[] = [];
    let errors = 0;
    const cpuBefore = processCpuMs(child.pid);
    const deadline = performance.now() + SECONDS * 1000;
    const startedAt = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const client = adminClient(url);
        const clientId = people[w % people.length]!;
        const advisorId = people[(w + 1) % people.length]!;
        for (let i = 0; performance.now() < deadline; i++) {
          const t0 = performance.now();
          try {
            await client.mutation(postEvent, {
              event: { kind: "session_settled", clientId, advisorId, costCents: COST_CENTS, feeCents: FEE_CENTS },
              idempotencyKey: `bench:${shards}:${w}:${i}`,
            });
            latencies.push(performance.now() - t0);
          } catch (error) {
            errors++;
            if (errors <= 3) console.error(`writer ${w}:`, error instanceof Error ? error.message : error);
          }
        }
      }),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    const cpuMs = processCpuMs(child.pid) - cpuBefore;
    const check = await admin.mutation(runChecker, {});
    if (!check.ok) console.error("checker problems:", check.problems.slice(0, 5));
    const journals = latencies.length;
    const posted = check.journalsChecked - before.journalsChecked;
    latencies.sort((a, b) => a - b);
    return {
      shards,
      cpuMsPerJournal: cpuMs / journals,
      journals,
      seconds,
      perSecond: journals / seconds,
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      p99: pct(latencies, 99),
      errors,
      checkerOk: check.ok,
      feesOk: posted === journals,
    };
  } finally {
    if (child !== null && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Same load, in-process: 50 concurrent `runFunction` callers, no HTTP. */
async function runInEngine(shards: number): Promise<Result> {
  // Loaded only now: while the HTTP runs measure the child backend, this process is nothing but its clients.
  const { startLocalBackend } = await import("../local/convex-backend/index");
  const { RAISED_LIMITS } = await import("../local/convex-backend/limits");
  process.env.LEDGER_HOUSE_SHARDS = String(shards);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ledger-bench-engine-"));
  // runChecker reads every journal the run posted (tens of thousands): past Convex's per-function limits.
  const { backend, people } = await fundedLedgerBackend(
    { startLocalBackend },
    { convexDir: path.join(ROOT, "convex"), dataDir, limits: RAISED_LIMITS, keyPrefix: "bench" },
  );
  try {
    const before = (await backend.runFunction("ledger:runChecker", {})) as { journalsChecked: number };
    const latencies: number[] = [];
    let errors = 0;
    const cpuBefore = ownCpuMs();
    const startedAt = performance.now();
    const deadline = startedAt + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; performance.now() < deadline; i++) {
          const t0 = performance.now();
          try {
            await backend.runFunction("ledger:postEvent", {
              event: {
                kind: "session_settled",
                clientId: people[w % people.length]!,
                advisorId: people[(w + 1) % people.length]!,
                costCents: COST_CENTS,
                feeCents: FEE_CENTS,
              },
              idempotencyKey: `bench:${shards}:${w}:${i}`,
            });
            latencies.push(performance.now() - t0);
          } catch (error) {
            errors++;
            if (errors <= 3) console.error(`writer ${w}:`, error instanceof Error ? error.message : error);
          }
        }
      }),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    const cpuMs = ownCpuMs() - cpuBefore;
    const check = (await backend.runFunction("ledger:runChecker", {})) as { ok: boolean; journalsChecked: number };
    latencies.sort((a, b) => a - b);
    return {
      shards,
      cpuMsPerJournal: cpuMs / latencies.length,
      journals: latencies.length,
      seconds,
      perSecond: latencies.length / seconds,
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      p99: pct(latencies, 99),
      errors,
      checkerOk: check.ok,
      feesOk: check.journalsChecked - before.journalsChecked === latencies.length,
    };
  } finally {
    await backend.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(title: string, results: Result[]): void {
  console.log("");
  console.log(title);
  console.log(
    "shards | journals | seconds | journals/s | p50 ms | p95 ms | p99 ms | CPU ms/journal | errors | checker | all landed",
  );
  for (const r of results) {
    console.log(
      `${String(r.shards).padStart(6)} | ${String(r.journals).padStart(8)} | ${r.seconds.toFixed(1).padStart(7)} | ${r.perSecond
        .toFixed(0)
        .padStart(
          10,
        )} | ${r.p50.toFixed(1).padStart(6)} | ${r.p95.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)} | ${r.cpuMsPerJournal.toFixed(3).padStart(14)} | ${String(r.errors).padStart(6)} | ${
        r.checkerOk ? "ok" : "FAIL"
      }      | ${r.feesOk ? "yes" : "NO"}`,
    );
  }
}

const http: Result[] = [];
for (const shards of [1, 16]) {
  console.log(
    `ledger bench (HTTP, backend child process): ${WRITERS} writers × ${SECONDS} s, LEDGER_HOUSE_SHARDS=${shards} …`,
  );
  http.push(await runOnce(shards));
}
const engine: Result[] = [];
for (const shards of [1, 16]) {
  console.log(
    `ledger bench (in-process engine, no HTTP): ${WRITERS} writers × ${SECONDS} s, LEDGER_HOUSE_SHARDS=${shards} …`,
  );
  engine.push(await runInEngine(shards));
}
printTable(
  `Through the local backend over HTTP (${WRITERS} ConvexHttpClient writers, session_settled → platform_fees):`,
  http,
);
printTable(`Straight into the engine in-process (${WRITERS} concurrent runFunction callers):`, engine);
console.log("");
console.log(
  "Target: >= 1000 journals/s with shards. The local backend serializes mutations (no OCC), so shards cannot change its figures;\n" +
    "over HTTP the bench clients share the 2 cores with the backend. Shards pay off on a real deployment. See BILLING_SYSTEM_DOCS.md.",
);
if ([...http, ...engine].some((r) => !r.checkerOk || !r.feesOk || r.errors > 0)) process.exitCode = 1;
