/**
 * One scale run on a written data directory: starts the local backend on it with Convex's real limits, waits
 * until the loaded log is folded into a snapshot (so the measurements do not share the CPU with it), runs the
 * probes and exports (scaleRun.ts), checks that the paged checker and the reconciliation are exact, and stops.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { adminClient, BENCH_ADMIN_KEY, Signer, userClient } from "../population";
import { startBenchBackend } from "../support";
import type { ScaleDataset, ScaleSizes, ScaleUser } from "./scaleGen";
import { probes, type ProbeContext } from "./scaleProbes";
import { runExports, runProbe, UsageReader, type ProbeRow } from "./scaleRun";
import { runBackgroundExport, runReconciliationJob } from "./scaleJobs";

const DAY_MS = 86_400_000;
/** The issue's goals for a page query. */
export const PAGE_MAX_READS = 1_000;
export const PAGE_P95_MS = 100;

export type ScaleResult = {
  fraction: number;
  sizes: ScaleSizes;
  busiestClient: ScaleUser;
  busiestAdvisor: ScaleUser;
  tables: Record<string, number>;
  generateS: number;
  writeS: number;
  loadS: number;
  rows: ProbeRow[];
  checks: { checker: string; reconciliation: string; exact: boolean; marginExport?: string };
  /** the background jobs ran before the page queries and the checker (SCALE_JOBS_FIRST=1) */
  jobsFirst?: boolean;
  overGoals: string[];
};

const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function probeContext(ds: ScaleDataset): ProbeContext {
  const db = ds.db;
  let sessionId = "";
  let journalId = "";
  for (const s of db.table("sessions").values()) {
    if (s.clientId === ds.busiestClient.id) {
      sessionId = s._id;
      journalId = String(s.settlementJournalId);
    }
  }
  let walletAccountId = "";
  for (const a of db.table("accounts").values())
    if (a.kind === "client_wallet" && a.ownerId === ds.busiestClient.id) walletAccountId = a._id;
  return {
    today: dayString(ds.now),
    monthAgo: dayString(ds.now - 29 * DAY_MS),
    quarterAgo: dayString(ds.now - 89 * DAY_MS),
    sessionId,
    journalId,
    clientId: ds.busiestClient.id,
    clientEmail: String(db.table("users").get(ds.busiestClient.id)!.email),
    walletAccountId,
  };
}

