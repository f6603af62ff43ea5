// Admin sessions console (issue 10): permissions, the live board versus the history, force-end.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const admin = localIdentity("admin1");
const page = { numItems: 20, cursor: null };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

async function advance(t: Test, ms: number) {
  vi.advanceTimersByTime(ms);
  await t.finishInProgressScheduledFunctions();
}

async function setup() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  await insertUser(t, "admin1", "admin");
  const profileId = await addAdvisor(t, "advisor1", {
    displayName: "Ada Advisor",
    categories: ["tarot"],
    status: "approved",
    online: true,
    chatRateCentsPerMinute: 60,
    videoRateCentsPerMinute: 120,
  });
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: 5_000 },
    idempotencyKey: "topup:initial",
  });
  await t.finishInProgressScheduledFunctions();
  return { t, clientId, profileId };
}

async function startSession(t: Test, profileId: Id<"advisorProfiles">) {
  const { sessionId } = await t
    .withIdentity(client)
    .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
  await advance(t, 2_000);
  await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
  return sessionId;
}

describe("permissions", () => {
  // The first test also loads every module (slow on a busy machine).
  it("a client and an advisor are refused every admin sessions function", { timeout: 30_000 }, async () => {
    const { t, profileId } = await setup();
    const sessionId = await startSession(t, profileId);
    for (const who of [client, advisor]) {
      await expectAppError(t.withIdentity(who).query(api.adminSessions.live, {}), "FORBIDDEN");
      await expectAppError(t.withIdentity(who).query(api.adminSessions.history, { paginationOpts: page }), "FORBIDDEN");
      await expectAppError(t.withIdentity(who).query(api.adminSessions.get, { sessionId }), "FORBIDDEN");
      await expectAppError(
        t.withIdentity(who).mutation(api.sessions.adminEnd, { sessionId, reason: "Testing refusal" }),
        "FORBIDDEN",
      );
    }
    await expectAppError(t.query(api.adminSessions.live, {}), "UNAUTHENTICATED");
  });
});

describe("live board and history", () => {
  it("an open session is live, not history; once ended it moves to history with its settlement", async () => {
    const { t, profileId } = await setup();
    const sessionId = await startSession(t, profileId);
    const live = await t.withIdentity(admin).query(api.adminSessions.live, {});
    expect(live.map((r) => r._id)).toEqual([sessionId]);
    expect(live[0]).toMatchObject({
      status: "active",
      kind: "chat",
      rateCentsPerMinute: 60,
      client: { name: "User client1" },
      advisor: { name: "User advisor1" },
    });
    // $50.00 at $0.60/min (a cent a second) covers 5,000 seconds.
    expect(live[0]!.limitSeconds).toBe(5_000);
    expect((await t.withIdentity(admin).query(api.adminSessions.history, { paginationOpts: page })).page).toEqual([]);

    for (let i = 0; i < 6; i++) {
      await advance(t, 10_000);
      await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
      await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });

    expect(await t.withIdentity(admin).query(api.adminSessions.live, {})).toEqual([]);
    const history = await t.withIdentity(admin).query(api.adminSessions.history, { paginationOpts: page });
    expect(history.page).toHaveLength(1);
    expect(history.page[0]).toMatchObject({
      _id: sessionId,
      status: "ended",
      billableSeconds: 60,
      costCents: 60,
      clientCents: 60,
      feeCents: expect.any(Number),
    });
    // Filters: status, kind, participant email, date range.
    const q = (extra: object) =>
      t.withIdentity(admin).query(api.adminSessions.history, { paginationOpts: page, ...extra });
    expect((await q({ status: "ended" })).page).toHaveLength(1);
    expect((await q({ status: "declined" })).page).toHaveLength(0);
    expect((await q({ kind: "video" })).page).toHaveLength(0);
    expect((await q({ participantEmail: "client1@example.test" })).page).toHaveLength(1);
    expect((await q({ participantEmail: "advisor1@example.test" })).page).toHaveLength(1);
    expect((await q({ participantEmail: "nobody@example.test" })).page).toHaveLength(0);
    expect((await q({ fromMs: T0 + 60 * 60_000 })).page).toHaveLength(0);
    expect((await q({ fromMs: T0 - 1, toMs: T0 + 60 * 60_000 })).page).toHaveLength(1);
    await expectAppError(q({ fromMs: T0 + 1, toMs: T0 }), "INVALID_ARGUMENT");
  });

  it("a declined request is history, never live", async () => {
    const { t, profileId } = await setup();
    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    expect((await t.withIdentity(admin).query(api.adminSessions.live, {}))[0]).toMatchObject({
      _id: sessionId,
      status: "requested",
      limitSeconds: null,
    });
    await t.withIdentity(advisor).mutation(api.sessions.decline, { sessionId });
    expect(await t.withIdentity(admin).query(api.adminSessions.live, {})).toEqual([]);
    const history = await t
      .withIdentity(admin)
      .query(api.adminSessions.history, { paginationOpts: page, status: "declined" });
    expect(history.page.map((r) => r._id)).toEqual([sessionId]);
  });
});

describe("force-end", () => {
  it("settles once, like a normal end, and is audited with the reason", async () => {
    const { t, profileId } = await setup();
    const sessionId = await startSession(t, profileId);
    await advance(t, 30_000);
    await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
    await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    await expectAppError(
      t.withIdentity(admin).mutation(api.sessions.adminEnd, { sessionId, reason: " " }),
      "INVALID_ARGUMENT",
    );
    await t.withIdentity(admin).mutation(api.sessions.adminEnd, { sessionId, reason: "Abusive language reported" });
    // A second force-end (a double click) settles nothing more.
    await t.withIdentity(admin).mutation(api.sessions.adminEnd, { sessionId, reason: "Abusive language reported" });

    const detail = await t.withIdentity(admin).query(api.adminSessions.get, { sessionId });
    expect(detail).toMatchObject({
      status: "ended",
      endReason: "admin_ended",
      billableSeconds: 30,
      costCents: 30,
      endedBy: { name: "User admin1" },
    });
    expect(detail.settlementJournalId).not.toBeNull();
    expect(detail.earning).toMatchObject({ status: "pending" });
    expect(detail.audit.filter((a) => a.action === "session.force_end")[0]).toMatchObject({
      details: "Abusive language reported",
      actor: { name: "User admin1" },
    });

    const journals = await t.run(async (ctx) =>
      ctx.db
        .query("journals")
        .withIndex("by_key", (q) => q.eq("idempotencyKey", `session:${sessionId}:settlement`))
        .collect(),
    );
    expect(journals).toHaveLength(1);
    const earnings = await t.run(async (ctx) =>
      ctx.db
        .query("earnings")
        .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
        .collect(),
    );
    expect(earnings).toHaveLength(1);
    const receipt = await t.withIdentity(client).query(api.sessions.receipt, { sessionId });
    expect(receipt).toMatchObject({ status: "ended", endReason: "admin_ended", clientCents: 30 });
  });
});
