/**
 * What a query evaluation read, for invalidating cached subscriptions: whole
 * tables (table scans, search, count; "*" = unknown), documents by id, and
 * index ranges. A write affects the evaluation if the old or the new version
 * of a written document falls in something it read.
 */
import { parseSyscallArgs } from "./syscalls";
import type { Doc, SerializedQuery } from "./types";
import { tableNameFromId } from "./values";

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
    return {
      tables: this.tables,
      ids: this.ids,
      ranges: new Map([...this.ranges].map(([t, list]) => [t, list.map((r) => r.source)])),
    };
  }

  /** Read anything of this table at all. */
  touches(table: string): boolean {
    return this.tables.has("*") || this.tables.has(table) || this.ids.has(table) || this.ranges.has(table);
  }

  /** Whether writing document `id` (previous version `before`, new version `after`; null = absent) affects these reads. */
  affectedBy(
    table: string,
    id: string,
    before: Doc | null,
    after: Doc | null,
    matcherFor: (source: SerializedQuery["source"]) => RangeMatcher,
  ): boolean {
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

/** Records what a database syscall of a tracked query reads (components: whole "<component>/<table>" tables). */
export function trackRead(reads: ReadSet, op: string, json: string, componentPath = ""): void {
  if (componentPath !== "") {
    // A component's reads count as whole-table reads of "<component>/<table>" (see hookCommits).
    if (op === "1.0/get" || op === "1.0/queryStream" || op === "1.0/queryPage" || op === "1.0/count") {
      const a = JSON.parse(json) as { id?: string; table?: string; query?: SerializedQuery };
      const src = a.query?.source as { tableName?: string; indexName?: string } | undefined;
      const t =
        a.table ??
        (typeof a.id === "string" ? tableNameFromId(a.id) : null) ??
        src?.tableName ??
        src?.indexName?.split(".")[0];
      reads.addTable(t ? `${componentPath}/${t}` : "*");
    }
    return;
  }
  switch (op) {
    case "1.0/get": {
      const a = parseSyscallArgs<{ id?: string; table?: string }>(json);
      const t = a.table ?? (typeof a.id === "string" ? tableNameFromId(a.id) : null);
      if (t && typeof a.id === "string") reads.addId(t, a.id);
      else reads.addTable(t ?? "*");
      return;
    }
    case "1.0/queryStream":
    case "1.0/queryPage": {
      const a = parseSyscallArgs<{ query?: SerializedQuery }>(json);
      const src = a.query?.source;
      if (src?.type === "IndexRange" && typeof src.indexName === "string") {
        reads.addRange(src.indexName.split(".")[0]!, src);
      } else if (src?.type === "FullTableScan" && typeof src.tableName === "string") {
        reads.addTable(src.tableName);
      } else {
        const t = (src as { indexName?: string } | undefined)?.indexName?.split(".")[0];
        reads.addTable(t ?? "*");
      }
      return;
    }
    case "1.0/count": {
      const a = JSON.parse(json) as { table?: string };
      reads.addTable(a.table ?? "*");
      return;
    }
    case "1.0/storageGetUrl": {
      const a = JSON.parse(json) as { storageId?: string };
      if (typeof a.storageId === "string" && tableNameFromId(a.storageId) === "_storage")
        reads.addId("_storage", a.storageId);
      else reads.addTable("_storage");
      return;
    }
    case "1.0/queryStreamNext":
    case "1.0/queryCleanup":
    case "1.0/db/normalizeId":
    case "1.0/getSnapshotTs":
    case "1.0/runUdf":
    case "1.0/getTransactionMetrics":
    case "1.0/getFunctionMetadata":
    case "1.0/getDeploymentMetadata":
    case "1.0/auditLog":
      return;
    default:
      reads.addTable("*");
  }
}
