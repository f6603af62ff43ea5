// Pieces of the load run (bench/load.ts): latency samples, live-query values, the local processor and the
// backend's write counter, and the per-session checks and write report printed at the end.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import WebSocket from "ws";
import { ConvexClient } from "convex/browser";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { chargeFor } from "../../lib/billingEngine";
import type { WriteStatsSnapshot } from "../../local/convex-backend/writeStats";
import { BENCH_ADMIN_KEY, pool, type BenchAdvisor, type BenchClient } from "../population";
import { pct, ROOT } from "../support";

export const STRIPE_SECRET = "sk_test_local_bench";
export const WEBHOOK_SECRET = "whsec_local_bench";

/** Latency samples by label, in ms. */
export class Samples {
  private readonly byLabel = new Map<string, number[]>();
  /** labels that repeat samples of another label (left out of "all") */
  private readonly subsets = new Set<string>();
  add(label: string, ms: number, opts: { subset?: boolean } = {}): void {
    const list = this.byLabel.get(label) ?? [];
    list.push(ms);
    this.byLabel.set(label, list);
    if (opts.subset) this.subsets.add(label);
  }
  all(): number[] {
    return [...this.byLabel].filter(([label]) => !this.subsets.has(label)).flatMap(([, list]) => list);
  }
  print(title: string, order: string[]): void {
    const fmt = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : "—");
    console.log(`  ${title.padEnd(44)} |       n |    p50 |    p95 |    p99 |     max`);
    const rows: [string, number[]][] = order.filter((l) => this.byLabel.has(l)).map((l) => [l, this.byLabel.get(l)!]);
    if (order.includes("all")) rows.push(["all", this.all()]);
    for (const [label, list] of rows) {
      const sorted = [...list].sort((a, b) => a - b);
      console.log(
        `  ${label.padEnd(44)} | ${String(sorted.length).padStart(7)} | ${fmt(pct(sorted, 50)).padStart(6)} | ${fmt(pct(sorted, 95)).padStart(6)} | ` +
          `${fmt(pct(sorted, 99)).padStart(6)} | ${fmt(sorted.at(-1) ?? NaN).padStart(7)}`,
      );
    }
  }
}

/** A value pushed by a live query, with a way to wait for the first one that satisfies a condition. */
export class Live<T> {
  value: T | undefined;
  private waiters: { test: (v: T) => boolean; resolve: (at: number) => void }[] = [];
  push(v: T): void {
    this.value = v;
    const now = performance.now();
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(v)) return true;
      w.resolve(now);
      return false;
    });
  }
  /** Resolves with the time the condition first held (performance.now()), or rejects after `timeoutMs`. */
  when(test: (v: T) => boolean, timeoutMs: number): Promise<number> {
    if (this.value !== undefined && test(this.value)) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const waiter = { test, resolve: (at: number) => (clearTimeout(timer), resolve(at)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error("timed out waiting for a live query update"));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

export function liveClient(url: string, token: string): ConvexClient {
  const client = new ConvexClient(url, {
    webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
    unsavedChangesWarning: false,
  });
  client.setAuth(async () => token);
  return client;
}

export async function startProcessor(dataDir: string, port: number, webhookUrl: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(ROOT, "local/stripe-processor/cli.ts"),
      "--port",
      String(port),
      "--data-dir",
      dataDir,
      "--webhook-url",
      webhookUrl,
      "--opening-balance-cents",
      "0",
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, LOCAL_STRIPE_SECRET_KEY: STRIPE_SECRET, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    },
  );
  await new Promise<void>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error("processor did not start within 60 s")), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      if (/local stripe processor ready/.test(buf)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`processor exited with ${code}`)));
  });
  child.stdout!.resume();
  return child;
}

export async function writeStats(url: string): Promise<WriteStatsSnapshot> {
  const response = await fetch(`${url}/api/local/write_stats`, {
    headers: { authorization: `Convex ${BENCH_ADMIN_KEY}` },
  });
  if (!response.ok) throw new Error(`write_stats answered ${response.status}`);
  return (await response.json()) as WriteStatsSnapshot;
}

