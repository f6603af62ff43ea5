import { describe, expect, it } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";
import { addAdvisor } from "./advisorHelpers";

const ABOUT = {
  displayName: "Robin Reader",
  headline: "Tarot for clear next steps",
  bio: "I read tarot with a practical eye. ".repeat(3),
};
const EXPERTISE = {
  categories: ["tarot" as const],
  tags: ["Love", "clarity"],
  languages: ["English"],
  yearsExperience: 4,
};

type Client = ReturnType<Test["withIdentity"]>;

/** Uploads like the browser: an upload URL for `as` first (the grant that makes the file theirs), then the file. */
async function upload(t: Test, bytes: number, contentType: string | null, as: Client): Promise<Id<"_storage">> {
  await as.mutation(api.advisorApplications.generateUploadUrl, {});
  return await t.run(async (ctx) => {
    const id = await ctx.storage.store(new Blob([new Uint8Array(bytes)]));
    // convex-test does not record the content type; the local backend and Convex do.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if (contentType !== null) await (ctx.db as any).patch(id, { contentType });
    return id;
  });
}

async function applicant(t: Test, subject = "applicant") {
  await insertUser(t, subject, "client");
  return t.withIdentity(localIdentity(subject));
}

async function completeApplication(t: Test, subject = "applicant") {
  const me = await applicant(t, subject);
  await me.mutation(api.advisorApplications.saveStep, { step: 0, ...ABOUT });
  await me.mutation(api.advisorApplications.saveStep, { step: 1, ...EXPERTISE });
  await me.mutation(api.advisorApplications.saveStep, {
    step: 3,
    chatRateCentsPerMinute: 150,
    videoRateCentsPerMinute: null,
  });
  const doc = await upload(t, 2000, "application/pdf", me);
  expect(await me.mutation(api.advisorApplications.attachDocument, { storageId: doc, fileName: "id.pdf" })).toEqual({
    ok: true,
  });
  return me;
}

async function admin(t: Test) {
  await insertUser(t, "admin", "admin");
  return t.withIdentity(localIdentity("admin"));
}

