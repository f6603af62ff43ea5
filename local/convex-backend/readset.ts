/**
 * What a query evaluation read, for invalidating cached subscriptions: whole
 * tables (table scans, search, count; "*" = unknown), documents by id, and
 * index ranges. A write affects the evaluation if the old or the new version
 * of a written document falls in something it read.
 */
import type { Doc, SerializedQuery } from "./internals";

export type RangeMatcher = (doc: Doc) => boolean;

interface RangeRead {
  source: SerializedQuery["source"];
  match: RangeMatcher | null;
}

/** Above this many ranges/ids on one table, fall back to depending on the whole table. */
const MAX_PER_TABLE = 64;

export class ReadSet {
  /** tables read as a whole; "*" = depends on everything */
  readonly tables = new Set<string>();
  private readonly ids = new Map<string, Set<string>>();
  private readonly ranges = new Map<string, RangeRead[]>();

  get everything(): boolean {
    return this.tables.has("*");
  }

  addTable(table: string): void {
    this.tables.add(table);
    this.ids.delete(table);
    this.ranges.delete(table);
  }

  addId(table: string, id: string): void {
    if (this.tables.has(table)) return;
    let s = this.ids.get(table);
    if (!s) {
      s = new Set();
      this.ids.set(table, s);
    }
    s.add(id);
    if (s.size > MAX_PER_TABLE) this.addTable(table);
  }

  addRange(table: string, source: SerializedQuery["source"]): void {
    if (this.tables.has(table)) return;
    let list = this.ranges.get(table);
    if (!list) {
      list = [];
      this.ranges.set(table, list);
    }
    list.push({ source, match: null });
    if (list.length > MAX_PER_TABLE) this.addTable(table);
  }

  /** Whole tables, ids by table and range sources by table (for ReadIndex). */
  contents(): {
    tables: ReadonlySet<string>;
    ids: ReadonlyMap<string, ReadonlySet<string>>;
    ranges: ReadonlyMap<string, readonly SerializedQuery["source"][]>;
  } {
    return { tables: this.tables, ids: this.ids, ranges: new Map([...this.ranges].map(([t, list]) => [t, list.map((r) => r.source)])) };
  }

  /** Read anything of this table at all. */
  touches(table: string): boolean {
    return this.tables.has("*") || this.tables.has(table) || this.ids.has(table) || this.ranges.has(table);
  }

  /** Whether writing document `id` (previous version `before`, new version `after`; null = absent) affects these reads. */
  affectedBy(table: string, id: string, before: Doc | null, after: Doc | null, matcherFor: (source: SerializedQuery["source"]) => RangeMatcher): boolean {
    if (this.tables.has("*") || this.tables.has(table)) return true;
    if (this.ids.get(table)?.has(id)) return true;
    const list = this.ranges.get(table);
    if (!list) return false;
    for (const r of list) {
      const m = (r.match ??= matcherFor(r.source));
      if ((before !== null && m(before)) || (after !== null && m(after))) return true;
    }
    return false;
  }
}
