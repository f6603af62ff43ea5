/**
 * The background jobs of the scale run, end to end as an admin starts them: the margin CSV export
 * (marginExports:start, its chain of steps, the file downloaded through the HTTP action and checked against
 * margins:report) and the paged reconciliation (ops:reconcileNow, its slices). Each step's transactions are told
 * apart by the function the backend records with them (GET /api/local/tx_usage: `fn`, `call`).
 */
import { makeFunctionReference } from "convex/server";
import type { ConvexHttpClient } from "convex/browser";
import type { TxUsageRecord } from "../../local/convex-backend/limits";
import { pct } from "../support";
import type { ProbeContext } from "./scaleProbes";
import type { ProbeRow, UsageReader } from "./scaleRun";

const POLL_MS = 1_000;
const shortError = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 160);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One row for a set of transactions: per-transaction p50/p95 time and CPU, most and total documents read. */
function stepRow(group: string, name: string, recs: TxUsageRecord[], calls: number, error: string | null): ProbeRow {
  const ms = recs.map((r) => r.ms).sort((a, b) => a - b);
  const cpu = recs.map((r) => r.cpuMs).sort((a, b) => a - b);
  return {
    group,
    name,
    runs: calls,
    txs: recs.length,
    p50Ms: pct(ms, 50),
    p95Ms: pct(ms, 95),
    txP95Ms: pct(ms, 95),
    txCpuP50Ms: pct(cpu, 50),
    txCpuP95Ms: pct(cpu, 95),
    maxReads: Math.max(0, ...recs.map((r) => r.documentsRead)),
    totalReads: recs.reduce((s, r) => s + r.documentsRead, 0),
    maxBytesRead: Math.max(0, ...recs.map((r) => r.bytesRead)),
    error,
  };
}

const callsOf = (recs: TxUsageRecord[]) => new Set(recs.map((r) => r.call)).size;

type ExportView = {
  _id: string;
  status: "running" | "done" | "failed" | "expired";
  error: string | null;
  pages: number;
  rowsRead: number;
  advisors: number;
  csvRows: number | null;
};
type Figures = { grossCents: number; feesCents: number; netMarginCents: number; sessions: number };
type Report = { totals: Figures; byDay: unknown[] };

const cents = (decimal: string) => Math.round(Number(decimal) * 100);

/** The CSV's total line and the sums of its advisor lines, against the report's totals. */
function checkCsv(csv: string, view: ExportView, report: Report): string {
  const lines = csv.trimEnd().split("\r\n").slice(1);
  const cols = (l: string) => l.split(",").slice(-9); // the figures (a name may hold a comma)
  const problems: string[] = [];
  if (lines.length !== view.csvRows) problems.push(`${lines.length} lines, the export says ${view.csvRows}`);
  const advisorLines = lines.filter((l) => l.startsWith("advisor,"));
  const days = lines.filter((l) => l.startsWith("day,")).length;
  if (days !== report.byDay.length) problems.push(`${days} day lines, the report has ${report.byDay.length}`);
  const total = cols(lines[0]!);
  const sum = (i: number) => advisorLines.reduce((s, l) => s + cents(cols(l)[i]!), 0);
  const t = report.totals;
  const pairs: [string, number, number][] = [
    ["sessions", Number(total[0]), t.sessions],
    ["gross", cents(total[1]!), t.grossCents],
    ["fees", cents(total[2]!), t.feesCents],
    ["net", cents(total[8]!), t.netMarginCents],
    ["advisor gross", sum(1), t.grossCents],
    ["advisor sessions", advisorLines.reduce((s, l) => s + Number(cols(l)[0]), 0), t.sessions],
  ];
  for (const [what, got, expected] of pairs) if (got !== expected) problems.push(`${what} ${got} ≠ ${expected}`);
  return problems.length === 0
    ? `exact (${lines.length} lines, ${advisorLines.length} advisors, gross ${t.grossCents} cents)`
    : `MISMATCH: ${problems.join("; ")}`;
}

/**
 * The background margin export of `from`..`to`: started as the admin, followed on the page's list query, its file
 * downloaded through GET /exports/margin and checked. Rows: start, the fold steps, the file action, finish,
 * the sums' cleanup, the download, and the whole job (wall time from start to the downloaded file).
 */
