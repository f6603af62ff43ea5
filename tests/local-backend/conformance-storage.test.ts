// File storage as a deployment serves it: upload token and Digest checks with Convex's codes,
// Range requests (206/416), ctx.storage.getMetadata, and deleting a file twice.
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import type { LocalBackend } from "../../local/convex-backend/index";
import { startFixture, tempDir } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

let backend: LocalBackend;
let cleanup: () => void;
let dataDir: string;
let http: ConvexHttpClient;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  dataDir = t.dir;
  ({ backend } = await startFixture({ dataDir }));
  http = new ConvexHttpClient(backend.url);
});

afterAll(async () => {
  await backend.stop();
  cleanup();
});

const TEXT = "0123456789abcdefghij";

async function upload(body: string, headers: Record<string, string> = {}, url?: string) {
  const target = url ?? ((await http.mutation(api.files.generateUploadUrl, {})) as string);
  const res = await fetch(target, { method: "POST", headers: { "Content-Type": "text/plain", ...headers }, body });
  return { status: res.status, body: (await res.json()) as { storageId?: string; code?: string; message?: string } };
}

describe("uploads", () => {
  it("a matching Digest header is accepted; a wrong one is refused", async () => {
    const digest = createHash("sha256").update(TEXT).digest("base64");
    const ok = await upload(TEXT, { Digest: `sha-256=${digest}` });
    expect(ok.status).toBe(200);
    expect(typeof ok.body.storageId).toBe("string");
    const wrong = await upload(TEXT, { Digest: `sha-256=${createHash("sha256").update("other").digest("base64")}` });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe("Sha256Mismatch");
  });

  it("bad and expired upload tokens get Convex's codes", async () => {
    const url = (await http.mutation(api.files.generateUploadUrl, {})) as string;
    const bad = await upload(TEXT, {}, url.replace(/token=[^&]+/, "token=forged.token"));
    expect(bad).toEqual({
      status: 401,
      body: { code: "StorageTokenInvalid", message: "Couldn't decode the StoreFileAuthorization token" },
    });
    // An upload URL issued more than an hour ago (signed with this backend's secret).
    const secret = readFileSync(path.join(dataDir, "secret"));
    const expires = String(Date.now() - 1000);
    const mac = createHmac("sha256", secret).update(expires).digest("base64url");
    const expired = await upload(TEXT, {}, url.replace(/token=[^&]+/, `token=${expires}.${mac}`));
    expect(expired).toEqual({
      status: 401,
      body: { code: "StorageTokenExpired", message: "Store File Authorization expired" },
    });
  });
});

describe("downloads", () => {
  it("serve Digest and Accept-Ranges, and answer one Range with 206", async () => {
    const { body } = await upload(TEXT);
    const url = (await http.query(api.files.fileUrl, { storageId: body.storageId })) as string;
    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    expect(full.headers.get("digest")).toBe(`sha-256=${createHash("sha256").update(TEXT).digest("base64")}`);
    expect(await full.text()).toBe(TEXT);

    const part = await fetch(url, { headers: { Range: "bytes=2-5" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 2-5/${TEXT.length}`);
    expect(await part.text()).toBe("2345");

    const suffix = await fetch(url, { headers: { Range: "bytes=-3" } });
    expect(suffix.status).toBe(206);
    expect(await suffix.text()).toBe("hij");

    const open = await fetch(url, { headers: { Range: "bytes=15-" } });
    expect(await open.text()).toBe("fghij");

    expect((await fetch(url, { headers: { Range: "bytes=0-1,4-5" } })).status).toBe(416);
    expect((await fetch(url, { headers: { Range: "bytes=100-200" } })).status).toBe(416);
  });
});

describe("ctx.storage", () => {
  it("getMetadata returns storageId, hex sha256, size and contentType (null for a missing file)", async () => {
    const { body } = await upload(TEXT);
    const meta = await http.action(api.systemTables.metadata, { storageId: body.storageId });
    expect(meta).toEqual({
      storageId: body.storageId,
      sha256: createHash("sha256").update(TEXT).digest("hex"),
      size: TEXT.length,
      contentType: "text/plain",
    });
    await http.mutation(api.systemTables.deleteFile, { storageId: body.storageId });
    expect(await http.action(api.systemTables.metadata, { storageId: body.storageId })).toBeNull();
  });

  it("deleting a file twice fails with Convex's message", async () => {
    const { body } = await upload(TEXT);
    await http.mutation(api.systemTables.deleteFile, { storageId: body.storageId });
    await expect(http.mutation(api.systemTables.deleteFile, { storageId: body.storageId })).rejects.toThrow(
      `storage id ${body.storageId} not found`,
    );
  });
});
