/**
 * File storage of the engine: files live content-addressed in the data dir (persistence.ts), each with a
 * `_storage` document; upload URLs (`generateUploadUrl()`) carry an expiry time HMAC-signed with the data
 * dir's secret, valid for an hour.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Value } from "convex/values";
import { committedDoc, tableNameFromId, type EngineInstance } from "./internals";
import type { Persistence } from "./persistence";

const UPLOAD_URL_TTL_MS = 60 * 60 * 1000;

/** What file storage needs from the engine. */
export interface FileStorageHost {
  persistence: Persistence;
  cloudUrl(): string;
  /** the current instance, counted as in flight until exit() */
  enter(): Promise<EngineInstance>;
  exit(): void;
  current(): EngineInstance;
}

export class FileStorage {
  private readonly secret: Buffer;

  constructor(private readonly host: FileStorageHost) {
    this.secret = host.persistence.secret();
  }

  uploadUrl(): string {
    const expires = Date.now() + UPLOAD_URL_TTL_MS;
    const mac = createHmac("sha256", this.secret).update(String(expires)).digest("base64url");
    return `${this.host.cloudUrl()}/api/storage/upload?token=${expires}.${mac}`;
  }

  /** "ok", or why an upload token is refused: "invalid" (not issued here) or "expired" (older than an hour). */
  checkUploadToken(token: string | null): "ok" | "invalid" | "expired" {
    if (!token) return "invalid";
    const [expires, mac] = token.split(".");
    if (!expires || !mac) return "invalid";
    const expected = createHmac("sha256", this.secret).update(expires).digest();
    const given = Buffer.from(mac, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
    return Number(expires) < Date.now() ? "expired" : "ok";
  }

  /** Stores a file and its `_storage` document (inside `instArg`'s running function, or as its own transaction). */
  async storeFile(instArg: EngineInstance | null, bytes: Uint8Array, contentType: string | null): Promise<string> {
    const digest = createHash("sha256").update(bytes).digest();
    await this.host.persistence.putFile(digest.toString("hex"), bytes);
    const inst = instArg ?? (await this.host.enter());
    try {
      const doc: Record<string, Value> = { sha256: digest.toString("base64"), size: bytes.byteLength };
      if (contentType) doc.contentType = contentType;
      return await inst.t.run(async () => inst.db.insert("_storage", doc));
    } finally {
      if (!instArg) this.host.exit();
    }
  }

  async getFile(
    storageId: string,
    inst: EngineInstance = this.host.current(),
  ): Promise<{ bytes: Buffer; contentType: string | null; sha256: string } | null> {
    if (tableNameFromId(storageId) !== "_storage") return null;
    const doc = committedDoc(inst, storageId);
    if (!doc || typeof doc.sha256 !== "string") return null;
    const bytes = await this.host.persistence.getFile(Buffer.from(doc.sha256, "base64").toString("hex"));
    if (!bytes) return null;
    return { bytes, contentType: typeof doc.contentType === "string" ? doc.contentType : null, sha256: doc.sha256 };
  }
}