describe("onboarding", () => {
  it("saves progress per step and normalizes tags", async () => {
    const t = newTest();
    const me = await applicant(t);
    expect(await me.query(api.advisorApplications.myProfile, {})).toBeNull();
    await me.mutation(api.advisorApplications.saveStep, { step: 0, ...ABOUT });
    let mine = await me.query(api.advisorApplications.myProfile, {});
    expect(mine).toMatchObject({
      status: "draft",
      displayName: "Robin Reader",
      onboardingStep: 1,
      chatRateCentsPerMinute: null,
      payoutAccount: "not_connected",
    });
    await me.mutation(api.advisorApplications.saveStep, { step: 1, ...EXPERTISE });
    mine = await me.query(api.advisorApplications.myProfile, {});
    expect(mine).toMatchObject({ onboardingStep: 2, tags: ["love", "clarity"], categories: ["tarot"] });
  });

  it("refuses bad input with clear messages and writes nothing", async () => {
    const t = newTest();
    const me = await applicant(t);
    await me.mutation(api.advisorApplications.saveStep, { step: 0, ...ABOUT });
    const before = await me.query(api.advisorApplications.myProfile, {});
    const bad = [
      { bio: "x".repeat(2001) },
      { headline: "short" },
      { chatRateCentsPerMinute: 9 },
      { chatRateCentsPerMinute: 5001 },
      { chatRateCentsPerMinute: 150.5 },
      { videoRateCentsPerMinute: 0 },
      { categories: [] },
      { yearsExperience: -1 },
      { tags: Array.from({ length: 11 }, (_, i) => `tag${i}`) },
    ];
    for (const fields of bad) {
      await expectAppError(me.mutation(api.advisorApplications.saveStep, { step: 0, ...fields }), "INVALID_ARGUMENT");
    }
    await expect(
      me.mutation(api.advisorApplications.saveStep, { step: 0, chatRateCentsPerMinute: 150.5 }),
    ).rejects.toThrow(/whole number of cents/);
    await expect(me.mutation(api.advisorApplications.saveStep, { step: 0, bio: "x".repeat(2001) })).rejects.toThrow(
      /at most 2000/,
    );
    await expectAppError(me.mutation(api.advisorApplications.saveStep, { step: 99, ...ABOUT }), "INVALID_ARGUMENT");
    expect(await me.query(api.advisorApplications.myProfile, {})).toEqual(before);
    expect(await t.run(async (ctx) => (await ctx.db.query("rateChanges").collect()).length)).toBe(0);
  });

  it("requires sign-in", async () => {
    const t = newTest();
    await expectAppError(t.query(api.advisorApplications.myProfile, {}), "UNAUTHENTICATED");
    await expectAppError(t.mutation(api.advisorApplications.saveStep, { step: 0, ...ABOUT }), "UNAUTHENTICATED");
    await expectAppError(t.mutation(api.advisorApplications.generateUploadUrl, {}), "UNAUTHENTICATED");
  });

  it("accepts image photos up to 5 MB and deletes refused uploads", async () => {
    const t = newTest();
    const me = await applicant(t);
    const pdf = await upload(t, 100, "application/pdf", me);
    expect(await me.mutation(api.advisorApplications.attachPhoto, { storageId: pdf })).toEqual({
      ok: false,
      message: expect.stringMatching(/must be an image/),
    });
    expect(await t.run(async (ctx) => ctx.db.system.get(pdf))).toBeNull();
    const huge = await upload(t, 5 * 1024 * 1024 + 1, "image/png", me);
    expect(await me.mutation(api.advisorApplications.attachPhoto, { storageId: huge })).toEqual({
      ok: false,
      message: expect.stringMatching(/5 MB/),
    });
    expect(await t.run(async (ctx) => ctx.db.system.get(huge))).toBeNull();
    expect((await me.query(api.advisorApplications.myProfile, {}))?.hasUploadedPhoto).toBe(false);
    const ok = await upload(t, 1000, "image/jpeg", me);
    expect(await me.mutation(api.advisorApplications.attachPhoto, { storageId: ok })).toEqual({ ok: true });
    const mine = await me.query(api.advisorApplications.myProfile, {});
    expect(mine?.hasUploadedPhoto).toBe(true);
    expect(mine?.avatarUrl).toMatch(/^https?:\/\//);
  });

  it("refuses non-PDF/image documents and keeps documents private", async () => {
    const t = newTest();
    const me = await applicant(t);
    const exe = await upload(t, 100, "application/x-msdownload", me);
    expect(
      await me.mutation(api.advisorApplications.attachDocument, { storageId: exe, fileName: "x.exe" }),
    ).toMatchObject({ ok: false });
    expect(await t.run(async (ctx) => ctx.db.system.get(exe))).toBeNull();
    const doc = await upload(t, 100, "application/pdf", me);
    expect(
      await me.mutation(api.advisorApplications.attachDocument, { storageId: doc, fileName: "passport.pdf" }),
    ).toEqual({ ok: true });
    const documentId = (await me.query(api.advisorApplications.myProfile, {}))!.documents[0]!._id;

    // Served only through the role-checked HTTP action (no storage URL): owner and admin yes, others no.
    const path = `/documents/file?id=${documentId}`;
    const mine = await me.fetch(path);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-disposition")).toContain("passport.pdf");
    expect(mine.headers.get("cache-control")).toBe("private, no-store");
    const stranger = await applicant(t, "stranger");
    expect((await stranger.fetch(path)).status).toBe(403);
    expect((await t.fetch(path)).status).toBe(401);
    const boss = await admin(t);
    const asAdmin = await boss.fetch(path);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.headers.get("content-type")).toBe("application/pdf");
    // Access ends with the role: a suspended admin is refused on the next request.
    await t.run(async (ctx) => {
      const row = await ctx.db
        .query("users")
        .withIndex("by_email", (q) => q.eq("email", "admin@example.test"))
        .unique();
      await ctx.db.patch("users", row!._id, { status: "suspended" });
    });
    expect((await boss.fetch(path)).status).toBe(403);
    // Someone else cannot attach or remove the same file.
    await expectAppError(
      stranger.mutation(api.advisorApplications.attachDocument, { storageId: doc, fileName: "mine.pdf" }),
      "FORBIDDEN",
    );
    await expectAppError(stranger.mutation(api.advisorApplications.removeDocument, { documentId }), "NOT_FOUND");
  });

  it("submit needs a complete profile and a document", async () => {
    const t = newTest();
    const me = await applicant(t);
    await expectAppError(me.mutation(api.advisorApplications.submit, {}), "NOT_FOUND");
    await me.mutation(api.advisorApplications.saveStep, { step: 0, ...ABOUT });
    await expect(me.mutation(api.advisorApplications.submit, {})).rejects.toThrow(/not complete/);
    await me.mutation(api.advisorApplications.saveStep, { step: 1, ...EXPERTISE });
    await me.mutation(api.advisorApplications.saveStep, {
      step: 3,
      chatRateCentsPerMinute: 150,
      videoRateCentsPerMinute: 250,
    });
    await expect(me.mutation(api.advisorApplications.submit, {})).rejects.toThrow(/verification document/);
    const doc = await upload(t, 100, "image/png", me);
    await me.mutation(api.advisorApplications.attachDocument, { storageId: doc, fileName: "id.png" });
    await me.mutation(api.advisorApplications.submit, {});
    expect((await me.query(api.advisorApplications.myProfile, {}))?.status).toBe("submitted");
    await expectAppError(me.mutation(api.advisorApplications.submit, {}), "CONFLICT");
  });
});

