/**
 * Convex's per-function limits, enforced by the local backend so that a function that would fail on a
 * deployment fails here too, with the deployment's error text. ONE table: every number and its source.
 *
 * Sources (read 2026-12):
 * - [docs] https://docs.convex.dev/production/state/limits ("Transactions" and "Execution time and
 *   scheduling"; get-convex/convex-backend npm-packages/docs/docs/production/state/limits.mdx).
 * - [reads.rs] get-convex/convex-backend crates/database/src/reads.rs (record_read_document: the
 *   TooManyDocumentsRead / TooManyBytesRead errors and OVER_LIMIT_HELP; system tables are exempt).
 * - [writes.rs] get-convex/convex-backend crates/database/src/writes.rs (TooManyWrites / TooManyBytesWritten).
 * - [isolate] get-convex/convex-backend crates/isolate: UserTimeoutError
 *   "Function execution timed out (maximum duration: {duration:?})".
 * Older docs (and the issue that asked for this) quote 16,384 documents / 8 MiB read and 8,192
 * documents / 8 MiB written; the current docs and backend knobs doubled them. convex-test 0.0.60's
 * DEFAULT_TRANSACTION_LIMITS carry the same current numbers.
 */
import { getDocumentSize, type Value } from "convex/values";
import type { Doc } from "./types";
import { leadingString, parseSyscallArgs } from "./syscalls";
import { cpuMs, GcPauses, largeHeap, unchargedCpuMsSoFar } from "./txClock";
import { DocCache, DOC_CACHE_CAPACITY } from "./docCache";

const MiB = 1 << 20;

export interface FunctionLimits {
  /** documents scanned by one query or mutation (filtered-out documents count) */
  documentsRead: number;
  /** bytes of the documents scanned by one query or mutation */
  bytesRead: number;
  /** documents written by one mutation */
  documentsWritten: number;
  /** bytes written by one mutation */
  bytesWritten: number;
  /** execution time of one query or mutation, ms */
  queryMutationMs: number;
  /** execution time of one action or HTTP action, ms */
  actionMs: number;
}

/** The limits table: value, the deployment's name for it, and where the number and wording come from. */
export const LIMITS_TABLE: Record<keyof FunctionLimits, { value: number; convexName: string; source: string }> = {
  documentsRead: {
    value: 32_000,
    convexName: "TooManyDocumentsRead",
    source: "[docs] Transactions: Documents scanned 32,000; [reads.rs]",
  },
  bytesRead: {
    value: 16 * MiB,
    convexName: "TooManyBytesRead",
    source: "[docs] Transactions: Data read 16 MiB; [reads.rs]",
  },
  documentsWritten: {
    value: 16_000,
    convexName: "TooManyWrites",
    source: "[docs] Transactions: Documents written 16,000; [writes.rs]",
  },
  bytesWritten: {
    value: 16 * MiB,
    convexName: "TooManyBytesWritten",
    source: "[docs] Transactions: Data written 16 MiB; [writes.rs]",
  },
  queryMutationMs: {
    value: 1_000,
    convexName: "UserTimeoutError",
    source: "[docs] Query/mutation execution time 1 second; [isolate]",
  },
  actionMs: {
    value: 10 * 60_000,
    convexName: "action timeout",
    source: "[docs] Node runtime action execution time 10 minutes",
  },
};

/** The limits a deployment enforces (the app, the dev server and every test run under these). */
export const CONVEX_LIMITS: Readonly<FunctionLimits> = Object.freeze(
  Object.fromEntries(Object.entries(LIMITS_TABLE).map(([k, v]) => [k, v.value])) as unknown as FunctionLimits,
);

/** For benchmarks only, asked for explicitly (`--raise-limits`, `limits: RAISED_LIMITS`): nothing is enforced. */
export const RAISED_LIMITS: Readonly<FunctionLimits> = Object.freeze({
  documentsRead: Number.MAX_SAFE_INTEGER,
  bytesRead: Number.MAX_SAFE_INTEGER,
  documentsWritten: Number.MAX_SAFE_INTEGER,
  bytesWritten: Number.MAX_SAFE_INTEGER,
  queryMutationMs: Number.MAX_SAFE_INTEGER,
  actionMs: CONVEX_LIMITS.actionMs,
});

