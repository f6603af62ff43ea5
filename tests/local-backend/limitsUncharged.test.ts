// The time limit charges a transaction its own work, not the backend's upkeep that a deployment does ahead of time
// (local/convex-backend/limits.ts `uncharged`, used for an in-memory index built on its first use), nor, once the
// heap holding the database is large, the garbage collector's pauses.
import { describe, expect, it } from "vitest";
import { CONVEX_LIMITS, TxUsage, txUsageLog } from "../../local/convex-backend/limits";
import { cpuMs, setLargeHeapBytes, uncharged } from "../../local/convex-backend/txClock";

const LIMIT_MS = 150;

/** Spins until this process has used `ms` of CPU (wall time would depend on the machine's other load). */
function busy(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

describe("time limit and backend upkeep", () => {
  it("does not charge upkeep run through uncharged(), and still charges the transaction's own work", () => {
    const usage = new TxUsage({ ...CONVEX_LIMITS, queryMutationMs: LIMIT_MS });
    uncharged(() => busy(3 * LIMIT_MS)); // e.g. sorting a large table for an index's first use
    expect(() => usage.checkTime()).not.toThrow();
    busy(2 * LIMIT_MS);
    expect(() => usage.checkTime()).toThrow(/Function execution timed out/);
  });

  /** A transaction's figures as the usage log records them, after `work` ran inside it; `threadCpuMs`: its clock. */
  function recorded(work: () => void) {
    txUsageLog.enabled = true;
    try {
      const before = cpuMs(true);
      const usage = new TxUsage(CONVEX_LIMITS, "test:gc");
      work();
      usage.finish();
      return { ...txUsageLog.at(-1)!, threadCpuMs: cpuMs(true) - before };
    } finally {
      txUsageLog.enabled = false;
      txUsageLog.length = 0;
    }
  }

  /** Garbage, enough for several young-generation collections. */
  function churn(): void {
    let keep: object[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      keep.push({ i, s: `x${i}` });
      if (keep.length > 50_000) keep = [];
    }
  }

  it("leaves garbage-collection pauses out of a transaction's time on a large heap, and only there", () => {
    expect(recorded(churn).gcPauseMs).toBe(0); // this test's heap is small: every pause counts
    setLargeHeapBytes(0); // as if the heap held a scale run's database
    try {
      const record = recorded(churn);
      expect(record.gcPauseMs).toBeGreaterThan(0);
      // Charged: the thread's CPU less the pauses (the clock ticks every 10 ms).
      expect(record.cpuMs).toBeLessThanOrEqual(Math.max(0, record.threadCpuMs - record.gcPauseMs) + 10);
    } finally {
      setLargeHeapBytes(1 << 30);
    }
  });
});
