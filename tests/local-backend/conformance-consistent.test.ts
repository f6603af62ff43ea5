// ConvexHttpClient.consistentQuery reads every query at one snapshot (/api/query_ts, then
// /api/query_at_ts with that ts): writes committed after the first call are not seen.
import { describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { fixtureBackendPerFile } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

const fixture = fixtureBackendPerFile();

type Consistent = { consistentQuery(ref: unknown, args: unknown): Promise<unknown> };

describe("consistent queries at a timestamp", () => {
  it("a second consistentQuery does not see documents inserted after the first", async () => {
    const writer = new ConvexHttpClient(fixture.backend.url);
    await writer.mutation(api.messages.send, { author: "snap", body: "before" });
    const reader = new ConvexHttpClient(fixture.backend.url) as unknown as Consistent;
    expect(await reader.consistentQuery(api.messages.byAuthor, { author: "snap" })).toEqual(["before"]);

    await writer.mutation(api.messages.send, { author: "snap", body: "after" });
    await writer.mutation(api.messages.send, { author: "other", body: "x" });
    // Same snapshot: the insert is invisible, for this and for any other query.
    expect(await reader.consistentQuery(api.messages.byAuthor, { author: "snap" })).toEqual(["before"]);
    expect(await reader.consistentQuery(api.messages.byAuthor, { author: "other" })).toEqual([]);

    // A fresh client (new snapshot) and a plain query see the latest data.
    const fresh = new ConvexHttpClient(fixture.backend.url) as unknown as Consistent;
    expect(await fresh.consistentQuery(api.messages.byAuthor, { author: "snap" })).toEqual(["before", "after"]);
    expect(await writer.query(api.messages.byAuthor, { author: "snap" })).toEqual(["before", "after"]);

    // The snapshot read wrote nothing: later commits and reads are unaffected.
    await writer.mutation(api.messages.send, { author: "snap", body: "third" });
    expect(await writer.query(api.messages.byAuthor, { author: "snap" })).toEqual(["before", "after", "third"]);
    expect(await reader.consistentQuery(api.messages.byAuthor, { author: "snap" })).toEqual(["before"]);
  });

  it("a timestamp in the future is refused", async () => {
    const res = await fetch(`${fixture.backend.url}/api/query_at_ts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        path: "messages:byAuthor",
        args: [{ author: "snap" }],
        format: "convex_encoded_json",
        ts: "18446744073709551615",
      }),
    });
    const body = (await res.json()) as { status: string; errorMessage: string };
    expect(body.status).toBe("error");
  });
});
