/**
 * Data directory layout:
 *   db.json        all committed documents (incl. _storage, _scheduled_functions) + counters
 *   files/<sha256> stored file contents (content addressed)
 *   secret         random key for upload-URL tokens
 *   build/         esbuild output (disposable)
 * Every file is written atomically: temp file + fsync + rename + fsync(dir).
 */
import { setTimeout, clearTimeout } from "node:timers";
import { promises as fs, existsSync, readFileSync, mkdirSync, openSync, fsyncSync, closeSync, writeSync, renameSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { runInRootContext, type SerializedState } from "./internals";

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

export class Persistence {
  readonly dbFile: string;
  readonly filesDir: string;
  readonly buildDir: string;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private dirty = false;
  private getState: (() => SerializedState) | null = null;

  constructor(
    readonly dataDir: string,
    private readonly log: (line: string) => void,
    private readonly debounceMs = 10,
  ) {
    this.dbFile = path.join(dataDir, "db.json");
    this.filesDir = path.join(dataDir, "files");
    this.buildDir = path.join(dataDir, "build");
    mkdirSync(this.filesDir, { recursive: true });
    mkdirSync(this.buildDir, { recursive: true });
  }

  setStateSource(fn: () => SerializedState): void {
    this.getState = fn;
  }

  load(): SerializedState | null {
    if (!existsSync(this.dbFile)) return null;
    const parsed = JSON.parse(readFileSync(this.dbFile, "utf8")) as SerializedState;
    if (parsed.format !== 1) throw new Error(`unsupported data format in ${this.dbFile}`);
    return parsed;
  }

  secret(): Buffer {
    const file = path.join(this.dataDir, "secret");
    if (existsSync(file)) return readFileSync(file);
    const s = randomBytes(32);
    writeAtomicSync(file, s);
    return s;
  }

  /** Marks state dirty; it is written within `debounceMs`. */
  markDirty(): void {
    this.dirty = true;
    if (this.timer || this.flushing) return;
    this.timer = runInRootContext(() =>
      setTimeout(() => {
        this.timer = null;
        void this.flush().catch((e: unknown) => this.log(`persistence: write failed: ${String(e)}`));
      }, this.debounceMs),
    );
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.flushing) await this.flushing;
    if (!this.dirty || !this.getState) return;
    this.dirty = false;
    const json = JSON.stringify(this.getState());
    this.flushing = writeAtomic(this.dbFile, json).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
    if (this.dirty) this.markDirty();
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
