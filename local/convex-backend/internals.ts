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
 * On top of that we install (per instance) the document store (docStore.ts, with queryRange.ts and
 * paginate.ts), the compiled schema validation (validators.ts) and the transaction watchdog
 * (watchdog.ts). Their shapes of convex-test's objects are in types.ts.
 * If convex-test is upgraded, these files are what needs re-checking.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { convexTest } from "convex-test";
import { DocStore } from "./docStore";
import { CONVEX_LIMITS } from "./limits";
import type { CommitChanges, ComponentSpec, ConvexGlobal, Doc, EngineInstance, TestAccessor } from "./types";
import { installFastValidation } from "./validators";
import { tableNameFromId } from "./values";
import { installWatchdog } from "./watchdog";

export type * from "./types";
export { compileValidator } from "./validators";
export { tableNameFromId } from "./values";
export { assertNotAbandoned, callStorage, currentCall, runInRootContext, type CallControl } from "./watchdog";

export async function createInstance(
  schema: unknown,
  modules: Record<string, () => Promise<unknown>>,
  components: ComponentSpec[] = [],
): Promise<EngineInstance> {
  const t = (convexTest as unknown as (s: unknown, m: unknown) => TestAccessor)(schema ?? undefined, modules);
  const global = await captureGlobal(t);
  const db = global.components[""]?.db;
  if (!db) throw new Error("convex-test internals changed: no root component db");
  for (const name of [
    "_iterateDocs",
    "_resolveQuerySource",
    "_evaluateQuery",
    "startQuery",
    "queryNext",
    "commit",
    "startTransaction",
  ] as const) {
    if (typeof db[name] !== "function")
      throw new Error(`convex-test internals changed: DatabaseFake.${name} is missing`);
  }
  if (components.length > 0 && typeof t.registerComponent !== "function") {
    throw new Error("convex-test internals changed: registerComponent is missing");
  }
  for (const c of components) t.registerComponent(c.path, c.schema ?? null, c.modules);
  const store = new DocStore(db);
  installFastValidation(db);
  const executionContext = await captureExecutionContext(t);
  const inst: EngineInstance = {
    t,
    global,
    db,
    store,
    trackMetrics: true,
    executionContext,
    componentWrites: new Set(),
    limits: CONVEX_LIMITS,
    usage: null,
  };
  store.onRead = (doc) => inst.usage?.read(doc);
  trackComponentWrites(inst);
  installWatchdog(inst);
  return inst;
}

/**
 * convex-test's AsyncLocalStorage of the running function ({ componentPath, udfType, ... }), found by
 * watching `getStore()` while a database syscall (which asks for the current component) starts.
 */
async function captureExecutionContext(t: TestAccessor): Promise<AsyncLocalStorage<{ componentPath?: string }>> {
  const proto = AsyncLocalStorage.prototype as unknown as { getStore: (this: unknown) => unknown };
  const original = proto.getStore;
  let found: AsyncLocalStorage<{ componentPath?: string }> | null = null;
  await t.run(async (ctx) => {
    const db = (ctx as { db: { system: { query: (table: string) => { first: () => Promise<unknown> } } } }).db.system;
    proto.getStore = function (this: unknown) {
      const store = original.call(this);
      if (
        found === null &&
        store !== null &&
        typeof store === "object" &&
        "componentPath" in store &&
        "udfType" in store
      ) {
        found = this as AsyncLocalStorage<{ componentPath?: string }>;
      }
      return store;
    };
    let pending: Promise<unknown>;
    try {
      // The syscall starts synchronously (and resolves the component's database) before its first await.
      pending = db.query("_scheduled_functions").first();
    } finally {
      proto.getStore = original;
    }
    await pending.catch(() => undefined);
    return null;
  });
  if (found === null) throw new Error("convex-test internals changed: could not find its execution context storage");
  return found;
}

/** The component the running function belongs to ("" = the app). */
export function currentComponentPath(inst: EngineInstance): string {
  return inst.executionContext.getStore()?.componentPath ?? "";
}

/**
 * Records the tables each top-level commit writes in components (as "<component path>/<table>"), for
 * invalidating subscriptions; their documents are not reported to hookCommits' listener.
 */
