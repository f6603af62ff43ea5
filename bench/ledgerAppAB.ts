/**
 * What a change to the app's posting code costs the ledger, with the machine's drift taken out: two versions of
 * convex/ (A and B) run on this checkout's engine, each in its own child process (in-process engine, 50 writers,
 * session_settled, LEDGER_HOUSE_SHARDS=16), and take turns: A posts a burst, then B, then A... Only one posts at a
 * time, so both see the same machine, and the figure is the median over the bursts of each one's CPU ms per journal
 * and journals/s. On this shared 2-core VM single 10-second runs of one build differ by up to 50%; paired bursts
 * differ by a few percent.
 *   npx tsx bench/ledgerAppAB.ts --a=/tmp/before/convex [--b=convex] [--bursts=12] [--postings=20]
 * `--postings` is per writer per burst. A checkout of another commit works as A when its own node_modules resolve
 * (git worktree add --detach /tmp/before <commit>; ln -s "$PWD/node_modules" /tmp/before/node_modules).
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fundedLedgerBackend, postSettlements } from "./lib/fundedLedger";
import { ROOT } from "./support";

const WRITERS = 50;
type Burst = { cpuMs: number; wallMs: number; journals: number };

function flag(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** Child: one backend with the given app; posts a burst per message from the parent. */
async function child(convexDir: string): Promise<void> {
  const { startLocalBackend } = await import("../local/convex-backend/index");
  const { RAISED_LIMITS } = await import("../local/convex-backend/limits");
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
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await postSettlements(backend, people, { writers: WRITERS, postings: m.postings, keyPrefix: `ab:${b}` });
    const cpu = process.cpuUsage(c0);
    const result: Burst = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - t0,
      journals: WRITERS * m.postings,
    };
    process.send!(result);
  };
  process.on("message", (m: { postings: number } | { stop: true }) => void onMessage(m));
  process.send!({ ready: true });
}

function start(convexDir: string): Promise<ChildProcess> {
  const proc = fork(fileURLToPath(import.meta.url), ["--child", `--app=${convexDir}`], {
    execArgv: ["--import", "tsx"],
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    proc.once("message", () => resolve(proc));
    proc.once("exit", (code) => reject(new Error(`${convexDir}: child exited with ${code}`)));
  });
}

function burst(proc: ChildProcess, postings: number): Promise<Burst> {
  return new Promise((resolve) => {
    proc.once("message", (m) => resolve(m as Burst));
    proc.send({ postings });
  });
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

async function parent(): Promise<void> {
  const a = path.resolve(flag("a") ?? "");
  const b = path.resolve(flag("b") ?? path.join(ROOT, "convex"));
  if (flag("a") === undefined)
    throw new Error("usage: npx tsx bench/ledgerAppAB.ts --a=<convex dir> [--b=<convex dir>]");
  const bursts = Number(flag("bursts") ?? 12);
  const postings = Number(flag("postings") ?? 20);
  const [procA, procB] = [await start(a), await start(b)];
  const results: { a: Burst[]; b: Burst[] } = { a: [], b: [] };
  // One warm-up burst each (JIT, first inserts), then alternate, swapping who goes first each round.
  await burst(procA, postings);
  await burst(procB, postings);
  for (let i = 0; i < bursts; i++) {
    const order: ["a" | "b", ChildProcess][] = [
      ["a", procA],
      ["b", procB],
    ];
    if (i % 2 === 1) order.reverse();
    for (const [name, proc] of order) results[name].push(await burst(proc, postings));
  }
  for (const proc of [procA, procB]) proc.send({ stop: true });
  const figure = (rs: Burst[]) => ({
    cpuMsPerJournal: median(rs.map((r) => r.cpuMs / r.journals)),
    perSecond: median(rs.map((r) => (r.journals * 1000) / r.wallMs)),
  });
  // Each round's B against its A (the same moment of the machine): the median of these is the steadiest figure.
  const pairs = results.a.map((ra, i) => {
    const rb = results.b[i]!;
    return {
      cpu: rb.cpuMs / rb.journals / (ra.cpuMs / ra.journals),
      rate: ra.wallMs / ra.journals / (rb.wallMs / rb.journals),
    };
  });
  const fa = figure(results.a);
  const fb = figure(results.b);
  const pctChange = (x: number, y: number) => `${y >= x ? "+" : ""}${(((y - x) / x) * 100).toFixed(1)}%`;
  console.log(`${bursts} bursts each of ${WRITERS} writers × ${postings} session_settled postings (16 house shards)`);
  console.log(`A ${a}: ${fa.perSecond.toFixed(0)} journals/s, ${fa.cpuMsPerJournal.toFixed(3)} CPU ms/journal`);
  console.log(`B ${b}: ${fb.perSecond.toFixed(0)} journals/s, ${fb.cpuMsPerJournal.toFixed(3)} CPU ms/journal`);
  console.log(
    `paired rounds (median, min..max of B/A): journals/s ${pctChange(1, median(pairs.map((p) => p.rate)))} ` +
      `(${pctChange(1, Math.min(...pairs.map((p) => p.rate)))}..${pctChange(1, Math.max(...pairs.map((p) => p.rate)))}), ` +
      `CPU per journal ${pctChange(1, median(pairs.map((p) => p.cpu)))}`,
  );
  console.log(
    `B against A (medians): journals/s ${pctChange(fa.perSecond, fb.perSecond)}, CPU per journal ${pctChange(fa.cpuMsPerJournal, fb.cpuMsPerJournal)}`,
  );
}

if (process.argv.includes("--child")) await child(flag("app")!);
else await parent();
