/**
 * Data directory layout:
 *   db.json          snapshot: all committed documents (incl. _storage, _scheduled_functions) + counters
 *                    + `walSeq`, the last write-ahead-log record it contains
 *   wal-<gen>.log    write-ahead log segments: one line per committed transaction,
 *                    `<crc32 hex> {"s":seq,"ts":..,"n":..,"c":..,"w":[[id, doc|null], ...]}\n`
 *   files/<sha256>   stored file contents (content addressed)
 *   secret           random key for upload-URL tokens
 *   build/           esbuild output (disposable)
 *
 * Every commit appends its writes to the current segment; appends are batched
 * (group commit) and synchronous to disk (O_DSYNC), off the main thread. When the log outgrows
 * the snapshot, a new snapshot is written (temp file, fsync, rename, fsync dir)
 * from a point-in-time capture — serialized in slices so it does not stall the
 * event loop — the log moves to a new segment at that point, and older
 * segments are deleted once the snapshot is durable. Start = snapshot + replay
 * of the segments' newer records; a torn or corrupt last line (crash during an
 * append) is dropped and the file truncated. Stop writes a final snapshot.
 */
import { setImmediate, setTimeout } from "node:timers";
import {
  promises as fs,
  constants as fsConstants,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { runInRootContext, type CommitChanges, type Counters, type Doc } from "./internals";

export function writeAtomicSync(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDirSync(path.dirname(file));
}

function fsyncDirSync(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported on some platforms
  }
}

export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const handle = await fs.open(tmp, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  fsyncDirSync(path.dirname(file));
}

/** What a start loads: committed documents and counters. */
export interface LoadedState {
  documents: Record<string, Doc>;
  counters: Counters;
}

/** A point-in-time capture of the committed state (documents are immutable objects). */
export interface StateCapture {
  documents: Doc[];
  counters: Counters;
}

interface WalRecord {
  s: number;
  ts: string;
  n: number;
  c: number;
  w: [string, JSONValue | null][];
}

const SEGMENT_RE = /^wal-(\d+)\.log$/;
const SNAPSHOT_SLICE = 2000;

function segmentName(gen: number): string {
  return `wal-${String(gen).padStart(6, "0")}.log`;
}

