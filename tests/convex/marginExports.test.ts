// Background margin CSV exports (issue 25): a chain of one-row pages writes the same file as the direct download
// (marginCsv of the report), the file reaches admins only, and starting one is checked, validated and rate limited.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { beginMarginExport } from "../../convex/model/marginExports";
import { ABANDONED_ERROR, EXPORT_RETENTION_MS, EXPORT_STUCK_MS } from "../../convex/model/exportRetention";
import { marginCsv } from "../../lib/marginCsv";
import { feeSplit } from "../../lib/ledger/templates";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";
import { endedSessionDoc } from "./sessionFixtures";
import { addAdvisor } from "./advisorHelpers";

type UserId = Id<"users">;
const admin = localIdentity("admin1");
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const HOUR = 60 * 60_000;
const NOW = Date.UTC(2026, 10, 21, 12);
const RANGE = { from: "2026-11-01", to: "2026-11-21", tz: "America/New_York" };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

async function settle(t: Test, clientId: UserId, advisorId: UserId, costCents: number, agoMs: number) {
  const at = NOW - agoMs;
  vi.setSystemTime(at);
  const { feeCents } = feeSplit(costCents, 1000);
  const sessionId = await t.run(async (ctx) =>
    ctx.db.insert(
      "sessions",
      endedSessionDoc({ clientId, advisorId }, { endedAt: at, rateCentsPerMinute: 100, costCents, promoCents: 0 }),
    ),
  );
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "session_settled", clientId, advisorId, costCents, feeCents },
    idempotencyKey: `settle:${sessionId}`,
    refs: { sessionId },
  });
  vi.setSystemTime(NOW);
  return sessionId;
}

/** Four advisors with sessions on several days, a refund and a chargeback (not tied to an advisor). */
async function setup() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  const adminId = await insertUser(t, "admin1", "admin");
  const names = ["Luna", "Marcus", "Priya", "Zed"];
  for (const [i, name] of names.entries())
    await addAdvisor(t, `advisor${i + 1}`, {
      displayName: name,
      categories: [i % 2 ? "career" : "tarot"],
      status: "approved",
    });
  const advisors = await t.run(async (ctx) => {
    const profiles = await ctx.db.query("advisorProfiles").collect();
    return names.map((n) => profiles.find((p) => p.displayName === n)!.userId);
  });
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: 1_000_00 },
    idempotencyKey: "topup",
  });
  const sessions: Id<"sessions">[] = [];
  for (let day = 0; day < 5; day++)
    for (const [i, advisorId] of advisors.entries())
      if ((day + i) % 3 !== 0)
        sessions.push(await settle(t, clientId, advisorId, 700 + 100 * i + day, (day * 24 + 2) * HOUR));
  await t.mutation(internal.ledger.postEvent, {
    event: {
      kind: "session_refunded",
      clientId,
      advisorId: advisors[1]!,
      refundCents: 300,
      shareCents: 270,
      feeCents: 30,
      source: "pending",
    },
    idempotencyKey: "refund:1",
    refs: { sessionId: sessions[1]! },
  });
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "chargeback_opened", clientId, amountCents: 2_000, feeCents: 1_500 },
    idempotencyKey: "cb:1",
  });
  return { t, adminId };
}

async function fileText(t: Test, exportId: Id<"marginExports">) {
  return await t.run(async (ctx) => {
    const row = (await ctx.db.get("marginExports", exportId))!;
    return await (await ctx.storage.get(row.storageId!))!.text();
  });
}

