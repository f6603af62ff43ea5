/**
 * No sequence of misbehaving functions or reloads may wedge a connection or the backend:
 * a failing query fails alone, a stuck query/mutation is stopped after the function timeout,
 * a ModifyQuerySet is always answered, a failed reload keeps the previous code serving.
 *
 * Regression for a dev backend that stopped answering ModifyQuerySet (identity Transition sent,
 * querySet Transition never) while HTTP still worked: a query that never resolved left its shared
 * cache entry "evaluating" forever (also after the code was fixed and reloaded), and every
 * ModifyQuerySet containing it, plus the global broadcast loop, awaited that entry.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import type { LocalBackend } from "../../local/convex-backend/index";
import { FIXTURE_DIR, startFixture, tempDir, waitFor } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Msg = Record<string, unknown> & { type: string };
type Mod = { type: string; queryId: number; value?: unknown; errorMessage?: string };

/** A bare sync-protocol client, to see exactly which Transitions arrive. */
class RawClient {
  msgs: Msg[] = [];
  private version = 0;
  private nextQueryId = 0;
  private constructor(private ws: WebSocket) {
    ws.on("message", (d) => this.msgs.push(JSON.parse(String(d)) as Msg));
  }

  static async connect(url: string): Promise<RawClient> {
    const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/1.48.0/sync");
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const c = new RawClient(ws);
    ws.send(
      JSON.stringify({
        type: "Connect",
        sessionId: `s-${Math.random()}`,
        connectionCount: 0,
        lastCloseReason: null,
        maxObservedTimestamp: null,
      }),
    );
    cleanups.push(() => ws.close());
    return c;
  }

  /** Adds queries in one ModifyQuerySet; returns their query ids and the new query set version. */
  add(...queries: { udfPath: string; args?: Record<string, unknown> }[]): { ids: number[]; version: number } {
    const ids = queries.map(() => this.nextQueryId++);
    const base = this.version;
    this.version += 1;
    this.ws.send(
      JSON.stringify({
        type: "ModifyQuerySet",
        baseVersion: base,
        newVersion: this.version,
        modifications: queries.map((q, i) => ({
          type: "Add",
          queryId: ids[i],
          udfPath: q.udfPath,
          args: [q.args ?? {}],
        })),
      }),
    );
    return { ids, version: this.version };
  }

  private transitions(): { endVersion: { querySet: number }; modifications: Mod[] }[] {
    return this.msgs.filter((m) => m.type === "Transition") as unknown as {
      endVersion: { querySet: number };
      modifications: Mod[];
    }[];
  }

  answered(version: number): boolean {
    return this.transitions().some((t) => t.endVersion.querySet >= version);
  }

  /** Latest modification for a query id. */
  latest(queryId: number): Mod | undefined {
    let out: Mod | undefined;
    for (const t of this.transitions()) for (const m of t.modifications) if (m.queryId === queryId) out = m;
    return out;
  }

  async addAndWait(
    timeoutMs: number,
    ...queries: { udfPath: string; args?: Record<string, unknown> }[]
  ): Promise<number[]> {
    const { ids, version } = this.add(...queries);
    await waitFor(() => this.answered(version), { timeout: timeoutMs });
    return ids;
  }
}

async function http(backend: LocalBackend): Promise<ConvexHttpClient> {
  return new ConvexHttpClient(backend.url);
}

