/**
 * An inverted index over the cached queries' read sets, so a commit finds the queries it may affect
 * without testing every subscription (with thousands of open rooms, scanning them all on every
 * heartbeat was most of the backend's CPU). It only narrows: each candidate is still checked with
 * ReadSet.affectedBy, and every query that could be affected is a candidate:
 *   - reads of everything ("*") or of a whole table: always candidates for that table;
 *   - reads of a document by id: candidates for writes of that id;
 *   - index ranges starting with an equality on a string, number or boolean: candidates when the old
 *     or new version of the written document has that value in that field (a document outside it
 *     cannot be in the range);
 *   - any other range (no leading equality, other value types, full scans, search): candidates for
 *     every write to the table.
 */
import type { JSONValue } from "convex/values";
import type { Doc, SerializedQuery } from "./internals";
import type { ReadSet } from "./readset";

type Bucket<E> = Map<string, Set<E>>;

function add<E>(map: Bucket<E>, key: string, e: E): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(e);
}

function remove<E>(map: Bucket<E>, key: string, e: E): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(e);
  if (set.size === 0) map.delete(key);
}

/** A key for values that compare equal in an index (only the types we index; null = not indexable). */
function rangeValueKey(value: JSONValue): string | null {
  if (typeof value === "string") return `s:${value}`;
  if (typeof value === "boolean") return `b:${value}`;
  if (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0)) return `n:${value}`;
  return null;
}

function docValueKey(doc: Doc, path: string[]): string | null {
  let v: unknown = doc;
  for (const part of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
    v = (v as Record<string, unknown>)[part];
  }
  if (typeof v === "string") return `s:${v}`;
  if (typeof v === "boolean") return `b:${v}`;
  if (typeof v === "number") return `n:${v}`;
  return null;
}

/** What one entry was registered under, to unregister it exactly. */
interface Registration {
  everything: boolean;
  touched: string[];
  tables: string[];
  ids: string[];
  eq: { table: string; field: string; key: string }[];
  scans: string[];
}

export class ReadIndex<E> {
  private readonly everything = new Set<E>();
  /** every entry that read anything of a table (component tables, and the linear fallback) */
  private readonly touched: Bucket<E> = new Map();
  private readonly tables: Bucket<E> = new Map();
  private readonly ids: Bucket<E> = new Map();
  /** table -> field path -> value key -> entries */
  private readonly eq = new Map<string, Map<string, Bucket<E>>>();
  private readonly scans: Bucket<E> = new Map();
  private readonly registered = new Map<E, Registration>();

  /** `hasKeyRange(source)`: the range is checked against index keys (a range that is not matches everything). */
  constructor(private readonly hasKeyRange: (source: SerializedQuery["source"]) => boolean) {}

  /** Indexes `reads` as what `e` depends on (replacing what it depended on before). */
  set(e: E, reads: ReadSet): void {
    this.delete(e);
    const r: Registration = { everything: reads.everything, touched: [], tables: [], ids: [], eq: [], scans: [] };
    if (r.everything) this.everything.add(e);
    const { tables, ids, ranges } = reads.contents();
    for (const table of tables) {
      r.tables.push(table);
      add(this.tables, table, e);
    }
    for (const set of ids.values()) {
      for (const id of set) {
        r.ids.push(id);
        add(this.ids, id, e);
      }
    }
    for (const [table, list] of ranges) {
      for (const source of list) {
        const first = source.type === "IndexRange" ? source.range[0] : undefined;
        const key =
          first !== undefined && first.type === "Eq" && this.hasKeyRange(source) ? rangeValueKey(first.value) : null;
        if (first === undefined || key === null) {
          if (!r.scans.includes(table)) {
            r.scans.push(table);
            add(this.scans, table, e);
          }
          continue;
        }
        r.eq.push({ table, field: first.fieldPath, key });
        let byField = this.eq.get(table);
        if (!byField) {
          byField = new Map();
          this.eq.set(table, byField);
        }
        let byValue = byField.get(first.fieldPath);
        if (!byValue) {
          byValue = new Map();
          byField.set(first.fieldPath, byValue);
        }
        add(byValue, key, e);
      }
    }
    r.touched = [...new Set([...tables, ...ids.keys(), ...ranges.keys()])];
    for (const table of r.touched) add(this.touched, table, e);
    this.registered.set(e, r);
  }

  delete(e: E): void {
    const r = this.registered.get(e);
    if (!r) return;
    this.registered.delete(e);
    if (r.everything) this.everything.delete(e);
    for (const t of r.touched) remove(this.touched, t, e);
    for (const t of r.tables) remove(this.tables, t, e);
    for (const id of r.ids) remove(this.ids, id, e);
    for (const t of r.scans) remove(this.scans, t, e);
    for (const { table, field, key } of r.eq) {
      const byField = this.eq.get(table);
      const byValue = byField?.get(field);
      if (!byField || !byValue) continue;
      remove(byValue, key, e);
      if (byValue.size === 0) byField.delete(field);
      if (byField.size === 0) this.eq.delete(table);
    }
  }

  /** Entries that read anything of `table`, or everything. */
  touching(table: string, into: Set<E>): void {
    for (const e of this.everything) into.add(e);
    for (const e of this.touched.get(table) ?? []) into.add(e);
  }

  /** Entries a write of document `id` of `table` (old and new versions) may affect: a superset of those it does. */
  candidates(table: string, id: string, before: Doc | null, after: Doc | null, into: Set<E>): void {
    for (const e of this.everything) into.add(e);
    for (const e of this.tables.get(table) ?? []) into.add(e);
    for (const e of this.ids.get(id) ?? []) into.add(e);
    for (const e of this.scans.get(table) ?? []) into.add(e);
    const byField = this.eq.get(table);
    if (!byField) return;
    for (const [field, byValue] of byField) {
      const path = field.split(".");
      for (const doc of [before, after]) {
        if (doc === null) continue;
        const key = docValueKey(doc, path);
        if (key === null) continue;
        for (const e of byValue.get(key) ?? []) into.add(e);
      }
    }
  }
}