describe("background margin export", () => {
  it("one advisor-day row per step writes exactly the direct download's CSV, then drops its sums", async () => {
    const { t, adminId } = await setup();
    const report = await t.withIdentity(admin).query(api.margins.report, RANGE);
    expect(report.advisorsComplete).toBe(true);
    expect(report.byAdvisor.some((a) => a.advisorId === null)).toBe(true); // the chargeback: a house row
    const direct = marginCsv(report);

    const exportId = await t.run(async (ctx) => await beginMarginExport(ctx, adminId, RANGE, 1));
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const rowsInRange = await t.run(async (ctx) => (await ctx.db.query("advisorMarginDays").collect()).length);
    const [view] = await t.withIdentity(admin).query(api.marginExports.list, {});
    expect(view).toMatchObject({ _id: exportId, status: "done", rowsRead: rowsInRange, advisors: 4 });
    expect(view!.pages).toBe(rowsInRange); // one row per step (the last step finds the end)
    expect(view!.csvRows).toBe(direct.trim().split("\r\n").length - 1);
    expect(await fileText(t, exportId)).toBe(direct);
    expect(await t.run(async (ctx) => await ctx.db.query("marginExportAdvisors").collect())).toEqual([]);

    // Default page size, through the public mutation: the same file.
    const second = await t.withIdentity(admin).mutation(api.marginExports.start, RANGE);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await fileText(t, second)).toBe(direct);
  });

  it("the file reaches admins only; unfinished or unknown exports are not found", async () => {
    const { t } = await setup();
    const exportId = await t.withIdentity(admin).mutation(api.marginExports.start, RANGE);
    const path = `/exports/margin?id=${exportId}`;
    expect((await t.withIdentity(admin).fetch(path)).status).toBe(404); // still running
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const ok = await t.withIdentity(admin).fetch(path);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/csv");
    expect(ok.headers.get("content-disposition")).toBe('attachment; filename="margin-2026-11-01-to-2026-11-21.csv"');
    expect(await ok.text()).toBe(await fileText(t, exportId));
    await insertUser(t, "advisor9", "advisor");
    for (const who of [client, localIdentity("advisor9")])
      expect((await t.withIdentity(who).fetch(path)).status).toBe(403);
    expect((await t.fetch(path)).status).toBe(401);
    expect((await t.withIdentity(admin).fetch("/exports/margin?id=nope")).status).toBe(404);
  });

  it("starting is for admins, with a valid range, at most 3 in a row", async () => {
    const { t } = await setup();
    await expectAppError(t.withIdentity(client).mutation(api.marginExports.start, RANGE), "FORBIDDEN");
    await expectAppError(t.withIdentity(advisor).mutation(api.marginExports.start, RANGE), "FORBIDDEN");
    await expectAppError(t.withIdentity(client).query(api.marginExports.list, {}), "FORBIDDEN");
    await expectAppError(t.mutation(api.marginExports.start, RANGE), "UNAUTHENTICATED");
    const as = t.withIdentity(admin);
    await expectAppError(as.mutation(api.marginExports.start, { ...RANGE, from: "2026-01-01" }), "INVALID_ARGUMENT");
    await expectAppError(as.mutation(api.marginExports.start, { ...RANGE, from: "2026-11-22" }), "INVALID_ARGUMENT");
    expect(await t.run(async (ctx) => await ctx.db.query("marginExports").collect())).toEqual([]);
    for (let i = 0; i < 3; i++) await as.mutation(api.marginExports.start, RANGE);
    await expectAppError(as.mutation(api.marginExports.start, RANGE), "RATE_LIMITED");
    expect((await as.query(api.marginExports.list, {})).length).toBe(3);
  });

  it("a step that fails shows the export as failed with its error", async () => {
    const { t } = await setup();
    const exportId = await t.withIdentity(admin).mutation(api.marginExports.start, RANGE);
    await t.run(async (ctx) => {
      const row = (await ctx.db.get("marginExports", exportId))!;
      await ctx.scheduler.cancel(row.jobId as Id<"_scheduled_functions">);
    });
    const [view] = await t.withIdentity(admin).query(api.marginExports.list, {});
    expect(view).toMatchObject({ status: "failed", error: "The export was canceled." });
  });
});

