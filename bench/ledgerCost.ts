/**
 * What one `session_settled` posting of the ledger bench costs the engine, counted rather than timed: documents and
 * bytes read and written per transaction (the local backend's limit counters, as GET /api/local/tx_usage gives
 * them), and the in-process CPU time per journal. 50 writers post a fixed number of journals each, in-process
 * (`runFunction`), LEDGER_HOUSE_SHARDS=16.
 *   npx tsx bench/ledgerCost.ts                          (this checkout)
 *   LEDGER_ROOT=/work/main npx tsx bench/ledgerCost.ts   (another checkout, e.g. to compare before/after)
 *   LEDGER_APP=/tmp/old/convex npx tsx bench/ledgerCost.ts   (this engine, another version's app: app cost only)
 *   LEDGER_POSTINGS=100 ...                              (postings per writer, default 100)
 * Counts are exact whatever the machine's load; the CPU figure is only indicative on a shared machine. A checkout from
 * before the counters existed reports CPU time only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fundedLedgerBackend, postSettlements } from "./lib/fundedLedger";
import { ROOT } from "./support";

const WRITERS = 50;
const PER_WRITER = Number(process.env.LEDGER_POSTINGS ?? 100);
const root = path.resolve(process.env.LEDGER_ROOT ?? ROOT);

type Usage = { documentsRead: number; bytesRead: number; documentsWritten: number; bytesWritten: number };

const { startLocalBackend } = (await import(
  path.join(root, "local/convex-backend/index.ts")
)) as typeof import("../local/convex-backend/index");
const { RAISED_LIMITS, txUsageLog } = (await import(
  path.join(root, "local/convex-backend/limits.ts")
)) as typeof import("../local/convex-backend/limits");

process.env.LEDGER_HOUSE_SHARDS = "16";
const dataDir = mkdtempSync(path.join(os.tmpdir(), "ledger-cost-"));
const { backend, people } = await fundedLedgerBackend(
  { startLocalBackend },
  { convexDir: process.env.LEDGER_APP ?? path.join(root, "convex"), dataDir, limits: RAISED_LIMITS, keyPrefix: "cost" },
);
try {
  // Older checkouts have no counters (before GET /api/local/tx_usage): CPU time only.
  if (txUsageLog !== undefined) {
    txUsageLog.enabled = true;
    txUsageLog.splice(0, txUsageLog.length);
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await postSettlements(backend, people, { writers: WRITERS, postings: PER_WRITER, keyPrefix: "cost" });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const records = (txUsageLog?.splice(0, txUsageLog.length) ?? []) as Usage[];
  const n = records.length;
  const mean = (field: keyof Usage) => records.reduce((s, r) => s + r[field], 0) / n;
  const journals = WRITERS * PER_WRITER;
  console.log(`root ${root}: ${journals} session_settled postings, ${n} transactions counted`);
  if (n > 0)
    console.log(
      `per posting: ${mean("documentsRead").toFixed(2)} docs / ${mean("bytesRead").toFixed(0)} bytes read, ` +
        `${mean("documentsWritten").toFixed(2)} docs / ${mean("bytesWritten").toFixed(0)} bytes written`,
    );
  console.log(
    `in-process: ${(journals / seconds).toFixed(0)} journals/s, ${((cpu.user + cpu.system) / 1000 / journals).toFixed(3)} CPU ms per journal (load ${os.loadavg()[0]!.toFixed(1)})`,
  );
} finally {
  await backend.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
