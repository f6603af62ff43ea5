/**
 * Reads at an earlier commit timestamp (`/api/query_at_ts`, used by ConvexHttpClient.consistentQuery):
 * the engine keeps the previous versions of the documents written by recent commits; a query at
 * `ts` runs in a transaction that first puts back the versions as of `ts` and is then rolled back,
 * so it sees exactly the database as of that commit and nothing is written.
 */
import { makeFunctionReference } from "convex/server";
import type { Value } from "convex/values";
import type { CommitChanges, Doc, EngineInstance, TestAccessor } from "./internals";

/** Commits older than this many are forgotten (a query at an earlier ts fails, as past a deployment's retention). */
const MAX_COMMITS = 2000;
/** ...and so are commits older than this. */
const MAX_AGE_MS = 5 * 60_000;

export function decodeTs(raw: unknown): bigint | null {
  if (typeof raw === "number" && Number.isInteger(raw) && raw >= 0) return BigInt(raw);
  if (typeof raw !== "string") return null;
  if (/^[0-9]+$/.test(raw)) return BigInt(raw);
  const b = Buffer.from(raw, "base64");
  return b.length === 8 ? b.readBigUInt64LE() : null;
}

export class CommitHistory {
  private commits: { ts: bigint; at: number; previous: CommitChanges }[] = [];
  /** commits at or before this ts are no longer known */
  private forgottenTs = -1n;

  record(ts: bigint, previous: CommitChanges): void {
    this.commits.push({ ts, at: Date.now(), previous });
    const cutoff = Date.now() - MAX_AGE_MS;
    while (this.commits.length > MAX_COMMITS || (this.commits.length > 0 && this.commits[0]!.at < cutoff)) {
      this.forgottenTs = this.commits.shift()!.ts;
    }
  }

  /** Forgets everything (new code may have migrated documents). */
  reset(currentTs: bigint): void {
    this.commits = [];
    this.forgottenTs = currentTs;
  }

  /**
   * The document versions that turn the current state back into the state as of `ts`
   * (id -> document, null: did not exist), or null when `ts` is too old to rebuild.
   */
  undoTo(ts: bigint): Map<string, Doc | null> | null {
    if (ts < this.forgottenTs) return null;
    const undo = new Map<string, Doc | null>();
    // Newest first; an older commit's previous version overrides a newer one's.
    for (let i = this.commits.length - 1; i >= 0 && this.commits[i]!.ts > ts; i--) {
      for (const [id, doc] of this.commits[i]!.previous) undo.set(id, doc);
    }
    return undo;
  }
}

/**
 * Runs the query `canonical` in a transaction of `accessor` that first puts back the versions in `undo`
 * (CommitHistory.undoTo) and is then rolled back: the query sees the database as of that commit.
 */
export async function queryWithUndo(
  accessor: TestAccessor,
  inst: EngineInstance,
  undo: Map<string, Doc | null>,
  canonical: string,
  args: Record<string, Value>,
): Promise<Value> {
  const rollback = { value: null as Value };
  try {
    await accessor.run(async (ctx: unknown) => {
      const db = inst.db as unknown as { _addWrite(id: string, doc: unknown): void };
      for (const [id, doc] of undo) db._addWrite(id, doc);
      const c = ctx as { runQuery(ref: unknown, a: unknown): Promise<Value> };
      rollback.value = await c.runQuery(makeFunctionReference(canonical), args);
      throw rollback;
    });
  } catch (e) {
    if (e !== rollback) throw e;
  }
  return rollback.value;
}