describe("review workflow", () => {
  it("approval makes the user an advisor and lists them; rejection shows the reason", async () => {
    const t = newTest();
    const me = await completeApplication(t);
    await me.mutation(api.advisorApplications.submit, {});
    const boss = await admin(t);
    const queue = await boss.query(api.adminAdvisors.listByStatus, {
      status: "submitted",
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(queue.page).toHaveLength(1);
    expect(queue.page[0]!.documents).toHaveLength(1);
    const profileId = queue.page[0]!._id;

    await expectAppError(boss.mutation(api.adminAdvisors.reject, { profileId, reason: "no" }), "INVALID_ARGUMENT");
    await boss.mutation(api.adminAdvisors.reject, { profileId, reason: "Please upload a clearer ID document." });
    expect(await me.query(api.advisorApplications.myProfile, {})).toMatchObject({
      status: "rejected",
      statusReason: "Please upload a clearer ID document.",
    });
    await expectAppError(boss.mutation(api.adminAdvisors.approve, { profileId }), "CONFLICT");

    await me.mutation(api.advisorApplications.submit, {});
    await boss.mutation(api.adminAdvisors.approve, { profileId });
    const user = await t.run(async (ctx) =>
      ctx.db
        .query("users")
        .withIndex("by_email", (q) => q.eq("email", "applicant@example.test"))
        .unique(),
    );
    expect(user?.role).toBe("advisor");
    expect((await t.query(api.advisorProfiles.listApproved, {})).map((p) => p.displayName)).toContain("Robin Reader");
    const audit = await t.run(async (ctx) => ctx.db.query("auditLog").collect());
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["advisor.application_submitted", "advisor.rejected", "advisor.approved"]),
    );

    await boss.mutation(api.adminAdvisors.suspend, { profileId, reason: "Too many complaints this week." });
    expect(await t.query(api.advisorProfiles.getApproved, { profileId })).toBeNull();
    await boss.mutation(api.adminAdvisors.reinstate, { profileId });
    expect(await t.query(api.advisorProfiles.getApproved, { profileId })).not.toBeNull();
  });

  it("admin functions refuse non-admins", async () => {
    const t = newTest();
    const me = await completeApplication(t);
    await me.mutation(api.advisorApplications.submit, {});
    const profileId = (await me.query(api.advisorApplications.myProfile, {}))!._id;
    await expectAppError(me.mutation(api.adminAdvisors.approve, { profileId }), "FORBIDDEN");
    await expectAppError(
      me.query(api.adminAdvisors.listByStatus, { status: "submitted", paginationOpts: { numItems: 5, cursor: null } }),
      "FORBIDDEN",
    );
    await expectAppError(
      me.mutation(api.adminAdvisors.setFeeBps, { profileId, feeBps: 500, reason: "promo" }),
      "FORBIDDEN",
    );
    await expectAppError(
      me.query(api.adminAdvisors.listRateChanges, { paginationOpts: { numItems: 5, cursor: null } }),
      "FORBIDDEN",
    );
    await expectAppError(me.query(api.adminAdvisors.statusCounts, {}), "FORBIDDEN");
  });
});

