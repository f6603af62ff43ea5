/**
 * Text search indexes of the document store (docStore.ts), so `withSearchIndex` queries do not scan their
 * table: per (table, search index of the schema) an inverted index from each word of the search field to
 * the documents holding it, plus one from each filter-field value to its documents. Built when the
 * documents are loaded (start from the data directory, code reload: DocStore.rebuild) and maintained on
 * every top-level commit (DocStore.apply).
 *
 * Results and order are convex-test's (its `evaluateSearchFilter`): the search field split on whitespace
 * and lowercased; a document matches when ANY query term is a prefix of one of its words, and every `.eq`
 * filter holds (compareValues); documents come in table order (convex-test sorts search results by
 * nothing), pending writes of the running transaction merged in as its `_iterateDocs` does. A document
 * whose search field is not a string is not indexed (convex-test throws on it; a deployment skips it).
 * Convex's documented limits on top (crates/search/src/constants.rs, docs.convex.dev/search/text-search):
 * only the first 16 query terms count, more than 8 filter conditions fail, and reading past 1024 results
 * from the index fails with the deployment's message.
 */
import { compareValues, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { DocStore } from "./docStore";
import { FALLBACK } from "./queryRange";
import {
  addPosting,
  queryTerms,
  removePosting,
  SEARCH_LIMITS,
  SortedTerms,
  textMatch,
  tooManyCandidates,
  unionAscending,
  valueKey,
  wordsOf,
} from "./searchTerms";
import type { DatabaseFake, Doc, SerializedQuery } from "./types";
import { fieldValue, hasPendingValues, tableNameFromId } from "./values";

type SearchFilter =
  { type: "Search"; fieldPath: string; value: string } | { type: "Eq"; fieldPath: string; value: JSONValue };

/** An indexed document: its words (distinct, lowercased) and the keys of its filter-field values. */
interface Rec {
  id: string;
  doc: Doc;
  words: string[];
  keys: string[];
}

interface IndexState {
  searchPath: string[];
  filterFields: string[];
  filterPaths: string[][];
  terms: SortedTerms;
  postings: Map<string, number[]>;
  filterPostings: Map<string, number[]>[];
  recs: Map<number, Rec>;
}

/** Per table: each document's position in the store's table order (DocStore's Map order), and its indexes. */
interface TableState {
  seqOf: Map<string, number>;
  next: number;
  indexes: Map<string, IndexState>;
}

export interface SearchPlan {
  table: string;
  indexName: string;
  terms: string[];
  eqs: { field: string; path: string[]; value: Value | undefined; key: string }[];
}

type Operators = { filterFn: ((doc: Doc) => boolean) | null; limit: number | null };

const EMPTY: number[] = [];

export class SearchIndexes {
  private tables = new Map<string, TableState>();
  /** false: searches scan the table as convex-test does (bench/search.ts compares both) */
  enabled = true;

  constructor(
    private readonly db: DatabaseFake,
    private readonly store: DocStore,
  ) {}

  /**
   * Rebuilds every search index of the schema from the committed documents (they were replaced: a load from
   * the data directory, a code reload), so the first search does not pay for the build.
   */
  rebuild(): void {
    this.tables.clear();
    for (const [table, def] of this.db._schema?.tables ?? []) {
      for (const index of def.searchIndexes ?? []) this.index(table, index.indexDescriptor);
    }
  }

  /** The index-backed plan of a query source, or null for convex-test's own path. */
  plan(source: SerializedQuery["source"]): SearchPlan | null {
    if (source.type !== "Search" || !this.enabled) return null;
    const [table, indexName] = source.indexName.split(".") as [string, string];
    const def = this.definition(table, indexName);
    if (!def) return null;
    const filters = source.filters as SearchFilter[];
    const searches = filters.filter((f) => f.type === "Search");
    if (searches.length !== 1 || searches[0]!.fieldPath !== def.searchField) return null;
    const eqs: SearchPlan["eqs"] = [];
    for (const f of filters) {
      if (f.type !== "Eq") continue;
      if (!def.filterFields.includes(f.fieldPath)) return null;
      const isUndefined = typeof f.value === "object" && f.value !== null && "$undefined" in f.value;
      const value = isUndefined ? undefined : jsonToConvex(f.value);
      if (hasPendingValues(value)) return null;
      eqs.push({ field: f.fieldPath, path: f.fieldPath.split("."), value, key: valueKey(value) });
    }
    if (eqs.length > SEARCH_LIMITS.filterConditions) {
      throw new Error(
        `Search query against ${source.indexName} has too many filter conditions. ` +
          `Max: ${SEARCH_LIMITS.filterConditions} Actual: ${eqs.length}`,
      );
    }
    return { table, indexName, terms: queryTerms(String(searches[0]!.value)), eqs };
  }

  private definition(table: string, indexName: string) {
    const tables = this.db._schema?.tables;
    return tables?.get(table)?.searchIndexes?.find((i) => i.indexDescriptor === indexName) ?? null;
  }

  /** Applies one committed write (doc = null: deleted) to the table's indexes, if any were built. */
  apply(table: string, id: string, doc: Doc | null): void {
    const t = this.tables.get(table);
    if (!t) return;
    let seq = t.seqOf.get(id);
    if (doc === null) {
      if (seq === undefined) return;
      for (const st of t.indexes.values()) this.update(st, seq, id, null);
      t.seqOf.delete(id);
      return;
    }
    if (seq === undefined) {
      seq = t.next++;
      t.seqOf.set(id, seq);
    }
    for (const st of t.indexes.values()) this.update(st, seq, id, doc);
  }

  private tableState(table: string): TableState {
    let t = this.tables.get(table);
    if (!t) {
      t = { seqOf: new Map(), next: 0, indexes: new Map() };
      for (const id of this.store.docs(table).keys()) t.seqOf.set(id, t.next++);
      this.tables.set(table, t);
    }
    return t;
  }

  private index(table: string, indexName: string): IndexState {
    const t = this.tableState(table);
    let st = t.indexes.get(indexName);
    if (st) return st;
    const def = this.definition(table, indexName)!;
    st = {
      searchPath: def.searchField.split("."),
      filterFields: def.filterFields,
      filterPaths: def.filterFields.map((f) => f.split(".")),
      terms: new SortedTerms(),
      postings: new Map(),
      filterPostings: def.filterFields.map(() => new Map()),
      recs: new Map(),
    };
    for (const [id, doc] of this.store.docs(table)) this.add(st, t.seqOf.get(id)!, id, doc, false);
    st.terms = SortedTerms.from([...st.postings.keys()]);
    t.indexes.set(indexName, st);
    return st;
  }

  private add(st: IndexState, seq: number, id: string, doc: Doc, terms: boolean): void {
    const words = wordsOf(doc, st.searchPath);
    if (words === null) return;
    const keys = st.filterPaths.map((p) => valueKey(fieldValue(doc, p)));
    st.recs.set(seq, { id, doc, words, keys });
    for (const w of words) this.addWord(st, w, seq, terms);
    keys.forEach((k, i) => this.addKey(st, i, k, seq));
  }

  private update(st: IndexState, seq: number, id: string, doc: Doc | null): void {
    const old = st.recs.get(seq);
    const words = doc ? wordsOf(doc, st.searchPath) : null;
    if (!old) {
      if (doc && words) this.add(st, seq, id, doc, true);
      return;
    }
    if (!doc || !words) {
      for (const w of old.words) this.removeWord(st, w, seq);
      old.keys.forEach((k, i) => this.removeKey(st, i, k, seq));
      st.recs.delete(seq);
      return;
    }
    const keys = st.filterPaths.map((p) => valueKey(fieldValue(doc, p)));
    const before = new Set(old.words);
    const after = new Set(words);
    for (const w of old.words) if (!after.has(w)) this.removeWord(st, w, seq);
    for (const w of words) if (!before.has(w)) this.addWord(st, w, seq, true);
    keys.forEach((k, i) => {
      if (k === old.keys[i]) return;
      this.removeKey(st, i, old.keys[i]!, seq);
      this.addKey(st, i, k, seq);
    });
    st.recs.set(seq, { id, doc, words, keys });
  }

  private addWord(st: IndexState, w: string, seq: number, terms: boolean): void {
    let list = st.postings.get(w);
    if (!list) {
      list = [];
      st.postings.set(w, list);
      if (terms) st.terms.insert(w);
    }
    addPosting(list, seq);
  }

  private removeWord(st: IndexState, w: string, seq: number): void {
    const list = st.postings.get(w);
    if (list && removePosting(list, seq) === 0) {
      st.postings.delete(w);
      st.terms.remove(w);
    }
  }

  private addKey(st: IndexState, field: number, key: string, seq: number): void {
    const m = st.filterPostings[field]!;
    let list = m.get(key);
    if (!list) m.set(key, (list = []));
    addPosting(list, seq);
  }

  private removeKey(st: IndexState, field: number, key: string, seq: number): void {
    const m = st.filterPostings[field]!;
    const list = m.get(key);
    if (list && removePosting(list, seq) === 0) m.delete(key);
  }

  /** Committed matches in table order (by the smaller of the filter's and the words' posting lists). */
  private committed(st: IndexState, plan: SearchPlan, visit: (rec: Rec) => boolean): void {
    if (plan.terms.length === 0) return;
    const lists: number[][] = [];
    const seen = new Set<string>();
    let textSize = 0;
    for (const q of plan.terms) {
      st.terms.withPrefix(q, (w) => {
        if (seen.has(w)) return;
        seen.add(w);
        const list = st.postings.get(w)!;
        lists.push(list);
        textSize += list.length;
      });
    }
    if (lists.length === 0) return;
    let driver: number[] | null = null;
    for (const e of plan.eqs) {
      const list = st.filterPostings[st.filterFields.indexOf(e.field)]!.get(e.key) ?? EMPTY;
      if (driver === null || list.length < driver.length) driver = list;
    }
    const eqsHold = (doc: Doc) => plan.eqs.every((e) => compareValues(fieldValue(doc, e.path), e.value) === 0);
    if (driver !== null && driver.length <= textSize) {
      for (const seq of driver) {
        const rec = st.recs.get(seq)!;
        if (textMatch(rec.words, plan.terms) && eqsHold(rec.doc) && !visit(rec)) return;
      }
      return;
    }
    unionAscending(lists, (seq) => {
      const rec = st.recs.get(seq)!;
      return plan.eqs.length > 0 && !eqsHold(rec.doc) ? true : visit(rec);
    });
  }

  /** Whether a pending document matches (convex-test's evaluateSearchFilter). */
  private pendingMatch(st: IndexState, plan: SearchPlan, doc: Doc): boolean {
    const words = wordsOf(doc, st.searchPath);
    if (words === null || !textMatch(words, plan.terms)) return false;
    return plan.eqs.every((e) => compareValues(fieldValue(doc, e.path), e.value) === 0);
  }

  /**
   * Visits the matches in order as the running transaction sees them (committed index merged with its
   * pending writes, as convex-test's _iterateDocs orders them), until `visit` returns false. FALLBACK: a
   * pending document holds a placeholder in a filter field.
   */
  run(plan: SearchPlan, visit: (doc: Doc) => boolean): void | typeof FALLBACK {
    const st = this.index(plan.table, plan.indexName);
    const t = this.tables.get(plan.table)!;
    let overridden: Set<string> | null = null;
    for (const level of this.db._writes) {
      for (const id of Object.keys(level)) if (tableNameFromId(id) === plan.table) (overridden ??= new Set()).add(id);
    }
    const overlay: { seq: number; doc: Doc }[] = [];
    const tail: Doc[] = [];
    for (const id of overridden ?? []) {
      const doc = this.db.get(plan.table, id);
      if (doc === null) continue;
      if (st.filterPaths.some((p) => hasPendingValues(fieldValue(doc, p)))) return FALLBACK;
      if (!this.pendingMatch(st, plan, doc)) continue;
      const seq = t.seqOf.get(id);
      if (seq === undefined) tail.push(doc);
      else overlay.push({ seq, doc });
    }
    overlay.sort((a, b) => a.seq - b.seq);
    let j = 0;
    let stopped = false;
    this.committed(st, plan, (rec) => {
      if (overridden?.has(rec.id)) return true;
      const seq = t.seqOf.get(rec.id)!;
      while (j < overlay.length && overlay[j]!.seq < seq) {
        if (!visit(overlay[j++]!.doc)) return !(stopped = true);
      }
      if (!visit(rec.doc)) return !(stopped = true);
      return true;
    });
    for (const d of [...overlay.slice(j).map((o) => o.doc), ...tail]) {
      if (stopped || !visit(d)) return;
    }
  }

  /**
   * A search query's results under its operators (`.filter`, limit), reading at most 1024 results from
   * the index; `onScanned` sees each one read (those the filter drops included). `overflow`: the query
   * wanted more than 1024 (a deployment fails when the 1025th is read). Null: convex-test's path.
   */
  evaluate(
    query: SerializedQuery,
    ops: Operators,
    onScanned: ((doc: Doc, kept: boolean) => void) | null,
  ): { docs: Doc[]; overflow: boolean } | null {
    const plan = this.plan(query.source);
    if (!plan) return null;
    const { filterFn, limit } = ops;
    const docs: Doc[] = [];
    if (limit !== null && limit <= 0) return { docs, overflow: false };
    let scanned = 0;
    let full = false;
    let overflow = false;
    const r = this.run(plan, (doc) => {
      if (scanned === SEARCH_LIMITS.candidates) return !(overflow = true);
      scanned += 1;
      const kept = !filterFn || filterFn(doc);
      onScanned?.(doc, kept);
      if (kept) docs.push(doc);
      full = limit !== null && docs.length >= limit;
      return !full;
    });
    if (r === FALLBACK) return null;
    // The index gives at most 1024 results: asking for one more fails even when there is none.
    if (!full && scanned === SEARCH_LIMITS.candidates) overflow = true;
    return { docs, overflow };
  }

  /**
   * The first 1024 matches in order (convex-test's sortedDocs, for its paginate: a deployment pages through the
   * 1024 results its index gives); null: convex-test's path.
   */
  all(source: SerializedQuery["source"]): Doc[] | null {
    const plan = this.plan(source);
    if (!plan) return null;
    const docs: Doc[] = [];
    const r = this.run(plan, (d) => docs.push(d) < SEARCH_LIMITS.candidates);
    return r === FALLBACK ? null : docs;
  }
}

/** The stream path (`queryStream`/`queryStreamNext`) of search queries, wrapped around the DocStore's. */
export function installSearchStreams(db: DatabaseFake, store: DocStore, search: SearchIndexes): void {
  const start = db.startQuery.bind(db);
  const next = db.queryNext.bind(db);
  type Results = { docs: Doc[]; i: number; overflow?: boolean; dropped?: Doc[][] };
  db.startQuery = (query) => {
    if (!store.fastPath || query.source.type !== "Search") return start(query);
    // dropped[i]: what the filter dropped before the i-th result (read when the stream gets that far)
    const dropped: Doc[][] = [[]];
    const found = search.evaluate(query, store.operators(query), (doc, kept) =>
      kept ? dropped.push([]) : dropped[dropped.length - 1]!.push(doc),
    );
    if (!found) return start(query);
    const id = db._nextQueryId++;
    db._queryResults[id] = { docs: found.docs, i: 0, overflow: found.overflow, dropped } satisfies Results;
    return id;
  };
  db.queryNext = (queryId) => {
    const r = db._queryResults[queryId] as Results | undefined;
    const skipped = r?.dropped?.[r.i];
    if (skipped && skipped.length > 0) {
      r!.dropped![r!.i] = [];
      for (const doc of skipped) store.onRead?.(doc);
    }
    if (r?.overflow && r.i >= r.docs.length) throw tooManyCandidates();
    return next(queryId);
  };
}
