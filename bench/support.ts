/**
 * Shared pieces of the benchmarks: percentiles and a local Convex backend in a child process
 * (the same CLI `npm run dev` starts), so each bench measures a real server over real sockets.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Nearest-rank percentile of an ascending list; NaN when empty. */
export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Starts local/convex-backend/cli.ts on free ports and resolves with its URL once it says it is ready. */
export async function startBenchBackend(options: {
  dataDir: string;
  convexDir?: string;
  /** A seed function to run on start, e.g. "seed:seedDemo". */
  seed?: string;
  env?: Record<string, string>;
  /** Benchmarks only: run without Convex's per-function limits (local/convex-backend/limits.ts). */
  raiseLimits?: boolean;
  /** The HTTP actions' port (default: any free port). */
  sitePort?: number;
  startTimeoutMs?: number;
  /** Node flags for the backend's process that NODE_OPTIONS does not take (e.g. --trace-gc). */
  nodeArgs?: string[];
}): Promise<{ url: string; siteUrl: string; child: ChildProcess }> {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const args = [
    ...(options.nodeArgs ?? []),
    "--import",
    "tsx",
    path.join(ROOT, "local/convex-backend/cli.ts"),
    "--convex-dir",
    options.convexDir ?? path.join(ROOT, "convex"),
    "--data-dir",
    options.dataDir,
    "--port",
    "0",
    "--site-port",
    String(options.sitePort ?? 0),
    ...(options.seed ? ["--seed", options.seed] : []),
    ...(options.raiseLimits ? ["--raise-limits"] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...options.env },
  });
  const { url, siteUrl } = await new Promise<{ url: string; siteUrl: string }>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(
      () => reject(new Error(`backend did not start within ${startTimeoutMs / 1000}s`)),
      startTimeoutMs,
    );
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = /local convex backend ready url=(\S+) site=(\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, siteUrl: m[2]! });
      }
    });
    child.once("exit", (code) => reject(new Error(`backend exited with ${code}`)));
  });
  // Keep draining stdout so a chatty backend never blocks on a full pipe; BENCH_BACKEND_LOG=<file> keeps it
  // (with NODE_OPTIONS such as --trace-gc, to see what the backend's process did during a slow transaction).
  if (process.env.BENCH_BACKEND_LOG)
    child.stdout!.pipe(createWriteStream(process.env.BENCH_BACKEND_LOG, { flags: "a" }));
  else child.stdout!.resume();
  return { url, siteUrl, child };
}

/** A TCP port nobody listens on right now (for a child process that must know another's port up front). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Stops a child process (SIGTERM, then waits up to 5 s). */
export async function stopChild(child: ChildProcess | null): Promise<void> {
  if (child === null || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
}

/** CPU time (user + system) of a process in ms, from /proc (Linux); NaN where that is not available. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return NaN;
  }
}

let ticks: number | null = null;
function clockTicks(): number {
  ticks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return ticks;
}
