/**
 * The ONE module that touches convex-test internals.
 *
 * convex-test (pinned at exactly 0.0.60 in package.json) keeps its state in a
 * per-instance "convex global" object ({ components, transactionManager,
 * syscall, asyncSyscall, jsSyscall }) held in an AsyncLocalStorage that is not
 * exported. We capture that object once (by observing AsyncLocalStorage.run
 * while calling `t.run`), and from it reach:
 *   - the root DatabaseFake (committed documents, id counter) for snapshot /
 *     restore and schema checks,
 *   - the TransactionManager (commit timestamps; we hook `commit` to learn the
 *     tables written by each top-level transaction),
 *   - the syscall tables, which we wrap to serve storage URLs, scheduling and
 *     read tracking.
 * If convex-test is upgraded, this file is what needs re-checking.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { convexTest } from "convex-test";
import { convexToJson, jsonToConvex } from "convex/values";
import type { JSONValue, Value } from "convex/values";

/**
 * Runs a callback in the process's root async context. Timers and callbacks
 * armed from inside a running function would otherwise inherit convex-test's
 * AsyncLocalStorage state (e.g. the enclosing mutation's transaction lock).
 */
export const runInRootContext: <R>(fn: () => R) => R = AsyncLocalStorage.snapshot();

export type Doc = Record<string, Value | undefined> & { _id: string; _creationTime: number };

export interface DatabaseFake {
  _documents: Record<string, Doc>;
  _nextDocId: number;
  _lastCreationTime: number;
  _writes: Record<string, Doc | null>[];
  _schema: {
    schemaValidation: boolean;
    tables: Map<string, { documentType: unknown }>;
  } | null;
  get(table: string | undefined, id: string): Doc | null;
  insert(table: string, value: Record<string, Value | undefined>): string;
  patch(table: string, id: string, value: Record<string, JSONValue>): void;
  delete(table: string, id: string): void;
  _validate(table: string, doc: Record<string, unknown>): void;
}

export interface TransactionManager {
  _lastCommitTs: bigint;
  commit(isNested: boolean): bigint | null;
}

export type AsyncSyscall = (op: string, jsonArgs: string) => Promise<string>;
export type JsSyscall = (op: string, args: Record<string, unknown>) => Promise<unknown>;

export interface ConvexGlobal {
  components: Record<string, { db: DatabaseFake }>;
  transactionManager: TransactionManager;
  syscall: (op: string, jsonArgs: string) => string;
  asyncSyscall: AsyncSyscall;
  jsSyscall: JsSyscall;
}

/** The subset of the convex-test accessor API we use (typed loosely on purpose). */
export interface TestAccessor {
  query(ref: unknown, args?: unknown): Promise<unknown>;
  mutation(ref: unknown, args?: unknown): Promise<unknown>;
  action(ref: unknown, args?: unknown): Promise<unknown>;
  run<T>(fn: (ctx: unknown) => Promise<T>): Promise<T>;
  withIdentity(identity: Record<string, unknown>): TestAccessor;
}

export interface EngineInstance {
  t: TestAccessor;
  global: ConvexGlobal;
  db: DatabaseFake;
}

export async function createInstance(
  schema: unknown,
  modules: Record<string, () => Promise<unknown>>,
): Promise<EngineInstance> {
  const t = (convexTest as unknown as (s: unknown, m: unknown) => TestAccessor)(
    schema ?? undefined,
    modules,
  );
  const global = await captureGlobal(t);
  const db = global.components[""]?.db;
  if (!db) throw new Error("convex-test internals changed: no root component db");
  return { t, global, db };
}

async function captureGlobal(t: TestAccessor): Promise<ConvexGlobal> {
  const proto = AsyncLocalStorage.prototype as unknown as {
    run: (...args: unknown[]) => unknown;
  };
  const original = proto.run;
  let found: ConvexGlobal | null = null;
  proto.run = function (this: unknown, store: unknown, ...rest: unknown[]) {
    if (
      found === null &&
      store !== null &&
      typeof store === "object" &&
      "transactionManager" in store &&
      "components" in store &&
      "asyncSyscall" in store
    ) {
      found = store as ConvexGlobal;
    }
    return original.call(this, store, ...rest);
  };
  try {
    await t.run(async () => null);
  } finally {
    proto.run = original;
  }
  if (found === null) throw new Error("convex-test internals changed: could not capture its global state");
  return found;
}