function trackComponentWrites(inst: EngineInstance): void {
  for (const [componentPath, component] of Object.entries(inst.global.components)) {
    if (componentPath === "") continue;
    const db = component.db;
    const commit = db.commit.bind(db);
    db.commit = (commitTs) => {
      if (db._writes.length === 1) {
        for (const id of Object.keys(db._writes[0]!))
          inst.componentWrites.add(`${componentPath}/${tableNameFromId(id) ?? "*"}`);
      }
      commit(commitTs);
    };
  }
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
    // The first ALS.run inside t.run is convex-test's own (synchronously), so
    // nothing running concurrently can be captured instead; restore at once.
    const p = t.run(async () => null);
    proto.run = original;
    await p;
  } finally {
    proto.run = original;
  }
  if (found === null) throw new Error("convex-test internals changed: could not capture its global state");
  return found;
}

// ------------------------------------------------------------------ commits

/**
 * Calls `onCommit(ts, changes)` after every top-level commit with the
 * documents it wrote (id -> committed document, or null when deleted).
 * Read-only commits report an empty map.
 */
export function hookCommits(
  inst: EngineInstance,
  onCommit: (ts: bigint, changes: CommitChanges, previous: CommitChanges, componentTables: ReadonlySet<string>) => void,
): void {
  const tm = inst.global.transactionManager;
  const original = tm.commit.bind(tm);
  tm.commit = (isNested: boolean) => {
    inst.store.lastCommit = null;
    inst.store.lastCommitPrevious = null;
    if (!isNested) inst.componentWrites.clear();
    const ts = original(isNested);
    if (!isNested && ts !== null) {
      const componentTables = new Set(inst.componentWrites);
      inst.componentWrites.clear();
      onCommit(ts, inst.store.lastCommit ?? new Map(), inst.store.lastCommitPrevious ?? new Map(), componentTables);
    }
    return ts;
  };
}

// ------------------------------------------------------------------ state

export function lastCommitTs(inst: EngineInstance): bigint {
  return inst.global.transactionManager._lastCommitTs;
}

/** Counters that go with the committed documents. */
export interface Counters {
  nextDocId: number;
  lastCreationTime: number;
  lastCommitTs: bigint;
}

export function counters(inst: EngineInstance): Counters {
  return {
    nextDocId: inst.db._nextDocId,
    lastCreationTime: inst.db._lastCreationTime,
    lastCommitTs: lastCommitTs(inst),
  };
}

/** Replaces the committed documents and raises the counters. No transaction may be open. */
export function loadDocuments(inst: EngineInstance, documents: Record<string, Doc>, c: Counters): void {
  inst.db._documents = documents;
  inst.db._nextDocId = Math.max(inst.db._nextDocId, c.nextDocId);
  inst.db._lastCreationTime = Math.max(inst.db._lastCreationTime, c.lastCreationTime);
  if (c.lastCommitTs > inst.global.transactionManager._lastCommitTs) {
    inst.global.transactionManager._lastCommitTs = c.lastCommitTs;
  }
  inst.store.rebuild();
}

/**
 * Moves the committed state of one instance into another (code reload); documents are shared, not copied.
 * Component state (in memory only) moves along for the components both instances have.
 */
export function transferState(from: EngineInstance, to: EngineInstance): void {
  loadDocuments(to, { ...from.db._documents }, counters(from));
  for (const [componentPath, target] of Object.entries(to.global.components)) {
    const source = from.global.components[componentPath];
    if (componentPath === "" || !source) continue;
    target.db._documents = { ...source.db._documents };
    target.db._nextDocId = Math.max(target.db._nextDocId, source.db._nextDocId);
    target.db._lastCreationTime = Math.max(target.db._lastCreationTime, source.db._lastCreationTime);
  }
}

/** Checks documents against the instance's schema; returns human-readable problems. */
export function schemaViolations(inst: EngineInstance, documents: Iterable<Doc>, limit = 20): string[] {
  const problems: string[] = [];
  const schema = inst.db._schema;
  if (!schema || !schema.schemaValidation) return problems;
  for (const doc of documents) {
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

/** All committed documents of an instance. */
export function allDocuments(inst: EngineInstance): Doc[] {
  return Object.values(inst.db._documents);
}

/** Reads a committed document outside of any transaction. */
export function committedDoc(inst: EngineInstance, id: string): Doc | null {
  return inst.db._documents[id] ?? null;
}

export function committedDocs(inst: EngineInstance, table: string): Doc[] {
  return [...inst.store.docs(table).values()];
}
