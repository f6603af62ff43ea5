/**
 * The data dir's files (see persistence.ts for the layout and how they are used): log segments
 * `wal-<gen>.log` with one CRC-checked line per committed transaction, and the snapshot `db.json`.
 * Encoding and decoding of both, reading them at start, writing a snapshot.
 */
import { promises as fs, existsSync, readdirSync, readFileSync, rmSync, truncateSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { CommitChanges, Counters, Doc } from "./internals";
import { fsyncDirSync, tempNameFor } from "./atomicFiles";

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

/** One committed transaction to log. */
export interface LoggedCommit {
  seq: number;
  ts: bigint;
  changes: CommitChanges;
  counters: Counters;
}

const SEGMENT_RE = /^wal-(\d+)\.log$/;
/** Documents serialized per slice of a snapshot (the event loop gets a turn between slices). */
const SNAPSHOT_SLICE = 2000;

export function segmentName(gen: number): string {
  return `wal-${String(gen).padStart(6, "0")}.log`;
}

/** The log segments of a data dir, oldest first. */
export function listSegments(dataDir: string): { gen: number; file: string }[] {
  const out: { gen: number; file: string }[] = [];
  for (const name of readdirSync(dataDir)) {
    const m = SEGMENT_RE.exec(name);
    if (m) out.push({ gen: Number(m[1]), file: path.join(dataDir, name) });
  }
  return out.sort((a, b) => a.gen - b.gen);
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

/** The log line of a commit (documents are immutable, so serializing later is equivalent). */
export function encodeRecord(item: LoggedCommit): string {
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

/** What reading a data dir found: the state (null: empty) and where the log stands. */
export interface DataDirContents {
  state: LoadedState | null;
  /** last log record applied */
  seq: number;
  /** newest segment generation seen */
  gen: number;
  walBytes: number;
  snapshotBytes: number;
}

/** Snapshot + log replay. A torn last record (crash mid-append) is dropped and its file truncated. */
export function readDataDir(dataDir: string, dbFile: string, log: (line: string) => void): DataDirContents {
  // Leftovers of a snapshot interrupted by a crash (the previous snapshot + log are still complete).
  for (const name of readdirSync(dataDir)) {
    if (name.startsWith("db.json.tmp-")) rmSync(path.join(dataDir, name), { force: true });
  }
  const documents: Record<string, Doc> = {};
  const counters: Counters = { nextDocId: 0, lastCreationTime: 0, lastCommitTs: 0n };
  const out: DataDirContents = { state: null, seq: 0, gen: 0, walBytes: 0, snapshotBytes: 0 };
  let found = false;
  let walSeq = 0;
  if (existsSync(dbFile)) {
    const text = readFileSync(dbFile, "utf8");
    out.snapshotBytes = Buffer.byteLength(text);
    const parsed = JSON.parse(text) as {
      format: number;
      nextDocId: number;
      lastCreationTime: number;
      lastCommitTs: string;
      walSeq?: number;
      documents: JSONValue[];
    };
    if (parsed.format !== 1) throw new Error(`unsupported data format in ${dbFile}`);
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
  out.seq = walSeq;
  const segments = listSegments(dataDir);
  let replayed = 0;
  let stop = false;
  for (let k = 0; k < segments.length; k++) {
    const { gen, file } = segments[k]!;
    out.gen = Math.max(out.gen, gen);
    if (stop) continue;
    const buf = readFileSync(file);
    let offset = 0;
    while (offset < buf.length) {
      const nl = buf.indexOf(10, offset);
      const rec = nl < 0 ? null : decodeLine(buf.toString("utf8", offset, nl));
      if (rec === null) {
        if (k === segments.length - 1) {
          log(`persistence: dropped a torn last log record in ${path.basename(file)} (crash during a write)`);
          truncateSync(file, offset);
        } else {
          log(`persistence: ${path.basename(file)} is corrupt at byte ${offset}; later log records are ignored`);
        }
        stop = true;
        break;
      }
      offset = nl + 1;
      if (rec.s <= walSeq || rec.s <= out.seq) continue;
      for (const [id, json] of rec.w) {
        if (json === null) delete documents[id];
        else documents[id] = jsonToConvex(json) as Doc;
      }
      counters.nextDocId = Math.max(counters.nextDocId, rec.n);
      counters.lastCreationTime = Math.max(counters.lastCreationTime, rec.c);
      const ts = BigInt(rec.ts);
      if (ts > counters.lastCommitTs) counters.lastCommitTs = ts;
      out.seq = rec.s;
      replayed += 1;
      found = true;
    }
    out.walBytes += Math.min(offset, buf.length);
  }
  if (replayed > 0) log(`persistence: replayed ${replayed} logged commit(s)`);
  if (found) out.state = { documents, counters };
  return out;
}

/** Writes `snap` as the snapshot (atomically, serialized in slices); returns its size in bytes. */
export async function writeSnapshotFile(
  dbFile: string,
  dataDir: string,
  snap: StateCapture,
  walSeq: number,
): Promise<number> {
  const tmp = tempNameFor(dbFile);
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
  await fs.rename(tmp, dbFile);
  fsyncDirSync(dataDir);
  return size;
}