const OVER_LIMIT_HELP =
  "Consider using smaller limits in your queries, paginating your queries, or using indexed queries with a selective index range expressions.";

/** Convex's wording of the duration in UserTimeoutError (Rust's Debug of a Duration: "1s", "600s", "1.5s"). */
function rustDuration(ms: number): string {
  return `${ms / 1000}s`;
}

export function limitMessage(kind: keyof FunctionLimits, limit: number): string {
  switch (kind) {
    case "documentsRead":
      return `Too many documents read in a single function execution (limit: ${limit}). ${OVER_LIMIT_HELP}`;
    case "bytesRead":
      return `Too many bytes read in a single function execution (limit: ${limit} bytes). ${OVER_LIMIT_HELP}`;
    case "documentsWritten":
      return `Too many writes in a single function execution (limit: ${limit})`;
    case "bytesWritten":
      return `Too many bytes written in a single function execution (limit: ${limit} bytes)`;
    case "queryMutationMs":
    case "actionMs":
      return `Function execution timed out (maximum duration: ${rustDuration(limit)})`;
  }
}

/** Sizes of committed documents (a write stores a new object, never changes one in place). */
const sizes = new DocCache<number>(DOC_CACHE_CAPACITY);

function docSize(doc: Doc): number {
  let s = sizes.get(doc);
  if (s === undefined) {
    try {
      s = getDocumentSize(doc as unknown as Value as never);
    } catch {
      s = 0; // a pending value (commit timestamp placeholder) convex-values cannot size
    }
    sizes.set(doc, s);
  }
  return s;
}

function isSystemDoc(doc: Doc): boolean {
  // ids are "<number><table>"; system tables start with "_"
  const id = doc._id;
  let i = 0;
  while (i < id.length && id.charCodeAt(i) >= 48 && id.charCodeAt(i) <= 57) i++;
  return id.charCodeAt(i) === 95;
}

/** What one finished top-level query or mutation used (wall-clock ms while it held the database). */
export type TxUsageRecord = {
  documentsRead: number;
  bytesRead: number;
  documentsWritten: number;
  bytesWritten: number;
  ms: number;
  /** the main thread's CPU time while it held the database (less sensitive to other load on the machine) */
  cpuMs: number;
  /** GC pauses left out of `cpuMs` (a large heap only, see `largeHeapBytes`) */
  gcPauseMs: number;
  timedOut: boolean;
  /** the function whose call ran it (an action's queries and mutations: the action) */
  fn?: string;
  /** the call's number (see CallControl.callId) */
  call?: number;
};

const TX_USAGE_LOG_MAX = 100_000;
/**
 * The last finished top-level transactions, oldest first; benchmarks take them with GET /api/local/tx_usage.
 * Off (nothing recorded) until the first such request.
 */
export const txUsageLog: TxUsageRecord[] & { enabled?: boolean } = [];

/**
 * What one top-level query or mutation used so far (nested runQuery/runMutation count towards their caller,
 * as on a deployment). A limit error is a plain Error: the function sees it where it read or wrote.
 */
export class TxUsage {
  documentsRead = 0;
  bytesRead = 0;
  documentsWritten = 0;
  bytesWritten = 0;
  private readonly startWall = performance.now();
  private readonly startCpuMs = cpuMs(false);
  private readonly startUnchargedCpuMs = unchargedCpuMsSoFar();
  private readonly gc = new GcPauses(largeHeap());
  timedOut = false;

  constructor(
    private readonly limits: FunctionLimits,
    private readonly fn?: string,
    private readonly call?: number,
  ) {}