/** Waits until the backend has folded the replayed log into db.json (its older log segments are gone). */
async function waitForSnapshot(dataDir: string, writtenSegments: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const old = readdirSync(dataDir).filter(
      (f) => /^wal-\d+\.log$/.test(f) && Number(f.slice(4, 10)) <= writtenSegments,
    );
    if (old.length === 0 && existsSync(path.join(dataDir, "db.json"))) return;
    if (Date.now() > deadline) throw new Error("the backend did not write its snapshot in time");
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function runScale(o: {
  fraction: number;
  dataDir: string;
  runs: number;
  context: ProbeContext;
  meta: Pick<ScaleDataset, "sizes" | "busiestClient" | "busiestAdvisor" | "expected">;
  tables: Record<string, number>;
  generateS: number;
  writeS: number;
  jobsFirst?: boolean;
  log: (line: string) => void;
}): Promise<ScaleResult> {
  const signer = await Signer.create();
  const t0 = performance.now();
  const segments = readdirSync(o.dataDir).filter((f) => f.startsWith("wal-")).length;
  const { url, siteUrl, child } = await startBenchBackend({
    dataDir: o.dataDir,
    startTimeoutMs: 30 * 60_000,
    // e.g. SCALE_BACKEND_NODE_ARGS=--trace-gc with BENCH_BACKEND_LOG=<file>: what the backend's heap did when
    nodeArgs: process.env.SCALE_BACKEND_NODE_ARGS?.split(" ").filter(Boolean),
    env: {
      LOCAL_CONVEX_ADMIN_KEY: BENCH_ADMIN_KEY,
      LOCAL_AUTH_JWKS: signer.jwksDataUri,
      STREAM_API_KEY: "",
      // A young generation sized for a multi-GB heap: fewer scavenges, each of which costs 15-140 ms at 10% scale.
      NODE_OPTIONS: "--max-old-space-size=16384 --max-semi-space-size=64",
    },
  });
  try {
    const loadS = (performance.now() - t0) / 1000;
    o.log(`backend loaded the data dir in ${loadS.toFixed(1)} s; waiting for its snapshot`);
    await waitForSnapshot(o.dataDir, segments, 30 * 60_000);
    o.log(`snapshot written after ${((performance.now() - t0) / 1000).toFixed(1)} s; running the probes`);
    const adminToken = await signer.token("demo-admin", "Avery Admin");
    const clients = {
      admin: userClient(url, adminToken),
      client: userClient(url, await signer.token(o.meta.busiestClient.subject, "Busiest client")),
      advisor: userClient(url, await signer.token(o.meta.busiestAdvisor.subject, "Busiest advisor")),
      key: adminClient(url),
    };
    // As after a deploy (IMPLEMENTATION_GUIDE.md, going live): count the existing rows once, so the pages read the
    // maintained counters instead of their capped fallback scans. Each step is one bounded transaction.
    const backfillStart = performance.now();
    let steps = 0;
    for (let more = true; more; steps++) {
      ({ more } = await clients.key.mutation(
        makeFunctionReference<"mutation", { batch?: number }, { more: boolean }>("counts:backfill"),
        {},
      ));
    }
    o.log(`counts backfilled in ${steps} steps, ${((performance.now() - backfillStart) / 1000).toFixed(1)} s`);
    const usage = new UsageReader(url, BENCH_ADMIN_KEY);
    const rows: ProbeRow[] = [];
    // The background jobs an admin starts, end to end (scaleJobs.ts), then the retention cron once (nothing is
    // old enough to expire yet: it shows what the hourly pass reads when it finds nothing). After the crons by
    // default; SCALE_JOBS_FIRST=1 runs them before the page queries and the checker (whose 4M-document walk at 10%
    // leaves the backend's heap to collect).
    const jobTimeoutMs = 25 * 60_000;
    const runJobs = async () => {
      const recon = await runReconciliationJob({ admin: clients.admin, usage, timeoutMs: jobTimeoutMs, log: o.log });
      const marginExport = await runBackgroundExport({
        admin: clients.admin,
        adminToken,
        siteUrl,
        usage,
        c: o.context,
        timeoutMs: jobTimeoutMs,
        log: o.log,
      });
      const retention = await runProbe(
        clients,
        usage,
        { group: "cron", who: "key", kind: "mutation", fn: "marginExports:sweepRetention", args: {} },
        1,
      );
      return { recon, marginExport, rows: [...recon.rows, ...marginExport.rows, retention] };
    };
    let jobs = o.jobsFirst ? await runJobs() : null;
    for (const p of probes(o.context)) {
      const row = await runProbe(clients, usage, p, o.runs);
      rows.push(row);
      o.log(
        `${row.name}: p95 ${row.p95Ms.toFixed(1)} ms, ${row.maxReads} docs read${row.error ? `, ERROR ${row.error}` : ""}`,
      );
    }
    jobs ??= await runJobs();
    const { recon, marginExport } = jobs;
    rows.push(...jobs.rows);
    rows.push(...(await runExports(clients, usage)));
    const exact = await exactness(clients.admin, rows, o.meta.expected);
    const checks = {
      ...exact,
      reconciliation: `${exact.reconciliation}; ${recon.slices} slices, ${recon.pages} pages${recon.error ? `, ${recon.error}` : ""}`,
      marginExport: marginExport.check,
      exact: exact.exact && marginExport.exact && recon.error === null,
    };
    return {
      fraction: o.fraction,
      ...o.meta,
      tables: o.tables,
      generateS: o.generateS,
      writeS: o.writeS,
      loadS,
      rows: rows.map(({ result: _result, ...r }) => r),
      checks,
      jobsFirst: o.jobsFirst === true,
      overGoals: overGoals(rows),
    };
  } finally {
    // The data dir is rebuilt on every run: no final snapshot (SIGKILL), the lock is taken over next time.
    child.kill("SIGKILL");
  }
}

function overGoals(rows: ProbeRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.error !== null) out.push(`${r.name}: ${r.error}`);
    // Time: the backend's CPU time per transaction (the machine is shared; wall-clock swings with other load).
    else if (r.group.endsWith("page") && (r.maxReads > PAGE_MAX_READS || r.txCpuP95Ms >= PAGE_P95_MS))
      out.push(
        `${r.name}: ${r.maxReads} docs, CPU p95 ${r.txCpuP95Ms.toFixed(0)} ms (round trip p95 ${r.p95Ms.toFixed(0)} ms)`,
      );
  }
  return out;
}

type CheckerResult = { ok: boolean; journalsChecked: number; problems: string[]; pages: number };
type ReconRun = { ledgerCashCents: number; error?: string };
type ReserveDay = { owedCents: number; processorCashCents: number };

/**
 * The checker must pass over every journal. The reconciliation must find processor_cash = every top-up and
 * record a reserve snapshot whose liabilities (wallets + advisor pending + available) = top-ups - platform fees.
 */
async function exactness(
  admin: ConvexHttpClient,
  rows: ProbeRow[],
  expected: ScaleDataset["expected"],
): Promise<ScaleResult["checks"]> {
  const checkerRow = rows.find((r) => r.name === "ledgerChecker:run");
  const res = checkerRow?.result as CheckerResult | undefined;
  const checkerOk = res !== undefined && res.ok && res.journalsChecked === expected.journals;
  const checker = res
    ? `ok=${res.ok}, ${res.journalsChecked} journals checked of ${expected.journals} posted, ${res.pages} pages${res.problems.length ? `, problems: ${res.problems.slice(0, 3).join("; ")}` : ""}`
    : `no result (${checkerRow?.error ?? "not run"})`;
  const { runs } = (await admin.query(makeFunctionReference<"query">("ops:reconciliationHistory"), {})) as {
    runs: ReconRun[];
  };
  const { history } = (await admin.query(makeFunctionReference<"query">("ops:reserveOverview"), {})) as {
    history: ReserveDay[];
  };
  const cash = runs[0]?.ledgerCashCents;
  const owed = history.at(-1)?.owedCents;
  const owedWant = expected.topUpCents - expected.feeCents;
  const reconOk = cash === expected.topUpCents && owed === owedWant;
  const reconciliation = `processor_cash ${cash ?? "?"} cents (expected ${expected.topUpCents}), owed ${owed ?? "?"} cents (expected ${owedWant}): ${reconOk ? "exact" : "MISMATCH"}`;
  return { checker, reconciliation, exact: checkerOk && reconOk };
}
