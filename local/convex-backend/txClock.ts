/**
 * The clock behind the local backend's time limit (limits.ts): the main thread's CPU time, less what a deployment
 * would not charge a function: upkeep it does ahead of time (`uncharged`) and, on a heap as large as a scale run's,
 * the garbage collector's pauses (`GcPauses`).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { GCProfiler, getHeapStatistics } from "node:v8";

let cpuSampleMs = 0;
let cpuSampledAt = -Infinity;
let clockTickMs: number | null = null;
/** False once /proc/thread-self/stat could not be read (not Linux): the process's CPU time from then on. */
let threadStatReadable = true;

/**
 * The main thread's CPU time in ms, from /proc/thread-self/stat (Linux; utime + stime in clock ticks): the thread
 * that runs the functions and the database. The process's CPU time (process.cpuUsage) also holds V8's garbage
 * collection threads, which on a large heap (the scale run's database is all in memory) charged small transactions
 * seconds of other threads' work; Convex counts the function's own execution. Null where /proc is not there.
 */
function mainThreadCpuMs(): number | null {
  if (!threadStatReadable) return null;
  try {
    const stat = readFileSync("/proc/thread-self/stat", "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    clockTickMs ??= 1000 / (Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100);
    return (Number(fields[11]) + Number(fields[12])) * clockTickMs;
  } catch {
    threadStatReadable = false;
    return null;
  }
}

/**
 * CPU time in ms for the time limit: the main thread's where the system tells it, else the process's. Reading it is
 * a system call (a few % of a ledger posting if made for every transaction), so a transaction's start reuses a
 * sample up to 10 ms old (at most 10 ms of error on a 1 s limit, as is the clock tick); the check past the limit
 * samples afresh.
 */
export function cpuMs(fresh: boolean): number {
  const now = performance.now();
  if (fresh || now - cpuSampledAt > 10) {
    const thread = mainThreadCpuMs();
    if (thread !== null) cpuSampleMs = thread;
    else {
      const c = process.cpuUsage();
      cpuSampleMs = (c.user + c.system) / 1000;
    }
    cpuSampledAt = now;
  }
  return cpuSampleMs;
}

/** Main-thread CPU ms of upkeep a deployment does ahead of time (see `uncharged`), summed since the start. */
let unchargedCpuMs = 0;
export const unchargedCpuMsSoFar = (): number => unchargedCpuMs;

/**
 * Runs backend upkeep that a deployment does ahead of time, such as building an in-memory index on its first use
 * (a deployment maintains every index as it writes), without charging its CPU time to the transaction that happened
 * to need it: at 10% scale the first read of a journals index sorted 500,000 documents, seconds of a 1 s limit.
 */
export function uncharged<T>(work: () => T): T {
  const start = cpuMs(true);
  try {
    return work();
  } finally {
    unchargedCpuMs += cpuMs(true) - start;
  }
}

/**
 * Above this much heap in use, a transaction's time leaves out the main thread's garbage-collection pauses. The local
 * backend keeps every document in this process's heap; at scale-run sizes (gigabytes) a scavenge costs 15–140 ms
 * whatever allocated, and charged transactions of a few dozen documents past 1 s. A deployment's functions run in
 * their own isolate with a heap of their own: the database's memory is never collected on their time. Below it the
 * pauses are small and counting them costs nothing (a GC profiler per transaction is ~25 µs, a few % of a posting).
 */
let largeHeapBytes = 1 << 30;
let heapSampledAt = -Infinity;
let heapIsLarge = false;

export function largeHeap(): boolean {
  const now = performance.now();
  if (now - heapSampledAt > 1_000) {
    heapIsLarge = getHeapStatistics().used_heap_size > largeHeapBytes;
    heapSampledAt = now;
  }
  return heapIsLarge;
}

/** Tests only: the heap size from which GC pauses are left out (0: always). */
export function setLargeHeapBytes(bytes: number): void {
  largeHeapBytes = bytes;
  heapSampledAt = -Infinity;
}

/** The main thread's GC pause time during one transaction (V8's GC profiler; it reports only when stopped). */
export class GcPauses {
  private profiler: GCProfiler | null = null;
  private pausedMs = 0;

  constructor(on: boolean) {
    if (on) this.restart();
  }

  private restart(): void {
    this.profiler = new GCProfiler();
    this.profiler.start();
  }

  /** Pause ms so far; `more`: keep counting afterwards. */
  takeMs(more: boolean): number {
    if (this.profiler === null) return this.pausedMs;
    const profile = this.profiler.stop() as { statistics?: { cost: number }[] } | undefined;
    for (const gc of profile?.statistics ?? []) this.pausedMs += gc.cost / 1000; // cost: µs
    this.profiler = null;
    if (more) this.restart();
    return this.pausedMs;
  }
}
