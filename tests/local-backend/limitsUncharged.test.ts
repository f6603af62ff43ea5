// The time limit charges a transaction its own work, not the backend's upkeep that a deployment does ahead of time
// (local/convex-backend/limits.ts `uncharged`, used for an in-memory index built on its first use).
import { describe, expect, it } from "vitest";
import { CONVEX_LIMITS, TxUsage, uncharged } from "../../local/convex-backend/limits";

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
});