export type Wallet = { balanceCents: number };
export type Room = { status: string; segments: unknown[] };
export type Incoming = { _id: string }[];
export type Presence = { client: number | null; advisor: number | null };
export type Pair = {
  client: BenchClient;
  advisor: BenchAdvisor;
  clientLive: ConvexClient;
  advisorLive: ConvexClient;
  wallet: Live<Wallet>;
  incoming: Live<Incoming>;
  clientRoom: Live<Room>;
  advisorRoom: Live<Room>;
  clientPresence: Live<Presence>;
  advisorPresence: Live<Presence>;
  sessionId: Id<"sessions"> | null;
  ended: boolean;
  topupsCents: number;
  result: { billableSeconds: number; costCents: number } | null;
  /** accept sent → answered, end sent → answered (performance.now()): billing must lie between them */
  times: { acceptSent: number; acceptDone: number; endSent: number; endDone: number } | null;
};

/**
 * Each settled session against its receipt and the billing engine, its billed time against the accept and end
 * calls' round trips, and its client's wallet against its top-ups and charge.
 */
export async function checkSessions(
  pairs: Pair[],
  walletsBefore: Map<string, number>,
  walletsAfter: Map<string, number>,
) {
  let exact = 0;
  let unbroken = 0;
  let walletsExact = 0;
  const sums = { clientCents: 0, shareCents: 0, feeCents: 0, billableSeconds: 0 };
  await pool(pairs, 64, async (p) => {
    if (p.sessionId === null || p.result === null) return;
    const receipt = await p.advisor.convex.query(api.sessions.receipt, { sessionId: p.sessionId });
    const engine = chargeFor({
      rateCentsPerMinute: receipt.rateCentsPerMinute,
      feeBps: receipt.feeBps!,
      billableSeconds: receipt.billableSeconds,
      freeSeconds: receipt.freeSeconds,
    });
    if (
      receipt.status === "ended" &&
      receipt.rateCentsPerMinute === p.advisor.rateCentsPerMinute &&
      receipt.billableSeconds === p.result.billableSeconds &&
      engine.costCents === receipt.costCents &&
      engine.clientCents === receipt.clientCents &&
      engine.feeCents === receipt.feeCents &&
      engine.shareCents === receipt.shareCents
    ) {
      exact++;
    }
    // No pause, no lost heartbeat: billed from the accept's commit to the end's (whole seconds), which both lie
    // between the call being sent and its answer arriving.
    const t = p.times!;
    const fewest = Math.floor((t.endSent - t.acceptDone) / 1000) - 1;
    const most = Math.ceil((t.endDone - t.acceptSent) / 1000);
    if (receipt.billableSeconds >= fewest && receipt.billableSeconds <= most) unbroken++;
    sums.clientCents += receipt.clientCents;
    sums.shareCents += receipt.shareCents!;
    sums.feeCents += receipt.feeCents!;
    sums.billableSeconds += receipt.billableSeconds;
    const moved = (walletsAfter.get(p.client.id) ?? 0) - (walletsBefore.get(p.client.id) ?? 0);
    if (moved === p.topupsCents - receipt.clientCents) walletsExact++;
  });
  return { exact, unbroken, walletsExact, sums };
}

/** The backend's committed writes during the run, in all and by table, per session-minute. */
export function printWrites(statsBefore: WriteStatsSnapshot, statsAfter: WriteStatsSnapshot, sessionMinutes: number) {
  const delta = (table: string) => (statsAfter.byTable[table] ?? 0) - (statsBefore.byTable[table] ?? 0);
  const writes = statsAfter.writes - statsBefore.writes;
  const topupTables = ["topups", "processorEvents"];
  console.log(
    `  committed writes (backend counter): ${writes} in ${statsAfter.commits - statsBefore.commits} transactions = ` +
      `${(writes / sessionMinutes).toFixed(1)} per session-minute (${sessionMinutes} session-minutes, top-ups included)`,
  );
  const tables = Object.keys(statsAfter.byTable)
    .filter((t) => delta(t) > 0)
    .sort((a, b) => delta(b) - delta(a));
  for (const table of tables) {
    const tag = table === "sessionParticipants" ? " (heartbeats)" : topupTables.includes(table) ? " (top-ups)" : "";
    console.log(
      `    ${`${table}${tag}`.padEnd(40)} ${String(delta(table)).padStart(8)}  ${(delta(table) / sessionMinutes).toFixed(2).padStart(7)} per session-minute`,
    );
  }
}
