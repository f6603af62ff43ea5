/**
 * Engine behaviours that depend on the loaded code.
 */
import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FIXTURE_DIR, startFixture, tempDir } from "./helpers";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("transaction metrics", () => {
  it("ctx.meta.getTransactionMetrics() works when the code uses it (tracking is only skipped for code that never calls it)", async () => {
    const src = tempDir();
    cleanups.push(src.cleanup);
    cpSync(FIXTURE_DIR, src.dir, { recursive: true });
    writeFileSync(
      path.join(src.dir, "convex/metrics.ts"),
      `import { query } from "./_generated/server";
export const used = query({
  args: {},
  handler: async (ctx) => {
    await ctx.db.query("messages").collect();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const m = await (ctx as any).meta.getTransactionMetrics();
    return { documentsRead: m.documentsRead.used, databaseQueries: m.databaseQueries.used };
  },
});
`,
    );
    const data = tempDir();
    cleanups.push(data.cleanup);
    const { backend } = await startFixture({ dataDir: data.dir, convexDir: path.join(src.dir, "convex") });
    cleanups.push(() => backend.stop());
    await backend.runFunction("messages:send", { author: "m", body: "1" });
    await backend.runFunction("messages:send", { author: "m", body: "2" });
    expect(await backend.runFunction("metrics:used")).toEqual({ documentsRead: 2, databaseQueries: 1 });
  });
});
