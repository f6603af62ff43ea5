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
 * On top of that we install (per instance):
 *   - a document store with per-table document maps and ordered indexes
 *     (sortedIndex.ts) maintained on every top-level commit, and replace the
 *     DatabaseFake's query path (`_iterateDocs`, `_resolveQuerySource`,
 *     `_evaluateQuery`, `startQuery`/`queryNext`) so `withIndex` ranges seek
 *     instead of scanning and sorting the whole database. Results are the same
 *     as convex-test's (same range semantics, same order: index fields, then
 *     `_creationTime`, then `_id`, compared with `compareValues`; pending writes
 *     of the running transaction are merged in);
 *   - a transaction watchdog: a top-level transaction (query or mutation) that
 *     holds convex-test's lock longer than the caller's limit is abandoned —
 *     its writes are dropped, the lock is released, the caller gets an error,
 *     and anything the abandoned code does afterwards fails instead of touching
 *     the database.
 * If convex-test is upgraded, this file is what needs re-checking.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout, clearTimeout } from "node:timers";
import { convexTest } from "convex-test";
import { CommitTsPlaceholder, getDocumentSize, jsonToConvex } from "convex/values";
import type { JSONValue, Value } from "convex/values";
import { compareKeys, compareValue, SortedIndex, type Entry, type Key } from "./sortedIndex";
import type { ReadSet } from "./readset";
import { CONVEX_LIMITS, TxUsage, type FunctionLimits } from "./limits";

/**
 * Runs a callback in the process's root async context. Timers and callbacks
 * armed from inside a running function would otherwise inherit convex-test's
 * AsyncLocalStorage state (e.g. the enclosing mutation's transaction lock).
 */
export const runInRootContext: <R>(fn: () => R) => R = AsyncLocalStorage.snapshot();

export type Doc = Record<string, Value | undefined> & { _id: string; _creationTime: number };

/** A query as the Convex runtime serializes it for `1.0/queryStream` / `1.0/queryPage`. */
export interface SerializedQuery {
  source:
    | { type: "FullTableScan"; tableName: string; order: "asc" | "desc" | null }
    | {
        type: "IndexRange";
        indexName: string;
        range: { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: JSONValue }[];
        order: "asc" | "desc" | null;
      }
    | { type: "Search"; indexName: string; filters: unknown[] };
  operators: ({ filter: unknown } | { limit: number })[];
}

interface ResolvedSource {
  sortedDocs: Doc[];
  filterFn: (doc: Doc) => boolean;
  limit: number | null;
  fieldPathsToSortBy: string[];
  order: "asc" | "desc";
}

export interface DatabaseFake {
  _documents: Record<string, Doc>;
  _nextDocId: number;
  _lastCreationTime: number;
  _nextQueryId: number;
  _queryResults: Record<number, unknown>;
  _writes: Record<string, Doc | null>[];
  _schema: {
    schemaValidation: boolean;
    tables: Map<string, { documentType: unknown; indexes?: { indexDescriptor: string; fields: string[] }[] }>;
  } | null;
  get(table: string | undefined, id: string): Doc | null;
  insert(table: string, value: Record<string, Value | undefined>): string;
  patch(table: string, id: string, value: Record<string, JSONValue>): void;
  delete(table: string, id: string): void;
  commit(commitTs: bigint | null): void;
  startTransaction(): void;
  startQuery(query: SerializedQuery): number;
  queryNext(queryId: number): { value: Doc | null; done: boolean };
  _validate(table: string, doc: Record<string, unknown>): void;
  _iterateDocs(table: string, callback: (doc: Doc) => void): void;
  _resolveQuerySource(query: SerializedQuery): ResolvedSource;
  _evaluateQuery(query: SerializedQuery): Doc[];
  _encodeCursor(doc: Doc, fieldPaths: string[]): string;
  paginate(args: PaginateArgs): PageResult;
}

export interface PaginateArgs {
  query: SerializedQuery;
  cursor: string | null;
  endCursor?: string | null;
  pageSize: number;
  maximumRowsRead?: number | null;
  maximumBytesRead?: number | null;
}

export interface PageResult {
  page: Doc[];
  isDone: boolean;
  continueCursor: string;
  splitCursor: string | null;
  pageStatus: "SplitRequired" | "SplitRecommended" | null;
}

