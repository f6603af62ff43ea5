/**
 * The local backend's text search index (local/convex-backend/searchIndex.ts) must return exactly what
 * convex-test's full scan returned: same documents, same order, through every entry point (evaluate, stream,
 * paginate), with filters, prefixes, updates and deletes, pending writes of the running transaction, and
 * after the documents are reloaded. Randomized (seeded) comparison of both paths on one convex-test instance,
 * then the same behaviour over real sockets (search-sockets.test.ts).
 */
import { describe, expect, it } from "vitest";
import { defineSchema, defineTable } from "convex/server";
import { convexToJson, v, type JSONValue, type Value } from "convex/values";
import {
  allDocuments,
  counters,
  createInstance,
  loadDocuments,
  type Doc,
  type EngineInstance,
  type SerializedQuery,
} from "../../local/convex-backend/internals";

const schema = defineSchema({
  people: defineTable({
    name: v.string(),
    title: v.string(),
    role: v.optional(v.string()),
    tier: v.optional(v.any()),
    n: v.number(),
  })
    .searchIndex("search_name", { searchField: "name", filterFields: ["role", "tier"] })
    .searchIndex("search_title", { searchField: "title", filterFields: ["role"] }),
  other: defineTable({ name: v.string() }),
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

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

const WORDS = [
  "alice",
  "Alicia",
  "ali",
  "bob",
  "BOBBY",
  "carol",
  "car",
  "12",
  "120",
  "1",
  "é",
  "Éclair",
  "x-y",
  "a.b@c.com",
];
const SPACES = [" ", "  ", "\t", "\n", " \u00a0"];
const ROLES: (string | undefined)[] = [undefined, "admin", "client", "advisor", "Admin"];
const TIERS: (Value | undefined)[] = [undefined, null, 0, -0, 1, 1n, "1", true, [1], { k: 1 }];

function text(r: () => number, maxWords: number): string {
  const n = Math.floor(r() * (maxWords + 1));
  let s = r() < 0.2 ? pick(r, SPACES) : "";
  for (let i = 0; i < n; i++) s += (i > 0 ? pick(r, SPACES) : "") + pick(r, WORDS);
  return s + (r() < 0.1 ? pick(r, SPACES) : "");
}

function queryText(r: () => number): string {
  const n = Math.floor(r() * 4);
  const terms: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = pick(r, [...WORDS, "zzz", "bobbyx"]);
    const t = w.slice(0, 1 + Math.floor(r() * w.length));
    terms.push(r() < 0.3 ? t.toUpperCase() : t);
  }
  return (r() < 0.1 ? " " : "") + terms.join(pick(r, SPACES));
}

function json(x: Value | undefined): JSONValue {
  return x === undefined ? ({ $undefined: null } as unknown as JSONValue) : convexToJson(x);
}

function randomQuery(r: () => number): SerializedQuery {
  const byTitle = r() < 0.2;
  const filters: unknown[] = [{ type: "Search", fieldPath: byTitle ? "title" : "name", value: queryText(r) }];
  if (r() < 0.4) filters.push({ type: "Eq", fieldPath: "role", value: json(pick(r, ROLES)) });
  if (!byTitle && r() < 0.3) filters.push({ type: "Eq", fieldPath: "tier", value: json(pick(r, TIERS)) });
  const operators: SerializedQuery["operators"] = [];
  if (r() < 0.25) operators.push({ filter: { $gte: [{ $field: "n" }, { $literal: Math.floor(r() * 10) }] } });
  if (r() < 0.5) operators.push({ limit: Math.floor(r() * 6) });
  return {
    source: { type: "Search", indexName: byTitle ? "people.search_title" : "people.search_name", filters },
    operators,
  };
}

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

const ids = (docs: Doc[]) => docs.map((d) => d._id);

type Paginate = (a: object) => { page: Doc[]; isDone: boolean; continueCursor: string; pageStatus: string | null };

function compareQuery(inst: EngineInstance, q: SerializedQuery, r: () => number): number {
  const evaluated = both(inst, () => ids(inst.db._evaluateQuery(structuredClone(q))));
  expect(evaluated.fast, JSON.stringify(q)).toEqual(evaluated.reference);
  const stream = both(inst, () => {
    const id = inst.db.startQuery(structuredClone(q));
    const out: string[] = [];
    for (let { value, done } = inst.db.queryNext(id); !done; { value, done } = inst.db.queryNext(id))
      out.push(value!._id);
    return out;
  });
  expect(stream.fast, JSON.stringify(q)).toEqual(stream.reference);
  const pageSize = 1 + Math.floor(r() * 4);
  const pages = both(inst, () => {
    const out: unknown[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 300; guard++) {
      const p = (inst.db as unknown as { paginate: Paginate }).paginate({
        query: structuredClone({ ...q, operators: q.operators.filter((o) => !("limit" in o)) }),
        cursor,
        endCursor: null,
        pageSize,
        maximumRowsRead: null,
        maximumBytesRead: null,
      });
      out.push({ ids: ids(p.page), isDone: p.isDone, continueCursor: p.continueCursor, pageStatus: p.pageStatus });
      if (p.isDone) break;
      cursor = p.continueCursor;
    }
    return out;
  });
  expect(pages.fast).toEqual(pages.reference);
  return evaluated.fast.length;
}

describe("text search index matches convex-test's full scan", () => {
  it("on random data: filters, prefixes, updates, deletes, pending writes, reload", async () => {
    const inst = await newInstance();
    const r = rng(20261207);
    const live: string[] = [];
    let nonEmpty = 0;
    // The fast path really goes through the index.
    let indexRuns = 0;
    const run = inst.store.search.run.bind(inst.store.search);
    inst.store.search.run = (plan, visit) => (indexRuns++, run(plan, visit));
    const randomDoc = (): Record<string, Value> => {
      const doc: Record<string, Value> = { name: text(r, 4), title: text(r, 2), n: Math.floor(r() * 10) };
      const role = pick(r, ROLES);
      if (role !== undefined) doc.role = role;
      const tier = pick(r, TIERS);
      if (tier !== undefined) doc.tier = tier;
      return doc;
    };
    for (let round = 0; round < 40; round++) {
      await inst.t.run(async (ctxArg) => {
        const ctx = ctxArg as Ctx;
        const writes = 1 + Math.floor(r() * 12);
        for (let w = 0; w < writes; w++) {
          const op = r();
          if (op < 0.55 || live.length === 0) {
            if (r() < 0.1) await ctx.db.insert("other", { name: text(r, 2) });
            else live.push(await ctx.db.insert("people", randomDoc()));
          } else if (op < 0.85) {
            const id = pick(r, live);
            const which = r();
            const role = pick(r, ROLES);
            await ctx.db.patch(
              id,
              which < 0.3
                ? { name: text(r, 4) }
                : which < 0.4
                  ? { title: text(r, 2) }
                  : which < 0.7
                    ? { role }
                    : which < 0.85
                      ? { tier: pick(r, TIERS) ?? null }
                      : { n: 1 },
            );
          } else {
            const i = Math.floor(r() * live.length);
            await ctx.db.delete(live[i]!);
            live.splice(i, 1);
          }
          // Searches between the writes of this transaction see them.
          if (r() < 0.3) compareQuery(inst, randomQuery(r), r);
        }
        for (let k = 0; k < 4; k++) compareQuery(inst, randomQuery(r), r);
        return null;
      });
      for (let k = 0; k < 8; k++) if (compareQuery(inst, randomQuery(r), r) > 0) nonEmpty++;
      if (round % 10 === 9) {
        // Reload: the documents are replaced (as on a start from the data directory); indexes rebuild.
        loadDocuments(inst, Object.fromEntries(allDocuments(inst).map((d) => [d._id, d])), counters(inst));
        for (let k = 0; k < 8; k++) compareQuery(inst, randomQuery(r), r);
      }
    }
    expect(live.length).toBeGreaterThan(50);
    expect(indexRuns).toBeGreaterThan(500);
    expect(nonEmpty).toBeGreaterThan(40);
  });

  it("a search of a large table touches the index, not the table", async () => {
    const inst = await newInstance();
    await inst.t.run(async (ctxArg) => {
      const ctx = ctxArg as Ctx;
      for (let i = 0; i < 20_000; i++)
        await ctx.db.insert("people", {
          name: `Client ${i}`,
          title: "",
          role: i % 100 === 0 ? "admin" : "client",
          n: i,
        });
      return null;
    });
    const q = (value: string, role?: string, limit = 25): SerializedQuery => ({
      source: {
        type: "Search",
        indexName: "people.search_name",
        filters: [
          { type: "Search", fieldPath: "name", value },
          ...(role === undefined ? [] : [{ type: "Eq", fieldPath: "role", value: role }]),
        ],
      },
      operators: [{ limit }],
    });
    inst.store.evaluate(q("client"), null); // builds the index
    const scanned: string[] = [];
    const iterate = inst.db._iterateDocs;
    inst.db._iterateDocs = (table, cb) => (scanned.push(table), iterate.call(inst.db, table, cb));
    const read: string[] = [];
    try {
      expect(inst.store.evaluate(q("client 12"), (d) => read.push(d._id)).length).toBe(25);
      expect(read.length).toBe(25);
      const admins = inst.store.evaluate(q("client", "admin", 1000), null);
      expect(admins.length).toBe(200);
      expect(inst.store.evaluate(q("1999"), null).map((d) => d.name)).toEqual([
        "Client 1999",
        "Client 19990",
        "Client 19991",
        "Client 19992",
        "Client 19993",
        "Client 19994",
        "Client 19995",
        "Client 19996",
        "Client 19997",
        "Client 19998",
        "Client 19999",
      ]);
      // Convex reads at most 1024 results from a search index: collecting more fails.
      expect(() => inst.store.evaluate(q("client", undefined, 2000), null)).toThrow(
        "Search query scanned too many documents (fetched 1024).",
      );
      expect(inst.store.evaluate(q("client", undefined, 1024), null).length).toBe(1024);
      // Paginating a search pages through those 1024 results.
      let cursor: string | null = null;
      let paged = 0;
      for (let guard = 0; guard < 10; guard++) {
        const p = (inst.db as unknown as { paginate: Paginate }).paginate({
          query: { ...q("client"), operators: [] },
          cursor,
          endCursor: null,
          pageSize: 500,
          maximumRowsRead: null,
          maximumBytesRead: null,
        });
        paged += p.page.length;
        if (p.isDone) break;
        cursor = p.continueCursor;
      }
      expect(paged).toBe(1024);
    } finally {
      inst.db._iterateDocs = iterate;
    }
    expect(scanned).toEqual([]);
  });
});
