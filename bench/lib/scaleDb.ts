/**
 * An in-memory ctx.db for building the scale dataset with the app's own model code (postEvent, the rollups).
 * tests/convex/memoryDb.ts scans a whole table per query, which is quadratic at millions of rows; here an
 * indexed query looks up the bucket of its leading equalities (one hash map per table, index and number of
 * equalities, built on first use and kept up to date on every write), then applies any remaining range and
 * sorts by the index fields, _creationTime and _id (Convex's order). Ids and _creationTime follow convex-test's
 * format (a zero-padded counter + the table name; increasing creation times), so the local backend loads the
 * documents as if it had written them. No transactions: a failed posting throws before its first write.
 */
import schema from "../../convex/schema";
import type { MutationCtx } from "../../convex/_generated/server";

export type Doc = Record<string, unknown> & { _id: string; _creationTime: number };
type Op = "eq" | "gt" | "gte" | "lt" | "lte";
type Range = { field: string; op: Op; value: unknown };
/** Ids per key: one id as a plain string (most keys, e.g. an idempotency key), a Set once there are more. */
type Bucket = { fields: string[]; map: Map<string, string | Set<string>> };

/** convex-test's TYPICAL_CONVEX_ID_LENGTH: ids are a counter padded to 32 characters minus the table name. */
const ID_LENGTH = 32;

const TYPE_RANK: Record<string, number> = { undefined: 0, object: 1, number: 2, bigint: 2, boolean: 3, string: 4 };
const rank = (v: unknown) => (v === null ? 1 : Array.isArray(v) ? 5 : (TYPE_RANK[typeof v] ?? 6));

/** Convex's value order for the types the app indexes (undefined < null < numbers < booleans < strings). */
function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === b || a === undefined || a === null) return 0;
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}

const tableSchemas = (
  schema as unknown as {
    tables: Record<string, { export(): { indexes: { indexDescriptor: string; fields: string[] }[] } }>;
  }
).tables;

function indexFields(table: string, index: string): string[] {
  if (index === "by_creation_time") return [];
  const found = tableSchemas[table]?.export().indexes.find((i) => i.indexDescriptor === index);
  if (found === undefined) throw new Error(`scaleDb: no index ${table}.${index}`);
  return found.fields;
}

function matches(doc: Doc, r: Range): boolean {
  const c = compareValues(doc[r.field], r.value);
  return r.op === "eq" ? c === 0 : r.op === "gt" ? c > 0 : r.op === "gte" ? c >= 0 : r.op === "lt" ? c < 0 : c <= 0;
}

const keyOf = (doc: Record<string, unknown>, fields: string[]) => JSON.stringify(fields.map((f) => doc[f] ?? null));

export class ScaleDb {
  readonly tables = new Map<string, Map<string, Doc>>();
  private readonly buckets = new Map<string, Map<string, Bucket>>();
  nextDocId = 10_000;
  lastCreationTime = 0;
  /** The simulated clock (ms): new documents get _creationTime = max(clock, last + 0.001). */
  clock = 0;

  table(name: string): Map<string, Doc> {
    let t = this.tables.get(name);
    if (t === undefined) this.tables.set(name, (t = new Map()));
    return t;
  }

  private bucketsOf(table: string): Map<string, Bucket> {
    let b = this.buckets.get(table);
    if (b === undefined) this.buckets.set(table, (b = new Map()));
    return b;
  }

  /** The ids whose leading `fields` equal `values` (the bucket is built on first use). */
  lookup(table: string, fields: string[], values: unknown[]): Iterable<string> {
    const name = fields.join(",");
    const all = this.bucketsOf(table);
    let bucket = all.get(name);
    if (bucket === undefined) {
      bucket = { fields, map: new Map() };
      for (const doc of this.table(table).values()) add(bucket, doc);
      all.set(name, bucket);
    }
    const ids = bucket.map.get(JSON.stringify(values.map((v) => v ?? null)));
    return ids === undefined ? [] : typeof ids === "string" ? [ids] : ids;
  }

  insert(table: string, value: Record<string, unknown>): string {
    const counter = String(this.nextDocId++);
    const _id = counter.padStart(ID_LENGTH - table.length, "0") + table;
    const t = Math.max(this.clock, this.lastCreationTime + 0.001);
    this.lastCreationTime = t;
    const doc: Doc = { ...value, _id, _creationTime: t };
    this.table(table).set(_id, doc);
    for (const b of this.bucketsOf(table).values()) add(b, doc);
    return _id;
  }

  /** Replaces a stored document (its buckets follow). */
  put(table: string, doc: Doc): void {
    const old = this.table(table).get(doc._id);
    if (old === undefined) throw new Error(`scaleDb: write of missing ${doc._id}`);
    for (const b of this.bucketsOf(table).values()) {
      const before = keyOf(old, b.fields);
      const after = keyOf(doc, b.fields);
      if (before !== after) {
        remove(b, before, doc._id);
        add(b, doc);
      }
    }
    this.table(table).set(doc._id, doc);
  }

