/**
 * The document store installed on convex-test's root DatabaseFake: committed documents per table with
 * ordered indexes (sortedIndex.ts) built on first use and maintained on every top-level commit, and the
 * DatabaseFake's query path replaced (`_iterateDocs`, `_resolveQuerySource`, `_evaluateQuery`,
 * `startQuery`/`queryNext`, `paginate`) so `withIndex` ranges seek instead of scanning and sorting the whole
 * database. Results are the same as convex-test's (same range semantics, same order: index fields, then
 * `_creationTime`, then `_id`, compared with `compareValues`; pending writes of the running transaction are
 * merged in).
 */
import { uncharged } from "./txClock";
import { paginateIndexed } from "./paginate";
import { BUILTIN_INDEXES, FALLBACK, rangeOf, type RangePlan } from "./queryRange";
import { installSearchStreams, SearchIndexes } from "./searchIndex";
import { tooManyCandidates } from "./searchTerms";
import { compareKeys, SortedIndex, type Entry, type Key } from "./sortedIndex";
import type { DatabaseFake, Doc, PageResult, PaginateArgs, ResolvedSource, SerializedQuery } from "./types";
import { fieldValue, hasPendingValues, keyOf, tableNameFromId } from "./values";

/** A table name no document can have (used to obtain convex-test's compiled filter only). */
const NO_TABLE = "\u0000no-table";

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
  /** rangeOf() per query source object (sources are never changed once parsed) */
  private readonly ranges = new WeakMap<object, RangePlan | null>();
  /** text search indexes (searchIndex.ts) */
  readonly search: SearchIndexes;

  constructor(private readonly db: DatabaseFake) {
    this.orig = {
      resolve: db._resolveQuerySource.bind(db),
      evaluate: db._evaluateQuery.bind(db),
      paginate: db.paginate.bind(db),
      iterate: db._iterateDocs.bind(db),
      commit: db.commit.bind(db),
    };
    this.search = new SearchIndexes(db, this);
    this.rebuild();
    db._iterateDocs = (table, callback) => this.iterateDocs(table, callback);
    db._resolveQuerySource = (query) => this.resolveSource(query);
    db._evaluateQuery = (query) => this.evaluate(query, null);
    db.paginate = (args) => paginateIndexed(this, db, args);
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
    installSearchStreams(db, this, this.search);
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
    this.search.rebuild();
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
    this.search.apply(name, id, doc);
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
    // Built on first use (a deployment maintains every index as it writes: no transaction pays for this).
    const entries = uncharged(() => [...t.docs.values()].map((doc): Entry<Doc> => ({ key: keyOf(doc, paths), doc })));
    st = { fields, paths, index: uncharged(() => SortedIndex.from(entries)) };
    t.indexes.set(indexName, st);
    return st;
  }

  /** The index and key range for a query source, or null when convex-test should handle it (also paginate.ts). */
  plan(source: SerializedQuery["source"]): Plan | null {
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
    return {
      table: range.table,
      st,
      sortFields: range.sortFields,
      order: range.order,
      before: range.before,
      after: range.after,
    };
  }

  /** True when `matcher(source)` tests a real key range (not "every document"). */
  hasKeyRange(source: SerializedQuery["source"]): boolean {
    return source.type === "IndexRange" && this.range(source) !== null;
  }

  /** The documents a query source covers (subscriptions); anything else (search: all) matches the whole table. */
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
    return rangeOf(source, (table, indexName) => this.indexFields(table, indexName));
  }

  /**
   * Visits the documents of a plan's range in query order, as the running
   * transaction sees them (committed documents merged with its pending
   * writes). Returns FALLBACK when a pending document holds a placeholder.
   */
  scan(plan: Plan, visit: (doc: Doc) => boolean): void | typeof FALLBACK {
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
  operators(query: SerializedQuery): { filterFn: ((doc: Doc) => boolean) | null; limit: number | null } {
    const hasFilter = query.operators.some((op) => "filter" in op);
    const limitOp = query.operators.find((op) => "limit" in op) as { limit: number } | undefined;
    if (!hasFilter) return { filterFn: null, limit: limitOp?.limit ?? null };
    const r = this.orig.resolve({
      source: { type: "FullTableScan", tableName: NO_TABLE, order: "asc" },
      operators: query.operators,
    });
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
    const found = this.fastPath ? this.search.all(query.source) : null;
    const plan = this.fastPath && !found ? this.plan(query.source) : null;
    if (!plan && !found) return this.orig.resolve(query);
    let docs: Doc[] | null = found;
    if (plan && this.scan(plan, (d) => ((docs ??= []).push(d), true)) === FALLBACK) return this.orig.resolve(query);
    const { filterFn, limit } = this.operators(query);
    return {
      sortedDocs: docs ?? [],
      filterFn: filterFn ?? (() => true),
      limit,
      fieldPathsToSortBy: plan ? plan.sortFields : [],
      order: plan ? plan.order : "asc",
    };
  }

  /**
   * A query's results; `onVisit` sees every document scanned, those its filter drops included (as a
   * deployment counts them). Used whole by `collect()` (queryCollect.ts); streams count what they return.
   */
  evaluate(query: SerializedQuery, onVisit: ((doc: Doc) => void) | null): Doc[] {
    const found = this.fastPath ? this.search.evaluate(query, this.operators(query), onVisit) : null;
    if (found?.overflow) throw tooManyCandidates();
    if (found) return found.docs;
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

  /** convex-test's own page (paginate.ts falls back to it): its documents count as read (those it skipped are not known here). */
  convexTestPage(args: PaginateArgs): PageResult {
    const result = this.orig.paginate(args);
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