describe("resuming a failed export", () => {
  /** Runs the chain's next scheduled step (the steps schedule each other at once). */
  async function step(t: Test) {
    vi.runOnlyPendingTimers();
    await t.finishInProgressScheduledFunctions();
  }

  it("runs the failed step again from where the chain stopped and writes the same file", async () => {
    const { t, adminId } = await setup();
    const direct = marginCsv(await t.withIdentity(admin).query(api.margins.report, RANGE));
    const exportId = await t.run(async (ctx) => await beginMarginExport(ctx, adminId, RANGE, 1));
    for (let i = 0; i < 3; i++) await step(t);
    const as = t.withIdentity(admin);
    await expectAppError(as.mutation(api.marginExports.resume, { exportId }), "CONFLICT"); // still running
    // The next step fails (here: the row made unreadable; on a deployment e.g. a timeout).
    await t.run(async (ctx) => await ctx.db.patch("marginExports", exportId, { from: "not a day" }));
    await step(t);
    let [view] = await as.query(api.marginExports.list, {});
    expect(view).toMatchObject({ status: "failed", phase: "rows", resumable: true, rowsRead: 3, pages: 3 });
    // Resumed while the cause is still there: it fails again, and can be resumed again.
    await as.mutation(api.marginExports.resume, { exportId });
    // A replayed resume (a double click, a second admin) finds the step queued: refused, nothing scheduled twice.
    await expectAppError(as.mutation(api.marginExports.resume, { exportId }), "CONFLICT");
    await step(t);
    [view] = await as.query(api.marginExports.list, {});
    expect(view).toMatchObject({ status: "failed", resumable: true, rowsRead: 3 });
    await t.run(async (ctx) => await ctx.db.patch("marginExports", exportId, { from: RANGE.from }));
    await as.mutation(api.marginExports.resume, { exportId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    [view] = await as.query(api.marginExports.list, {});
    expect(view).toMatchObject({ status: "done", resumable: false });
    expect(await fileText(t, exportId)).toBe(direct); // nothing counted twice, nothing missed
    const audit = await t.run(async (ctx) => await ctx.db.query("auditLog").collect());
    expect(audit.filter((a) => a.action === "margins.export_resume" && a.targetId === exportId).length).toBe(2);
    expect(audit.every((a) => a.action !== "margins.export_resume" || a.actorId !== null)).toBe(true);
    await expectAppError(as.mutation(api.marginExports.resume, { exportId }), "CONFLICT"); // done
  });

  it("a file step that failed is written again; only admins resume, and not an export stopped for good", async () => {
    const { t } = await setup();
    const as = t.withIdentity(admin);
    const exportId = await as.mutation(api.marginExports.start, RANGE);
    const phase = async () => await t.run(async (ctx) => (await ctx.db.get("marginExports", exportId))!.status);
    for (let i = 0; i < 20 && (await phase()) === "rows"; i++) await step(t); // a few steps at 200 rows each
    expect(await phase()).toBe("file");
    await t.run(async (ctx) => {
      const row = (await ctx.db.get("marginExports", exportId))!;
      await ctx.scheduler.cancel(row.jobId as Id<"_scheduled_functions">); // the file step is lost
    });
    expect((await as.query(api.marginExports.list, {}))[0]).toMatchObject({ phase: "file", resumable: true });
    await expectAppError(t.withIdentity(client).mutation(api.marginExports.resume, { exportId }), "FORBIDDEN");
    await expectAppError(t.mutation(api.marginExports.resume, { exportId }), "UNAUTHENTICATED");
    await as.mutation(api.marginExports.resume, { exportId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await as.query(api.marginExports.list, {}))[0]).toMatchObject({ status: "done" });

    // Stopped by the retention cron after a day: failed for good, not resumable.
    const stuck = await as.mutation(api.marginExports.start, RANGE);
    vi.setSystemTime(NOW + EXPORT_STUCK_MS + HOUR);
    await t.mutation(internal.marginExports.sweepRetention, {});
    const view = (await as.query(api.marginExports.list, {})).find((e) => e._id === stuck);
    expect(view).toMatchObject({ status: "failed", resumable: false });
    await expectAppError(as.mutation(api.marginExports.resume, { exportId: stuck }), "CONFLICT");
  });
});

describe("margin export retention", () => {
  const sweep = (t: Test, limit?: number) =>
    t.mutation(internal.marginExports.sweepRetention, limit === undefined ? {} : { limit });
  const rowOf = (t: Test, id: Id<"marginExports">) => t.run(async (ctx) => (await ctx.db.get("marginExports", id))!);
  const storedFiles = (t: Test) => t.run(async (ctx) => (await ctx.db.system.query("_storage").collect()).length);

  it("deletes the file once the retention period has passed, not before; then the download is 410 Gone", async () => {
    const { t } = await setup();
    const exportId = await t.withIdentity(admin).mutation(api.marginExports.start, RANGE);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const done = await rowOf(t, exportId);
    const path = `/exports/margin?id=${exportId}`;
    expect(done.status).toBe("done");
    const [view] = await t.withIdentity(admin).query(api.marginExports.list, {});
    expect(view).toMatchObject({ status: "done", expiresAt: done.finishedAt! + EXPORT_RETENTION_MS, expiredAt: null });

    vi.setSystemTime(done.finishedAt! + EXPORT_RETENTION_MS - 1);
    expect(await sweep(t)).toEqual({ expired: 0, abandoned: 0, more: false });
    expect(await storedFiles(t)).toBe(1);
    expect((await t.withIdentity(admin).fetch(path)).status).toBe(200);

    const expiredAt = done.finishedAt! + EXPORT_RETENTION_MS + 1;
    vi.setSystemTime(expiredAt);
    expect(await sweep(t)).toEqual({ expired: 1, abandoned: 0, more: false });
    expect(await storedFiles(t)).toBe(0);
    const expiredRow = await rowOf(t, exportId);
    expect(expiredRow).toMatchObject({ status: "expired", expiredAt });
    expect(expiredRow.storageId).toBeUndefined();
    const [expired] = await t.withIdentity(admin).query(api.marginExports.list, {});
    expect(expired).toMatchObject({ status: "expired", expiredAt, expiresAt: null, csvRows: done.csvRows });
    const gone = await t.withIdentity(admin).fetch(path);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toMatch(/expired.*deleted 7 days after it finishes.*start a new export/i);
    // Still admins only: an expired export tells nobody else anything.
    expect((await t.withIdentity(client).fetch(path)).status).toBe(403);

    // Idempotent: a second run (or the next hour's) changes nothing.
    vi.setSystemTime(expiredAt + 60 * 60_000);
    expect(await sweep(t)).toEqual({ expired: 0, abandoned: 0, more: false });
    expect(await rowOf(t, exportId)).toMatchObject({ status: "expired", expiredAt });
  });

  it("handles a bounded batch per run and schedules itself while more remain", async () => {
    const { t, adminId } = await setup();
    const ids: Id<"marginExports">[] = [];
    for (let i = 0; i < 5; i++) ids.push(await t.run(async (ctx) => await beginMarginExport(ctx, adminId, RANGE)));
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await storedFiles(t)).toBe(5);
    vi.setSystemTime(NOW + EXPORT_RETENTION_MS + 60_000);
    expect(await sweep(t, 2)).toEqual({ expired: 2, abandoned: 0, more: true });
    expect(await storedFiles(t)).toBe(3);
    const statuses = async () => await Promise.all(ids.map(async (id) => (await rowOf(t, id)).status));
    expect((await statuses()).filter((s) => s === "expired")).toHaveLength(2);
    await t.finishAllScheduledFunctions(vi.runAllTimers); // the continuations: 2, then 1
    expect(await statuses()).toEqual(Array(5).fill("expired"));
    expect(await storedFiles(t)).toBe(0);
    expect(await sweep(t, 2)).toEqual({ expired: 0, abandoned: 0, more: false });
  });

  it("stops an export stuck in a step after a day and drops its sums; a late file is deleted", async () => {
    const { t, adminId } = await setup();
    const exportId = await t.run(async (ctx) => await beginMarginExport(ctx, adminId, RANGE, 1));
    // Two steps ran, then the chain stalled (its next step stays pending).
    for (let i = 0; i < 2; i++) await t.mutation(internal.marginExports.foldPage, { exportId, rowsPerPage: 1 });
    const sums = () => t.run(async (ctx) => (await ctx.db.query("marginExportAdvisors").collect()).length);
    expect(await sums()).toBeGreaterThan(0);

    vi.setSystemTime(NOW + EXPORT_STUCK_MS - 1);
    expect(await sweep(t)).toEqual({ expired: 0, abandoned: 0, more: false });
    vi.setSystemTime(NOW + EXPORT_STUCK_MS + 1);
    expect(await sweep(t)).toEqual({ expired: 0, abandoned: 1, more: false });
    await t.finishAllScheduledFunctions(vi.runAllTimers); // stalled steps find it failed; the cleanup runs
    expect(await sums()).toBe(0);
    const stopped = await rowOf(t, exportId);
    expect(stopped).toMatchObject({ status: "failed", error: ABANDONED_ERROR });
    expect(stopped.storageId).toBeUndefined();
    const [view] = await t.withIdentity(admin).query(api.marginExports.list, {});
    expect(view).toMatchObject({ status: "failed", error: ABANDONED_ERROR });
    expect((await t.withIdentity(admin).fetch(`/exports/margin?id=${exportId}`)).status).toBe(404);
    expect(await sweep(t)).toEqual({ expired: 0, abandoned: 0, more: false });

    // A file action that was mid-write when the export was stopped: its file is not kept.
    const storageId = await t.run(async (ctx) => await ctx.storage.store(new Blob(["late"])));
    await t.mutation(internal.marginExports.finish, { exportId, storageId, csvRows: 1, bytes: 4 });
    expect(await storedFiles(t)).toBe(0);
    expect((await rowOf(t, exportId)).status).toBe("failed");
  });
});
