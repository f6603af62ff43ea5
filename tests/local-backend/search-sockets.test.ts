// The local backend's text search index over real sockets with the stock clients (fixture convex/search.ts):
// results and order as convex-test's scan gave them, a search reads (documents-read limit) only the results it
// returns plus those a `.filter` drops, Convex's search limits (1024 results read, 8 filter conditions), a
// mutation's own pending writes, a restart from the data directory, and subscriptions that follow writes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import type { LocalBackend } from "../../local/convex-backend/index";
import { CONVEX_LIMITS } from "../../local/convex-backend/limits";
import { failure, newClient, startFixture, tempDir, waitFor } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

type Person = { name: string; role?: string; n: number };

const PEOPLE: Person[] = Array.from({ length: 3000 }, (_, i) => ({
  name: i % 7 === 0 ? `Person ${i}\tAlpha` : `person  ${i}`,
  role: i % 50 === 0 ? "admin" : i % 3 === 0 ? undefined : "client",
  n: i,
}));

/** convex-test's semantics: any query term is a prefix of a whitespace-separated word (lowercased); table order. */
function expected(rows: Person[], text: string, role?: string, limit?: number): string[] {
  const terms = text
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0);
  const out = rows
    .filter((p) => role === undefined || p.role === role)
    .filter((p) => terms.some((t) => p.name.split(/\s+/).some((w) => w.toLowerCase().startsWith(t))))
    .map((p) => p.name);
  return limit === undefined ? out : out.slice(0, limit);
}

describe("text search over sockets", () => {
  const data = tempDir();
  let backend: LocalBackend;
  let http: ConvexHttpClient;
  beforeAll(async () => {
    ({ backend } = await startFixture({ dataDir: data.dir }));
    http = new ConvexHttpClient(backend.url);
    for (let i = 0; i < PEOPLE.length; i += 500) {
      await http.mutation(api.search.insertPeople, { rows: PEOPLE.slice(i, i + 500) });
    }
  }, 60_000);
  afterAll(async () => {
    await backend?.stop();
    data.cleanup();
  });

  const queries: [string, string | undefined, number | undefined][] = [
    ["12", undefined, 25],
    ["ALPHA 29", undefined, 40],
    ["alp", "admin", undefined],
    ["person 1", "client", 25],
    ["  2999 ", undefined, undefined],
    ["zzz", undefined, 10],
    ["", undefined, 10],
  ];

  it("returns what convex-test's scan returned, in the same order", async () => {
    for (const [text, role, limit] of queries) {
      expect(await http.query(api.search.find, { text, role, limit }), text).toEqual(
        expected(PEOPLE, text, role, limit),
      );
    }
    expect(await http.query(api.search.findStreamed, { text: "1", limit: 7 })).toEqual(
      expected(PEOPLE, "1", undefined, 7),
    );
  });

  it("applies Convex's search limits: 1024 results read, 8 filter conditions", async () => {
    expect(await failure(http.query(api.search.find, { text: "person" }))).toContain(
      "Search query scanned too many documents (fetched 1024). Consider using a smaller limit, paginating the query, or using a filter field to limit the number of documents pulled from the search index.",
    );
    expect((await http.query(api.search.find, { text: "person", limit: 1024 })).length).toBe(1024);
    // a stream that stops early never asks for the 1025th; one that goes on fails there
    expect((await http.query(api.search.findStreamed, { text: "person", limit: 1000 })).length).toBe(1000);
    expect(await failure(http.query(api.search.findStreamed, { text: "person", limit: 2000 }))).toContain(
      "Search query scanned too many documents (fetched 1024).",
    );
    expect(await failure(http.query(api.search.tooManyFilters, {}))).toContain(
      "Search query against people.search_name has too many filter conditions. Max: 8 Actual: 9",
    );
  });

  it("sees the mutation's own pending writes (insert, rename, delete)", async () => {
    const names = await http.mutation(api.search.writeThenFind, {
      insert: [
        { name: "Quokka One", n: 1 },
        { name: "quokka two", n: 2 },
        { name: "Wombat", n: 3 },
      ],
      rename: { from: "Wombat", to: "Quokka Three" },
      remove: "quokka two",
      text: "quok",
    });
    expect(names).toEqual(["Quokka One", "Quokka Three"]);
    expect(await http.query(api.search.find, { text: "QUOKKA" })).toEqual(["Quokka One", "Quokka Three"]);
    // a rolled-back mutation leaves nothing behind
    expect(await http.query(api.search.find, { text: "wombat" })).toEqual([]);
  });

  it("a subscription to a search follows inserts, renames and deletes", async () => {
    const client = newClient(backend.url);
    try {
      const seen: string[][] = [];
      const unsubscribe = client.onUpdate(api.search.find, { text: "numbat" }, (names: string[]) => seen.push(names));
      await waitFor(() => seen.length > 0);
      expect(seen.at(-1)).toEqual([]);
      await http.mutation(api.search.insertPeople, { rows: [{ name: "Numbat", n: 7 }] });
      await waitFor(() => seen.at(-1)?.length === 1);
      await http.mutation(api.search.writeThenFind, { insert: [], rename: { from: "Numbat", to: "Bilby" }, text: "x" });
      await waitFor(() => seen.at(-1)?.length === 0);
      unsubscribe();
    } finally {
      await client.close();
    }
  });

  it("after a restart from the data directory, the same results", async () => {
    const before = await Promise.all(
      queries.map(([text, role, limit]) => http.query(api.search.find, { text, role, limit })),
    );
    await backend.stop();
    ({ backend } = await startFixture({ dataDir: data.dir }));
    http = new ConvexHttpClient(backend.url);
    const after = await Promise.all(
      queries.map(([text, role, limit]) => http.query(api.search.find, { text, role, limit })),
    );
    expect(after).toEqual(before);
    expect(await http.query(api.search.find, { text: "quokka bilby" })).toEqual([
      "Quokka One",
      "Quokka Three",
      "Bilby",
    ]);
  }, 60_000);

  it("a search reads only the results it returns (and those a filter drops), not the table", async () => {
    // Same data, documents-read limit 30: a full scan of 3,000 people would be far over it.
    await backend.stop();
    ({ backend } = await startFixture({ dataDir: data.dir, limits: { ...CONVEX_LIMITS, documentsRead: 30 } }));
    http = new ConvexHttpClient(backend.url);
    expect((await http.query(api.search.find, { text: "person", limit: 30 })).length).toBe(30);
    expect((await http.query(api.search.findStreamed, { text: "person", limit: 30 })).length).toBe(30);
    const tooMany = "Too many documents read in a single function execution (limit: 30).";
    expect(await failure(http.query(api.search.find, { text: "person", limit: 31 }))).toContain(tooMany);
    // .filter keeps every other row: 15 results read 29 rows, 16 read 31
    expect((await http.query(api.search.findEven, { text: "person", limit: 15 })).length).toBe(15);
    expect(await failure(http.query(api.search.findEven, { text: "person", limit: 16 }))).toContain(tooMany);
  }, 60_000);
});
