/**
 * Scale run (issue 25): builds a production-shaped dataset straight into a local backend data directory and runs
 * every admin page query, the busiest client's and advisor's pages, the crons and the exports under Convex's real
 * per-function limits, reporting p50/p95 time and documents read per function.
 *   npm run bench -- scale                      fractions 0.01 and 0.1 (1.0 = 1M users, 20k advisors, 2M sessions)
 *   SCALE_FRACTION=0.001,0.01 npm run bench -- scale      (or: npm run bench -- scale --fraction=0.05)
 *   SCALE_RUNS=7 (runs per page query); SCALE_JOBS_FIRST=1 (the background jobs before the pages and crons)
 *   npx tsx bench/scale.ts --report            print the stored results and the growth curve, run nothing
 * The dataset is generated with the app's own posting code (bench/lib/scaleGen.ts) into
 * .local-data/bench-scale-<fraction> (replaced on every run) and loaded by local/convex-backend/cli.ts WITHOUT
 * --raise-limits. Results go to stdout and .local-data/bench-scale-results.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { generateScale } from "./lib/scaleGen";
import { writeDataDir } from "./lib/scaleWrite";
import { probeContext, runScale, type ScaleResult } from "./lib/scaleSession";
import { formatTable } from "./lib/scaleRun";
import { growthTable } from "./lib/scaleReport";
import { ROOT } from "./support";

const HEAP_MB = 16_384;

// The dataset lives in this process's heap while it is built: re-run with a larger heap when needed.
if (v8.getHeapStatistics().heap_size_limit < 8 * 1024 ** 3 && process.env.SCALE_REEXEC !== "1") {
  const r = spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: "inherit",
      env: { ...process.env, SCALE_REEXEC: "1" },
    },
  );
  process.exit(r.status ?? 1);
}

const arg = process.argv.find((a) => a.startsWith("--fraction="))?.slice("--fraction=".length);
const fractions = (arg ?? process.env.SCALE_FRACTION ?? "0.01,0.1")
  .split(",")
  .map(Number)
  .filter((f) => f > 0 && f <= 1);
const runs = Math.max(1, Number(process.env.SCALE_RUNS ?? 7));
const resultsFile = path.join(ROOT, ".local-data", "bench-scale-results.json");

/** The growth curve over every fraction in the results file (this run's and earlier ones). */
function printGrowth(): void {
  if (!existsSync(resultsFile)) return;
  const all = JSON.parse(readFileSync(resultsFile, "utf8")) as ScaleResult[];
  if (all.length < 2) return;
  console.log(
    `\nGrowth over fractions ${all.map((r) => r.fraction).join(", ")} (docs read: most by one transaction; exports: all pages):`,
  );
  console.log(growthTable(all));
}

// --report: print the stored results (per-fraction tables and the growth curve) without running anything.
if (process.argv.includes("--report")) {
  const all = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, "utf8")) as ScaleResult[]) : [];
  for (const r of all) {
    console.log(`\nFraction ${r.fraction}: ${JSON.stringify(r.sizes)}, tables ${JSON.stringify(r.tables)}`);
    console.log(
      `busiest client ${r.busiestClient.count} sessions, busiest advisor ${r.busiestAdvisor.count}; generate ${r.generateS.toFixed(0)} s, write ${r.writeS.toFixed(0)} s, load ${r.loadS.toFixed(0)} s`,
    );
    console.log(formatTable(r.rows));
    console.log(
      `checker: ${r.checks.checker}\nreconciliation: ${r.checks.reconciliation}\nmargin export: ${r.checks.marginExport ?? "not run"}\nover the goals: ${r.overGoals.join("; ") || "none"}`,
    );
  }
  printGrowth();
  process.exit(0);
}

let failed = false;
for (const fraction of fractions) {
  const log = (line: string) => console.log(`[${fraction}] ${line}`);
  const now = Date.now();
  const t0 = performance.now();
  let dataset: Awaited<ReturnType<typeof generateScale>> | null = await generateScale(fraction, now, log);
  const generateS = (performance.now() - t0) / 1000;
  const tables = Object.fromEntries([...dataset.db.tables].map(([name, rows]) => [name, rows.size]));
  const context = probeContext(dataset);
  const meta = {
    sizes: dataset.sizes,
    busiestClient: dataset.busiestClient,
    busiestAdvisor: dataset.busiestAdvisor,
    expected: dataset.expected,
  };
  const dataDir = path.join(ROOT, ".local-data", `bench-scale-${fraction}`);
  const t1 = performance.now();
  const written = writeDataDir(dataset.db, dataDir);
  const writeS = (performance.now() - t1) / 1000;
  dataset = null; // the backend child process needs the memory now
  log(
    `generated in ${generateS.toFixed(1)} s, wrote ${written.documents} documents (${(written.bytes / 2 ** 20).toFixed(0)} MiB) in ${writeS.toFixed(1)} s; entries: ${tables.entries ?? 0}, journals: ${tables.journals ?? 0}`,
  );
  const jobsFirst = process.env.SCALE_JOBS_FIRST === "1";
  const result = await runScale({ fraction, dataDir, runs, context, meta, tables, generateS, writeS, jobsFirst, log });
  console.log(`\nScale run, fraction ${fraction}:`);
  console.log(formatTable(result.rows));
  console.log(
    `checker: ${result.checks.checker}\nreconciliation: ${result.checks.reconciliation}\nmargin export: ${result.checks.marginExport ?? "not run"}\nload: ${result.loadS.toFixed(1)} s; over the goals: ${result.overGoals.length === 0 ? "none" : result.overGoals.join("; ")}`,
  );
  if (!result.checks.exact) failed = true;
  const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, "utf8")) as ScaleResult[]) : [];
  const merged = [...previous.filter((r) => r.fraction !== fraction), result].sort((a, b) => a.fraction - b.fraction);
  writeFileSync(resultsFile, JSON.stringify(merged, null, 1));
}
printGrowth();
process.exit(failed ? 1 : 0);