export async function runBackgroundExport(o: {
  admin: ConvexHttpClient;
  adminToken: string;
  siteUrl: string;
  usage: UsageReader;
  c: ProbeContext;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<{ rows: ProbeRow[]; check: string; exact: boolean }> {
  const range = { from: o.c.quarterAgo, to: o.c.today };
  const group = "export";
  const label = `background margin export (90 d)`;
  await o.usage.take();
  const recs: TxUsageRecord[] = [];
  const collect = async () => recs.push(...(await o.usage.take()).filter((r) => r.fn !== "marginExports:list"));
  const t0 = performance.now();
  let error: string | null = null;
  let check = "not run";
  let view: ExportView | undefined;
  try {
    const exportId = await o.admin.mutation(makeFunctionReference<"mutation">("marginExports:start"), range);
    for (;;) {
      const list = (await o.admin.query(makeFunctionReference<"query">("marginExports:list"), {})) as ExportView[];
      view = list.find((e) => e._id === exportId);
      await collect();
      if (view === undefined) throw new Error("the export is not listed");
      if (view.status !== "running") break;
      if (performance.now() - t0 > o.timeoutMs) throw new Error(`not finished after ${o.timeoutMs / 1000} s`);
      await sleep(POLL_MS);
    }
    if (view.status !== "done") throw new Error(`export ${view.status}: ${view.error}`);
    const res = await fetch(`${o.siteUrl}/exports/margin?id=${exportId}`, {
      headers: { authorization: `Bearer ${o.adminToken}` },
    });
    if (!res.ok) throw new Error(`download: HTTP ${res.status} ${await res.text()}`);
    const csv = await res.text();
    const wallMs = performance.now() - t0;
    // The sums are deleted 1,000 a step after the file: wait for those steps too (they are part of the job).
    const cleanups = Math.floor(view.advisors / 1_000) + 1;
    for (let i = 0; i < 60 && recs.filter((r) => r.fn === "marginExports:cleanup").length < cleanups; i++) {
      await sleep(500);
      await collect();
    }
    const report = (await o.admin.query(makeFunctionReference<"query">("margins:report"), range)) as Report;
    check = checkCsv(csv, view, report);
    o.log(
      `${label}: ${view.pages} steps, ${view.rowsRead} advisor-day rows, ${view.advisors} advisors, ${(wallMs / 1000).toFixed(1)} s; CSV ${check}`,
    );
    await collect();
    const rows = exportRows(group, label, recs, wallMs, null);
    return { rows, check, exact: check.startsWith("exact") };
  } catch (e) {
    error = shortError(e);
    await collect().catch(() => undefined);
    const stalled = recs
      .filter((r) => r.timedOut)
      .map((r) => `${r.fn}: ${r.documentsRead} docs, ${r.ms.toFixed(0)} ms, CPU ${r.cpuMs.toFixed(0)} ms`);
    o.log(`${label}: ERROR ${error} (after ${view?.pages ?? 0} steps; timed out: ${stalled.join("; ") || "?"})`);
    return {
      rows: exportRows(group, label, recs, performance.now() - t0, error),
      check: `failed: ${error}`,
      exact: false,
    };
  }
}

function exportRows(group: string, label: string, recs: TxUsageRecord[], wallMs: number, error: string | null) {
  const steps: [string, (r: TxUsageRecord) => boolean][] = [
    ["start", (r) => r.fn === "marginExports:start"],
    ["foldPage steps", (r) => r.fn === "marginExports:foldPage"],
    // The action's queries and its finish mutation are recorded under the action.
    ["writeFile (action: report, sums pages)", (r) => r.fn === "marginExports:writeFile"],
    ["cleanup steps", (r) => r.fn === "marginExports:cleanup"],
    ["download (HTTP action)", (r) => r.fn === "HTTP GET /exports/margin"],
  ];
  const rows = steps.map(([step, match]) => {
    const mine = recs.filter(match);
    return stepRow(group, `${label}: ${step}`, mine, callsOf(mine), null);
  });
  const all = recs.filter((r) => steps.some(([, match]) => match(r)));
  const total = stepRow(group, `${label}: whole job`, all, 1, error);
  return [...rows, { ...total, p50Ms: wallMs, p95Ms: wallMs }];
}

type ReconProgress = { status: "queued" | "running" | "failed" | "done"; error: string | null; pages: number };

/**
 * "Reconcile now" as the admin: the paged reconciliation runs as scheduled actions (a slice each, at most SLICE_MS),
 * followed with ops:reconcileRequest until it records its run. Rows: the request, the slices (their transactions).
 */
export async function runReconciliationJob(o: {
  admin: ConvexHttpClient;
  usage: UsageReader;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<{ rows: ProbeRow[]; slices: number; pages: number; error: string | null }> {
  const label = "ops:reconcileNow (background job)";
  await o.usage.take();
  const recs: TxUsageRecord[] = [];
  const collect = async () => recs.push(...(await o.usage.take()).filter((r) => r.fn !== "ops:reconcileRequest"));
  const t0 = performance.now();
  let error: string | null = null;
  let pages = 0;
  try {
    const job = (await o.admin.mutation(makeFunctionReference<"mutation">("ops:reconcileNow"), {})) as {
      requestId: string;
      jobId: string;
    };
    for (;;) {
      const p = (await o.admin.query(makeFunctionReference<"query">("ops:reconcileRequest"), job)) as ReconProgress;
      await collect();
      pages = p.pages;
      if (p.status === "done") break;
      if (p.status === "failed") throw new Error(`reconciliation failed: ${p.error}`);
      if (performance.now() - t0 > o.timeoutMs) throw new Error(`not finished after ${o.timeoutMs / 1000} s`);
      await sleep(POLL_MS);
    }
  } catch (e) {
    error = shortError(e);
  }
  const wallMs = performance.now() - t0;
  await collect().catch(() => undefined);
  const start = recs.filter((r) => r.fn === "ops:reconcileNow");
  const slices = recs.filter((r) => r.fn === "opsNode:runReconciliation");
  const sliceCount = callsOf(slices);
  const worstCpuMs = Math.max(0, ...slices.map((r) => r.cpuMs));
  const worstReads = Math.max(0, ...slices.map((r) => r.documentsRead));
  o.log(
    `${label}: ${sliceCount} slices, ${pages} pages, ${slices.length} transactions (worst: ${worstReads} docs read, ${worstCpuMs.toFixed(0)} ms CPU), ${(wallMs / 1000).toFixed(1)} s${error ? `, ERROR ${error}` : ""}`,
  );
  const total = stepRow("cron", `${label}: whole job`, [...start, ...slices], 1, error);
  return {
    rows: [
      stepRow("cron", `${label}: start`, start, callsOf(start), null),
      stepRow("cron", `${label}: slices`, slices, sliceCount, null),
      { ...total, p50Ms: wallMs, p95Ms: wallMs },
    ],
    slices: sliceCount,
    pages,
    error,
  };
}
