/**
 * The local backend's indexed query path (internals.ts DocStore + sortedIndex.ts) must return exactly
 * what convex-test's own implementation returns: same documents, same order, same pagination cursors,
 * inside transactions with pending writes as well as on committed data. Randomized (seeded) comparison
 * of both paths on one convex-test instance.
 */
import { describe, expect, it } from "vitest";
import { defineSchema, defineTable } from "convex/server";
import { convexToJson, v, type JSONValue, type Value } from "convex/values";
import {
  createInstance,
  type Doc,
  type EngineInstance,
  type SerializedQuery,
} from "../../local/convex-backend/internals";
import { compareKeys, SortedIndex, type Key } from "../../local/convex-backend/sortedIndex";

const schema = defineSchema({
  items: defineTable({ a: v.optional(v.any()), b: v.string(), c: v.optional(v.any()), n: v.number() })
    .index("by_a", ["a"])
    .index("by_a_b", ["a", "b"])
    .index("by_cx", ["c.x"])
    .index("by_b_n", ["b", "n"]),
  other: defineTable({ b: v.string() }).index("by_b", ["b"]),
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const A_VALUES: (Value | undefined)[] = [
  undefined,
  null,
  -1,
  0,
  1,
  2.5,
  3,
  -0,
  1n,
  5n,
  true,
  false,
  "",
  "a",
  "b",
  "ab",
  "é",
  "😀",
  "\uffff",
  [1, 2],
  [1],
  { k: 1 },
];
const B_VALUES = ["", "x", "y", "yy", "z", "Z", "é"];

type Ctx = {
  db: {
    insert: (t: string, d: object) => Promise<string>;
    patch: (id: string, d: object) => Promise<void>;
    delete: (id: string) => Promise<void>;
  };
};

async function newInstance(): Promise<EngineInstance> {
  return await createInstance(schema, { "../convex/_generated/__local_backend_marker.js": async () => ({}) });
}

function both<T>(inst: EngineInstance, f: () => T): { fast: T; reference: T } {
  inst.store.fastPath = true;
  const fast = f();
  inst.store.fastPath = false;
  try {
    return { fast, reference: f() };
  } finally {
    inst.store.fastPath = true;
  }
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function json(x: Value | undefined): JSONValue {
  return x === undefined ? ({ $undefined: null } as unknown as JSONValue) : convexToJson(x);
}

const INDEXES: Record<string, string[]> = {
  "items.by_a": ["a"],
  "items.by_a_b": ["a", "b"],
  "items.by_cx": ["c.x"],
  "items.by_b_n": ["b", "n"],
  "items.by_creation_time": ["_creationTime"],
  "items.by_id": ["_id"],
};

function valueFor(r: () => number, field: string, ids: string[], times: number[]): Value | undefined {
  switch (field) {
    case "a":
    case "c.x":
      return pick(r, A_VALUES);
    case "b":
      return pick(r, B_VALUES);
    case "n":
      return Math.floor(r() * 10);
    case "_creationTime":
      return times.length > 0 && r() < 0.8 ? pick(r, times) : r() * 4e12;
    case "_id":
      return ids.length > 0 ? pick(r, ids) : "10000items";
    default:
      return null;
  }
}

function randomQuery(r: () => number, ids: string[], times: number[]): SerializedQuery {
  const order = pick(r, ["asc", "desc", null] as const);
  const operators: SerializedQuery["operators"] = [];
  if (r() < 0.25) operators.push({ filter: { $gte: [{ $field: "n" }, { $literal: Math.floor(r() * 10) }] } });
  if (r() < 0.3) operators.push({ limit: Math.floor(r() * 4) });
  if (r() < 0.15) return { source: { type: "FullTableScan", tableName: "items", order }, operators };
  const indexName = pick(r, Object.keys(INDEXES));
  const fields = INDEXES[indexName]!;
  const range: { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: JSONValue }[] = [];
  let k = 0;
  while (k < fields.length && r() < 0.6) {
    range.push({ type: "Eq", fieldPath: fields[k]!, value: json(valueFor(r, fields[k]!, ids, times)) });
    k++;
  }
  if (k < fields.length) {
    const f = fields[k]!;
    const lower = r() < 0.5;
    const upper = r() < 0.5;
    const lo = {
      type: r() < 0.5 ? ("Gt" as const) : ("Gte" as const),
      fieldPath: f,
      value: json(valueFor(r, f, ids, times)),
    };
    const hi = {
      type: r() < 0.5 ? ("Lt" as const) : ("Lte" as const),
      fieldPath: f,
      value: json(valueFor(r, f, ids, times)),
    };
    if (lower && upper && r() < 0.5) range.push(hi, lo);
    else {
      if (lower) range.push(lo);
      if (upper) range.push(hi);
    }
  }
  return { source: { type: "IndexRange", indexName, range, order }, operators };
}

function ids(docs: Doc[]): string[] {
  return docs.map((d) => d._id);
}

/** Runs a query through every entry point both ways and expects identical results. */
function compareQuery(inst: EngineInstance, q: SerializedQuery, r: () => number): void {
  const evaluated = both(inst, () => ids(inst.db._evaluateQuery(structuredClone(q))));
  expect(evaluated.fast, JSON.stringify(q)).toEqual(evaluated.reference);
  const stream = both(inst, () => {
    const id = inst.db.startQuery(structuredClone(q));
    const out: string[] = [];
    for (;;) {
      const { value, done } = inst.db.queryNext(id);
      if (done) break;
      out.push(value!._id);
    }
    return out;
  });
  expect(stream.fast).toEqual(stream.reference);
  const pageSize = 1 + Math.floor(r() * 4);
  const maximumRowsRead = r() < 0.2 ? 1 + Math.floor(r() * 3) : null;
  const pages = both(inst, () => {
    const out: unknown[] = [];
    let cursor: string | null = null;
    const db = inst.db as unknown as {
      paginate: (a: object) => {
        page: Doc[];
        isDone: boolean;
        continueCursor: string;
        splitCursor: string | null;
        pageStatus: string | null;
      };
    };
    for (let guard = 0; guard < 200; guard++) {
      const p = db.paginate({
        query: structuredClone({ ...q, operators: q.operators.filter((o) => !("limit" in o)) }),
        cursor,
        endCursor: null,
        pageSize,
        maximumRowsRead,
        maximumBytesRead: null,
      });
      out.push({
        ids: ids(p.page),
        isDone: p.isDone,
        continueCursor: p.continueCursor,
        splitCursor: p.splitCursor,
        pageStatus: p.pageStatus,
      });
      if (p.isDone) break;
      cursor = p.continueCursor;
    }
    return out;
  });
  expect(pages.fast).toEqual(pages.reference);
  // Page boundaries as end cursors (how the client refreshes a loaded page), from the start or from a later cursor.
  const cursors = (pages.reference as { continueCursor: string }[]).map((p) => p.continueCursor);
  if (cursors.length > 0) {
    const endCursor = pick(r, cursors);
    const startCursor = r() < 0.5 ? null : pick(r, [...cursors, "_end_cursor"]);
    const bounded = both(inst, () => {
      const db = inst.db as unknown as {
        paginate: (a: object) => {
          page: Doc[];
          isDone: boolean;
          continueCursor: string;
          splitCursor: string | null;
          pageStatus: string | null;
        };
      };
      const p = db.paginate({
        query: structuredClone({ ...q, operators: q.operators.filter((o) => !("limit" in o)) }),
        cursor: startCursor,
        endCursor,
        pageSize,
        maximumRowsRead,
        maximumBytesRead: null,
      });
      return {
        ids: ids(p.page),
        isDone: p.isDone,
        continueCursor: p.continueCursor,
        splitCursor: p.splitCursor,
        pageStatus: p.pageStatus,
      };
    });
    expect(bounded.fast).toEqual(bounded.reference);
  }
}

describe("indexed query path matches convex-test", () => {
  it("on random data, inside transactions with pending writes and after commits", async () => {
    const inst = await newInstance();
    const r = rng(20261121);
    const live: string[] = [];
    const times: number[] = [];
    for (let round = 0; round < 30; round++) {
      await inst.t.run(async (ctxArg) => {
        const ctx = ctxArg as Ctx;
        const writes = 1 + Math.floor(r() * 12);
        for (let w = 0; w < writes; w++) {
          const op = r();
          if (op < 0.55 || live.length === 0) {
            const doc: Record<string, Value> = { b: pick(r, B_VALUES), n: Math.floor(r() * 10) };
            const a = pick(r, A_VALUES);
            if (a !== undefined) doc.a = a;
            if (r() < 0.6) doc.c = r() < 0.8 ? { x: pick(r, A_VALUES) ?? null } : pick(r, [1, "s", null, [1]]);
            if (r() < 0.1) await ctx.db.insert("other", { b: pick(r, B_VALUES) });
            else live.push(await ctx.db.insert("items", doc));
          } else if (op < 0.85) {
            const id = pick(r, live);
            const a = pick(r, A_VALUES);
            await ctx.db.patch(
              id,
              r() < 0.5 ? { a: a === undefined ? undefined : a } : { b: pick(r, B_VALUES), n: Math.floor(r() * 10) },
            );
          } else {
            const i = Math.floor(r() * live.length);
            await ctx.db.delete(live[i]!);
            live.splice(i, 1);
          }
        }
        // Queries see the pending writes of this transaction.
        for (let k = 0; k < 6; k++) compareQuery(inst, randomQuery(r, live, times), r);
        return null;
      });
      for (const d of Object.values(inst.db._documents)) times.push(d._creationTime);
      // Committed data, outside any transaction.
      for (let k = 0; k < 10; k++) compareQuery(inst, randomQuery(r, live, times), r);
    }
    expect(live.length).toBeGreaterThan(20);
  });

  it("rejects the same malformed index ranges as convex-test", async () => {
    const inst = await newInstance();
    const bad: SerializedQuery[] = [
      { source: { type: "IndexRange", indexName: "items.nope", range: [], order: null }, operators: [] },
      {
        source: {
          type: "IndexRange",
          indexName: "items.by_a_b",
          range: [{ type: "Eq", fieldPath: "b", value: "x" }],
          order: null,
        },
        operators: [],
      },
      {
        source: {
          type: "IndexRange",
          indexName: "items.by_a_b",
          range: [
            { type: "Gt", fieldPath: "a", value: 1 },
            { type: "Eq", fieldPath: "b", value: "x" },
          ],
          order: null,
        },
        operators: [],
      },
    ];
    for (const q of bad) {
      const err = (f: () => unknown) => {
        try {
          f();
          return null;
        } catch (e) {
          return (e as Error).message;
        }
      };
      const res = both(inst, () => err(() => inst.db._evaluateQuery(structuredClone(q))));
      expect(res.fast).not.toBeNull();
      expect(res.fast).toEqual(res.reference);
    }
  });

  it("SortedIndex keeps order through inserts, replacements and removals", () => {
    const r = rng(7);
    const idx = new SortedIndex<number>();
    const model: { key: Key; doc: number }[] = [];
    for (let i = 0; i < 5000; i++) {
      if (model.length > 0 && r() < 0.3) {
        const j = Math.floor(r() * model.length);
        expect(idx.remove(model[j]!.key)).toBe(true);
        model.splice(j, 1);
      } else {
        const key: Key = [Math.floor(r() * 50), `id${i}`];
        idx.insert(key, i);
        model.push({ key, doc: i });
      }
    }
    model.sort((x, y) => compareKeys(x.key, y.key));
    const out: number[] = [];
    idx.scan(idx.start(), idx.end(), false, (e) => (out.push(e.doc), true));
    expect(out).toEqual(model.map((m) => m.doc));
    const rev: number[] = [];
    idx.scan(idx.start(), idx.end(), true, (e) => (rev.push(e.doc), true));
    expect(rev).toEqual(out.slice().reverse());
    // a range: first key component in [10, 20)
    const from = idx.seek((k) => (k[0] as number) < 10);
    const to = idx.seek((k) => (k[0] as number) < 20);
    const mid: number[] = [];
    idx.scan(from, to, false, (e) => (mid.push(e.doc), true));
    expect(mid).toEqual(model.filter((m) => (m.key[0] as number) >= 10 && (m.key[0] as number) < 20).map((m) => m.doc));
    expect(idx.size).toBe(model.length);
  });
});

describe("schema validation fast path matches convex-test", () => {
  it("accepts exactly what convex-test's validator accepts (random validators and values)", async () => {
    const { compileValidator } = await import("../../local/convex-backend/internals");
    const r = rng(99);
    const leaf = () =>
      pick(r, [
        v.null(),
        v.number(),
        v.int64(),
        v.boolean(),
        v.string(),
        v.bytes(),
        v.any(),
        v.literal("a"),
        v.literal(1),
        v.literal(true),
        v.id("items"),
      ]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const gen = (depth: number): any => {
      if (depth <= 0 || r() < 0.35) return leaf();
      switch (Math.floor(r() * 4)) {
        case 0:
          return v.array(gen(depth - 1));
        case 1:
          return v.union(gen(depth - 1), gen(depth - 1), ...(r() < 0.5 ? [gen(depth - 1)] : []));
        case 2:
          return v.record(v.string(), gen(depth - 1));
        default: {
          const shape: Record<string, unknown> = {};
          for (const k of ["a", "b", "c"].slice(0, 1 + Math.floor(r() * 3)))
            shape[k] = r() < 0.3 ? v.optional(gen(depth - 1)) : gen(depth - 1);
          return v.object(shape as never);
        }
      }
    };
    const leafValue = (): unknown =>
      pick(r, [
        null,
        0,
        1,
        2.5,
        1n,
        true,
        false,
        "",
        "a",
        "x",
        new Uint8Array([1]).buffer,
        "123items",
        "123other",
        undefined,
      ]);
    const value = (depth: number): unknown => {
      if (depth <= 0 || r() < 0.4) return leafValue();
      if (r() < 0.4) return Array.from({ length: Math.floor(r() * 3) }, () => value(depth - 1));
      const o: Record<string, unknown> = {};
      for (const k of ["a", "b", "c", "d", "constructor"]) if (r() < 0.5) o[k] = value(depth - 1);
      return o;
    };
    let accepted = 0;
    let checked = 0;
    for (let i = 0; i < 150; i++) {
      const fields = { f: gen(3) };
      const s = defineSchema({ t: defineTable(fields as never) });
      const inst = await createInstance(s, { "../convex/_generated/__local_backend_marker.js": async () => ({}) });
      const original = (Object.getPrototypeOf(inst.db) as { _validate: (t: string, d: unknown) => void })._validate;
      const documentType = inst.db._schema!.tables.get("t")!.documentType as { type: string };
      const fast = compileValidator(documentType);
      for (let j = 0; j < 40; j++) {
        const doc: Record<string, unknown> = {};
        const f = value(3);
        if (f !== undefined) doc.f = f;
        if (r() < 0.1) doc.extra = 1;
        let ok = true;
        try {
          original.call(inst.db, "t", doc);
        } catch {
          ok = false;
        }
        expect(
          fast(doc),
          JSON.stringify(documentType) +
            " " +
            String(JSON.stringify(doc, (_k, x) => (typeof x === "bigint" ? `${x}n` : x))),
        ).toBe(ok);
        // and the installed fast path behaves like the original (throws the same error)
        let err: string | null = null;
        try {
          inst.db._validate("t", doc);
        } catch (e) {
          err = (e as Error).message;
        }
        let origErr: string | null = null;
        try {
          original.call(inst.db, "t", doc);
        } catch (e) {
          origErr = (e as Error).message;
        }
        expect(err).toBe(origErr);
        checked++;
        if (ok) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(checked / 20);
    expect(accepted).toBeLessThan(checked);
  });
});

describe("range-granular invalidation is sound", () => {
  it("whenever a commit changes a query's result, its read set reports the commit as affecting it", async () => {
    const { ReadSet } = await import("../../local/convex-backend/readset");
    const { tableNameFromId } = await import("../../local/convex-backend/internals");
    const { ReadIndex } = await import("../../local/convex-backend/readindex");
    const inst = await newInstance();
    let indexedCandidates = 0;
    const r = rng(4242);
    const live: string[] = [];
    const times: number[] = [];
    let checks = 0;
    let affectedCount = 0;
    for (let round = 0; round < 120; round++) {
      const queries = Array.from({ length: 8 }, () => randomQuery(r, live, times));
      const before = queries.map((q) => ids(inst.db._evaluateQuery(structuredClone(q))).join(","));
      const beforeDocs = new Map(Object.entries(inst.db._documents));
      let changed: string[] = [];
      await inst.t.run(async (ctxArg) => {
        const ctx = ctxArg as Ctx;
        const op = r();
        if (op < 0.5 || live.length === 0) {
          const doc: Record<string, Value> = { b: pick(r, B_VALUES), n: Math.floor(r() * 10) };
          const a = pick(r, A_VALUES);
          if (a !== undefined) doc.a = a;
          if (r() < 0.6) doc.c = { x: pick(r, A_VALUES) ?? null };
          const id = await ctx.db.insert("items", doc);
          live.push(id);
          changed = [id];
        } else if (op < 0.85) {
          const id = pick(r, live);
          await ctx.db.patch(
            id,
            r() < 0.5 ? { a: pick(r, A_VALUES) } : { b: pick(r, B_VALUES), n: Math.floor(r() * 10) },
          );
          changed = [id];
        } else {
          const i = Math.floor(r() * live.length);
          await ctx.db.delete(live[i]!);
          changed = [live[i]!];
          live.splice(i, 1);
        }
        return null;
      });
      for (const d of Object.values(inst.db._documents)) times.push(d._creationTime);
      // The sync server finds the queries to re-check through a ReadIndex: it must offer every affected one.
      const index = new ReadIndex<number>((source) => inst.store.hasKeyRange(source));
      const candidates = new Set<number>();
      const readSets = queries.map((q, k) => {
        const reads = new ReadSet();
        if (q.source.type === "IndexRange") reads.addRange("items", q.source);
        else reads.addTable("items");
        index.set(k, reads);
        return reads;
      });
      if (round % 2 === 1) index.delete(0); // deleted entries are never offered
      for (const id of changed)
        index.candidates(
          tableNameFromId(id)!,
          id,
          beforeDocs.get(id) ?? null,
          inst.db._documents[id] ?? null,
          candidates,
        );
      if (round % 2 === 1) expect(candidates.has(0)).toBe(false);
      indexedCandidates += candidates.size;
      queries.forEach((q, k) => {
        const after = ids(inst.db._evaluateQuery(structuredClone(q))).join(",");
        const reads = readSets[k]!;
        const affected = changed.some((id) =>
          reads.affectedBy(tableNameFromId(id)!, id, beforeDocs.get(id) ?? null, inst.db._documents[id] ?? null, (s) =>
            inst.store.matcher(s),
          ),
        );
        if (after !== before[k]) expect(affected, JSON.stringify(q)).toBe(true);
        if (affected && !(round % 2 === 1 && k === 0))
          expect(candidates.has(k), `index misses ${JSON.stringify(q)}`).toBe(true);
        checks++;
        if (affected) affectedCount++;
      });
    }
    // and it is selective: most (query, commit) pairs are not affected
    expect(affectedCount).toBeLessThan(checks * 0.8);
    expect(affectedCount).toBeGreaterThan(0);
    // the index narrows too: far fewer candidates than queries
    expect(indexedCandidates).toBeLessThan(checks * 0.8);
  });
});
