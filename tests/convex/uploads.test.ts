// Upload ownership (issue 20): only the uploader attaches a file, nobody else's file is ever deleted,
// upload URLs are rate-limited, parameters do not smuggle SVG in, and unattached uploads are swept.
import { describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { sweepUnattached } from "../../convex/model/uploads";
import crons from "../../convex/crons";
import { baseContentType, isPhotoContentType, UPLOAD_TTL_MS } from "../../lib/uploads";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";

type Client = ReturnType<Test["withIdentity"]>;

async function person(t: Test, subject: string): Promise<Client> {
  await insertUser(t, subject, "client");
  return t.withIdentity(localIdentity(subject));
}

/** The browser's flow: an upload URL (the grant), then the file arrives in storage. */
async function upload(t: Test, as: Client, contentType: string, bytes = 1000): Promise<Id<"_storage">> {
  await as.mutation(api.advisorApplications.generateUploadUrl, {});
  return await storeFile(t, contentType, bytes);
}

async function storeFile(t: Test, contentType: string, bytes = 1000): Promise<Id<"_storage">> {
  return await t.run(async (ctx) => {
    const id = await ctx.storage.store(new Blob([new Uint8Array(bytes)]));
    // convex-test does not record the content type; the local backend and Convex do.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (ctx.db as any).patch(id, { contentType });
    return id;
  });
}

const exists = (t: Test, id: Id<"_storage">) => t.run(async (ctx) => (await ctx.db.system.get(id)) !== null);

describe("upload ownership", () => {
  it("refuses another user's photo id and never deletes it", async () => {
    const t = newTest();
    const victim = await person(t, "victim");
    const attacker = await person(t, "attacker");
    const photo = await upload(t, victim, "image/png");
    expect(await victim.mutation(api.advisorApplications.attachPhoto, { storageId: photo })).toEqual({ ok: true });

    // The id is visible in the victim's avatar URL; the attacker even holds a fresh grant of their own.
    await attacker.mutation(api.advisorApplications.generateUploadUrl, {});
    await expectAppError(attacker.mutation(api.advisorApplications.attachPhoto, { storageId: photo }), "FORBIDDEN");
    await expectAppError(
      attacker.mutation(api.advisorApplications.attachDocument, { storageId: photo, fileName: "x.png" }),
      "FORBIDDEN",
    );
    expect(await exists(t, photo)).toBe(true);
    expect((await attacker.query(api.advisorApplications.myProfile, {}))?.hasUploadedPhoto).toBe(false);
  });

  it("refuses a file that arrived without a grant of the caller's (no delete)", async () => {
    const t = newTest();
    const me = await person(t, "me");
    const stray = await storeFile(t, "image/png");
    await expectAppError(me.mutation(api.advisorApplications.attachPhoto, { storageId: stray }), "FORBIDDEN");
    expect(await exists(t, stray)).toBe(true);
  });

  it("a refused attach deletes only the caller's own upload", async () => {
    const t = newTest();
    const me = await person(t, "me");
    const svg = await upload(t, me, "image/svg+xml; charset=utf-8");
    expect(await me.mutation(api.advisorApplications.attachPhoto, { storageId: svg })).toEqual({
      ok: false,
      message: expect.stringMatching(/must be an image/),
    });
    expect(await exists(t, svg)).toBe(false);
  });

  it("replacing a photo deletes the previous one only when the user uploaded it", async () => {
    const t = newTest();
    const me = await person(t, "me");
    const first = await upload(t, me, "image/jpeg");
    await me.mutation(api.advisorApplications.attachPhoto, { storageId: first });
    const second = await upload(t, me, "image/webp");
    expect(await me.mutation(api.advisorApplications.attachPhoto, { storageId: second })).toEqual({ ok: true });
    expect(await exists(t, first)).toBe(false);
    expect(await exists(t, second)).toBe(true);

    // A photo set before uploads were recorded (maybe someone else's id) is left in storage.
    const legacy = await storeFile(t, "image/png");
    await t.run(async (ctx) => {
      const profile = await ctx.db.query("advisorProfiles").first();
      await ctx.db.patch("advisorProfiles", profile!._id, { photoStorageId: legacy });
    });
    const third = await upload(t, me, "image/png");
    expect(await me.mutation(api.advisorApplications.attachPhoto, { storageId: third })).toEqual({ ok: true });
    expect(await exists(t, legacy)).toBe(true);
  });

  it("rate-limits upload URLs per user", async () => {
    const t = newTest();
    const me = await person(t, "me");
    const other = await person(t, "other");
    for (let i = 0; i < 10; i++) await me.mutation(api.advisorApplications.generateUploadUrl, {});
    await expectAppError(me.mutation(api.advisorApplications.generateUploadUrl, {}), "RATE_LIMITED");
    await expect(other.mutation(api.advisorApplications.generateUploadUrl, {})).resolves.toEqual(expect.any(String));
  });

  it("the sweep deletes unattached uploads after 24 h and keeps attached ones", async () => {
    const t = newTest();
    const me = await person(t, "me");
    const attached = await upload(t, me, "image/png");
    await me.mutation(api.advisorApplications.attachPhoto, { storageId: attached });
    // Uploaded but never attached (the client never called attach): found through its grant's time window.
    const abandoned = await upload(t, me, "image/png");

    const early = await t.run(async (ctx) => await sweepUnattached(ctx, Date.now() + UPLOAD_TTL_MS - 60_000));
    expect(early).toEqual({ rows: 0, files: 0 });
    expect(await exists(t, abandoned)).toBe(true);

    const late = await t.run(async (ctx) => await sweepUnattached(ctx, Date.now() + UPLOAD_TTL_MS + 60_000));
    expect(late.files).toBe(1);
    expect(await exists(t, abandoned)).toBe(false);
    expect(await exists(t, attached)).toBe(true);
    expect((await me.query(api.advisorApplications.myProfile, {}))?.hasUploadedPhoto).toBe(true);
  });

  it("the sweep runs hourly", () => {
    const job = (
      crons as unknown as { crons: Record<string, { name: string; schedule: { type: string; hours?: number } }> }
    ).crons["unattached uploads sweep"];
    expect(job?.name).toBe("uploads:sweepUnattachedUploads");
    expect(job?.schedule).toMatchObject({ type: "interval", hours: 1 });
  });
});

describe("content types", () => {
  it("compares without parameters or case", () => {
    expect(baseContentType("image/SVG+xml; charset=utf-8")).toBe("image/svg+xml");
    expect(baseContentType("application/pdf;foo=bar")).toBe("application/pdf");
    expect(isPhotoContentType("image/svg+xml; charset=utf-8")).toBe(false);
    expect(isPhotoContentType(" Image/SVG+XML ")).toBe(false);
    expect(isPhotoContentType("image/png")).toBe(true);
    expect(isPhotoContentType("text/html; x=image/png")).toBe(false);
  });

  it("accepts a PDF document whose type carries parameters, stored without them", async () => {
    const t = newTest();
    const me = await person(t, "me");
    const pdf = await upload(t, me, "application/pdf; charset=binary");
    expect(await me.mutation(api.advisorApplications.attachDocument, { storageId: pdf, fileName: "id.pdf" })).toEqual({
      ok: true,
    });
    expect((await me.query(api.advisorApplications.myProfile, {}))?.documents[0]?.contentType).toBe("application/pdf");
  });
});
