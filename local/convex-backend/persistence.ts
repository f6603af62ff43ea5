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
import { promises as fs, constants as fsConstants, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { runInRootContext, type CommitChanges, type Counters } from "./internals";
import { fsyncDirSync, writeAtomic, writeAtomicSync } from "./atomicFiles";
import { lockDataDir, unlockDataDir } from "./dataDirLock";
import {
  encodeRecord,
  listSegments,
  readDataDir,
  segmentName,
  writeSnapshotFile,
  type LoadedState,
  type LoggedCommit,
  type StateCapture,
} from "./wal";

/** A commit to log, or a segment switch. */
type QueueItem = LoggedCommit | { rotateTo: number };

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
    return listSegments(this.dataDir);
  }

  private locked = false;

  /** Takes the data dir for this process (dataDirLock.ts): a second backend on it fails to start. */
  lock(): void {
    lockDataDir(this.dataDir);
    this.locked = true;
  }

  /** Releases the data dir lock (also done by close()). */
  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    unlockDataDir(this.dataDir);
  }

  /** Snapshot + log replay (wal.ts). Null for an empty data dir. */
  load(): LoadedState | null {
    const found = readDataDir(this.dataDir, this.dbFile, this.log);
    this.seq = found.seq;
    this.gen = Math.max(this.gen, found.gen);
    this.walBytes += found.walBytes;
    if (found.snapshotBytes > 0) this.snapshotBytes = found.snapshotBytes;
    this.durableSeq = this.seq;
    return found.state;
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
      const size = await writeSnapshotFile(this.dbFile, this.dataDir, snap, walSeq);
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
