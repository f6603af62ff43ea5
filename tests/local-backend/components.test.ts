// Convex components on the local backend: the @convex-dev/rate-limiter component registered from
// convex.config.ts (componentFixture/), its writes committing and rolling back with the calling mutation,
// and subscriptions to queries that read component state.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FIXTURE_DIR, newClient, startFixture, tempDir, waitFor } from "./helpers";

const COMPONENT_CONVEX_DIR = path.join(path.dirname(FIXTURE_DIR), "componentFixture", "convex");

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(dataDir?: string, opts: { convexDir?: string; watch?: boolean } = {}) {
  const tmp = dataDir ? null : tempDir("lcb-components-");
  if (tmp) cleanups.push(tmp.cleanup);
  const { backend, logs } = await startFixture({
    convexDir: opts.convexDir ?? COMPONENT_CONVEX_DIR,
    dataDir: dataDir ?? tmp!.dir,
    watch: opts.watch,
  });
  cleanups.push(() => backend.stop());
  return { backend, logs, dataDir: dataDir ?? tmp!.dir };
}

describe("components", () => {
  it("a mutation spends component tokens; the call over the limit is refused", async () => {
    const { backend } = await start();
    for (let i = 0; i < 3; i++)
      await backend.runFunction("limited:post", { author: "ann", body: `p${i}` }, { kind: "mutation" });
    await expect(
      backend.runFunction("limited:post", { author: "ann", body: "p3" }, { kind: "mutation" }),
    ).rejects.toThrow(/RATE_LIMITED/);
    expect(await backend.runFunction("limited:posts", { author: "ann" }, { kind: "query" })).toBe(3);
    expect(await backend.runFunction("limited:tokensLeft", { author: "ann" }, { kind: "query" })).toBe(0);
    // Other keys are separate buckets.
    await backend.runFunction("limited:post", { author: "bob", body: "b0" }, { kind: "mutation" });
    expect(await backend.runFunction("limited:tokensLeft", { author: "bob" }, { kind: "query" })).toBe(2);
  });

  it("a mutation that throws rolls back the component's write with its own", async () => {
    const { backend } = await start();
    for (let i = 0; i < 5; i++) {
      await expect(
        backend.runFunction("limited:post", { author: "cid", body: "x", fail: true }, { kind: "mutation" }),
      ).rejects.toThrow(/failed after writing/);
    }
    expect(await backend.runFunction("limited:tokensLeft", { author: "cid" }, { kind: "query" })).toBe(3);
    expect(await backend.runFunction("limited:posts", { author: "cid" }, { kind: "query" })).toBe(0);
    for (let i = 0; i < 3; i++)
      await backend.runFunction("limited:post", { author: "cid", body: `p${i}` }, { kind: "mutation" });
    await expect(
      backend.runFunction("limited:post", { author: "cid", body: "p3" }, { kind: "mutation" }),
    ).rejects.toThrow(/RATE_LIMITED/);
  });

  it("a subscribed query that reads component state is re-run when the component's tables change", async () => {
    const { backend } = await start();
    const client = newClient(backend.url);
    cleanups.push(() => client.close());
    let latest: unknown = null;
    const unsubscribe = client.onUpdate(
      "limited:tokensLeft" as never,
      { author: "dee" } as never,
      (v: unknown) => (latest = v),
    );
    cleanups.push(() => unsubscribe());
    await waitFor(() => latest === 3 || null);
    await client.mutation("limited:post" as never, { author: "dee", body: "d0" } as never);
    await waitFor(() => latest === 2 || null);
    await client.mutation("limited:post" as never, { author: "dee", body: "d1" } as never);
    await waitFor(() => latest === 1 || null);
  });

  it("restarts on the same data dir: app data is kept, component state starts empty (in memory only)", async () => {
    const first = await start();
    await first.backend.runFunction("limited:post", { author: "eve", body: "e0" }, { kind: "mutation" });
    await first.backend.stop();
    const second = await start(first.dataDir);
    expect(await second.backend.runFunction("limited:posts", { author: "eve" }, { kind: "query" })).toBe(1);
    expect(await second.backend.runFunction("limited:tokensLeft", { author: "eve" }, { kind: "query" })).toBe(3);
    await second.backend.runFunction("limited:post", { author: "eve", body: "e1" }, { kind: "mutation" });
    expect(await second.backend.runFunction("limited:tokensLeft", { author: "eve" }, { kind: "query" })).toBe(2);
  });

  it("a code reload keeps component state", async () => {
    const src = tempDir("lcb-components-src-");
    cleanups.push(src.cleanup);
    cpSync(path.dirname(COMPONENT_CONVEX_DIR), src.dir, { recursive: true });
    const convexDir = path.join(src.dir, "convex");
    const { backend, logs } = await start(undefined, { convexDir, watch: true });
    await backend.runFunction("limited:post", { author: "fay", body: "f0" }, { kind: "mutation" });
    const file = path.join(convexDir, "limited.ts");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("return Math.floor(value);", "return 100 + Math.floor(value);"),
    );
    await waitFor(() => logs.some((l) => l.includes("functions reloaded")) || null, { timeout: 8000 });
    expect(await backend.runFunction("limited:tokensLeft", { author: "fay" }, { kind: "query" })).toBe(102);
  });

  it("data of a table removed from the schema (e.g. a table moved into a component) still loads", async () => {
    const src = tempDir("lcb-components-src-");
    cleanups.push(src.cleanup);
    cpSync(path.dirname(COMPONENT_CONVEX_DIR), src.dir, { recursive: true });
    const convexDir = path.join(src.dir, "convex");
    const schemaFile = path.join(convexDir, "schema.ts");
    const original = readFileSync(schemaFile, "utf8");
    writeFileSync(
      schemaFile,
      original.replace(
        "export default defineSchema({",
        "export default defineSchema({\n  old: defineTable({ n: v.number() }),",
      ),
    );
    writeFileSync(
      path.join(convexDir, "old.ts"),
      `import { v } from "convex/values";\nimport { mutation } from "./_generated/server";\nexport const add = mutation({ args: { n: v.number() }, handler: async (ctx, { n }) => { await ctx.db.insert("old" as never, { n } as never); } });\n`,
    );
    const first = await start(undefined, { convexDir });
    await first.backend.runFunction("old:add", { n: 1 }, { kind: "mutation" });
    await first.backend.runFunction("limited:post", { author: "gus", body: "g0" }, { kind: "mutation" });
    await first.backend.stop();
    writeFileSync(schemaFile, original);
    writeFileSync(path.join(convexDir, "old.ts"), "export {};\n");
    const second = await start(first.dataDir, { convexDir });
    expect(second.logs.filter((l) => l.includes("SCHEMA VIOLATION"))).toEqual([]);
    expect(await second.backend.runFunction("limited:posts", { author: "gus" }, { kind: "query" })).toBe(1);
    await second.backend.runFunction("limited:post", { author: "gus", body: "g1" }, { kind: "mutation" });
    expect(await second.backend.runFunction("limited:posts", { author: "gus" }, { kind: "query" })).toBe(2);
  });
});
