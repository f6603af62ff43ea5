/**
 * Query results shared by every WebSocket subscriber of the same (function, args, identity), re-evaluated
 * when a commit writes what they read (readindex.ts finds the candidates, readset.ts decides).
 */
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { Engine } from "./engine";
import type { Identity } from "./auth";
import { describeError } from "./errors";
import { tableNameFromId, type CommitChanges, type SerializedQuery } from "./internals";
import { ReadIndex } from "./readindex";
import { ReadSet } from "./readset";

type QueryResult =
  | { ok: true; json: JSONValue; str: string; logLines: string[] }
  | { ok: false; message: string; errorData?: JSONValue; str: string; logLines: string[] };

export interface QueryEntry {
  key: string;
  udfPath: string;
  args: Record<string, Value>;
  identity: Identity | null;
  result: QueryResult | null;
  seq: number;
  /** what the evaluation that produced `result` read */
  reads: ReadSet;
  /** what the running evaluation has read so far (a commit may land before its result is stored) */
  readsInFlight: ReadSet | null;
  /** the result must come from an evaluation started at this invalidation epoch or later */
  needEpoch: number;
  /** epoch at which the evaluation that produced `result` started (-1: no result yet) */
  haveEpoch: number;
  evaluating: { promise: Promise<void>; startEpoch: number; detach: () => void } | null;
  refs: number;
}

/**
 * Query results shared by every subscriber of the same (function, args,
 * identity). Freshness is tracked with an invalidation epoch (bumped by every
 * commit that wrote something and by reloads): an entry is fresh when its
 * result comes from an evaluation that started after the last invalidation
 * that concerned it. `ensure` runs at most one evaluation at a time per entry
 * and at most two to satisfy a caller, so steady writes cannot keep anyone
 * waiting (no re-evaluate-until-quiet loop), and every evaluation ends: the
 * engine fails queries that run too long.
 */
export class QueryCache {
  readonly entries = new Map<string, QueryEntry>();
  epoch = 0;
  /** what each entry's stored result read, indexed (see readindex.ts) */
  private readonly index: ReadIndex<QueryEntry>;
  /** entries with an evaluation running (their partial reads are checked one by one) */
  private readonly inFlight = new Set<QueryEntry>();
  constructor(private readonly engine: Engine) {
    this.index = new ReadIndex((source) => engine.hasKeyRange(source));
  }

  acquire(udfPath: string, argsJson: JSONValue, identity: Identity | null): QueryEntry {
    const key = `${udfPath}\u0000${JSON.stringify(argsJson)}\u0000${identity ? JSON.stringify(identity) : ""}`;
    let e = this.entries.get(key);
    if (!e) {
      let args: Record<string, Value>;
      try {
        args = (jsonToConvex(argsJson ?? {}) ?? {}) as Record<string, Value>;
      } catch {
        args = {};
      }
      e = {
        key,
        udfPath,
        args,
        identity,
        result: null,
        seq: 0,
        reads: new ReadSet(),
        readsInFlight: null,
        needEpoch: this.epoch,
        haveEpoch: -1,
        evaluating: null,
        refs: 0,
      };
      this.entries.set(key, e);
    }
    e.refs += 1;
    return e;
  }

  release(e: QueryEntry): void {
    e.refs -= 1;
    if (e.refs <= 0 && this.entries.get(e.key) === e) {
      this.entries.delete(e.key);
      this.index.delete(e);
      this.inFlight.delete(e);
    }
  }