export interface TransactionManager {
  _lastCommitTs: bigint;
  _waitOnCurrentFunction: Promise<void> | null;
  _markTransactionDone: (() => void) | null;
  _metricsTracker: unknown;
  begin(isNested: boolean, transactionLimits?: unknown): Promise<void>;
  commit(isNested: boolean): bigint | null;
  rollback(isNested: boolean): void;
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
  registerComponent(path: string, schema: unknown, modules: Record<string, () => Promise<unknown>>): void;
}

export interface EngineInstance {
  t: TestAccessor;
  global: ConvexGlobal;
  db: DatabaseFake;
}

export interface EngineInstance {
  t: TestAccessor;
  global: ConvexGlobal;
  db: DatabaseFake;
  store: DocStore;
  /** convex-test's storage of the running function's context (component path) */
  executionContext: AsyncLocalStorage<{ componentPath?: string }>;
  /** component tables ("<path>/<table>") written by the top-level transaction being committed */
  componentWrites: Set<string>;
  /**
   * Keep convex-test's per-transaction metrics (document sizes of every read
   * and write). They enforce nothing in this mode and only serve
   * ctx.meta.getTransactionMetrics(), so the engine turns them off when the
   * code never calls it.
   */
  trackMetrics: boolean;
  /** Convex's per-function limits this instance enforces (limits.ts) */
  limits: FunctionLimits;
  /** what the running top-level query or mutation used so far (null outside one) */
  usage: TxUsage | null;
}

/** A component to register on an instance (see loader.ts loadComponents). */
export interface ComponentSpec {
  path: string;
  schema: unknown;
  modules: Record<string, () => Promise<unknown>>;
}

