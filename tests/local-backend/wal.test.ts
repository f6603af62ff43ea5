/**
 * Persistence: write-ahead log + snapshot (local/convex-backend/persistence.ts).
 */
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { Persistence } from "../../local/convex-backend/persistence";
import type { StateCapture } from "../../local/convex-backend/wal";
import type { Counters, Doc } from "../../local/convex-backend/internals";
import { FIXTURE_CONVEX_DIR, tempDir, waitFor } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A tiny in-memory "database" driving a Persistence the way the engine does. */
class Model {
  docs: Record<string, Doc> = {};
  counters: Counters = { nextDocId: 10000, lastCreationTime: 0, lastCommitTs: 0n };
  constructor(readonly p: Persistence) {
    p.setStateSource((): StateCapture => ({ documents: Object.values(this.docs), counters: { ...this.counters } }));
  }
  commit(writes: [string, Record<string, unknown> | null][]): void {
    const changes = new Map<string, Doc | null>();
    for (const [id, fields] of writes) {
      if (fields === null) {
        delete this.docs[id];
        changes.set(id, null);
      } else {
        const prev = this.docs[id];
        this.counters.lastCreationTime += 1;
        const doc = { ...fields, _id: id, _creationTime: prev?._creationTime ?? this.counters.lastCreationTime } as Doc;
        this.docs[id] = doc;
        changes.set(id, doc);
      }
    }
    this.counters.nextDocId += writes.length;
    this.counters.lastCommitTs += 1000n;
    this.p.record(this.counters.lastCommitTs, changes, { ...this.counters });
  }
}

function logFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".log"))
    .sort();
}

describe("write-ahead log", () => {
  it("replays logged commits after a crash and drops a torn last line", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const m = new Model(new Persistence(t.dir, () => undefined));
    m.commit([["10001items", { n: 1 }]]);
    m.commit([
      ["10002items", { n: 2 }],
      ["10003items", { n: 3, bytes: new Uint8Array([1, 2]).buffer, big: 7n }],
    ]);
    m.commit([
      ["10001items", { n: 11 }],
      ["10002items", null],
    ]);
    await m.p.durable();
    // "crash": a copy of the data dir as it is now (no close), plus a half-written record at the end of the log
    const crash = tempDir();
    cleanups.push(crash.cleanup);
    cpSync(t.dir, crash.dir, { recursive: true });
    await m.p.close();
    const [seg] = logFiles(crash.dir);
    appendFileSync(path.join(crash.dir, seg!), '0badc0de {"s":4,"ts":"4000","n":1,"c":1,"w":[["10009it');
    const logs: string[] = [];
    const p2 = new Persistence(crash.dir, (l) => logs.push(l));
    const loaded = p2.load()!;
    expect(Object.keys(loaded.documents).sort()).toEqual(["10001items", "10003items"]);
    expect(loaded.documents["10001items"]!.n).toBe(11);
    expect(new Uint8Array(loaded.documents["10003items"]!.bytes as ArrayBuffer)).toEqual(new Uint8Array([1, 2]));
    expect(loaded.documents["10003items"]!.big).toBe(7n);
    expect(loaded.counters.lastCommitTs).toBe(3000n);
    expect(logs.some((l) => l.includes("torn"))).toBe(true);
    expect(readFileSync(path.join(crash.dir, seg!), "utf8").endsWith("\n")).toBe(true);
    // appending continues in a new segment and a later start sees everything
    const m2 = new Model(p2);
    m2.docs = loaded.documents;
    m2.counters = loaded.counters;
    m2.commit([["10010items", { n: 10 }]]);
    await p2.flush();
    const loaded3 = new Persistence(crash.dir, () => undefined).load()!;
    await p2.close();
    expect(Object.keys(loaded3.documents).sort()).toEqual(["10001items", "10003items", "10010items"]);
  });

  it("compacts into a snapshot when the log outgrows it; records already in the snapshot are not replayed", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const m = new Model(new Persistence(t.dir, () => undefined, { compactMinBytes: 2048 }));
    for (let i = 0; i < 200; i++) {
      m.commit([[`${10000 + (i % 40)}items`, { n: i, pad: "x".repeat(50) }]]);
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    await m.p.flush();
    await waitFor(() => existsSync(path.join(t.dir, "db.json")));
    // wait for compaction to finish deleting old segments
    await waitFor(() => logFiles(t.dir).length <= 2);
    const snap = JSON.parse(readFileSync(path.join(t.dir, "db.json"), "utf8")) as { walSeq: number };
    expect(snap.walSeq).toBeGreaterThan(0);
    // A leftover old segment (crash between snapshot and cleanup) must not be applied again,
    // and a half-written snapshot (crash during compaction) is ignored and removed.
    writeFileSync(path.join(t.dir, "wal-000000.log"), "");
    writeFileSync(path.join(t.dir, "db.json.tmp-1-deadbeef"), '{"format":1,"docu');
    const loaded = new Persistence(t.dir, () => undefined).load()!;
    expect(loaded.documents).toEqual(m.docs);
    expect(readdirSync(t.dir).some((n) => n.includes(".tmp-"))).toBe(false);
    await m.p.close();
    expect(logFiles(t.dir)).toEqual([]);
    expect(new Persistence(t.dir, () => undefined).load()!.documents).toEqual(m.docs);
  });

  it("survives kill -9 of the CLI: every acknowledged mutation is there after restart", async () => {
    const data = tempDir();
    cleanups.push(data.cleanup);
    const start = async () => {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          path.join(ROOT, "local/convex-backend/cli.ts"),
          "--convex-dir",
          FIXTURE_CONVEX_DIR,
          "--data-dir",
          data.dir,
          "--port",
          "0",
          "--site-port",
          "0",
        ],
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      const url = await new Promise<string>((resolve, reject) => {
        let buf = "";
        child.stdout!.on("data", (d: Buffer) => {
          buf += d.toString();
          const match = /ready url=(\S+)/.exec(buf);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`backend exited with ${code}`)));
      });
      child.stdout!.resume();
      child.stderr!.resume();
      cleanups.push(() => {
        if (child.exitCode === null) child.kill("SIGKILL");
      });
      return { child, url };
    };
    const first = await start();
    const http = new ConvexHttpClient(first.url);
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, i) => http.mutation(api.messages.send, { author: "crash", body: `m${i}` })),
    );
    expect(sent.length).toBe(40);
    // Mutations are acknowledged once their log record is fdatasync'd: pull the plug right away.
    const exited = new Promise((r) => first.child.once("exit", r));
    first.child.kill("SIGKILL");
    await exited;
    expect(logFiles(data.dir).length).toBeGreaterThan(0);
    const second = await start();
    const rows = (await new ConvexHttpClient(second.url).query(api.messages.byAuthor, { author: "crash" })) as string[];
    expect(rows.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`).sort());
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
  }, 30000);
});

describe("data dir lock", () => {
  it("a second backend on the same data dir refuses to start; a stale lock is taken over", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { startFixture } = await import("./helpers");
    const first = await startFixture({ dataDir: t.dir });
    await expect(startFixture({ dataDir: t.dir })).rejects.toThrow(/in use by another local backend/);
    await first.backend.stop();
    // a lock left by a process that is gone (kill -9) does not block
    writeFileSync(path.join(t.dir, "LOCK"), "999999999");
    const second = await startFixture({ dataDir: t.dir });
    await second.backend.stop();
    expect(existsSync(path.join(t.dir, "LOCK"))).toBe(false);
  });
});
