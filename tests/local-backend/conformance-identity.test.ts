// Convex runs each client message with the identity of the Authenticate messages sent before it:
// an action sent right after setAuth/clearAuth must never run as the previous user.
import { describe, expect, it } from "vitest";
import { anyApi } from "convex/server";
import { fixtureBackendPerFile, mintToken, newClient } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

const fixture = fixtureBackendPerFile();

describe("identity ordering over the sync protocol", () => {
  it("an action sent right after setAuth/clearAuth runs as the new identity (200 switches)", async () => {
    const client = newClient(fixture.backend.url);
    const tokens = await Promise.all(["alice", "bob", "carol"].map((sub) => mintToken({ sub })));
    const wrong: string[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const k = i % 4;
        const expected = k === 3 ? null : ["alice", "bob", "carol"][k]!;
        if (expected === null) client.client.clearAuth();
        else {
          const token = tokens[k]!;
          client.setAuth(async () => token);
        }
        // Fired without awaiting anything after the switch: it must queue behind the Authenticate.
        const got = (await client.action(api.auth.whoamiAction, {})) as string | null;
        if (got !== expected) wrong.push(`#${i}: expected ${String(expected)}, got ${String(got)}`);
      }
    } finally {
      await client.close();
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