describe("rates and fees", () => {
  it("records every rate change with old, new, who and when; fees are audited", async () => {
    const t = newTest();
    const profileId = await addAdvisor(t, "adv", {
      displayName: "Ada",
      categories: ["tech"],
      status: "approved",
      online: true,
      chatRateCentsPerMinute: 200,
      videoRateCentsPerMinute: 300,
    });
    const adv = t.withIdentity(localIdentity("adv"));
    await adv.mutation(api.advisorApplications.updateProfile, {
      chatRateCentsPerMinute: 250,
      videoRateCentsPerMinute: null,
    });
    const boss = await admin(t);
    const changes = await boss.query(api.adminAdvisors.listRateChanges, {
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(changes.page.map((c) => [c.channel, c.oldCents, c.newCents, c.changedByName]).sort()).toEqual([
      ["chat", 200, 250, "User adv"],
      ["video", 300, null, "User adv"],
    ]);
    await expectAppError(
      boss.mutation(api.adminAdvisors.setFeeBps, { profileId, feeBps: 5001, reason: "too much" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      boss.mutation(api.adminAdvisors.setFeeBps, { profileId, feeBps: 12.5, reason: "fraction" }),
      "INVALID_ARGUMENT",
    );
    await boss.mutation(api.adminAdvisors.setFeeBps, { profileId, feeBps: 800, reason: "Top advisor promotion" });
    const fees = await boss.query(api.adminAdvisors.listFeeChanges, { paginationOpts: { numItems: 10, cursor: null } });
    expect(fees.page[0]).toMatchObject({ oldBps: 1000, newBps: 800, reason: "Top advisor promotion" });
    expect((await adv.query(api.advisorApplications.myProfile, {}))?.feeBps).toBe(800);
  });

  it("a non-owner cannot edit someone else's profile (the API edits the viewer's own only)", async () => {
    const t = newTest();
    const profileId = await addAdvisor(t, "adv", { displayName: "Ada", categories: ["tech"], status: "approved" });
    const other = await applicant(t, "other");
    await other.mutation(api.advisorApplications.updateProfile, { displayName: "Hacked Name" });
    expect((await t.query(api.advisorProfiles.getApproved, { profileId }))?.displayName).toBe("Ada");
  });
});

describe("availability and presence", () => {
  it("toggle, heartbeat, sweep after 2 minutes, busy in a session", async () => {
    const t = newTest();
    const profileId = await addAdvisor(t, "adv", {
      displayName: "Ada",
      categories: ["tech"],
      status: "approved",
      online: false,
    });
    const adv = t.withIdentity(localIdentity("adv"));
    await adv.mutation(api.presence.setAvailability, { availability: "online" });
    expect((await t.query(api.advisorProfiles.getApproved, { profileId }))?.availability).toBe("online");
    await adv.mutation(api.presence.setAvailability, { availability: "busy" });
    expect(await adv.query(api.presence.mine, {})).toMatchObject({ availability: "busy", preferred: "busy" });
    await adv.mutation(api.presence.setAvailability, { availability: "online" });

    // A fresh heartbeat survives the sweep; one older than 2 minutes does not.
    await adv.mutation(api.presence.heartbeat, {});
    expect(await t.mutation(internal.presence.sweep, {})).toEqual({ markedOffline: 0 });
    await t.run(async (ctx) => {
      const row = await ctx.db.query("advisorPresence").first();
      await ctx.db.patch("advisorPresence", row!._id, { lastSeenAt: Date.now() - 2 * 60 * 1000 - 1 });
    });
    expect(await t.mutation(internal.presence.sweep, {})).toEqual({ markedOffline: 1 });
    expect((await t.query(api.advisorProfiles.getApproved, { profileId }))?.availability).toBe("offline");

    // Sessions (later issue) call setInSession: busy while live, back to the preference after.
    await adv.mutation(api.presence.setAvailability, { availability: "online" });
    const userId = (await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId)))!.userId;
    const { setInSession } = await import("../../convex/model/advisors");
    await t.run(async (ctx) => setInSession(ctx, userId, true));
    expect((await t.query(api.advisorProfiles.getApproved, { profileId }))?.availability).toBe("busy");
    await t.run(async (ctx) => setInSession(ctx, userId, false));
    expect((await t.query(api.advisorProfiles.getApproved, { profileId }))?.availability).toBe("online");
  });

  it("only approved advisors can go online", async () => {
    const t = newTest();
    const me = await completeApplication(t);
    await expectAppError(me.mutation(api.presence.setAvailability, { availability: "online" }), "FORBIDDEN");
    await addAdvisor(t, "pending", { displayName: "P", categories: ["tech"], status: "submitted" });
    const pending = t.withIdentity(localIdentity("pending"));
    await expectAppError(pending.mutation(api.presence.setAvailability, { availability: "online" }), "FORBIDDEN");
    await insertUser(t, "sus", "advisor", { status: "suspended" });
    await expectAppError(
      t.withIdentity(localIdentity("sus")).mutation(api.presence.setAvailability, { availability: "online" }),
      "SUSPENDED",
    );
  });
});

describe("favourites", () => {
  it("stars approved advisors and lists them with live status", async () => {
    const t = newTest();
    const a = await addAdvisor(t, "a", { displayName: "Ada", categories: ["tech"], status: "approved", online: true });
    const b = await addAdvisor(t, "b", { displayName: "Bo", categories: ["tech"], status: "submitted" });
    const me = await applicant(t, "client");
    await expectAppError(t.mutation(api.favourites.add, { profileId: a }), "UNAUTHENTICATED");
    await me.mutation(api.favourites.add, { profileId: a });
    await me.mutation(api.favourites.add, { profileId: a });
    await expectAppError(me.mutation(api.favourites.add, { profileId: b }), "NOT_FOUND");
    expect((await me.query(api.favourites.listMine, {})).map((f) => [f.displayName, f.availability])).toEqual([
      ["Ada", "online"],
    ]);
    expect(await me.query(api.favourites.myIds, {})).toEqual([a]);
    expect((await me.query(api.advisorProfiles.getPublic, { profileId: a }))?.isFavourite).toBe(true);
    await me.mutation(api.favourites.remove, { profileId: a });
    expect(await me.query(api.favourites.listMine, {})).toEqual([]);
  });
});
