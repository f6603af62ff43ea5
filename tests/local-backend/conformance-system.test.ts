// System tables through ctx.db behave as on a deployment (async_syscall.rs `system_table_guard`):
// they are read-only, `db.get` refuses system ids and `db.system.get` refuses user ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import type { ConvexClient } from "convex/browser";
import type { LocalBackend } from "../../local/convex-backend/index";
import { failure, newClient, startFixture, tempDir } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

let backend: LocalBackend;
let cleanup: () => void;
let ws: ConvexClient;
let http: ConvexHttpClient;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  ({ backend } = await startFixture({ dataDir: t.dir }));
  ws = newClient(backend.url);
  http = new ConvexHttpClient(backend.url);
});

afterAll(async () => {
  await ws.close();
  await backend.stop();
  cleanup();
});

const READ_ONLY = "System tables can only be accessed with db.system.";

describe("system tables through ctx.db", () => {
  it.each(["patch", "replace", "delete"])(
    "%s of a _scheduled_functions document fails and writes nothing",
    async (op) => {
      const before = await http.query(api.jobs.eventsOfKind, { kind: "never" });
      const msg = await failure(ws.mutation(api.systemTables.writeJob, { op }));
      expect(msg).toContain(`Uncaught Error: ${READ_ONLY}`);
      expect(await http.query(api.jobs.eventsOfKind, { kind: "never" })).toEqual(before);
    },
  );

  it.each(["patch", "replace", "delete"])("%s of a _storage document fails; the file stays", async (op) => {
    const storageId = (await http.action(api.files.storeText, { text: `file for ${op}` })) as string;
    const msg = await failure(http.mutation(api.systemTables.writeFile, { op, storageId }));
    expect(msg).toContain(READ_ONLY);
    expect(await http.query(api.files.fileMeta, { storageId })).toEqual({
      size: `file for ${op}`.length,
      contentType: "text/plain",
    });
  });

  it("insert into a system table fails", async () => {
    expect(await failure(ws.mutation(api.systemTables.insertSystem, {}))).toContain(
      "System tables (prefixed with `_`) are read-only.",
    );
  });

  it("db.get with a system-table id and db.system.get with a user-table id fail", async () => {
    expect(await failure(ws.mutation(api.systemTables.getSystemIdWithDb, {}))).toContain(READ_ONLY);
    expect(await failure(ws.mutation(api.systemTables.getUserIdWithSystem, {}))).toContain(
      "User tables cannot be accessed with db.system.",
    );
  });

  it("scheduler cancel and db.system reads still work", async () => {
    const id = (await ws.mutation(api.jobs.scheduleEvent, { kind: "later", delayMs: 60_000 })) as string;
    await ws.mutation(api.jobs.cancel, { id });
    expect(await http.query(api.systemTables.systemGetJob, { id })).toEqual({ kind: "canceled" });
  });
});