function encodeLine(json: string): string {
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

/** Parses one log line (without its newline); null if torn or corrupt. */
function decodeLine(line: string): WalRecord | null {
  if (line.length < 10 || line[8] !== " ") return null;
  const json = line.slice(9);
  if (crc32(json).toString(16).padStart(8, "0") !== line.slice(0, 8)) return null;
  try {
    const r = JSON.parse(json) as WalRecord;
    return typeof r.s === "number" && Array.isArray(r.w) ? r : null;
  } catch {
    return null;
  }
}

/** A commit to log (documents are immutable, so serializing later is equivalent), or a segment switch. */
type QueueItem = { seq: number; ts: bigint; changes: CommitChanges; counters: Counters } | { rotateTo: number };

function encodeRecord(item: { seq: number; ts: bigint; changes: CommitChanges; counters: Counters }): string {
  const w: [string, JSONValue | null][] = [];
  for (const [id, doc] of item.changes) w.push([id, doc === null ? null : convexToJson(doc as Value)]);
  const rec: WalRecord = {
    s: item.seq,
    ts: item.ts.toString(),
    n: item.counters.nextDocId,
    c: item.counters.lastCreationTime,
    w,
  };
  return encodeLine(JSON.stringify(rec));
}

export interface PersistenceOptions {
  /** A snapshot is written once the log exceeds max(this, twice the size of the last snapshot). Default 16 MiB. */
  compactMinBytes?: number;
  /**
   * Group commit window: an idle log writer waits this long for more commits before writing and
   * syncing one batch (each sync costs ~0.2 ms of CPU here). Default 0: the next turn of the event loop
   * (batches then hold whatever committed while the previous write was in flight).
   */
  groupCommitMs?: number;
}

export class Persistence {
  readonly dbFile: string;
  readonly filesDir: string;
  readonly buildDir: string;
  private readonly compactMinBytes: number;
  private readonly groupCommitMs: number;
  private capture: (() => StateCapture) | null = null;

  /** last sequence number assigned / known durable */
  private seq = 0;
  private durableSeq = 0;
  private gen = 0;
  private queue: QueueItem[] = [];
  private writing: Promise<void> | null = null;
  private walHandle: fs.FileHandle | null = null;
  private walGen = 0;
  private walBytes = 0;
  private snapshotBytes = 0;
  private compacting: Promise<void> | null = null;
  private durableWaiters: { seq: number; resolve: () => void }[] = [];
  private failed: unknown = null;
  private closed = false;

  constructor(
    readonly dataDir: string,
    private readonly log: (line: string) => void,
    opts: PersistenceOptions = {},
  ) {
    this.dbFile = path.join(dataDir, "db.json");
    this.filesDir = path.join(dataDir, "files");
    this.buildDir = path.join(dataDir, "build");
    this.compactMinBytes = opts.compactMinBytes ?? 16 * 1024 * 1024;
    this.groupCommitMs = opts.groupCommitMs ?? 0;
    mkdirSync(this.filesDir, { recursive: true });
    mkdirSync(this.buildDir, { recursive: true });
  }

  /** Where snapshots take the state from (called synchronously, between commits). */
  setStateSource(fn: () => StateCapture): void {
    this.capture = fn;
  }

  private segments(): { gen: number; file: string }[] {
    const out: { gen: number; file: string }[] = [];
    for (const name of readdirSync(this.dataDir)) {
      const m = SEGMENT_RE.exec(name);
      if (m) out.push({ gen: Number(m[1]), file: path.join(this.dataDir, name) });
    }
    return out.sort((a, b) => a.gen - b.gen);
  }

  private locked = false;

  /**
   * Takes the data dir for this process (file `LOCK` with the pid). Two backends appending to one log
   * would corrupt it, so a second one fails to start; a lock left by a process that no longer runs is
   * taken over.
   */
  lock(): void {
    const file = path.join(this.dataDir, "LOCK");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, "wx");
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.locked = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const pid = Number(readFileSync(file, "utf8").trim());
      let alive = false;
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (e) {
          alive = (e as NodeJS.ErrnoException).code === "EPERM";
        }
      }
      if (alive) {
        throw new Error(
          `the data dir ${this.dataDir} is in use by another local backend (pid ${pid}); stop it or use another --data-dir ` +
            `(if pid ${pid} is not a local backend, delete ${file})`,
        );
      }
      rmSync(file, { force: true });
    }
    throw new Error(`could not lock the data dir ${this.dataDir}`);
  }

  /** Releases the data dir lock (also done by close()). */
  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    rmSync(path.join(this.dataDir, "LOCK"), { force: true });
  }

  /** Snapshot + log replay. Null for an empty data dir. */
  load(): LoadedState | null {
    // Leftovers of a snapshot interrupted by a crash (the previous snapshot + log are still complete).
    for (const name of readdirSync(this.dataDir)) {
      if (name.startsWith("db.json.tmp-")) rmSync(path.join(this.dataDir, name), { force: true });
    }
    let documents: Record<string, Doc> = {};
    const counters: Counters = { nextDocId: 0, lastCreationTime: 0, lastCommitTs: 0n };
    let found = false;
    let walSeq = 0;
    if (existsSync(this.dbFile)) {
      const text = readFileSync(this.dbFile, "utf8");
      this.snapshotBytes = Buffer.byteLength(text);
      const parsed = JSON.parse(text) as {
        format: number;
        nextDocId: number;
        lastCreationTime: number;
        lastCommitTs: string;
        walSeq?: number;
        documents: JSONValue[];
      };
      if (parsed.format !== 1) throw new Error(`unsupported data format in ${this.dbFile}`);
      for (const json of parsed.documents) {
        const doc = jsonToConvex(json) as Doc;
        documents[doc._id] = doc;
      }
      counters.nextDocId = parsed.nextDocId;
      counters.lastCreationTime = parsed.lastCreationTime;
      counters.lastCommitTs = BigInt(parsed.lastCommitTs);
      walSeq = parsed.walSeq ?? 0;
      found = true;
    }
    this.seq = walSeq;
    const segments = this.segments();
    let replayed = 0;
    let stop = false;
    for (let k = 0; k < segments.length; k++) {
      const { gen, file } = segments[k]!;
      this.gen = Math.max(this.gen, gen);
      if (stop) continue;
      const buf = readFileSync(file);
      let offset = 0;
      while (offset < buf.length) {
        const nl = buf.indexOf(10, offset);
        const rec = nl < 0 ? null : decodeLine(buf.toString("utf8", offset, nl));
        if (rec === null) {
          const last = k === segments.length - 1;
          if (last) {
            this.log(`persistence: dropped a torn last log record in ${path.basename(file)} (crash during a write)`);
            truncateSync(file, offset);
          } else {
            this.log(`persistence: ${path.basename(file)} is corrupt at byte ${offset}; later log records are ignored`);
          }
          stop = true;
          break;
        }
        offset = nl + 1;
        if (rec.s <= walSeq) continue;
        if (rec.s <= this.seq) continue;
        for (const [id, json] of rec.w) {
          if (json === null) delete documents[id];
          else documents[id] = jsonToConvex(json) as Doc;
        }
        counters.nextDocId = Math.max(counters.nextDocId, rec.n);
        counters.lastCreationTime = Math.max(counters.lastCreationTime, rec.c);
        const ts = BigInt(rec.ts);
        if (ts > counters.lastCommitTs) counters.lastCommitTs = ts;
        this.seq = rec.s;
        replayed += 1;
        found = true;
      }
      this.walBytes += Math.min(offset, buf.length);
    }
    this.durableSeq = this.seq;
    if (replayed > 0) this.log(`persistence: replayed ${replayed} logged commit(s)`);
    if (!found) {
      documents = {};
      return null;
    }
    return { documents, counters };
  }

  secret(): Buffer {
    const file = path.join(this.dataDir, "secret");
    if (existsSync(file)) return readFileSync(file);
    const s = randomBytes(32);
    writeAtomicSync(file, s);
    return s;
  }

  /** Logs one committed transaction (call synchronously at commit, in commit order). */
  record(ts: bigint, changes: CommitChanges, counters: Counters): void {
    if (this.closed) return;
    this.seq += 1;
    this.queue.push({ seq: this.seq, ts, changes, counters });
    this.kick();
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = new Promise<void>((resolve) => {
      const go = () => void this.drainQueue().finally(resolve);
      runInRootContext(() => (this.groupCommitMs > 0 ? setTimeout(go, this.groupCommitMs) : setImmediate(go)));
    }).finally(() => {
      this.writing = null;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async openSegment(gen: number): Promise<void> {
    // O_DSYNC: each append returns once the data is on disk (one round trip instead of write + fdatasync).
    this.walHandle = await fs.open(
      path.join(this.dataDir, segmentName(gen)),
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_APPEND | fsConstants.O_DSYNC,
    );
    this.walGen = gen;
    fsyncDirSync(this.dataDir);
  }

  /** Writes queued log lines in batches; handles segment rotation markers in order. */
  private async drainQueue(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const items = this.queue;
        this.queue = [];
        let lines: string[] = [];
        let lastSeq = -1;
        const flushLines = async () => {
          if (lines.length === 0) return;
          if (!this.walHandle) await this.openSegment(++this.gen);
          const data = Buffer.from(lines.join(""));
          lines = [];
          await this.walHandle!.write(data);
          this.walBytes += data.length;
          this.markDurable(lastSeq);
        };
        for (const item of items) {
          if ("seq" in item) {
            lines.push(encodeRecord(item));
            lastSeq = item.seq;
          } else {
            await flushLines();
            if (this.walHandle) {
              await this.walHandle.close();
              this.walHandle = null;
            }
            await this.openSegment(item.rotateTo);
          }
        }
        await flushLines();
      }
    } catch (e) {
      this.failed = e;
      this.log(`persistence: log write failed: ${String(e)}`);
      // Nobody may wait forever on a broken disk: release waiters (the failure is logged).
      this.markDurable(Number.MAX_SAFE_INTEGER);
      this.durableSeq = this.seq;
    }
    // Amortized: a snapshot (all documents) per log growth of twice its size.
    if (!this.compacting && !this.closed && this.walBytes > Math.max(this.compactMinBytes, 2 * this.snapshotBytes)) {
      void this.compact().catch((e: unknown) => this.log(`persistence: snapshot failed: ${String(e)}`));
    }
  }

  private markDurable(seq: number): void {
    if (seq > this.durableSeq) this.durableSeq = seq;
    if (this.durableWaiters.length === 0) return;
    const still: typeof this.durableWaiters = [];
    for (const w of this.durableWaiters) {
      if (w.seq <= this.durableSeq) w.resolve();
      else still.push(w);
    }
    this.durableWaiters = still;
  }

  /** Resolves once the commit with this sequence number (default: the last one recorded) is on disk. */
  durable(seq = this.seq): Promise<void> {
    if (this.durableSeq >= seq || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.durableWaiters.push({ seq, resolve }));
  }

  /** Resolves once every commit recorded so far is on disk. */
  async flush(): Promise<void> {
    const target = this.seq;
    while (this.writing || this.queue.length > 0) {
      if (this.durableSeq >= target && this.queue.length === 0) break;
      await (this.writing ?? Promise.resolve());
      if (this.queue.length > 0 && !this.writing) this.kick();
    }
    if (this.failed) {
      const e = this.failed;
      this.failed = null;
      throw e instanceof Error ? e : new Error(String(e));
    }
  }

  /**
   * Writes a snapshot of the current state and drops the log segments it
   * covers. The capture is taken synchronously; the log switches to a new
   * segment at exactly that point.
   */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    if (!this.capture) return Promise.resolve();
    const snap = this.capture();
    const walSeq = this.seq;
    const newGen = ++this.gen;
    this.queue.push({ rotateTo: newGen });
    this.kick();
    const bytesBefore = this.walBytes;
    this.compacting = (async () => {
      const size = await this.writeSnapshot(snap, walSeq);
      // Older segments hold only records <= walSeq once the rotation happened.
      while (this.walGen < newGen) {
        if (this.failed) throw new Error(`log rotation failed: ${String(this.failed)}`);
        await (this.writing ?? new Promise((r) => setImmediate(r)));
      }
      for (const s of this.segments()) {
        if (s.gen < newGen) await fs.rm(s.file, { force: true });
      }
      this.snapshotBytes = size;
      this.walBytes = Math.max(0, this.walBytes - bytesBefore);
    })().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private async writeSnapshot(snap: StateCapture, walSeq: number): Promise<number> {
    const tmp = `${this.dbFile}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    const handle = await fs.open(tmp, "w");
    let size = 0;
    try {
      const c = snap.counters;
      const head =
        `{"format":1,"nextDocId":${c.nextDocId},"lastCreationTime":${JSON.stringify(c.lastCreationTime)},` +
        `"lastCommitTs":"${c.lastCommitTs.toString()}","walSeq":${walSeq},"documents":[`;
      await handle.write(head);
      size += Buffer.byteLength(head);
      const docs = snap.documents;
      for (let i = 0; i < docs.length; i += SNAPSHOT_SLICE) {
        const part = docs
          .slice(i, i + SNAPSHOT_SLICE)
          .map((d) => JSON.stringify(convexToJson(d as Value)))
          .join(",");
        const chunk = (i > 0 ? "," : "") + part;
        await handle.write(chunk);
        size += Buffer.byteLength(chunk);
      }
      await handle.write("]}");
      size += 2;
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.dbFile);
    fsyncDirSync(this.dataDir);
    return size;
  }

  /** After a start that replayed log records: fold them into a snapshot (in the background). */
  compactIfLogged(): void {
    if (this.segments().length === 0) return;
    void this.compact().catch((e: unknown) => this.log(`persistence: snapshot failed: ${String(e)}`));
  }

  /** Flushes the log and writes a final snapshot; nothing is recorded afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    if (this.compacting) await this.compacting.catch(() => undefined);
    if (this.capture && (this.segments().length > 0 || !existsSync(this.dbFile))) {
      await this.compact();
      await this.flush();
      if (this.walHandle) {
        await this.walHandle.close();
        this.walHandle = null;
      }
      // The final snapshot covers every recorded commit: no log is needed to start.
      for (const s of this.segments()) await fs.rm(s.file, { force: true });
    } else if (this.walHandle) {
      await this.walHandle.close();
      this.walHandle = null;
    }
    this.unlock();
  }

  /** Sequence number of the last recorded commit and of the last one on disk (tests, diagnostics). */
  get progress(): { recorded: number; durable: number } {
    return { recorded: this.seq, durable: this.durableSeq };
  }

  filePath(shaHex: string): string {
    return path.join(this.filesDir, shaHex);
  }

  async putFile(shaHex: string, bytes: Uint8Array): Promise<void> {
    const p = this.filePath(shaHex);
    if (existsSync(p)) return;
    await writeAtomic(p, bytes);
  }

  async getFile(shaHex: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.filePath(shaHex));
    } catch {
      return null;
    }
  }

  /** Deletes stored files no document references and leftover temp files. */
  async gcFiles(referenced: Set<string>): Promise<void> {
    let names: string[] = [];
    try {
      names = await fs.readdir(this.filesDir);
    } catch {
      return;
    }
    await Promise.all(
      names.filter((n) => !referenced.has(n)).map((n) => fs.rm(path.join(this.filesDir, n), { force: true })),
    );
  }
}
