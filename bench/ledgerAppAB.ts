/**
 * What a change to the app's posting code costs the ledger, with the machine's drift taken out: two versions of
 * convex/ (A and B) run on this checkout's engine, each in its own child process (in-process engine, 50 writers,
 * session_settled, LEDGER_HOUSE_SHARDS=16), and take turns: A posts a burst, then B, then A... Only one posts at a
 * time, so both see the same machine, and the figure is the median over the bursts of each one's CPU ms per journal
 * and journals/s. On this shared 2-core VM single 10-second runs of one build differ by up to 50%; paired bursts
 * differ by a few percent.
 *   npx tsx bench/ledgerAppAB.ts --a=/tmp/before/convex [--b=convex] [--bursts=12] [--postings=20] [--http | --tx]
 * `--postings` is per writer per burst. `--tx` (in-process): also the CPU inside the transactions and the documents and
 * bytes per journal, from the engine's usage records (recording them costs each transaction a little: compare
 * figures taken the same way). `--http`: as bench/ledger.ts's HTTP figure, each version in its own backend
 * process (local/convex-backend/cli.ts) and the 50 writers ConvexHttpClients in this one; CPU is the backend's. A checkout of another commit works as A when its own node_modules resolve
 * (git worktree add --detach /tmp/before <commit>; ln -s "$PWD/node_modules" /tmp/before/node_modules).
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { fundedLedgerBackend, postSettlements, settlementArgs } from "./lib/fundedLedger";
import { processCpuMs, ROOT, startBenchBackend, stopChild } from "./support";

const WRITERS = 50;
/** What the transactions used, from the engine's usage records (in-process, with --tx only). */
type TxFigures = {
  cpuMs: number;
  documentsRead: number;
  bytesRead: number;
  documentsWritten: number;
  bytesWritten: number;
};
type Burst = { cpuMs: number; wallMs: number; journals: number; tx?: TxFigures };