describe("stuck and failing functions", () => {
  it("a query that never resolves fails with a timeout error; its ModifyQuerySet is answered and nothing else waits", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { backend } = await startFixture({ dataDir: t.dir, functionTimeoutMs: 400, querySetWaitMs: 150 });
    cleanups.push(() => backend.stop());
    const a = await RawClient.connect(backend.url);
    const started = Date.now();
    const [hangId, countId] = await a.addAndWait(1500, { udfPath: "robust:hang" }, { udfPath: "messages:count" });
    // answered within the query-set wait, long before the stuck query is stopped
    expect(Date.now() - started).toBeLessThan(1200);
    await waitFor(() => a.latest(hangId!)?.type === "QueryFailed", { timeout: 3000 });
    expect(a.latest(hangId!)!.errorMessage).toMatch(/robust:hang timed out: the query ran for longer than 400 ms/);
    await waitFor(() => a.latest(countId!)?.type === "QueryUpdated");
    const before = a.latest(countId!)!.value as number;
    // writes and pushes carry on
    await (await http(backend)).mutation(api.messages.send, { author: "after-hang", body: "x" });
    await waitFor(() => a.latest(countId!)?.value === before + 1, { timeout: 3000 });
    const b = await RawClient.connect(backend.url);
    const [countB] = await b.addAndWait(1500, { udfPath: "messages:count" });
    expect(b.latest(countB!)?.value).toBe(before + 1);
  });

  it("a mutation that never resolves is stopped after the timeout, its writes rolled back, and the database freed", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { backend } = await startFixture({ dataDir: t.dir, functionTimeoutMs: 400 });
    cleanups.push(() => backend.stop());
    const client = await http(backend);
    const err = (await client
      .mutation(api.robust.hangAfterWrite, { kind: "rolled-back" })
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(
      /robust:hangAfterWrite timed out: the mutation ran for longer than 400 ms.*rolled back/s,
    );
    expect(await client.query(api.jobs.eventsOfKind, { kind: "rolled-back" })).toBe(0);
    await client.mutation(api.jobs.scheduleEvent, { kind: "still-works", delayMs: 0 });
    await waitFor(async () => (await client.query(api.jobs.eventsOfKind, { kind: "still-works" })) === 1);
  });

  it("a query that throws fails alone: QueryFailed for it, results and pushes for the others", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { backend } = await startFixture({ dataDir: t.dir });
    cleanups.push(() => backend.stop());
    const a = await RawClient.connect(backend.url);
    const [failsId, countId] = await a.addAndWait(3000, { udfPath: "robust:fails" }, { udfPath: "messages:count" });
    expect(a.latest(failsId!)).toMatchObject({ type: "QueryFailed" });
    expect(a.latest(failsId!)!.errorMessage).toContain("query failed on purpose");
    expect(a.latest(countId!)).toMatchObject({ type: "QueryUpdated", value: 0 });
    await (await http(backend)).mutation(api.messages.send, { author: "z", body: "z" });
    await waitFor(() => a.latest(countId!)?.value === 1);
    // and a later ModifyQuerySet on the same connection is answered
    const [listId] = await a.addAndWait(3000, { udfPath: "messages:byAuthor", args: { author: "z" } });
    expect(a.latest(listId!)?.value).toEqual(["z"]);
  });

  it("steady writes neither starve a new subscription nor stop pushes", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { backend } = await startFixture({ dataDir: t.dir });
    cleanups.push(() => backend.stop());
    let stop = false;
    const writers = Array.from({ length: 20 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        await backend.runFunction("messages:send", { author: `w${w}`, body: `m${i}` });
        await new Promise((r) => setImmediate(r));
      }
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const a = await RawClient.connect(backend.url);
      const [listId] = await a.addAndWait(3000, { udfPath: "messages:list" });
      const [countId] = await a.addAndWait(3000, { udfPath: "messages:count" });
      const first = a.latest(countId!)?.value as number;
      await waitFor(() => (a.latest(countId!)?.value as number) > first + 20, { timeout: 5000 });
      expect(a.latest(listId!)?.type).toBe("QueryUpdated");
    } finally {
      stop = true;
      await Promise.all(writers);
    }
  });
});

