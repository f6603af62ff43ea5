// Convex's per-function limits (local/convex-backend/limits.ts, from docs.convex.dev/production/state/limits):
// a query or mutation that reads more than 32,000 documents or 16 MiB, writes more than 16,000 documents or
// 16 MiB, or runs longer than 1 s fails with the deployment's error text, over real sockets with the stock
// clients; a mutation that fails this way writes nothing. Documents a filter drops count as read.
import { describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { CONVEX_LIMITS } from "../../local/convex-backend/limits";
import { failure, fixtureBackendPerFile, newClient } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

const fixture = fixtureBackendPerFile();
const HELP =
  "Consider using smaller limits in your queries, paginating your queries, or using indexed queries with a selective index range expressions.";
const MiB = 1 << 20;

/** Inserts `total` rows in mutations of at most `per` rows each (each under the write limits). */
async function fill(
  http: ConvexHttpClient,
  batch: string,
  total: number,
  per: number,
  padBytes?: number,
): Promise<void> {
  for (let from = 0; from < total; from += per) {
    await http.mutation(api.limits.insertMany, { batch, from, count: Math.min(per, total - from), padBytes });
  }
}

describe("Convex's per-function limits", () => {
  it("the table holds the documented numbers", () => {
    expect(CONVEX_LIMITS).toMatchObject({
      documentsRead: 32_000,
      bytesRead: 16 * MiB,
      documentsWritten: 16_000,
      bytesWritten: 16 * MiB,
      queryMutationMs: 1_000,
      actionMs: 600_000,
    });
  });

  it(
    "documents read: 32,000 pass, the 32,001st fails (collect, stream, filtered-out rows)",
    { timeout: 120_000 },
    async () => {
      const http = new ConvexHttpClient(fixture.backend.url);
      await fill(http, "read", 32_000, 8_000);
      expect(await http.query(api.limits.countBatch, { batch: "read" })).toBe(32_000);
      await http.mutation(api.limits.insertMany, { batch: "read", from: 32_000, count: 1 });
      const text = `Too many documents read in a single function execution (limit: 32000). ${HELP}`;
      expect(await failure(http.query(api.limits.countBatch, { batch: "read" }))).toContain(text);
      expect(await failure(http.query(api.limits.countBatchStreamed, { batch: "read" }))).toContain(text);
      expect(await failure(http.query(api.limits.filteredOut, { batch: "read" }))).toContain(text);
      const client = newClient(fixture.backend.url);
      try {
        expect(await failure(client.query(api.limits.countBatch, { batch: "read" }))).toContain(text);
      } finally {
        await client.close();
      }
    },
  );

  it("documents read: db.get counts too", { timeout: 60_000 }, async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    await fill(http, "gets", 16_001, 8_000);
    // 16,001 rows by index + 16,001 db.get = 32,002 reads
    expect(await failure(http.query(api.limits.getEach, { batch: "gets" }))).toContain(
      "Too many documents read in a single function execution (limit: 32000).",
    );
  });

  it("bytes read: more than 16 MiB fails", { timeout: 60_000 }, async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    await fill(http, "bytes-read", 17, 8, 1_000_000);
    expect(await failure(http.query(api.limits.countBatch, { batch: "bytes-read" }))).toContain(
      `Too many bytes read in a single function execution (limit: 16777216 bytes). ${HELP}`,
    );
  });

  it("documents written: 16,000 pass, 16,001 fail and nothing is written", { timeout: 60_000 }, async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    expect(await http.mutation(api.limits.insertMany, { batch: "write-ok", from: 0, count: 16_000 })).toBe(16_000);
    const client = newClient(fixture.backend.url);
    try {
      expect(
        await failure(client.mutation(api.limits.insertMany, { batch: "write", from: 0, count: 16_001 })),
      ).toContain("Too many writes in a single function execution (limit: 16000)");
    } finally {
      await client.close();
    }
    expect(await http.query(api.limits.countBatch, { batch: "write" })).toBe(0);
  });

  it("bytes written: more than 16 MiB fails and nothing is written", { timeout: 60_000 }, async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    expect(
      await failure(
        http.mutation(api.limits.insertMany, { batch: "bytes-write", from: 0, count: 17, padBytes: 1_000_000 }),
      ),
    ).toContain("Too many bytes written in a single function execution (limit: 16777216 bytes)");
    expect(await http.query(api.limits.countBatch, { batch: "bytes-write" })).toBe(0);
  });

  it(
    "execution time: a query or mutation busy for more than 1 s fails; the mutation writes nothing",
    { timeout: 60_000 },
    async () => {
      const http = new ConvexHttpClient(fixture.backend.url);
      expect(await http.query(api.limits.busyQuery, { ms: 50 })).toBe(50);
      const text = "Function execution timed out (maximum duration: 1s)";
      expect(await failure(http.query(api.limits.busyQuery, { ms: 1_300 }))).toContain(text);
      const client = newClient(fixture.backend.url);
      try {
        expect(await failure(client.mutation(api.limits.busyMutation, { ms: 1_300, batch: "slow" }))).toContain(text);
      } finally {
        await client.close();
      }
      expect(await http.query(api.limits.countBatch, { batch: "slow" })).toBe(0);
    },
  );
});