function flag(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function sumOf(records: readonly TxFigures[]): TxFigures {
  const total: TxFigures = { cpuMs: 0, documentsRead: 0, bytesRead: 0, documentsWritten: 0, bytesWritten: 0 };
  for (const r of records) for (const key of Object.keys(total) as (keyof TxFigures)[]) total[key] += r[key];
  return total;
}

/** Child: one backend with the given app; posts a burst per message from the parent. */
async function child(convexDir: string, withTx: boolean): Promise<void> {
  const { startLocalBackend } = await import("../local/convex-backend/index");
  const { RAISED_LIMITS, txUsageLog } = await import("../local/convex-backend/limits");
  process.env.LEDGER_HOUSE_SHARDS = "16";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ledger-ab-"));
  const { backend, people } = await fundedLedgerBackend(
    { startLocalBackend },
    { convexDir, dataDir, limits: RAISED_LIMITS, keyPrefix: "ab" },
  );
  let burst = 0;
  const onMessage = async (m: { postings: number } | { stop: true }): Promise<void> => {
    if ("stop" in m) {
      await backend.stop();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
    const b = burst++;
    // Recording usage reads the thread's CPU clock once more per transaction: the same cost added to both versions,
    // which narrows their ratio. So it is opt-in (--tx), and the main figures are taken without it.
    txUsageLog.enabled = withTx;
    txUsageLog.length = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await postSettlements(backend, people, { writers: WRITERS, postings: m.postings, keyPrefix: `ab:${b}` });
    const cpu = process.cpuUsage(c0);
    const result: Burst = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - t0,
      journals: WRITERS * m.postings,
      ...(withTx ? { tx: sumOf(txUsageLog) } : {}),
    };
    process.send!(result);
  };
  process.on("message", (m: { postings: number } | { stop: true }) => void onMessage(m));
  process.send!({ ready: true });
}

function start(convexDir: string, withTx: boolean): Promise<ChildProcess> {
  const args = ["--child", `--app=${convexDir}`, ...(withTx ? ["--tx"] : [])];
  const proc = fork(fileURLToPath(import.meta.url), args, {
    // AB_CHILD_NODE_ARGS: node flags for both children, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    execArgv: ["--import", "tsx", ...(process.env.AB_CHILD_NODE_ARGS?.split(" ").filter(Boolean) ?? [])],
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    proc.once("message", () => resolve(proc));
    proc.once("exit", (code) => reject(new Error(`${convexDir}: child exited with ${code}`)));
  });
}

/** One version under test: posts a burst when asked, and stops. */
type Side = { burst(postings: number): Promise<Burst>; stop(): Promise<void> };

async function inProcessSide(convexDir: string, withTx: boolean): Promise<Side> {
  const proc = await start(convexDir, withTx);
  return {
    burst: (postings) =>
      new Promise((resolve) => {
        proc.once("message", (m) => resolve(m as Burst));
        proc.send({ postings });
      }),
    stop: async () => void proc.send({ stop: true }),
  };
}

const ADMIN_KEY = "bench-ledger-ab-admin-key";
const adminClient = (url: string) => {
  const client = new ConvexHttpClient(url, { skipConvexDeploymentUrlCheck: true });
  (client as unknown as { setAdminAuth(key: string): void }).setAdminAuth(ADMIN_KEY);
  return client;
};

/** The same version behind HTTP: its own backend process, funded as fundedLedgerBackend does. */
async function httpSide(convexDir: string, name: string): Promise<Side> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ledger-ab-http-"));
  const { url, child } = await startBenchBackend({
    dataDir,
    convexDir,
    seed: "seed:seedDemo",
    raiseLimits: true,
    env: { LEDGER_HOUSE_SHARDS: "16", LOCAL_CONVEX_ADMIN_KEY: ADMIN_KEY },
  });
  const admin = adminClient(url);
  const people = (
    await admin.query(
      makeFunctionReference<"query", Record<string, never>, { userId: string }[]>("advisorProfiles:listApproved"),
      {},
    )
  ).map((a) => a.userId);
  await admin.mutation(makeFunctionReference<"mutation", { items: unknown[] }, unknown>("ledger:postEvents"), {
    items: people.map((id) => ({
      event: { kind: "top_up", clientId: id, amountCents: 1_000_000_000 },
      idempotencyKey: `ab:fund:${id}`,
    })),
  });
  const writers = Array.from({ length: WRITERS }, () => adminClient(url));
  const postEvent = makeFunctionReference<"mutation", { event: unknown; idempotencyKey: string }>("ledger:postEvent");
  let burstNo = 0;
  return {
    async burst(postings) {
      const b = burstNo++;
      const cpu0 = processCpuMs(child.pid);
      const t0 = performance.now();
      // postSettlements' load, each writer with its own client (as bench/ledger.ts).
      await Promise.all(
        writers.map(async (client, w) => {
          for (let i = 0; i < postings; i++)
            await client.mutation(postEvent, settlementArgs(people, w, `ab:${name}:${b}:${w}:${i}`));
        }),
      );
      return { cpuMs: processCpuMs(child.pid) - cpu0, wallMs: performance.now() - t0, journals: WRITERS * postings };
    },
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

async function parent(): Promise<void> {
  const a = path.resolve(flag("a") ?? "");
  const b = path.resolve(flag("b") ?? path.join(ROOT, "convex"));
  if (flag("a") === undefined)
    throw new Error("usage: npx tsx bench/ledgerAppAB.ts --a=<convex dir> [--b=<convex dir>]");
  const bursts = Number(flag("bursts") ?? 12);
  const postings = Number(flag("postings") ?? 20);
  const http = process.argv.includes("--http");
  const withTx = !http && process.argv.includes("--tx");
  const side = (dir: string, name: string) => (http ? httpSide(dir, name) : inProcessSide(dir, withTx));
  const [sideA, sideB] = [await side(a, "a"), await side(b, "b")];
  const results: { a: Burst[]; b: Burst[] } = { a: [], b: [] };
  // One warm-up burst each (JIT, first inserts), then alternate, swapping who goes first each round.
  await sideA.burst(postings);
  await sideB.burst(postings);
  for (let i = 0; i < bursts; i++) {
    const order: ["a" | "b", Side][] = [
      ["a", sideA],
      ["b", sideB],
    ];
    if (i % 2 === 1) order.reverse();
    for (const [name, s] of order) results[name].push(await s.burst(postings));
  }
  for (const s of [sideA, sideB]) await s.stop();
  const figure = (rs: Burst[]) => ({
    txCpuMsPerJournal: withTx ? median(rs.map((r) => r.tx!.cpuMs / r.journals)) : null,
    cpuMsPerJournal: median(rs.map((r) => r.cpuMs / r.journals)),
    perSecond: median(rs.map((r) => (r.journals * 1000) / r.wallMs)),
  });
  // Each round's B against its A (the same moment of the machine): the median of these is the steadiest figure.
  const pairs = results.a.map((ra, i) => {
    const rb = results.b[i]!;
    return {
      cpu: rb.cpuMs / rb.journals / (ra.cpuMs / ra.journals),
      rate: ra.wallMs / ra.journals / (rb.wallMs / rb.journals),
      tx: withTx ? rb.tx!.cpuMs / ra.tx!.cpuMs : 1,
    };
  });
  const fa = figure(results.a);
  const fb = figure(results.b);
  const pctChange = (x: number, y: number) => `${y >= x ? "+" : ""}${(((y - x) / x) * 100).toFixed(1)}%`;
  console.log(
    `${bursts} bursts each of ${WRITERS} writers × ${postings} session_settled postings (16 house shards, ${http ? "over HTTP, backend CPU" : "in-process"})`,
  );
  const line = (name: string, dir: string, f: typeof fa) =>
    console.log(
      `${name} ${dir}: ${f.perSecond.toFixed(0)} journals/s, ${f.cpuMsPerJournal.toFixed(3)} CPU ms/journal` +
        (f.txCpuMsPerJournal === null ? "" : ` (${f.txCpuMsPerJournal.toFixed(3)} in the transactions)`),
    );
  line("A", a, fa);
  line("B", b, fb);
  if (withTx)
    for (const [name, rs] of [
      ["A", results.a],
      ["B", results.b],
    ] as const) {
      const r = rs.at(-1)!;
      const per = (n: number) => (n / r.journals).toFixed(1);
      console.log(
        `${name} per journal: read ${per(r.tx!.documentsRead)} documents / ${per(r.tx!.bytesRead)} bytes, ` +
          `wrote ${per(r.tx!.documentsWritten)} documents / ${per(r.tx!.bytesWritten)} bytes`,
      );
    }
  console.log(
    `paired rounds (median, min..max of B/A): journals/s ${pctChange(1, median(pairs.map((p) => p.rate)))} ` +
      `(${pctChange(1, Math.min(...pairs.map((p) => p.rate)))}..${pctChange(1, Math.max(...pairs.map((p) => p.rate)))}), ` +
      `CPU per journal ${pctChange(1, median(pairs.map((p) => p.cpu)))}` +
      (withTx ? `, CPU in the transactions ${pctChange(1, median(pairs.map((p) => p.tx)))}` : ""),
  );
  console.log(
    `B against A (medians): journals/s ${pctChange(fa.perSecond, fb.perSecond)}, CPU per journal ${pctChange(fa.cpuMsPerJournal, fb.cpuMsPerJournal)}`,
  );
}

if (process.argv.includes("--child")) await child(flag("app")!, process.argv.includes("--tx"));
else await parent();