describe("reloads that fail or race with running functions", () => {
  it("keeps serving the previous code through broken reloads, picks up a new table, and never leaves a connection stuck", async () => {
    const src = tempDir();
    cleanups.push(src.cleanup);
    cpSync(FIXTURE_DIR, src.dir, { recursive: true });
    const convexDir = path.join(src.dir, "convex");
    const data = tempDir();
    cleanups.push(data.cleanup);
    const { backend, logs } = await startFixture({
      dataDir: data.dir,
      convexDir,
      watch: true,
      functionTimeoutMs: 400,
      querySetWaitMs: 200,
      reloadTimeoutMs: 2000,
    });
    cleanups.push(() => backend.stop());
    const client = await http(backend);
    const c = await RawClient.connect(backend.url);
    const [countId] = await c.addAndWait(3000, { udfPath: "messages:count" });
    const count = () => c.latest(countId!)?.value as number;
    const logCount = (s: string) => logs.filter((l) => l.includes(s)).length;
    const reloaded = logCount("functions reloaded");
    let failed = logCount("reload failed");
    const stillServing = async (tag: string) => {
      const n = count();
      await client.mutation(api.messages.send, { author: tag, body: tag });
      await waitFor(() => count() === n + 1, { timeout: 3000 });
      const [id] = await c.addAndWait(3000, { udfPath: "messages:byAuthor", args: { author: tag } });
      expect(c.latest(id!)?.value).toEqual([tag]);
    };
    const broken = path.join(convexDir, "broken.ts");

    // 1. syntax error
    writeFileSync(broken, "export const x = ;\n");
    await waitFor(() => logCount("reload failed") > failed, { timeout: 8000 });
    failed = logCount("reload failed");
    await stillServing("after-syntax-error");

    // 2. a module that throws while being imported
    writeFileSync(broken, 'throw new Error("boom at import");\nexport const x = 1;\n');
    await waitFor(() => logCount("reload failed") > failed, { timeout: 8000 });
    failed = logCount("reload failed");
    expect(logs.at(-1)).toContain("boom at import");
    await stillServing("after-import-error");

    // 3. a module whose import never finishes (top-level await)
    writeFileSync(broken, "await new Promise(() => undefined);\nexport const x = 1;\n");
    await waitFor(() => logCount("reload failed") > failed, { timeout: 8000 });
    failed = logCount("reload failed");
    expect(logs.some((l) => l.includes("took longer than 2 s"))).toBe(true);
    await stillServing("after-stuck-import");

    // 4. fixed, plus a new table and its functions
    rmSync(broken);
    const schemaFile = path.join(convexDir, "schema.ts");
    writeFileSync(
      schemaFile,
      readFileSync(schemaFile, "utf8").replace(
        "files: defineTable({",
        'notes: defineTable({ text: v.string() }).index("by_text", ["text"]),\n  files: defineTable({',
      ),
    );
    writeFileSync(
      path.join(convexDir, "notes.ts"),
      `import { v } from "convex/values";
import { mutation, query } from "./_generated/server";
export const list = query({ args: {}, handler: async (ctx) => (await ctx.db.query("notes").withIndex("by_text").collect()).map((n) => n.text) });
export const add = mutation({ args: { text: v.string() }, handler: async (ctx, { text }) => await ctx.db.insert("notes", { text }) });
`,
    );
    await waitFor(() => logCount("functions reloaded") > reloaded, { timeout: 8000 });
    const [notesId] = await c.addAndWait(3000, { udfPath: "notes:list" });
    expect(c.latest(notesId!)?.value).toEqual([]);
    await client.mutation(api.notes.add, { text: "b" });
    await client.mutation(api.notes.add, { text: "a" });
    await waitFor(() => JSON.stringify(c.latest(notesId!)?.value) === JSON.stringify(["a", "b"]), { timeout: 3000 });
    await stillServing("after-new-table");

    // 5. reload while a query is stuck and a mutation is stuck: the fix reaches every subscriber
    const [hangId] = c.add({ udfPath: "robust:hang" }).ids;
    const stuckMutation = client
      .mutation(api.robust.hangAfterWrite, { kind: "during-reload" })
      .catch((e: unknown) => e);
    const robustFile = path.join(convexDir, "robust.ts");
    const reloadedBefore = logCount("functions reloaded");
    writeFileSync(
      robustFile,
      readFileSync(robustFile, "utf8").replace(
        'await new Promise(() => undefined);\n    return "never";',
        'return "fixed";',
      ),
    );
    expect(((await stuckMutation) as Error).message).toMatch(/timed out/);
    await waitFor(() => logCount("functions reloaded") > reloadedBefore, { timeout: 10000 });
    await waitFor(() => c.latest(hangId!)?.value === "fixed", { timeout: 5000 });
    const d = await RawClient.connect(backend.url);
    const [hangD] = await d.addAndWait(3000, { udfPath: "robust:hang" });
    expect(d.latest(hangD!)?.value).toBe("fixed");
    expect(await client.query(api.jobs.eventsOfKind, { kind: "during-reload" })).toBe(0);
    await stillServing("after-stuck-reload");
  }, 60000);
});
