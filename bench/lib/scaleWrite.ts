/**
 * Writes a ScaleDb into a local backend data directory as write-ahead log segments (local/convex-backend/wal.ts's
 * record format: one CRC-checked JSON line per "commit"). The log, not db.json, because a start reads db.json as
 * one string (V8 caps strings at ≈ 512 MiB, about the 10% dataset) while it reads the log line by line.
 * The backend replays the log at start and then folds it into a snapshot in the background.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import { convexToJson, type Value } from "convex/values";
import type { ScaleDb } from "./scaleDb";

const DOCS_PER_RECORD = 2_000;
const SEGMENT_BYTES = 256 * 1024 * 1024;

/** Writes every document of `db` into `dataDir` (emptied first); returns documents and bytes written. */
export function writeDataDir(db: ScaleDb, dataDir: string): { documents: number; bytes: number; segments: number } {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const baseTs = BigInt(Date.now()) * 1_000_000n;
  let gen = 0;
  let fd = -1;
  let segmentBytes = Infinity;
  let bytes = 0;
  let documents = 0;
  let seq = 0;
  let batch: [string, unknown][] = [];
  const flush = () => {
    if (batch.length === 0) return;
    seq++;
    const json = JSON.stringify({
      s: seq,
      ts: (baseTs + BigInt(seq)).toString(),
      n: db.nextDocId,
      c: db.lastCreationTime,
      w: batch,
    });
    const line = `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
    if (segmentBytes > SEGMENT_BYTES) {
      if (fd >= 0) closeSync(fd);
      gen++;
      fd = openSync(path.join(dataDir, `wal-${String(gen).padStart(6, "0")}.log`), "w");
      segmentBytes = 0;
    }
    const buf = Buffer.from(line);
    writeSync(fd, buf);
    segmentBytes += buf.length;
    bytes += buf.length;
    batch = [];
  };
  for (const rows of db.tables.values()) {
    for (const doc of rows.values()) {
      batch.push([doc._id, convexToJson(doc as unknown as Value)]);
      documents++;
      if (batch.length >= DOCS_PER_RECORD) flush();
    }
  }
  flush();
  if (fd >= 0) closeSync(fd);
  return { documents, bytes, segments: gen };
}