  query(table: string, fields: string[], ranges: Range[], direction: "asc" | "desc"): Doc[] {
    let k = 0;
    while (k < ranges.length && k < fields.length && ranges[k]!.op === "eq" && ranges[k]!.field === fields[k]) k++;
    const rows = this.table(table);
    const ids =
      k > 0
        ? this.lookup(
            table,
            fields.slice(0, k),
            ranges.slice(0, k).map((r) => r.value),
          )
        : rows.keys();
    const rest = ranges.slice(k);
    const out: Doc[] = [];
    for (const id of ids) {
      const doc = rows.get(id)!;
      if (rest.every((r) => matches(doc, r))) out.push(doc);
    }
    const order = [...fields.slice(k), "_creationTime", "_id"];
    const sign = direction === "asc" ? 1 : -1;
    out.sort((a, b) => {
      for (const f of order) {
        const c = compareValues(a[f], b[f]);
        if (c !== 0) return c * sign;
      }
      return 0;
    });
    return out;
  }

  /** A ctx with `db` and a no-op `scheduler`, for the model functions that take a MutationCtx. */
  ctx(): MutationCtx {
    const tableOfId = (id: string) => id.replace(/^[0-9]+/, "");
    const split = (args: unknown[]): [string, string, unknown] =>
      typeof args[1] === "string"
        ? [args[0] as string, args[1], args[2]]
        : [tableOfId(args[0] as string), args[0] as string, args[1]];
    const copy = (d: Doc | undefined) => (d === undefined ? null : { ...d });
    const db = {
      query: (table: string) => new ScaleQuery(this, table),
      get: async (...args: unknown[]) => {
        const [table, id] = split(args);
        return copy(this.table(table).get(id));
      },
      insert: async (table: string, value: Record<string, unknown>) => this.insert(table, value),
      patch: async (...args: unknown[]) => {
        const [table, id, value] = split(args);
        const doc = { ...this.table(table).get(id)! };
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
          if (v === undefined) delete doc[key];
          else doc[key] = v;
        }
        this.put(table, doc);
      },
      replace: async (...args: unknown[]) => {
        const [table, id, value] = split(args);
        const old = this.table(table).get(id)!;
        this.put(table, { ...(value as Record<string, unknown>), _id: id, _creationTime: old._creationTime });
      },
      delete: async (...args: unknown[]) => {
        const [table, id] = split(args);
        const doc = this.table(table).get(id)!;
        for (const b of this.bucketsOf(table).values()) remove(b, keyOf(doc, b.fields), id);
        this.table(table).delete(id);
      },
      normalizeId: (_table: string, id: string) => id,
    };
    const scheduler = {
      runAfter: async () => `${String(this.nextDocId++).padStart(10, "0")}_scheduled_functions`,
      runAt: async () => `${String(this.nextDocId++).padStart(10, "0")}_scheduled_functions`,
      cancel: async () => {},
    };
    return { db, scheduler, auth: { getUserIdentity: async () => null } } as unknown as MutationCtx;
  }
}

function add(bucket: Bucket, doc: Doc): void {
  const key = keyOf(doc, bucket.fields);
  const ids = bucket.map.get(key);
  if (ids === undefined) bucket.map.set(key, doc._id);
  else if (typeof ids === "string") bucket.map.set(key, new Set([ids, doc._id]));
  else ids.add(doc._id);
}

function remove(bucket: Bucket, key: string, id: string): void {
  const ids = bucket.map.get(key);
  if (ids === id) bucket.map.delete(key);
  else if (typeof ids !== "string") ids?.delete(id);
}

class ScaleQuery {
  private fields: string[] = [];
  private ranges: Range[] = [];
  private direction: "asc" | "desc" = "asc";

  constructor(
    private readonly store: ScaleDb,
    private readonly table: string,
  ) {}

  withIndex(index: string, build?: (q: unknown) => unknown) {
    this.fields = indexFields(this.table, index);
    const builder = {} as Record<Op, (field: string, value: unknown) => unknown>;
    for (const op of ["eq", "gt", "gte", "lt", "lte"] as const)
      builder[op] = (field, value) => {
        this.ranges.push({ field, op, value });
        return builder;
      };
    build?.(builder);
    return this;
  }

  order(direction: "asc" | "desc") {
    this.direction = direction;
    return this;
  }

  private rows(): Doc[] {
    return this.store.query(this.table, this.fields, this.ranges, this.direction).map((d) => ({ ...d }));
  }

  async collect() {
    return this.rows();
  }
  async take(n: number) {
    return this.rows().slice(0, n);
  }
  async first() {
    return this.rows()[0] ?? null;
  }
  async unique() {
    const all = this.rows();
    if (all.length > 1) throw new Error(`scaleDb: unique() found ${all.length} rows in ${this.table}`);
    return all[0] ?? null;
  }
  async *[Symbol.asyncIterator]() {
    yield* this.rows();
  }
}
