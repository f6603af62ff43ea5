/**
 * The transaction watchdog and the per-call context. A top-level transaction (query or mutation) that holds
 * convex-test's lock longer than the caller's limit is abandoned: its writes are dropped, the lock is
 * released, the caller gets an error, and anything the abandoned code does afterwards fails instead of
 * touching the database. The watchdog also opens and closes each transaction's usage against Convex's
 * per-function limits (limits.ts).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout, clearTimeout } from "node:timers";
import { TxUsage } from "./limits";
import type { ReadSet } from "./readset";
import type { EngineInstance } from "./types";

/**
 * Runs a callback in the process's root async context. Timers and callbacks
 * armed from inside a running function would otherwise inherit convex-test's
 * AsyncLocalStorage state (e.g. the enclosing mutation's transaction lock).
 */
export const runInRootContext: <R>(fn: () => R) => R = AsyncLocalStorage.snapshot();

/** Per function call: its transaction time limit and how to fail it. */
export interface CallControl {
  /** how long one top-level transaction of this call may hold the lock */
  transactionTimeoutMs: number;
  /** set once the call was given up; everything it does afterwards throws this */
  abandoned: Error | null;
  /** fails the caller's promise */
  abandon: (error: Error) => void;
  /** the call's function path (or "HTTP GET /path"), recorded with each of its transactions' usage */
  label?: string;
  /** a number per call (an action's transactions share it: a benchmark tells its slices apart) */
  callId?: number;
  /** message for a transaction that ran too long */
  describeTimeout: () => string;
  /** what a tracked query read (for invalidating its cached result) */
  reads?: ReadSet;
  /** where console.* lines of this call go (see logLines.ts) */
  logLines?: string[];
  /** fails an action with an exception its code threw asynchronously (see uncaught.ts) */
  uncaught?: (error: Error) => void;
  /** the function whose arguments the engine already validated for this call (convex-test then skips its own pass once) */
  argsChecked?: unknown;
}

/** The call a piece of running code belongs to (set by the engine around every function call). */
export const callStorage = new AsyncLocalStorage<CallControl>();

export function currentCall(): CallControl | undefined {
  return callStorage.getStore();
}

/** Throws if the running code belongs to an abandoned call. */
export function assertNotAbandoned(): void {
  const ctl = callStorage.getStore();
  if (ctl?.abandoned) throw ctl.abandoned;
}

export function installWatchdog(inst: EngineInstance): void {
  const tm = inst.global.transactionManager;
  const begin = tm.begin.bind(tm);
  const commit = tm.commit.bind(tm);
  const rollback = tm.rollback.bind(tm);
  let holder: { ctl: CallControl | undefined; timer: NodeJS.Timeout | null } | null = null;

  const release = () => {
    if (holder?.timer) clearTimeout(holder.timer);
    holder = null;
    inst.usage?.finish();
    inst.usage = null;
  };

  /** Ends the running top-level transaction without its writes and frees the lock. */
  const forceEnd = () => {
    for (const component of Object.values(inst.global.components)) component.db._writes = [];
    inst.db._queryResults = {};
    tm._metricsTracker = null;
    const done = tm._markTransactionDone;
    tm._waitOnCurrentFunction = null;
    tm._markTransactionDone = null;
    done?.();
  };

  tm.begin = async (isNested: boolean, limits?: unknown) => {
    const ctl = callStorage.getStore();
    if (ctl?.abandoned) throw ctl.abandoned;
    await begin(isNested, limits);
    if (isNested) return;
    if (!inst.trackMetrics) tm._metricsTracker = null;
    if (ctl?.abandoned) {
      // Given up while waiting for the lock: hand it straight back.
      rollback(false);
      throw ctl.abandoned;
    }
    const h: { ctl: CallControl | undefined; timer: NodeJS.Timeout | null } = { ctl, timer: null };
    inst.usage = new TxUsage(inst.limits, ctl?.label, ctl?.callId);
    if (ctl && Number.isFinite(ctl.transactionTimeoutMs) && ctl.transactionTimeoutMs > 0) {
      h.timer = runInRootContext(() =>
        setTimeout(() => {
          if (holder !== h) return;
          const error = new Error(ctl.describeTimeout());
          ctl.abandoned = error;
          release();
          forceEnd();
          ctl.abandon(error);
        }, ctl.transactionTimeoutMs),
      );
      h.timer.unref();
    }
    holder = h;
  };

  tm.commit = (isNested: boolean) => {
    const ctl = callStorage.getStore();
    if (ctl?.abandoned) throw ctl.abandoned;
    // Over the execution time: the mutation fails instead of committing (convex-test then rolls back).
    if (!isNested) inst.usage?.checkTime();
    const ts = commit(isNested);
    if (!isNested) release();
    return ts;
  };

  tm.rollback = (isNested: boolean) => {
    const ctl = callStorage.getStore();
    // The abandoned transaction was already ended by the watchdog.
    if (ctl?.abandoned) return;
    const usage = isNested ? null : inst.usage;
    rollback(isNested);
    if (!isNested) release();
    // A query ends with a rollback (convex-test's finally): one that ran too long fails instead of answering.
    usage?.checkTime();
  };
}
