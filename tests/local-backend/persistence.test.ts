import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { FIXTURE_DIR, newClient, startFixture, tempDir, waitFor } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("persistence", () => {
  it("a restart keeps committed data, files and pending scheduled jobs", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const first = await startFixture({ dataDir: t.dir });
    const http = new ConvexHttpClient(first.backend.url);
    await http.mutation(api.messages.send, { author: "persist", body: "survives" });
    const fileId = (await http.action(api.files.storeText, { text: "kept" })) as string;
    // A job due after the restart, and one that becomes overdue while stopped.
    await http.mutation(api.jobs.scheduleEvent, { kind: "after-restart", delayMs: 600 });
    await http.mutation(api.jobs.scheduleEvent, { kind: "overdue", delayMs: 150 });
    await first.backend.stop();
    await new Promise((r) => setTimeout(r, 300));

    const second = await startFixture({ dataDir: t.dir });
    cleanups.push(() => second.backend.stop());
    const http2 = new ConvexHttpClient(second.backend.url);
    expect(await http2.query(api.messages.byAuthor, { author: "persist" })).toEqual(["survives"]);
    const url = (await http2.query(api.files.fileUrl, { storageId: fileId })) as string;
    expect(await (await fetch(url)).text()).toBe("kept");
    await waitFor(async () => (await http2.query(api.jobs.eventsOfKind, { kind: "overdue" })) === 1, { timeout: 3000 });
    await waitFor(async () => (await http2.query(api.jobs.eventsOfKind, { kind: "after-restart" })) === 1, {
      timeout: 3000,
    });
    // ids keep increasing after restore (no collisions)
    const id2 = (await http2.mutation(api.messages.send, { author: "persist", body: "second" })) as string;
    expect(id2).not.toBe(fileId);
    expect(await http2.query(api.messages.byAuthor, { author: "persist" })).toEqual(["survives", "second"]);
  });

  it("logs each commit to disk shortly after it (no stop needed); stop leaves a single snapshot", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { backend } = await startFixture({ dataDir: t.dir });
    await backend.runFunction("messages:send", { author: "flush", body: "on disk" });
    const logged = () =>
      readdirSync(t.dir)
        .filter((n) => n.endsWith(".log"))
        .some((n) => readFileSync(path.join(t.dir, n), "utf8").includes("on disk"));
    await waitFor(logged, { timeout: 2000 });
    await backend.stop();
    expect(readdirSync(t.dir).filter((n) => n.endsWith(".log"))).toEqual([]);
    expect(readFileSync(path.join(t.dir, "db.json"), "utf8")).toContain("on disk");
  });
});

describe("reload", () => {
  it("reloads changed functions without losing data and refuses a schema that existing data violates", async () => {
    const src = tempDir();
    cleanups.push(src.cleanup);
    cpSync(FIXTURE_DIR, src.dir, { recursive: true });
    const convexDir = path.join(src.dir, "convex");
    const data = tempDir();
    cleanups.push(data.cleanup);
    const { backend, logs } = await startFixture({ dataDir: data.dir, convexDir, watch: true });
    cleanups.push(() => backend.stop());
    const c = newClient(backend.url);
    cleanups.push(() => c.close());
    await c.mutation(api.messages.send, { author: "reload", body: "before" });
    let count: number | null = null;
    c.onUpdate(api.messages.count, {}, (n: number) => {
      count = n;
    });
    await waitFor(() => count === 1);

    // Change a query's code: subscribers get the new result, data is kept.
    const file = path.join(convexDir, "messages.ts");
    const original = readFileSync(file, "utf8");
    writeFileSync(
      file,
      original.replace(
        'handler: async (ctx) => (await ctx.db.query("messages").collect()).length,',
        'handler: async (ctx) => 1000 + (await ctx.db.query("messages").collect()).length,',
      ),
    );
    await waitFor(() => count === 1001, { timeout: 8000 });

    // A schema that the existing data violates is refused; the old code keeps serving.
    const schemaFile = path.join(convexDir, "schema.ts");
    writeFileSync(
      schemaFile,
      readFileSync(schemaFile, "utf8").replace("body: v.string(),", "body: v.string(),\n    mood: v.string(),"),
    );
    await waitFor(() => logs.some((l) => l.includes("SCHEMA VIOLATION")), { timeout: 8000 });
    expect(await c.mutation(api.messages.send, { author: "reload", body: "after" })).toMatch(/messages$/);
    await waitFor(() => count === 1002);
  });
});
