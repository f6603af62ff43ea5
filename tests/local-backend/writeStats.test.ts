import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import type { LocalBackend } from "../../local/convex-backend/index";
import type { WriteStatsSnapshot } from "../../local/convex-backend/writeStats";
import { startFixture, tempDir } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;
const ADMIN_KEY = "write-stats-test-key";

let backend: LocalBackend;
let cleanup: () => void;
const savedKey = process.env.LOCAL_CONVEX_ADMIN_KEY;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  process.env.LOCAL_CONVEX_ADMIN_KEY = ADMIN_KEY;
  ({ backend } = await startFixture({ dataDir: t.dir }));
});

afterAll(async () => {
  await backend.stop();
  cleanup();
  if (savedKey === undefined) delete process.env.LOCAL_CONVEX_ADMIN_KEY;
  else process.env.LOCAL_CONVEX_ADMIN_KEY = savedKey;
});

async function stats(authorization?: string): Promise<Response> {
  return await fetch(`${backend.url}/api/local/write_stats`, { headers: authorization ? { authorization } : {} });
}

describe("write stats (benchmarks read committed writes per table)", () => {
  it("counts each committed document write by table; admin key only", async () => {
    const before = (await (await stats(`Convex ${ADMIN_KEY}`)).json()) as WriteStatsSnapshot;
    const http = new ConvexHttpClient(backend.url);
    await http.mutation(api.messages.send, { author: "stats", body: "one" });
    await http.mutation(api.messages.send, { author: "stats", body: "two" });
    const after = (await (await stats(`Convex ${ADMIN_KEY}`)).json()) as WriteStatsSnapshot;
    expect((after.byTable.messages ?? 0) - (before.byTable.messages ?? 0)).toBe(2);
    expect(after.commits - before.commits).toBe(2);
    expect(after.writes - before.writes).toBe(2);

    expect((await stats()).status).toBe(401);
    expect((await stats("Convex wrong-key")).status).toBe(401);
  });
});
