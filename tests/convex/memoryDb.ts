// A small in-memory stand-in for ctx.db (and ctx.scheduler) over the app's schema, for property tests that post
// thousands of journals through the real model code (postEvent, postJournal, the rollups). convex-test scans every
// document of every table for each indexed query, which makes 2,000 postings take minutes; here a query looks at its
// own table only. It keeps Convex's index order (index fields, then _creationTime), eq/gt/gte/lt/lte ranges, order,
// take/first/unique/collect/paginate and patch semantics (undefined removes a field). No transactions: callers that
// need rollback use convex-test.
import schema from "../../convex/schema";
import type { MutationCtx } from "../../convex/_generated/server";

type Doc = Record<string, unknown> & { _id: string; _creationTime: number };
type Range = { field: string; op: "eq" | "gt" | "gte" | "lt" | "lte"; value: unknown };

const TYPE_RANK: Record<string, number> = { undefined: 0, object: 1, number: 2, bigint: 2, boolean: 3, string: 4 };

function rank(v: unknown): number {
  if (v === null) return 1;
  if (Array.isArray(v)) return 5;
  return TYPE_RANK[typeof v] ?? 6;
}

/** Convex's value order for the types the app indexes (undefined < null < numbers < booleans < strings). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === b || a === undefined || a === null) return 0;
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}

function indexFields(table: string, index: string): string[] {
  if (index === "by_creation_time") return ["_creationTime", "_id"];
  const tables = (
    schema as unknown as {
      tables: Record<string, { export(): { indexes: { indexDescriptor: string; fields: string[] }[] } }>;
    }
  ).tables;
  const found = tables[table]?.export().indexes.find((i) => i.indexDescriptor === index);
  if (found === undefined) throw new Error(`memoryDb: no index ${table}.${index}`);
  return [...found.fields, "_creationTime", "_id"];
}

function matches(doc: Doc, range: Range): boolean {
  const c = compareValues(doc[range.field], range.value);
  switch (range.op) {
    case "eq":
      return c === 0;
    case "gt":
      return c > 0;
    case "gte":
      return c >= 0;
    case "lt":
      return c < 0;
    case "lte":
      return c <= 0;
  }
}

class MemoryQuery {
  private fields = ["_creationTime", "_id"];
  private ranges: Range[] = [];
  private direction: "asc" | "desc" = "asc";

  constructor(
    private readonly rows: Map<string, Doc>,
    private readonly table: string,
  ) {}

  withIndex(index: string, build?: (q: unknown) => unknown) {
    this.fields = indexFields(this.table, index);
    const builder = {} as Record<string, (field: string, value: unknown) => unknown>;
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

  filter(): never {
    throw new Error("memoryDb: .filter is not used by the app (indexed reads only)");
  }

  private sorted(): Doc[] {
    const out = [...this.rows.values()].filter((d) => this.ranges.every((r) => matches(d, r)));
    const sign = this.direction === "asc" ? 1 : -1;
    out.sort((a, b) => {
      for (const f of this.fields) {
        const c = compareValues(a[f], b[f]);
        if (c !== 0) return c * sign;
      }
      return 0;
    });
    return out.map((d) => ({ ...d }));
  }

  async collect() {
    return this.sorted();
  }
  async take(n: number) {
    return this.sorted().slice(0, n);
  }
  async first() {
    return this.sorted()[0] ?? null;
  }
  async unique() {
    const all = this.sorted();
    if (all.length > 1) throw new Error(`memoryDb: unique() found ${all.length} rows in ${this.table}`);
    return all[0] ?? null;
  }
  async paginate({ cursor, numItems }: { cursor: string | null; numItems: number }) {
    const all = this.sorted();
    const start = cursor === null ? 0 : all.findIndex((d) => d._id === cursor) + 1;
    const page = all.slice(start, start + numItems);
    const isDone = start + numItems >= all.length;
    return { page, isDone, continueCursor: page.at(-1)?._id ?? cursor ?? "" };
  }
  async *[Symbol.asyncIterator]() {
    yield* this.sorted();
  }
}

/** A fresh in-memory database; `ctx` works where the model code takes a MutationCtx or QueryCtx. */
export function memoryDb() {
  const tables = new Map<string, Map<string, Doc>>();
  const tableOf = (name: string) => tables.get(name) ?? tables.set(name, new Map()).get(name)!;
  const tableOfId = (id: string) => id.slice(0, id.indexOf("|"));
  let next = 0;
  let clock = 1;
  const scheduled: { at: number; name: string; args: unknown }[] = [];

  // Both the (table, id, ...) and the older (id, ...) call shapes.
  const split = (args: unknown[]): [string, string, unknown[]] =>
    typeof args[1] === "string" && args[1].includes("|")
      ? [args[0] as string, args[1], args.slice(2)]
      : [tableOfId(args[0] as string), args[0] as string, args.slice(1)];

  const db = {
    query: (table: string) => new MemoryQuery(tableOf(table), table),
    get: async (...args: unknown[]) => {
      const [table, id] = split(args);
      const doc = tableOf(table).get(id);
      return doc === undefined ? null : { ...doc };
    },
    insert: async (table: string, value: Record<string, unknown>) => {
      const _id = `${table}|${++next}`;
      tableOf(table).set(_id, { ...value, _id, _creationTime: clock++ });
      return _id;
    },
    patch: async (...args: unknown[]) => {
      const [table, id, [value]] = split(args);
      const doc = tableOf(table).get(id);
      if (doc === undefined) throw new Error(`memoryDb: patch of missing ${id}`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) delete doc[k];
        else doc[k] = v;
      }
    },
    replace: async (...args: unknown[]) => {
      const [table, id, [value]] = split(args);
      const doc = tableOf(table).get(id);
      if (doc === undefined) throw new Error(`memoryDb: replace of missing ${id}`);
      tableOf(table).set(id, { ...(value as Record<string, unknown>), _id: id, _creationTime: doc._creationTime });
    },
    delete: async (...args: unknown[]) => {
      const [table, id] = split(args);
      tableOf(table).delete(id);
    },
  };
  const scheduler = {
    runAt: async (at: number, ref: unknown, fnArgs: unknown) => {
      scheduled.push({ at, name: String(ref), args: fnArgs });
      return `_scheduled_functions|${++next}`;
    },
    runAfter: async (ms: number, ref: unknown, fnArgs: unknown) => {
      scheduled.push({ at: Date.now() + ms, name: String(ref), args: fnArgs });
      return `_scheduled_functions|${++next}`;
    },
    cancel: async () => {},
  };
  const ctx = { db, scheduler, auth: { getUserIdentity: async () => null } } as unknown as MutationCtx;
  return { ctx, tables, scheduled };
}