export function tableNameFromId(id: string): string | null {
  const match = /^[0-9]+/.exec(id);
  if (!match || match[0].length === id.length) return null;
  return id.slice(match[0].length);
}

/**
 * Calls `onCommit(ts, writtenTables)` after every top-level commit.
 * Read-only commits report an empty table set.
 */
export function hookCommits(
  inst: EngineInstance,
  onCommit: (ts: bigint, tables: Set<string>) => void,
): void {
  const tm = inst.global.transactionManager;
  const original = tm.commit.bind(tm);
  tm.commit = (isNested: boolean) => {
    let tables: Set<string> | null = null;
    if (!isNested) {
      tables = new Set();
      for (const level of inst.db._writes) {
        for (const id of Object.keys(level)) {
          const table = tableNameFromId(id);
          if (table) tables.add(table);
        }
      }
    }
    const ts = original(isNested);
    if (!isNested && ts !== null && tables) onCommit(ts, tables);
    return ts;
  };
}

export function lastCommitTs(inst: EngineInstance): bigint {
  return inst.global.transactionManager._lastCommitTs;
}

export interface SerializedState {
  format: 1;
  nextDocId: number;
  lastCreationTime: number;
  lastCommitTs: string;
  documents: JSONValue[];
}

/** Committed state only (pending transaction writes live in `_writes`). */
export function exportState(inst: EngineInstance): SerializedState {
  const docs = Object.values(inst.db._documents);
  return {
    format: 1,
    nextDocId: inst.db._nextDocId,
    lastCreationTime: inst.db._lastCreationTime,
    lastCommitTs: lastCommitTs(inst).toString(),
    documents: docs.map((d) => convexToJson(d as Value)),
  };
}

/** Must be called while no transaction is open (at start) or from inside `t.run` during a swap. */
export function importState(inst: EngineInstance, state: SerializedState): void {
  const documents: Record<string, Doc> = {};
  for (const json of state.documents) {
    const doc = jsonToConvex(json) as Doc;
    documents[doc._id] = doc;
  }
  inst.db._documents = documents;
  inst.db._nextDocId = Math.max(inst.db._nextDocId, state.nextDocId);
  inst.db._lastCreationTime = Math.max(inst.db._lastCreationTime, state.lastCreationTime);
  const ts = BigInt(state.lastCommitTs);
  if (ts > inst.global.transactionManager._lastCommitTs) {
    inst.global.transactionManager._lastCommitTs = ts;
  }
}

/** Checks committed documents against the instance's schema; returns human-readable problems. */
export function schemaViolations(inst: EngineInstance, state: SerializedState, limit = 20): string[] {
  const problems: string[] = [];
  const schema = inst.db._schema;
  if (!schema || !schema.schemaValidation) return problems;
  for (const json of state.documents) {
    const doc = jsonToConvex(json) as Doc;
    const table = tableNameFromId(doc._id);
    if (!table || table.startsWith("_")) continue;
    if (!schema.tables.has(table)) continue;
    const { _id, _creationTime, ...fields } = doc;
    void _creationTime;
    try {
      inst.db._validate(table, fields);
    } catch (e) {
      problems.push(`table "${table}", document ${_id}: ${(e as Error).message}`);
      if (problems.length >= limit) break;
    }
  }
  return problems;
}

/** Reads a committed document outside of any transaction. */
export function committedDoc(inst: EngineInstance, id: string): Doc | null {
  return inst.db._documents[id] ?? null;
}

export function committedDocs(inst: EngineInstance, table: string): Doc[] {
  const out: Doc[] = [];
  for (const [id, doc] of Object.entries(inst.db._documents)) {
    if (tableNameFromId(id) === table) out.push(doc);
  }
  return out;
}