  /**
   * Marks entries as needing a new evaluation: all of them, or those whose reads (table, document
   * ids, index ranges) cover the old or new version of a written document. Without `changes`,
   * any read of a written table counts.
   */
  invalidate(tables: Set<string> | "all", changes?: CommitChanges, previous?: CommitChanges): number {
    this.epoch += 1;
    if (tables === "all") {
      // New code: evaluations still running on the old code (possibly stuck) no longer count; their
      // waiters are released and the next ensure() starts over on the new code.
      for (const e of this.entries.values()) {
        const ev = e.evaluating;
        if (ev) {
          e.evaluating = null;
          ev.detach();
        }
      }
    }
    let n = 0;
    const matcherFor = (source: SerializedQuery["source"]) => this.engine.rangeMatcher(source);
    const affects = (reads: ReadSet): boolean => {
      if (tables === "all" || reads.everything) return true;
      let touched = false;
      for (const t of tables) {
        if (reads.touches(t)) {
          touched = true;
          break;
        }
      }
      if (!touched) return false;
      if (!changes) return true;
      // Component tables ("<component>/<table>") are tracked as whole tables, without documents.
      for (const t of tables) {
        if (t.includes("/") && reads.touches(t)) return true;
      }
      for (const [id, after] of changes) {
        const table = tableNameFromId(id);
        if (table === null) return true;
        if (!reads.touches(table)) continue;
        if (reads.affectedBy(table, id, previous?.get(id) ?? null, after, matcherFor)) return true;
      }
      return false;
    };
    const mark = (e: QueryEntry) => {
      if (e.needEpoch === this.epoch) return;
      e.needEpoch = this.epoch;
      n++;
    };
    const indexed =
      tables !== "all" && changes !== undefined && [...changes.keys()].every((id) => tableNameFromId(id) !== null);
    if (!indexed) {
      for (const e of this.entries.values()) {
        if (affects(e.reads) || (e.readsInFlight !== null && affects(e.readsInFlight))) mark(e);
      }
      return n;
    }
    // Only the candidates the index finds can be affected; each is checked exactly as above.
    const candidates = new Set<QueryEntry>();
    for (const t of tables) if (t.includes("/")) this.index.touching(t, candidates);
    for (const [id, after] of changes)
      this.index.candidates(tableNameFromId(id)!, id, previous?.get(id) ?? null, after, candidates);
    for (const e of candidates) if (this.entries.get(e.key) === e && affects(e.reads)) mark(e);
    for (const e of this.inFlight) if (e.readsInFlight !== null && affects(e.readsInFlight)) mark(e);
    return n;
  }

  isFresh(e: QueryEntry): boolean {
    return e.result !== null && e.haveEpoch >= e.needEpoch;
  }

  /** Resolves once the entry has a result at least as new as its last invalidation (as of this call). Never rejects. */
  ensure(e: QueryEntry, target = e.needEpoch): Promise<void> {
    if (e.result !== null && e.haveEpoch >= target) return Promise.resolve();
    if (e.evaluating) {
      if (e.evaluating.startEpoch >= target) return e.evaluating.promise;
      // Started before the invalidation: one more evaluation after it.
      return e.evaluating.promise.then(() => this.ensure(e, target));
    }
    const startEpoch = this.epoch;
    let detach!: () => void;
    const detached = new Promise<void>((r) => (detach = r));
    const promise = Promise.race([this.evaluateOnce(e, startEpoch), detached]).finally(() => {
      if (e.evaluating?.promise === promise) e.evaluating = null;
    });
    e.evaluating = { promise, startEpoch, detach };
    return promise;
  }

  private async evaluateOnce(e: QueryEntry, startEpoch: number): Promise<void> {
    let result: QueryResult;
    const reads = new ReadSet();
    e.readsInFlight = reads;
    this.inFlight.add(e);
    const logLines: string[] = [];
    try {
      const { value } = await this.engine.run(e.udfPath, e.args, {
        identity: e.identity,
        allowInternal: false,
        expected: "query",
        reads,
        logLines,
      });
      const json = convexToJson(value);
      result = { ok: true, json, str: JSON.stringify(json), logLines };
    } catch (err) {
      // A query's outcome, error included, depends only on what it read before it ended.
      let d: { message: string; errorData?: JSONValue };
      try {
        d = describeError(err);
      } catch {
        d = { message: "Server Error" };
      }
      result = {
        ok: false,
        message: d.message,
        errorData: d.errorData,
        str: `E${JSON.stringify([d.message.replace(/\[Request ID: [0-9a-f]+\] /, ""), d.errorData ?? null])}`,
        logLines,
      };
    }
    if (e.readsInFlight === reads) {
      e.readsInFlight = null;
      this.inFlight.delete(e);
    }
    // A detached evaluation that ends after a newer one must not overwrite it.
    if (startEpoch < e.haveEpoch) return;
    e.reads = reads;
    if (this.entries.get(e.key) === e) this.index.set(e, reads);
    if (!e.result || e.result.str !== result.str) {
      e.result = result;
      e.seq += 1;
    }
    if (startEpoch > e.haveEpoch) e.haveEpoch = startEpoch;
  }
}