export async function createInstance(
  schema: unknown,
  modules: Record<string, () => Promise<unknown>>,
  components: ComponentSpec[] = [],
): Promise<EngineInstance> {
  const t = (convexTest as unknown as (s: unknown, m: unknown) => TestAccessor)(
    schema ?? undefined,
    modules,
  );
  const global = await captureGlobal(t);
  const db = global.components[""]?.db;
  if (!db) throw new Error("convex-test internals changed: no root component db");
  for (const name of ["_iterateDocs", "_resolveQuerySource", "_evaluateQuery", "startQuery", "queryNext", "commit", "startTransaction"] as const) {
    if (typeof db[name] !== "function") throw new Error(`convex-test internals changed: DatabaseFake.${name} is missing`);
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
      if (found === null && store !== null && typeof store === "object" && "componentPath" in store && "udfType" in store) {
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
        for (const id of Object.keys(db._writes[0]!)) inst.componentWrites.add(`${componentPath}/${tableNameFromId(id) ?? "*"}`);
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

export function tableNameFromId(id: string): string | null {
  const match = /^[0-9]+/.exec(id);
  if (!match || match[0].length === id.length) return null;
  return id.slice(match[0].length);
}

// ------------------------------------------------------------------ document store and indexes

const BUILTIN_INDEXES: Record<string, string[]> = {
  by_creation_time: ["_creationTime", "_id"],
  by_id: ["_id"],
};
/** A table name no document can have (used to obtain convex-test's compiled filter only). */
const NO_TABLE = "\u0000no-table";
/** A pending value (commit timestamp placeholder) was found: let convex-test evaluate the query. */
const FALLBACK = Symbol("fallback");

/** convex-test's isSimpleObject (for field path evaluation). */
function isSimpleObject(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return prototype === null || prototype === Object.prototype || prototype?.constructor?.name === "Object";
}

function hasPendingValues(value: unknown): boolean {
  if (value instanceof CommitTsPlaceholder) return true;
  if (Array.isArray(value)) return value.some(hasPendingValues);
  if (value !== null && value !== undefined && isSimpleObject(value)) return Object.values(value as object).some(hasPendingValues);
  return false;
}

/** convex-test's evaluateFieldPath for committed documents (which hold no pending values). */
function fieldValue(doc: Doc, parts: string[]): Value | undefined {
  let r: unknown = doc;
  for (const p of parts) {
    r = r !== undefined && r !== null && isSimpleObject(r) ? (r as Record<string, unknown>)[p] : undefined;
  }
  return r as Value | undefined;
}

function keyOf(doc: Doc, paths: string[][]): Key {
  const key: Key = new Array(paths.length);
  for (let i = 0; i < paths.length; i++) key[i] = fieldValue(doc, paths[i]!);
  return key;
}

/** A query bound as convex-test evaluates it (evaluateQueryValue). */
function boundValue(v: JSONValue): Value | undefined | typeof FALLBACK {
  if (typeof v === "object" && v !== null && "$undefined" in v) return undefined;
  const value = jsonToConvex(v);
  return hasPendingValues(value) ? FALLBACK : value;
}

interface IndexState {
  fields: string[];
  paths: string[][];
  index: SortedIndex<Doc>;
}

interface TableStore {
  docs: Map<string, Doc>;
  indexes: Map<string, IndexState>;
}

interface Plan {
  table: string;
  st: IndexState;
  sortFields: string[];
  order: "asc" | "desc";
  /** the key sorts before the range */
  before: (k: Key) => boolean;
  /** the key sorts after the range */
  after: (k: Key) => boolean;
}

/** A plan before its index is looked up: table, index fields and key range. */
type RangePlan = Omit<Plan, "st"> & { indexName: string; fields: string[] };

type RangeFilter = { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: JSONValue };

/**
 * Committed documents per table, with ordered indexes built on first use and
 * maintained on every top-level commit; installs the fast query path on the
 * DatabaseFake.
 */
export class DocStore {
  private tables = new Map<string, TableStore>();
  private readonly orig: {
    resolve: (q: SerializedQuery) => ResolvedSource;
    evaluate: (q: SerializedQuery) => Doc[];
    paginate: (a: PaginateArgs) => PageResult;
    iterate: (table: string, callback: (doc: Doc) => void) => void;
    commit: (ts: bigint | null) => void;
  };
  /** writes applied by the last top-level commit (id -> committed doc or null) */
  lastCommit: Map<string, Doc | null> | null = null;
  /** the same documents as they were before that commit */
  lastCommitPrevious: Map<string, Doc | null> | null = null;
  /** false: every query takes convex-test's own path (tests compare both) */
  fastPath = true;
  /** called with every document a transaction reads through the store (limits.ts counts them) */
  onRead: ((doc: Doc) => void) | null = null;
  /** range() per query source object (sources are never changed once parsed) */
  private readonly ranges = new WeakMap<object, RangePlan | null>();

  constructor(private readonly db: DatabaseFake) {
    this.orig = {
      resolve: db._resolveQuerySource.bind(db),
      evaluate: db._evaluateQuery.bind(db),
      paginate: db.paginate.bind(db),
      iterate: db._iterateDocs.bind(db),
      commit: db.commit.bind(db),
    };
    this.rebuild();
    db._iterateDocs = (table, callback) => this.iterateDocs(table, callback);
    db._resolveQuerySource = (query) => this.resolveSource(query);
    db._evaluateQuery = (query) => this.evaluateQuery(query);
    db.paginate = (args) => this.paginate(args);
    db.startQuery = (query) => {
      const id = db._nextQueryId;
      db._queryResults[id] = { docs: db._evaluateQuery(query), i: 0 };
      db._nextQueryId += 1;
      return id;
    };
    db.queryNext = (queryId) => {
      const r = db._queryResults[queryId] as { docs: Doc[]; i: number } | undefined;
      if (r === undefined) throw new Error("Bad queryId");
      if (r.i >= r.docs.length) {
        r.docs = [];
        r.i = 0;
        return { value: null, done: true };
      }
      const doc = r.docs[r.i++]!;
      this.onRead?.(doc);
      return { value: doc, done: false };
    };
    // Write levels keyed by document ids: null-prototype objects stay in dictionary mode, whereas a fresh
    // `{}` per transaction gets a new hidden-class transition for every never-seen id (slow, ever-growing).
    db.startTransaction = () => {
      db._writes.push(Object.create(null) as Record<string, Doc | null>);
    };
    db.commit = (commitTs) => {
      const topLevel = db._writes.length === 1;
      const level = topLevel ? db._writes[0]! : null;
      let previous: Map<string, Doc | null> | null = null;
      if (level) {
        previous = new Map();
        for (const id of Object.keys(level)) previous.set(id, db._documents[id] ?? null);
      }
      this.orig.commit(commitTs);
      if (level) {
        const changes = new Map<string, Doc | null>();
        for (const id of Object.keys(level)) {
          const doc = db._documents[id] ?? null;
          changes.set(id, doc);
          this.apply(id, doc);
        }
        this.lastCommit = changes;
        this.lastCommitPrevious = previous;
        // Query cursors never outlive their top-level transaction (transactions are serialized).
        db._queryResults = {};
      }
    };
  }

  /** Re-reads every committed document (after `_documents` was replaced). */
  rebuild(): void {
    this.tables.clear();
    for (const [id, doc] of Object.entries(this.db._documents)) {
      const t = tableNameFromId(id);
      if (t) this.table(t).docs.set(id, doc);
    }
  }

  private table(name: string): TableStore {
    let t = this.tables.get(name);
    if (!t) {
      t = { docs: new Map(), indexes: new Map() };
      this.tables.set(name, t);
    }
    return t;
  }

  /** Committed documents of a table, in insertion order. */
  docs(table: string): ReadonlyMap<string, Doc> {
    return this.tables.get(table)?.docs ?? new Map();
  }

  /** Applies one committed write (doc = null: deleted). */
  apply(id: string, doc: Doc | null): void {
    const name = tableNameFromId(id);
    if (!name) return;
    const t = this.table(name);
    const old = t.docs.get(id);
    if (doc) t.docs.set(id, doc);
    else t.docs.delete(id);
    for (const st of t.indexes.values()) {
      const oldKey = old ? keyOf(old, st.paths) : null;
      const newKey = doc ? keyOf(doc, st.paths) : null;
      if (oldKey && newKey && compareKeys(oldKey, newKey) === 0) {
        st.index.replace(newKey, doc!);
      } else {
        if (oldKey) st.index.remove(oldKey);
        if (newKey) st.index.insert(newKey, doc!);
      }
    }
  }

  private indexFields(table: string, indexName: string): string[] | null {
    const builtin = BUILTIN_INDEXES[indexName];
    if (builtin) return builtin;
    const indexes = this.db._schema?.tables.get(table)?.indexes;
    const index = indexes?.find((i) => i.indexDescriptor === indexName);
    return index ? index.fields.concat(["_creationTime", "_id"]) : null;
  }

  private index(table: string, indexName: string): IndexState | null {
    const t = this.table(table);
    let st = t.indexes.get(indexName);
    if (st) return st;
    const fields = this.indexFields(table, indexName);
    if (!fields) return null;
    const paths = fields.map((f) => f.split("."));
    const entries: Entry<Doc>[] = [];
    for (const doc of t.docs.values()) entries.push({ key: keyOf(doc, paths), doc });
    st = { fields, paths, index: SortedIndex.from(entries) };
    t.indexes.set(indexName, st);
    return st;
  }

  /** The index and key range for a query source, or null when convex-test should handle it. */
  private plan(source: SerializedQuery["source"]): Plan | null {
    // Parsed syscall arguments are shared per distinct JSON (parseSyscallArgs), so a recurring
    // lookup brings the same source object: its range is worked out once.
    let range = this.ranges.get(source);
    if (range === undefined) {
      range = this.range(source);
      this.ranges.set(source, range);
    }
    if (!range) return null;
    const st = this.index(range.table, range.indexName);
    if (!st) return null;
    return { table: range.table, st, sortFields: range.sortFields, order: range.order, before: range.before, after: range.after };
  }

  /**
   * A matcher for the documents a query source covers (for invalidating
   * subscriptions); anything it cannot analyse matches everything of the table.
   */
  /** True when `matcher(source)` tests a real key range (not "every document"). */
  hasKeyRange(source: SerializedQuery["source"]): boolean {
    return source.type === "IndexRange" && this.range(source) !== null;
  }

  matcher(source: SerializedQuery["source"]): (doc: Doc) => boolean {
    const range = source.type === "Search" ? null : this.range(source);
    if (!range) return () => true;
    const paths = range.fields.map((f) => f.split("."));
    return (doc) => {
      const k = keyOf(doc, paths);
      return !range.before(k) && !range.after(k);
    };
  }

  /** The table, index fields and key range of a query source (no index is built). */
  private range(source: SerializedQuery["source"]): RangePlan | null {
    if (source.type === "FullTableScan") {
      return {
        table: source.tableName,
        indexName: "by_creation_time",
        fields: BUILTIN_INDEXES.by_creation_time!,
        sortFields: ["_creationTime"],
        order: source.order ?? "asc",
        before: () => false,
        after: () => false,
      };
    }
    if (source.type !== "IndexRange") return null;
    const parts = source.indexName.split(".");
    if (parts.length !== 2) return null;
    const [table, indexName] = parts as [string, string];
    const fields = this.indexFields(table, indexName);
    if (!fields) return null;
    // Same shape convex-test accepts: eq* on the leading fields, then at most one lower and one upper
    // bound on the next field. Anything else goes to convex-test, which reports the error.
    const eqs: (Value | undefined)[] = [];
    let lower: { v: Value | undefined; strict: boolean } | null = null;
    let upper: { v: Value | undefined; strict: boolean } | null = null;
    for (const f of source.range as RangeFilter[]) {
      const v = boundValue(f.value);
      if (v === FALLBACK) return null;
      if (f.type === "Eq") {
        if (lower || upper || f.fieldPath !== fields[eqs.length]) return null;
        eqs.push(v);
      } else if (f.type === "Gt" || f.type === "Gte") {
        if (lower || f.fieldPath !== fields[eqs.length]) return null;
        lower = { v, strict: f.type === "Gt" };
      } else if (f.type === "Lt" || f.type === "Lte") {
        if (upper || f.fieldPath !== fields[eqs.length]) return null;
        upper = { v, strict: f.type === "Lt" };
      } else {
        return null;
      }
    }
    const m = eqs.length;
    const lo = lower;
    const hi = upper;
    return {
      table,
      indexName,
      fields,
      sortFields: fields,
      order: source.order ?? "asc",
      before: (k) => {
        for (let j = 0; j < m; j++) {
          const c = compareValue(k[j], eqs[j]);
          if (c !== 0) return c < 0;
        }
        if (!lo) return false;
        const c = compareValue(k[m], lo.v);
        return c < 0 || (c === 0 && lo.strict);
      },
      after: (k) => {
        for (let j = 0; j < m; j++) {
          const c = compareValue(k[j], eqs[j]);
          if (c !== 0) return c > 0;
        }
        if (!hi) return false;
        const c = compareValue(k[m], hi.v);
        return c > 0 || (c === 0 && hi.strict);
      },
    };
  }

  /**
   * Visits the documents of a plan's range in query order, as the running
   * transaction sees them (committed documents merged with its pending
   * writes). Returns FALLBACK when a pending document holds a placeholder.
   */
  private scan(plan: Plan, visit: (doc: Doc) => boolean): void | typeof FALLBACK {
    const { st, before, after } = plan;
    const desc = plan.order === "desc";
    // Pending writes of the running transaction for this table.
    let overridden: Set<string> | null = null;
    const overlay: Entry<Doc>[] = [];
    for (const level of this.db._writes) {
      for (const id of Object.keys(level)) {
        if (tableNameFromId(id) !== plan.table) continue;
        (overridden ??= new Set()).add(id);
      }
    }
    if (overridden) {
      for (const id of overridden) {
        const doc = this.db.get(plan.table, id);
        if (doc === null) continue;
        const key: Key = [];
        for (const p of st.paths) {
          const v = fieldValue(doc, p);
          if (v !== undefined && hasPendingValues(v)) return FALLBACK;
          key.push(v);
        }
        if (!before(key) && !after(key)) overlay.push({ key, doc });
      }
      overlay.sort((a, b) => compareKeys(a.key, b.key));
      if (desc) overlay.reverse();
    }
    const index = st.index;
    const from = index.seek(before);
    const to = index.seek((k) => !after(k));
    if (!overridden) {
      index.scan(from, to, desc, (e) => visit(e.doc));
      return;
    }
    let j = 0;
    let stopped = false;
    const sign = desc ? -1 : 1;
    index.scan(from, to, desc, (e) => {
      if (overridden!.has(e.doc._id)) return true;
      while (j < overlay.length && compareKeys(overlay[j]!.key, e.key) * sign < 0) {
        if (!visit(overlay[j++]!.doc)) {
          stopped = true;
          return false;
        }
      }
      if (!visit(e.doc)) {
        stopped = true;
        return false;
      }
      return true;
    });
    while (!stopped && j < overlay.length) {
      if (!visit(overlay[j++]!.doc)) break;
    }
  }

  /** convex-test's compiled filter and limit for a query's operators. */
  private operators(query: SerializedQuery): { filterFn: ((doc: Doc) => boolean) | null; limit: number | null } {
    const hasFilter = query.operators.some((op) => "filter" in op);
    const limitOp = query.operators.find((op) => "limit" in op) as { limit: number } | undefined;
    if (!hasFilter) return { filterFn: null, limit: limitOp?.limit ?? null };
    const r = this.orig.resolve({ source: { type: "FullTableScan", tableName: NO_TABLE, order: "asc" }, operators: query.operators });
    return { filterFn: r.filterFn, limit: r.limit };
  }

  private iterateDocs(table: string, callback: (doc: Doc) => void): void {
    if (!this.fastPath) return this.orig.iterate(table, callback);
    const ids = new Set(this.docs(table).keys());
    for (const level of this.db._writes) {
      for (const id of Object.keys(level)) {
        if (tableNameFromId(id) === table) ids.add(id);
      }
    }
    for (const id of ids) {
      const doc = this.db.get(table, id);
      if (doc !== null) callback(doc);
    }
  }

  private resolveSource(query: SerializedQuery): ResolvedSource {
    const plan = this.fastPath ? this.plan(query.source) : null;
    if (!plan) return this.orig.resolve(query);
    const docs: Doc[] = [];
    if (this.scan(plan, (d) => (docs.push(d), true)) === FALLBACK) return this.orig.resolve(query);
    const { filterFn, limit } = this.operators(query);
    return { sortedDocs: docs, filterFn: filterFn ?? (() => true), limit, fieldPathsToSortBy: plan.sortFields, order: plan.order };
  }

  private evaluateQuery(query: SerializedQuery): Doc[] {
    return this.evaluate(query, null);
  }

  /**
   * A query's results; `onVisit` sees every document scanned, those its filter drops included (as a
   * deployment counts them). Used whole by `collect()` (queryCollect.ts); streams count what they return.
   */
  evaluate(query: SerializedQuery, onVisit: ((doc: Doc) => void) | null): Doc[] {
    const plan = this.fastPath ? this.plan(query.source) : null;
    if (!plan) {
      const docs = this.orig.evaluate(query);
      if (onVisit) for (const d of docs) onVisit(d);
      return docs;
    }
    const { filterFn, limit } = this.operators(query);
    const out: Doc[] = [];
    if (limit !== null && limit <= 0) return out;
    const r = this.scan(plan, (doc) => {
      onVisit?.(doc);
      if (filterFn && !filterFn(doc)) return true;
      out.push(doc);
      return limit === null || out.length < limit;
    });
    if (r !== FALLBACK) return out;
    const docs = this.orig.evaluate(query);
    if (onVisit) for (const d of docs) onVisit(d);
    return docs;
  }

  /**
   * convex-test's paginate, reading lazily from the cursor's position in the
   * index instead of materializing the whole range and skipping up to the
   * cursor. Same loop, same results (cursors, split cursors, page status).
   */
  private paginate(args: PaginateArgs): PageResult {
    const plan = this.fastPath ? this.plan(args.query.source) : null;
    if (!plan) return this.countPage(this.orig.paginate(args));
    const cursorFields = plan.sortFields.includes("_id") ? plan.sortFields : [...plan.sortFields, "_id"];
    // The index key must be exactly the cursor's fields (true for every source we plan).
    if (cursorFields.length !== plan.st.fields.length || cursorFields.some((f, i) => f !== plan.st.fields[i])) {
      return this.countPage(this.orig.paginate(args));
    }
    const { cursor, endCursor, pageSize, maximumRowsRead, maximumBytesRead } = args;
    const parse = (c: string | null | undefined): (Value | undefined)[] | null => {
      if (!c) return null;
      return (JSON.parse(c) as (string | null)[]).map((k) => (k === null ? undefined : jsonToConvex(JSON.parse(k) as JSONValue)));
    };
    let cursorKeys: (Value | undefined)[] | null;
    let endCursorKeys: (Value | undefined)[] | null;
    const hasEndBoundary = !!endCursor && endCursor !== "_end_cursor";
    try {
      cursorKeys = cursor !== "_end_cursor" ? parse(cursor) : null;
      endCursorKeys = hasEndBoundary ? parse(endCursor) : null;
    } catch {
      return this.countPage(this.orig.paginate(args)); // reports the malformed cursor
    }
    if (cursor === "_end_cursor") {
      return { page: [], isDone: true, continueCursor: "_end_cursor", splitCursor: null, pageStatus: null };
    }
    if (cursor !== null && cursorKeys === null) return this.countPage(this.orig.paginate(args));
    const order = plan.order;
    const mult = order === "asc" ? 1 : -1;
    const n = cursorFields.length;
    /** convex-test's _docIsAfterCursor, on index keys */
    const afterCursor = (key: Key, keys: (Value | undefined)[]): number => {
      for (let i = 0; i < n; i++) {
        const c = compareValue(key[i], keys[i]);
        if (c !== 0) return c * mult;
      }
      return 0;
    };
    let seekPlan = plan;
    if (cursorKeys !== null) {
      const ck = cursorKeys;
      // Start right after the cursor in query order.
      seekPlan =
        order === "asc"
          ? { ...plan, before: (k) => plan.before(k) || afterCursor(k, ck) <= 0 }
          : { ...plan, after: (k) => plan.after(k) || afterCursor(k, ck) <= 0 };
    }
    const { filterFn } = this.operators(args.query);
    const page: Doc[] = [];
    let continueCursor = "_end_cursor";
    let splitCursor: string | null = null;
    let pageStatus: PageResult["pageStatus"] = null;
    let rowsRead = 0;
    let bytesRead = 0;
    const readDocCursors: string[] = [];
    const encode = (doc: Doc) => this.db._encodeCursor(doc, cursorFields);
    const keyOfDoc = (doc: Doc) => keyOf(doc, plan.st.paths);
    /** One step of convex-test's loop; false = break. */
    const step = (doc: Doc, isLastDoc: boolean): boolean => {
      if (hasEndBoundary && endCursorKeys) {
        const cmp = afterCursor(keyOfDoc(doc), endCursorKeys);
        if (cmp >= 0) {
          if (cmp === 0) {
            this.onRead?.(doc);
            rowsRead += 1;
            bytesRead += getDocumentSize(doc as Value as never);
            readDocCursors.push(encode(doc));
            if (!filterFn || filterFn(doc)) page.push(doc);
            continueCursor = encode(doc);
          }
          return false;
        }
      }
      this.onRead?.(doc);
      rowsRead += 1;
      bytesRead += getDocumentSize(doc as Value as never);
      readDocCursors.push(encode(doc));
      const hitLimit = (!!maximumRowsRead && rowsRead >= maximumRowsRead) || (!!maximumBytesRead && bytesRead >= maximumBytesRead);
      if (!filterFn || filterFn(doc)) page.push(doc);
      if (hitLimit) {
        pageStatus = "SplitRequired";
        continueCursor = encode(doc);
        return false;
      }
      if (!endCursor && page.length >= pageSize) {
        if (!isLastDoc) continueCursor = encode(doc);
        return false;
      }
      return true;
    };
    // One document of lookahead to know whether the current one is the last.
    let pending: Doc | null = null;
    let stopped = false;
    const r = this.scan(seekPlan, (doc) => {
      if (pending !== null && !step(pending, false)) {
        stopped = true;
        return false;
      }
      pending = doc;
      return true;
    });
    if (r === FALLBACK) return this.countPage(this.orig.paginate(args));
    if (!stopped && pending !== null) step(pending, true);
    const isDone = continueCursor === "_end_cursor";
    if (pageStatus === "SplitRequired" && readDocCursors.length >= 2) {
      splitCursor = readDocCursors[Math.floor((readDocCursors.length - 1) / 2)]!;
    } else if (pageStatus === null && rowsRead > pageSize + 1 && readDocCursors.length >= 2) {
      pageStatus = "SplitRecommended";
      splitCursor = readDocCursors[Math.floor((readDocCursors.length - 1) / 2)]!;
    }
    return { page, isDone, continueCursor, splitCursor, pageStatus };
  }

  /** convex-test's own page: its documents count as read (those it skipped are not known here). */
  private countPage(result: PageResult): PageResult {
    if (this.onRead) for (const d of result.page) this.onRead(d);
    return result;
  }

  /** Number of documents of a table the running transaction sees. */
  count(table: string): number {
    let n = this.docs(table).size;
    const seen = new Set<string>();
    for (const level of this.db._writes) {
      for (const id of Object.keys(level)) {
        if (tableNameFromId(id) !== table || seen.has(id)) continue;
        seen.add(id);
        const committed = this.db._documents[id] !== undefined;
        const now = this.db.get(table, id) !== null;
        if (committed && !now) n -= 1;
        else if (!committed && now) n += 1;
      }
    }
    return n;
  }
}

// ------------------------------------------------------------------ schema validation

type JsonValidator = { type: string; value?: unknown; tableName?: string };

/**
 * A boolean twin of convex-test's validateValidator: true exactly when it
 * would not throw. Used to skip the exception-driven original on valid
 * documents; anything else still goes through the original, so error
 * messages are unchanged.
 */
export function compileValidator(validator: JsonValidator): (value: unknown) => boolean {
  switch (validator.type) {
    case "null":
      return (x) => x === null;
    case "number":
      return (x) => typeof x === "number";
    case "bigint":
      return (x) => typeof x === "bigint";
    case "commitTs":
      return (x) => typeof x === "bigint" || x instanceof CommitTsPlaceholder;
    case "boolean":
      return (x) => typeof x === "boolean";
    case "string":
      return (x) => typeof x === "string";
    case "bytes":
      return (x) => x instanceof ArrayBuffer;
    case "any":
      return () => true;
    case "literal": {
      const lit = validator.value;
      return (x) => x === lit;
    }
    case "id": {
      const table = validator.tableName;
      return (x) => typeof x === "string" && tableNameFromId(x) === table;
    }
    case "array": {
      const item = compileValidator(validator.value as JsonValidator);
      return (x) => {
        if (!Array.isArray(x)) return false;
        for (const el of x) if (!item(el)) return false;
        return true;
      };
    }
    case "union": {
      const members = (validator.value as JsonValidator[]).map(compileValidator);
      return (x) => {
        for (const m of members) if (m(x)) return true;
        return false;
      };
    }
    case "object": {
      const shape = validator.value as Record<string, { fieldType: JsonValidator; optional: boolean }>;
      const fields = Object.entries(shape).map(([k, f]) => ({ k, optional: f.optional, check: compileValidator(f.fieldType) }));
      return (x) => {
        if (typeof x !== "object" || x === null || !isSimpleObject(x)) return false;
        const o = x as Record<string, unknown>;
        for (const f of fields) {
          const fv = o[f.k];
          if (fv === undefined) {
            if (!f.optional) return false;
          } else if (!f.check(fv)) {
            return false;
          }
        }
        for (const k of Object.keys(o)) {
          // same lookup as convex-test (inherited properties count as declared)
          if (shape[k] === undefined) return false;
        }
        return true;
      };
    }
    default:
      // convex-test accepts validator types it does not know (e.g. "record")
      return () => true;
  }
}

/** Puts a compiled pre-check in front of DatabaseFake._validate. */
function installFastValidation(db: DatabaseFake): void {
  if (typeof db._validate !== "function") return;
  const original = db._validate.bind(db);
  const compiled = new Map<string, ((value: unknown) => boolean) | null>();
  db._validate = (tableName, doc) => {
    const schema = db._schema;
    if (schema === null || !schema.schemaValidation) return original(tableName, doc);
    let check = compiled.get(tableName);
    if (check === undefined) {
      const validator = schema.tables.get(tableName)?.documentType as JsonValidator | undefined;
      check = validator === undefined ? null : compileValidator(validator);
      compiled.set(tableName, check);
    }
    if (check !== null && !hasPendingValues(doc) && check(doc)) return;
    original(tableName, doc);
  };
}

// ------------------------------------------------------------------ commits

export type CommitChanges = Map<string, Doc | null>;

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

// ------------------------------------------------------------------ watchdog

/** Per function call: its transaction time limit and how to fail it. */
export interface CallControl {
  /** how long one top-level transaction of this call may hold the lock */
  transactionTimeoutMs: number;
  /** set once the call was given up; everything it does afterwards throws this */
  abandoned: Error | null;
  /** fails the caller's promise */
  abandon: (error: Error) => void;
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

function installWatchdog(inst: EngineInstance): void {
  const tm = inst.global.transactionManager;
  const begin = tm.begin.bind(tm);
  const commit = tm.commit.bind(tm);
  const rollback = tm.rollback.bind(tm);
  let holder: { ctl: CallControl | undefined; timer: NodeJS.Timeout | null } | null = null;

  const release = () => {
    if (holder?.timer) clearTimeout(holder.timer);
    holder = null;
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
    inst.usage = new TxUsage(inst.limits);
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
  return { nextDocId: inst.db._nextDocId, lastCreationTime: inst.db._lastCreationTime, lastCommitTs: lastCommitTs(inst) };
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
