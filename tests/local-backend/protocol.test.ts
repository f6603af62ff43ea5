import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { ConvexError } from "convex/values";
import type { ConvexClient } from "convex/browser";
import type { LocalBackend } from "../../local/convex-backend/index";
import { mintToken, newClient, startFixture, tempDir, waitFor } from "./helpers";
import { TEST_ISSUER } from "./fixture/testKeys";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

let backend: LocalBackend;
let cleanup: () => void;
const clients: ConvexClient[] = [];

function client(): ConvexClient {
  const c = newClient(backend.url);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  ({ backend } = await startFixture({ dataDir: t.dir, seedFunction: "seed:seedDemo" }));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await backend.stop();
  cleanup();
});

describe("queries and mutations over the sync protocol", () => {
  it("seed function ran once and is idempotent", async () => {
    expect(await backend.runFunction("seed:seedDemo")).toBe("already seeded");
    const http = new ConvexHttpClient(backend.url);
    const rows = (await http.query(api.messages.byAuthor, { author: "seed" })) as string[];
    expect(rows).toEqual(["welcome"]);
  });

  it("pushes query updates after a mutation, across clients", async () => {
    const a = client();
    const b = client();
    const seenByB: string[][] = [];
    b.onUpdate(api.messages.byAuthor, { author: "alice" }, (v: string[]) => seenByB.push(v));
    await waitFor(() => seenByB.length >= 1);
    expect(seenByB[0]).toEqual([]);
    const id = await a.mutation(api.messages.send, { author: "alice", body: "hi bob" });
    expect(typeof id).toBe("string");
    await waitFor(() => seenByB.some((v) => v.includes("hi bob")));
    // The mutating client reads its own write as soon as the mutation resolves.
    expect(await a.query(api.messages.byAuthor, { author: "alice" })).toEqual(["hi bob"]);
  });

  it("delivers ConvexError data on mutation failure (ws and http)", async () => {
    const a = client();
    const err = await a.mutation(api.messages.sendChecked, { body: "" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConvexError);
    expect((err as ConvexError<{ code: string }>).data).toEqual({
      code: "EMPTY_BODY",
      message: "Message must not be empty",
    });
    const http = new ConvexHttpClient(backend.url);
    const err2 = await http.mutation(api.messages.sendChecked, { body: "" }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(ConvexError);
    expect((err2 as ConvexError<{ code: string }>).data.code).toBe("EMPTY_BODY");
  });

  it("reports plain errors and unknown functions without affecting the connection", async () => {
    const a = client();
    const err = (await a.mutation(api.messages.boom, {}).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain("Server Error");
    expect(err.message).toContain("kaboom");
    const err2 = (await a.mutation(api.nope.missing, {}).catch((e: unknown) => e)) as Error;
    expect(err2.message).toContain("Could not find public function for 'nope:missing'");
    // internal functions are not callable by clients
    const err3 = (await a.mutation(api.messages.clearAll, {}).catch((e: unknown) => e)) as Error;
    expect(err3.message).toContain("Could not find public function");
    expect(typeof (await a.query(api.messages.count, {}))).toBe("number");
  });

  it("runs actions that call mutations, and those writes are pushed", async () => {
    const a = client();
    const counts: number[] = [];
    a.onUpdate(api.jobs.eventsOfKind, { kind: "via-action" }, (n: number) => counts.push(n));
    await waitFor(() => counts.length >= 1);
    expect(await a.action(api.jobs.recordViaAction, { kind: "via-action" })).toBe("recorded via-action");
    await waitFor(() => counts.includes(1));
  });

  it("re-runs only the subscriptions whose index range a write touches", async () => {
    const a = client();
    const seenA: string[][] = [];
    const seenB: string[][] = [];
    a.onUpdate(api.counted.byAuthor, { author: "range-a" }, (v: string[]) => seenA.push(v));
    a.onUpdate(api.counted.byAuthor, { author: "range-b" }, (v: string[]) => seenB.push(v));
    await waitFor(() => seenA.length >= 1 && seenB.length >= 1);
    const http = new ConvexHttpClient(backend.url);
    const runsA = (await http.query(api.counted.evaluationsOf, { author: "range-a" })) as number;
    const runsB = (await http.query(api.counted.evaluationsOf, { author: "range-b" })) as number;
    await a.mutation(api.messages.send, { author: "range-a", body: "only a" });
    await waitFor(() => seenA.some((v) => v.includes("only a")));
    await a.mutation(api.messages.send, { author: "someone-else", body: "neither" });
    expect(await http.query(api.counted.evaluationsOf, { author: "range-a" })).toBe(runsA + 1);
    expect(await http.query(api.counted.evaluationsOf, { author: "range-b" })).toBe(runsB);
    await a.mutation(api.messages.send, { author: "range-b", body: "now b" });
    await waitFor(() => seenB.some((v) => v.includes("now b")));
    expect(await http.query(api.counted.evaluationsOf, { author: "range-a" })).toBe(runsA + 1);
  });

  it("supports paginated queries", async () => {
    const http = new ConvexHttpClient(backend.url);
    for (let i = 0; i < 5; i++) await http.mutation(api.messages.send, { author: "pager", body: `p${i}` });
    const total = (await http.query(api.messages.count, {})) as number;
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const page = (await http.query(api.messages.paginated, {
        paginationOpts: { numItems: 2, cursor },
      })) as { page: { body: string }[]; isDone: boolean; continueCursor: string };
      expect(page.page.length).toBeLessThanOrEqual(2);
      seen.push(...page.page.map((m) => m.body));
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    expect(seen.length).toBe(total);
    // and live over the sync protocol
    const a = client();
    let first: { page: { body: string }[] } | null = null;
    a.onUpdate(
      api.messages.paginated,
      { paginationOpts: { numItems: 3, cursor: null } },
      (v: { page: { body: string }[] }) => {
        first = v;
      },
    );
    const got = await waitFor(() => first);
    expect(got.page.length).toBe(3);
  });
  it("supports the client's paginated subscriptions (loadMore, live updates)", async () => {
    const a = client();
    type R = { status: string; results: { author: string; body: string }[]; loadMore: (n: number) => boolean };
    let last: R | null = null;
    a.onPaginatedUpdate_experimental(api.messages.paginated, {}, { initialNumItems: 2 }, (r: unknown) => {
      last = r as R;
    });
    await waitFor(() => (last as R | null)?.status === "CanLoadMore");
    expect((last as R | null)!.results.length).toBe(2);
    (last as R | null)!.loadMore(1000);
    await waitFor(() => (last as R | null)?.status === "Exhausted");
    const n = (last as R | null)!.results.length;
    await a.mutation(api.messages.send, { author: "pager", body: "live-page" });
    await waitFor(() => (last as R | null)?.results.length === n + 1);
    expect((last as R | null)!.results.at(-1)?.body).toBe("live-page");
  });

  it("serves /api/run and CORS on the HTTP API", async () => {
    const res = await fetch(`${backend.url}/api/run/messages/byAuthor`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "http://localhost:3000" },
      body: JSON.stringify({ args: { author: "seed" }, format: "json" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(await res.json()).toMatchObject({ status: "success", value: ["welcome"] });
  });
});

describe("auth", () => {
  it("round-trips the identity from a customJwt token", async () => {
    const token = await mintToken({
      sub: "user-1",
      name: "Ada",
      email: "ada@example.com",
      picture: "https://x/p.png",
      role: "admin",
    });
    const a = client();
    let authed: boolean | null = null;
    a.setAuth(
      async () => token,
      (isAuthed) => {
        authed = isAuthed;
      },
    );
    let identity: Record<string, unknown> | null | undefined;
    a.onUpdate(api.auth.whoami, {}, (v: Record<string, unknown> | null) => {
      identity = v;
    });
    await waitFor(() => identity && identity.subject === "user-1");
    expect(authed).toBe(true);
    expect(identity).toMatchObject({
      tokenIdentifier: `${TEST_ISSUER}|user-1`,
      subject: "user-1",
      issuer: TEST_ISSUER,
      name: "Ada",
      email: "ada@example.com",
      pictureUrl: "https://x/p.png",
      role: "admin",
    });
    expect(await a.mutation(api.auth.sendAsMe, {})).toMatch(/messages$/);

    const http = new ConvexHttpClient(backend.url);
    http.setAuth(token);
    expect(await http.query(api.auth.whoami, {})).toMatchObject({ subject: "user-1" });
  });

  it("rejects an expired token with AuthError; the client continues unauthenticated, others unaffected", async () => {
    const good = await mintToken({ sub: "user-2" });
    const other = client();
    other.setAuth(async () => good);
    let otherIdentity: Record<string, unknown> | null | undefined;
    other.onUpdate(api.auth.whoami, {}, (v: Record<string, unknown> | null) => {
      otherIdentity = v;
    });
    await waitFor(() => otherIdentity?.subject === "user-2");

    const expired = await mintToken({ sub: "user-3" }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const a = client();
    const changes: boolean[] = [];
    a.setAuth(
      async () => expired,
      (isAuthed) => changes.push(isAuthed),
    );
    let identity: unknown = "unset";
    a.onUpdate(api.auth.whoami, {}, (v: unknown) => {
      identity = v;
    });
    await waitFor(() => changes.includes(false), { timeout: 8000 });
    await waitFor(() => identity === null);
    expect(await a.query(api.messages.count, {})).toBeGreaterThan(0);

    const http = new ConvexHttpClient(backend.url);
    http.setAuth(expired);
    await expect(http.query(api.auth.whoami, {})).rejects.toThrow(/expired/i);

    const wrongAudience = await mintToken({ sub: "user-4" }, { audience: "someone-else" });
    http.setAuth(wrongAudience);
    await expect(http.query(api.auth.whoami, {})).rejects.toThrow(/No auth provider/);

    // the other client is untouched
    await other.mutation(api.messages.send, { author: "other", body: "still here" });
    expect(otherIdentity).toMatchObject({ subject: "user-2" });
  });
});

describe("scheduler and crons", () => {
  it("runs a scheduled function and honors cancel", async () => {
    const http = new ConvexHttpClient(backend.url);
    const jobId = (await http.mutation(api.jobs.scheduleEvent, { kind: "sched", delayMs: 100 })) as string;
    const cancelled = (await http.mutation(api.jobs.scheduleEvent, { kind: "sched-cancel", delayMs: 150 })) as string;
    await http.mutation(api.jobs.cancel, { id: cancelled });
    await waitFor(async () => (await http.query(api.jobs.eventsOfKind, { kind: "sched" })) === 1);
    await waitFor(async () => (await http.query(api.jobs.jobState, { id: jobId })) === "success");
    await new Promise((r) => setTimeout(r, 200));
    expect(await http.query(api.jobs.eventsOfKind, { kind: "sched-cancel" })).toBe(0);
    expect(await http.query(api.jobs.jobState, { id: cancelled })).toBe("canceled");
  });

  it("fires crons on schedule", async () => {
    const http = new ConvexHttpClient(backend.url);
    const before = (await http.query(api.jobs.eventsOfKind, { kind: "cron-tick" })) as number;
    // the fixture cron runs every second
    await waitFor(async () => ((await http.query(api.jobs.eventsOfKind, { kind: "cron-tick" })) as number) > before, {
      timeout: 4000,
    });
  });
});

describe("HTTP actions, storage, robustness", () => {
  it("serves HTTP actions on the site URL", async () => {
    const res = await fetch(`${backend.siteUrl}/hello?name=convex`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { hello: string; count: number; host: string };
    expect(body.hello).toBe("convex");
    expect(body.host).toBe(new URL(backend.siteUrl).host);
    const token = await mintToken({ sub: "poster" });
    const res2 = await fetch(`${backend.siteUrl}/post`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ author: "http", body: "via webhook" }),
    });
    expect(res2.status).toBe(201);
    expect(((await res2.json()) as { subject: string }).subject).toBe("poster");
    expect((await fetch(`${backend.siteUrl}/missing`)).status).toBe(404);
  });

  it("uploads to generateUploadUrl and serves the file via getUrl", async () => {
    const http = new ConvexHttpClient(backend.url);
    const uploadUrl = (await http.mutation(api.files.generateUploadUrl, {})) as string;
    expect(uploadUrl.startsWith(backend.url)).toBe(true);
    const pre = await fetch(uploadUrl, { method: "OPTIONS", headers: { Origin: "http://localhost:3000" } });
    expect(pre.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    const up = await fetch(uploadUrl, {
      method: "POST",
      headers: { "Content-Type": "image/png", Origin: "http://localhost:3000" },
      body: new Uint8Array([137, 80, 78, 71, 1, 2, 3]),
    });
    expect(up.status).toBe(200);
    const { storageId } = (await up.json()) as { storageId: string };
    await http.mutation(api.files.saveFile, { storageId, name: "pic.png" });
    expect(await http.query(api.files.fileMeta, { storageId })).toEqual({ size: 7, contentType: "image/png" });
    const fileUrl = (await http.query(api.files.fileUrl, { storageId })) as string;
    expect(fileUrl.startsWith(backend.url)).toBe(true);
    const down = await fetch(fileUrl);
    expect(down.status).toBe(200);
    expect(down.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await down.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71, 1, 2, 3]));
    // bad token
    const bad = await fetch(`${backend.url}/api/storage/upload?token=nope`, { method: "POST", body: "x" });
    expect(bad.status).toBe(401);
    // storage from an action
    const id = (await http.action(api.files.storeText, { text: "hello file" })) as string;
    const url2 = (await http.query(api.files.fileUrl, { storageId: id })) as string;
    expect(await (await fetch(url2)).text()).toBe("hello file");
  });

  it("a malformed message only affects the sending connection", async () => {
    const good = client();
    const counts: number[] = [];
    good.onUpdate(api.messages.byAuthor, { author: "robust" }, (v: string[]) => counts.push(v.length));
    await waitFor(() => counts.length >= 1);

    const wsUrl = backend.url.replace("http", "ws") + "/api/1.48.0/sync";
    const bad = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      bad.once("open", () => resolve());
      bad.once("error", reject);
    });
    const received: string[] = [];
    bad.on("message", (d) => received.push(String(d)));
    const closed = new Promise<void>((resolve) => bad.once("close", () => resolve()));
    bad.send(
      JSON.stringify({
        type: "ModifyQuerySet",
        baseVersion: 0,
        newVersion: 1,
        modifications: [{ type: "Add", queryId: 0, udfPath: "nope:nothing", args: [{}] }],
      }),
    );
    await waitFor(() => received.some((m) => m.includes("QueryFailed")));
    bad.send("{this is not json");
    await closed;
    expect(received.some((m) => m.includes("FatalError"))).toBe(true);

    await good.mutation(api.messages.send, { author: "robust", body: "unaffected" });
    await waitFor(() => counts.includes(1));
  });

  it("runFunction runs internal functions as admin", async () => {
    const before = (await backend.runFunction("messages:count")) as number;
    expect(before).toBeGreaterThan(0);
    await backend.runFunction("jobs:recordEvent", { kind: "admin" }, { kind: "mutation" });
    expect(await backend.runFunction("jobs:eventsOfKind", { kind: "admin" })).toBe(1);
  });
});
