/**
 * Runs the scale probes against a running local backend (Convex's real limits) over HTTP and reads what each
 * transaction read from GET /api/local/tx_usage: per function p50/p95 of the server-side transaction time and the
 * round trip, documents read (max per transaction, and the sum for actions and exports), and any limit error.
 */
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import type { TxUsageRecord } from "../../local/convex-backend/limits";
import { pct } from "../support";
import type { Probe, Who } from "./scaleProbes";
import { exports } from "./scaleProbes";

export type ProbeRow = {
  group: string;
  name: string;
  runs: number;
  /** transactions per call (actions and exports run many) */
  txs: number;
  p50Ms: number;
  p95Ms: number;
  /** server-side: the slowest transaction of a call, p95 over the runs */
  txP95Ms: number;
  /** the same transaction's CPU time in the backend, p95 over the runs (robust to other load on the machine) */
  txCpuP95Ms: number;
  /** the same, p50 (background jobs: over their transactions of that step) */
  txCpuP50Ms?: number;
  /** most documents one transaction read */
  maxReads: number;
  /** documents read by the whole call (all its transactions) */
  totalReads: number;
  maxBytesRead: number;
  error: string | null;
  result?: unknown;
};

export class UsageReader {
  constructor(
    private readonly url: string,
    private readonly adminKey: string,
  ) {}

  async take(): Promise<TxUsageRecord[]> {
    const res = await fetch(`${this.url}/api/local/tx_usage`, {
      headers: { authorization: `Convex ${this.adminKey}` },
    });
    if (!res.ok) throw new Error(`tx_usage: HTTP ${res.status}`);
    return (await res.json()) as TxUsageRecord[];
  }
}

type Clients = Record<Who, ConvexHttpClient>;

async function call(clients: Clients, probe: Pick<Probe, "who" | "kind" | "fn" | "args">): Promise<unknown> {
  const c = clients[probe.who];
  if (probe.kind === "query") return await c.query(makeFunctionReference<"query">(probe.fn), probe.args as never);
  if (probe.kind === "mutation")
    return await c.mutation(makeFunctionReference<"mutation">(probe.fn), probe.args as never);
  return await c.action(makeFunctionReference<"action">(probe.fn), probe.args as never);
}

const shortError = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 160);

/** Runs one probe `runs` times (queries, after a warm-up call) or once (crons). */
export async function runProbe(clients: Clients, usage: UsageReader, probe: Probe, runs: number): Promise<ProbeRow> {
  const n = probe.kind === "query" ? runs : 1;
  const wall: number[] = [];
  const txMax: number[] = [];
  const txCpu: number[] = [];
  let maxReads = 0;
  let totalReads = 0;
  let maxBytesRead = 0;
  let txs = 0;
  let error: string | null = null;
  let result: unknown;
  // One unmeasured call first: the local backend builds an in-memory index on its first use (a full table
  // scan a deployment never does), which would otherwise land in the figures.
  if (probe.kind === "query") await call(clients, probe).catch(() => undefined);
  await usage.take();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    try {
      result = await call(clients, probe);
    } catch (e) {
      error = shortError(e);
    }
    wall.push(performance.now() - t0);
    const recs = await usage.take();
    txs = recs.length;
    txMax.push(Math.max(0, ...recs.map((r) => r.ms)));
    txCpu.push(Math.max(0, ...recs.map((r) => r.cpuMs ?? NaN)));
    maxReads = Math.max(maxReads, ...recs.map((r) => r.documentsRead));
    maxBytesRead = Math.max(maxBytesRead, ...recs.map((r) => r.bytesRead));
    totalReads = recs.reduce((s, r) => s + r.documentsRead, 0);
    if (error !== null) break;
  }
  wall.sort((a, b) => a - b);
  txMax.sort((a, b) => a - b);
  txCpu.sort((a, b) => a - b);
  return {
    group: probe.group,
    name: probe.label ?? probe.fn,
    runs: wall.length,
    txs,
    p50Ms: pct(wall, 50),
    p95Ms: pct(wall, 95),
    txP95Ms: pct(txMax, 95),
    txCpuP95Ms: pct(txCpu, 95),
    txCpuP50Ms: pct(txCpu, 50),
    maxReads,
    totalReads,
    maxBytesRead,
    error,
    result: probe.kind === "query" ? undefined : result,
  };
}

/** Walks every page of each export query as the admin; one row per export (all pages). */
export async function runExports(clients: Clients, usage: UsageReader): Promise<ProbeRow[]> {
  const rows: ProbeRow[] = [];
  for (const ex of exports()) {
    await usage.take();
    const t0 = performance.now();
    let cursor: string | null = null;
    let pages = 0;
    let maxReads = 0;
    let totalReads = 0;
    let maxBytesRead = 0;
    let txs = 0;
    const txMs: number[] = [];
    const cpuMs: number[] = [];
    let error: string | null = null;
    try {
      for (;;) {
        const page = (await call(clients, {
          who: "admin",
          kind: "query",
          fn: ex.fn,
          args: { ...ex.args, paginationOpts: { numItems: ex.numItems, cursor } },
        })) as { isDone: boolean; continueCursor: string };
        pages++;
        const recs = await usage.take();
        txs += recs.length;
        for (const r of recs) {
          maxReads = Math.max(maxReads, r.documentsRead);
          maxBytesRead = Math.max(maxBytesRead, r.bytesRead);
          totalReads += r.documentsRead;
          txMs.push(r.ms);
          cpuMs.push(r.cpuMs);
        }
        if (page.isDone) break;
        cursor = page.continueCursor;
      }
    } catch (e) {
      error = shortError(e);
    }
    const total = performance.now() - t0;
    txMs.sort((a, b) => a - b);
    cpuMs.sort((a, b) => a - b);
    rows.push({
      group: "export",
      name: `${ex.label}: ${pages} pages`,
      runs: 1,
      txs,
      p50Ms: total,
      p95Ms: total,
      txP95Ms: pct(txMs, 95),
      txCpuP95Ms: pct(cpuMs, 95),
      txCpuP50Ms: pct(cpuMs, 50),
      maxReads,
      totalReads,
      maxBytesRead,
      error,
    });
  }
  return rows;
}

export function formatTable(rows: ProbeRow[]): string {
  const head =
    "| group | function | runs | tx/call | p50 ms | p95 ms | tx p95 ms | tx CPU p50 ms | tx CPU p95 ms | docs read (max tx) | docs read (call) | limit / error |";
  const sep = "| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- |";
  const f = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : "-");
  const lines = rows.map(
    (r) =>
      `| ${r.group} | ${r.name} | ${r.runs} | ${r.txs} | ${f(r.p50Ms)} | ${f(r.p95Ms)} | ${f(r.txP95Ms)} | ${f(r.txCpuP50Ms ?? NaN)} | ${f(r.txCpuP95Ms)} | ${r.maxReads} | ${r.totalReads} | ${r.error ?? ""} |`,
  );
  return [head, sep, ...lines].join("\n");
}
