// A staged index (`.index(name, { fields, staged: true })`) is part of the schema but not
// queryable yet: the backend loads the schema, writes still work, and a query on the index
// fails saying it is staged, not that it is undeclared.
import { describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { fixtureBackendPerFile } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

const fixture = fixtureBackendPerFile();

describe("staged indexes", () => {
  it("are accepted in the schema; writes to the table work", async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    await http.mutation(api.jobs.scheduleEvent, { kind: "staged-check", delayMs: 0 });
    expect(await http.query(api.jobs.eventsOfKind, { kind: "nothing" })).toBe(0);
  });

  it("a query on a staged index says it is staged; an undeclared one says undeclared", async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    const staged = (await http.query(api.systemTables.byStagedIndex, {}).catch((e: unknown) => e)) as Error;
    expect(staged.message).toContain('Index "by_note" on table "events" is staged');
    expect(staged.message).not.toContain("not declared");
    const undeclared = (await http.query(api.systemTables.byUndeclaredIndex, {}).catch((e: unknown) => e)) as Error;
    expect(undeclared.message).toContain("not declared");
  });
});
