/**
 * File storage over HTTP as a deployment serves it (crates/local_backend/src/storage.rs):
 * uploads check the token (401 StorageTokenInvalid / StorageTokenExpired) and an optional
 * `Digest: sha-256=<base64>` header; downloads send `Digest`, `Accept-Ranges: bytes` and answer
 * a single `Range` with 206 (several ranges or an unsatisfiable one: 416).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Engine } from "./engine";

type Send = (status: number, body: unknown) => void;

/** The base64 digest named by a `Digest` header (`sha-256=...`), undefined without one, null if malformed. */
function expectedSha256(header: string | string[] | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(",") : header;
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === "sha-256") return part.slice(eq + 1).trim();
  }
  return null;
}

export async function handleUpload(
  engine: Engine,
  req: IncomingMessage,
  token: string | null,
  body: () => Promise<Buffer>,
  send: Send,
): Promise<void> {
  const check = engine.files.checkUploadToken(token);
  if (check === "invalid") {
    send(401, { code: "StorageTokenInvalid", message: "Couldn't decode the StoreFileAuthorization token" });
    return;
  }
  if (check === "expired") {
    send(401, { code: "StorageTokenExpired", message: "Store File Authorization expired" });
    return;
  }
  const expected = expectedSha256(req.headers.digest);
  if (expected === null) {
    send(400, { code: "BadHeader", message: "Bad header for digest: expected sha-256=<base64 digest>" });
    return;
  }
  const bytes = await body();
  if (expected !== undefined) {
    const actual = createHash("sha256").update(bytes).digest("base64");
    if (actual !== expected) {
      send(400, {
        code: "Sha256Mismatch",
        message: `Sha256 mismatch: the Digest header says ${expected}, the body hashes to ${actual}`,
      });
      return;
    }
  }
  const ct = req.headers["content-type"];
  const storageId = await engine.files.storeFile(null, bytes, typeof ct === "string" && ct ? ct : null);
  send(200, { storageId });
}

/** Parses `bytes=a-b` / `bytes=a-` / `bytes=-n` (one range only) against the file size. */
function parseRange(header: string, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const m = /^bytes=(.+)$/.exec(header.trim());
  if (!m) return null;
  const ranges = m[1]!.split(",");
  if (ranges.length !== 1) return "unsatisfiable";
  const r = /^\s*(\d*)-(\d*)\s*$/.exec(ranges[0]!);
  if (!r || (r[1] === "" && r[2] === "")) return null;
  let start: number;
  let end: number;
  if (r[1] === "") {
    const suffix = Number(r[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(r[1]);
    end = r[2] === "" ? size - 1 : Math.min(Number(r[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

export async function handleDownload(
  engine: Engine,
  req: IncomingMessage,
  res: ServerResponse,
  storageId: string,
  cors: Record<string, string>,
): Promise<void> {
  const file = await engine.files.getFile(storageId);
  if (!file) {
    res.writeHead(404, { ...cors, "Content-Type": "text/plain" });
    res.end("File not found");
    return;
  }
  const common = {
    ...cors,
    "Cache-Control": "private, max-age=2592000",
    "Accept-Ranges": "bytes",
    ...(file.contentType ? { "Content-Type": file.contentType } : {}),
  };
  const head = req.method === "HEAD";
  const rangeHeader = req.headers.range;
  if (typeof rangeHeader === "string") {
    const range = parseRange(rangeHeader, file.bytes.length);
    if (range === "unsatisfiable") {
      res.writeHead(416, { ...cors, "Content-Range": `bytes */${file.bytes.length}` });
      res.end();
      return;
    }
    if (range !== null) {
      const part = file.bytes.subarray(range.start, range.end + 1);
      res.writeHead(206, {
        ...common,
        "Content-Range": `bytes ${range.start}-${range.end}/${file.bytes.length}`,
        "Content-Length": String(part.length),
      });
      res.end(head ? undefined : part);
      return;
    }
  }
  res.writeHead(200, { ...common, Digest: `sha-256=${file.sha256}`, "Content-Length": String(file.bytes.length) });
  res.end(head ? undefined : file.bytes);
}