  /** Adds this transaction's figures to `txUsageLog` once a benchmark asked for it (the watchdog calls this at the end). */
  finish(): void {
    if (!this.timedOut && !txUsageLog.enabled) {
      this.gc.takeMs(false); // stops its profiler, if any
      return;
    }
    const cpu = this.chargedCpuMs(false);
    const ms = performance.now() - this.startWall;
    if (this.timedOut)
      // As a deployment's logs show a timeout (straight to stdout: console.* inside a function run is that function's
      // log); the time since the process started lines it up with --trace-gc output.
      process.stdout.write(
        `[local backend] ${this.fn ?? "transaction"} timed out: started ${Math.round(this.startWall)} ms after start, ${Math.round(ms)} ms wall, ${Math.round(cpu)} ms CPU charged\n`,
      );
    if (!txUsageLog.enabled) return;
    const { documentsRead, bytesRead, documentsWritten, bytesWritten, timedOut, fn, call } = this;
    const gcPauseMs = this.gc.takeMs(false);
    txUsageLog.push({
      documentsRead,
      bytesRead,
      documentsWritten,
      bytesWritten,
      ms,
      cpuMs: cpu,
      gcPauseMs,
      timedOut,
      fn,
      call,
    });
    if (txUsageLog.length > TX_USAGE_LOG_MAX) txUsageLog.splice(0, txUsageLog.length - TX_USAGE_LOG_MAX);
  }

  read(doc: Doc): void {
    this.checkTime();
    if (isSystemDoc(doc)) return;
    this.documentsRead += 1;
    this.bytesRead += docSize(doc);
    if (this.documentsRead > this.limits.documentsRead)
      throw new Error(limitMessage("documentsRead", this.limits.documentsRead));
    if (this.bytesRead > this.limits.bytesRead) throw new Error(limitMessage("bytesRead", this.limits.bytesRead));
  }

  /** A document written (null: deleted). */
  wrote(doc: Doc | null, id: string): void {
    this.checkTime();
    if (doc !== null ? isSystemDoc(doc) : /^[0-9]*_/.test(id)) return;
    this.documentsWritten += 1;
    if (doc !== null) this.bytesWritten += docSize(doc);
    if (this.documentsWritten > this.limits.documentsWritten)
      throw new Error(limitMessage("documentsWritten", this.limits.documentsWritten));
    if (this.bytesWritten > this.limits.bytesWritten)
      throw new Error(limitMessage("bytesWritten", this.limits.bytesWritten));
  }

  /**
   * Throws once the function has run longer than its limit. Convex counts user code only; this counts the
   * main thread's CPU time since the transaction took the lock (database work included; other processes' load
   * and V8's garbage-collection threads not), and only looks at it once the wall clock is past the limit (cheap
   * on every syscall).
   */
  /**
   * Main-thread CPU time since the transaction took the lock, less the backend's upkeep (`uncharged`) and, on a large
   * heap, the GC pauses. `more`: the transaction goes on (keep counting its pauses).
   */
  private chargedCpuMs(more = true): number {
    const cpu = cpuMs(true) - this.startCpuMs - (unchargedCpuMsSoFar() - this.startUnchargedCpuMs);
    return Math.max(0, cpu - this.gc.takeMs(more));
  }

  checkTime(): void {
    if (this.timedOut) throw new Error(limitMessage("queryMutationMs", this.limits.queryMutationMs));
    if (performance.now() - this.startWall <= this.limits.queryMutationMs) return;
    if (this.chargedCpuMs() > this.limits.queryMutationMs) {
      this.timedOut = true;
      throw new Error(limitMessage("queryMutationMs", this.limits.queryMutationMs));
    }
  }
}

/** The database of the running transaction, as far as counting needs it. */
interface DbView {
  get(table: string | undefined, id: string): Doc | null;
}

/** Counts a `db.get` or a write of the app's database after it ran (`result`: the syscall's answer). */
export function countSyscall(usage: TxUsage, db: DbView, op: string, json: string, result: string): void {
  switch (op) {
    case "1.0/get": {
      if (result === "null") return;
      const { table, id } = parseSyscallArgs<{ table?: string; id: string }>(json);
      const doc = db.get(table, id);
      if (doc !== null) usage.read(doc);
      return;
    }
    case "1.0/insert": {
      const id = (JSON.parse(result) as { _id: string })._id;
      usage.wrote(db.get(undefined, id), id);
      return;
    }
    case "1.0/shallowMerge":
    case "1.0/replace":
    case "1.0/remove": {
      const id = leadingString(json, "id") ?? (JSON.parse(json) as { id: string }).id;
      usage.wrote(op === "1.0/remove" ? null : db.get(undefined, id), id);
      return;
    }
  }
}
