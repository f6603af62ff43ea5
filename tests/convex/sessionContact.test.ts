// The contact contract of live sessions (issue 18): presence from any activity, a lapsed side receives nothing,
// billing stops at the earlier side's last presence, unbilled contact is bounded, only the pauser resumes,
// RATE_CHANGED, the funds timer re-armed on a credit-limit change, and Stream following the session.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { SESSION_RULES } from "../../lib/billingEngine";
import { closeSegment, deliverableAt, resumerFor } from "../../lib/sessionContact";
import { streamSyncCalls } from "../../lib/stream";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";

type SessionId = Id<"sessions">;
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const P = SESSION_RULES.presentWindowMs;
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

async function advance(t: Test, ms: number) {
  vi.advanceTimersByTime(ms);
  await t.finishInProgressScheduledFunctions();
}

async function setup(walletCents = 5_000, rate = 60, kind: "chat" | "video" = "chat", creditLimitCents = 0) {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  await insertUser(t, "admin1", "admin");
  const profileId = await addAdvisor(t, "advisor1", {
    displayName: "Ada",
    categories: ["tarot"],
    status: "approved",
    online: true,
    chatRateCentsPerMinute: rate,
    videoRateCentsPerMinute: rate,
  });
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: walletCents },
    idempotencyKey: "topup:0",
  });
  await t.finishInProgressScheduledFunctions();
  if (creditLimitCents > 0) {
    await t
      .withIdentity(localIdentity("admin1"))
      .mutation(api.topups.setClientCreditLimit, { userId: clientId, creditLimitCents, reason: "trusted client" });
  }
  const { sessionId } = await t
    .withIdentity(client)
    .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind }));
  await advance(t, 1_000);
  await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
  return { t, clientId, profileId, sessionId };
}

const session = (t: Test, id: SessionId) => t.run(async (ctx) => (await ctx.db.get("sessions", id))!);

describe("pure rules (lib/sessionContact.ts)", () => {
  it("closes a segment at the earlier side's last presence; contact after it is unbilled only within the budget", () => {
    // Both present: billed to the event time.
    expect(closeSegment({ startedAt: 0, at: 100_000, lastSeen: [95_000, 99_000], budgetLeftMs: 60_000 })).toEqual({
      endedAt: 100_000,
      unbilledMs: 0,
    });
    // The client lapsed at 20 s: contact ended at 20 s + P, billing at 20 s, P unbilled.
    expect(closeSegment({ startedAt: 0, at: 100_000, lastSeen: [20_000, 99_000], budgetLeftMs: 60_000 })).toEqual({
      endedAt: 20_000,
      contactEndedAt: 20_000 + P,
      unbilledMs: P,
    });
    // Budget nearly spent: the rest of the contact window is billed.
    expect(closeSegment({ startedAt: 0, at: 100_000, lastSeen: [20_000, 99_000], budgetLeftMs: 5_000 })).toEqual({
      endedAt: 15_000 + P,
      contactEndedAt: 20_000 + P,
      unbilledMs: 5_000,
    });
    // Both lapsed: the earlier one wins.
    expect(
      closeSegment({ startedAt: 0, at: 200_000, lastSeen: [50_000, 30_000], budgetLeftMs: 0 }).contactEndedAt,
    ).toBe(30_000 + P);
  });

  it("delivers a message only inside its segment's contact window; in the open segment, up to the viewer's cutoff", () => {
    const segments = [{ startedAt: 0, endedAt: 10_000, contactEndedAt: 20_000 }, { startedAt: 50_000 }];
    expect(deliverableAt(15_000, segments, null)).toBe(true);
    expect(deliverableAt(25_000, segments, null)).toBe(false);
    expect(deliverableAt(60_000, segments, 70_000)).toBe(true);
    expect(deliverableAt(80_000, segments, 70_000)).toBe(false);
    expect(deliverableAt(60_000, segments, null)).toBe(false);
  });

  it("only the side that paused resumes; the client after a funds pause", () => {
    expect(resumerFor("client_paused")).toBe("client");
    expect(resumerFor("client_away")).toBe("client");
    expect(resumerFor("insufficient_funds")).toBe("client");
    expect(resumerFor("advisor_paused")).toBe("advisor");
    expect(resumerFor("advisor_away")).toBe("advisor");
  });

  it("the unbilled-contact budget is at most one grace window", () => {
    expect(SESSION_RULES.unbilledContactBudgetMs).toBeLessThanOrEqual(
      Math.min(SESSION_RULES.graceMs.chat, SESSION_RULES.graceMs.video),
    );
    expect(SESSION_RULES.presentWindowMs).toBeGreaterThan(SESSION_RULES.heartbeatIntervalMs);
  });
});

describe("presence and delivery", () => {
  it("a message counts as presence: a client who chats without heart-beating is billed for the time they chat", async () => {
    const { t, sessionId } = await setup();
    for (let i = 0; i < 6; i++) {
      await advance(t, 20_000);
      await t.withIdentity(client).mutation(api.chat.send, { sessionId, body: `client ${i}` });
      await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
    await t.withIdentity(advisor).mutation(api.sessions.end, { sessionId });
    expect((await session(t, sessionId)).billableSeconds).toBe(120);
  });

  it("a lapsed client receives nothing newer than lastSeen + the presence window, ever; billing stops at its last presence", async () => {
    const { t, sessionId } = await setup();
    await advance(t, 10_000);
    await t.withIdentity(client).mutation(api.chat.send, { sessionId, body: "hi" }); // client present at +11 s
    const seenAt = Date.now();
    for (let i = 0; i < 5; i++) {
      await advance(t, 10_000);
      await t.withIdentity(advisor).mutation(api.chat.send, { sessionId, body: `advisor ${i}` });
    }
    // Sent at +10..+50 s after the client's last presence: only those within P reach the client.
    const live = await t.withIdentity(client).query(api.chat.list, { sessionId });
    expect(live.messages.filter((m) => m.senderRole === "advisor").every((m) => m.createdAt <= seenAt + P)).toBe(true);
    expect(live.messages.filter((m) => m.senderRole === "advisor")).toHaveLength(Math.floor(P / 10_000));
    await advance(t, 60_000);
    await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId }); // the advisor's heartbeat notices the absence
    const paused = await session(t, sessionId);
    expect(paused).toMatchObject({ status: "paused", pauseReason: "client_away" });
    expect(paused.segments[0]).toMatchObject({ endedAt: seenAt, contactEndedAt: seenAt + P });
    expect(paused.unbilledContactMs).toBe(P);
    // Coming back does not reveal what was sent while away.
    await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
    const after = await t.withIdentity(client).query(api.chat.list, { sessionId });
    expect(after.messages.map((m) => m.body)).toEqual(live.messages.map((m) => m.body));
    // The advisor still sees the whole transcript of their own messages.
    expect((await t.withIdentity(advisor).query(api.chat.list, { sessionId })).messages).toHaveLength(6);
  });

  it("a client who ends inside the advisor's grace window pays only up to the advisor's last presence", async () => {
    const { t, sessionId } = await setup();
    for (let i = 0; i < 4; i++) {
      await advance(t, 30_000);
      await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
      if (i < 2) await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
    // Advisor last seen at +61 s; the client ends at +121 s (before the liveness pause).
    const result = await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    expect(result.billableSeconds).toBe(60);
  });
});

describe("resume", () => {
  it("the advisor cannot resume a client pause; the client needs fresh presence (resume itself does not count)", async () => {
    const { t, sessionId } = await setup();
    await advance(t, 20_000);
    await t.withIdentity(client).mutation(api.sessions.pause, { sessionId });
    await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    await expectAppError(t.withIdentity(advisor).mutation(api.sessions.resume, { sessionId }), "FORBIDDEN");
    await advance(t, P + 1_000);
    await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    await expectAppError(t.withIdentity(client).mutation(api.sessions.resume, { sessionId }), "CONFLICT");
    expect((await session(t, sessionId)).status).toBe("paused");
    await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
    await t.withIdentity(client).mutation(api.sessions.resume, { sessionId });
    expect((await session(t, sessionId)).status).toBe("active");
  });

  it("after a funds pause only the client resumes, once topped up", async () => {
    const { t, clientId, sessionId } = await setup(180, 60); // $1.80 at $0.60/min: 3 minutes
    for (let i = 0; i < 6; i++) {
      await advance(t, 30_000);
      await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
      await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
    await advance(t, 1_000);
    expect(await session(t, sessionId)).toMatchObject({ status: "paused", pauseReason: "insufficient_funds" });
    await expectAppError(t.withIdentity(advisor).mutation(api.sessions.resume, { sessionId }), "FORBIDDEN");
    await expectAppError(t.withIdentity(client).mutation(api.sessions.resume, { sessionId }), "INSUFFICIENT_FUNDS");
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "top_up", clientId, amountCents: 500 },
      idempotencyKey: "topup:1",
    });
    await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
    await t.withIdentity(client).mutation(api.sessions.resume, { sessionId });
    expect((await session(t, sessionId)).status).toBe("active");
  });
});

describe("rate and funds", () => {
  it("a request at a rate that is no longer the advisor's is refused with RATE_CHANGED, naming the new rate, writing nothing", async () => {
    const t = newTest();
    const clientId = await insertUser(t, "client1", "client");
    const profileId = await addAdvisor(t, "advisor1", {
      displayName: "Ada",
      categories: ["tarot"],
      status: "approved",
      online: true,
      chatRateCentsPerMinute: 60,
    });
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "top_up", clientId, amountCents: 5_000 },
      idempotencyKey: "topup:0",
    });
    await t.withIdentity(advisor).mutation(api.advisorApplications.updateProfile, { chatRateCentsPerMinute: 90 });
    const count = () => t.run(async (ctx) => (await ctx.db.query("sessions").collect()).length);
    const error = await t
      .withIdentity(client)
      .mutation(api.sessions.request, { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: 60 })
      .catch((e: unknown) => e);
    expect((error as { data: { code: string; message: string } }).data).toMatchObject({ code: "RATE_CHANGED" });
    expect((error as { data: { message: string } }).data.message).toContain("$0.90/min");
    expect(await count()).toBe(0);
    await t
      .withIdentity(client)
      .mutation(api.sessions.request, { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: 90 });
    expect(await count()).toBe(1);
  });

  it("an admin's credit-limit change re-arms the funds timer of the client's live session (lowered: it fires earlier)", async () => {
    // $1.80 at $0.60/min (3 minutes) plus a $1.20 credit limit: the timer is armed for 5 minutes at accept.
    const { t, clientId, sessionId } = await setup(180, 60, "chat", 120);
    const admin = t.withIdentity(localIdentity("admin1"));
    await advance(t, 30_000);
    await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
    await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    // Withdrawn mid-session: the timer must fire at 3 minutes, not at the 5 minutes the limit allowed.
    await admin.mutation(api.topups.setClientCreditLimit, {
      userId: clientId,
      creditLimitCents: 0,
      reason: "limit withdrawn",
    });
    for (let i = 0; i < 5; i++) {
      await advance(t, 30_000);
      await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
      await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
    expect(await session(t, sessionId)).toMatchObject({
      status: "paused",
      pauseReason: "insufficient_funds",
      pausedAt: T0 + 1_000 + 180_000,
    });
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    expect((await session(t, sessionId)).costCents).toBe(180);
    expect(await balance(t, "client_wallet", clientId)).toBe(0);
    await expectChecker(t);
  });
});

describe("Stream follows the session (HTTP mocked at fetch)", () => {
  it("freezes the channel and ends the call at pause and end, unfreezes at resume, with a server JWT", async () => {
    vi.stubEnv("STREAM_API_KEY", "key123");
    vi.stubEnv("STREAM_API_SECRET", "secret456");
    const calls: { method: string; url: string; body: unknown; auth: string | null; authType: string | null }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      calls.push({
        method: init.method ?? "GET",
        url,
        body: JSON.parse(String(init.body)),
        auth: headers.get("authorization"),
        authType: headers.get("stream-auth-type"),
      });
      return new Response("{}", { status: 200 });
    });
    const { t, sessionId } = await setup(5_000, 60, "video");
    expect((await session(t, sessionId)).provider).toBe("stream");
    await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
    expect(await t.withIdentity(client).query(api.chat.streamAccess, { sessionId })).toMatchObject({ segmentCount: 1 });
    await t.withIdentity(client).mutation(api.sessions.pause, { sessionId });
    await advance(t, 0);
    await expectAppError(t.withIdentity(client).query(api.chat.streamAccess, { sessionId }), "SESSION_NOT_ACTIVE");
    await t.withIdentity(client).mutation(api.sessions.resume, { sessionId });
    await advance(t, 0);
    await t.withIdentity(advisor).mutation(api.sessions.end, { sessionId });
    await advance(t, 0);
    await expectAppError(t.withIdentity(advisor).query(api.chat.streamAccess, { sessionId }), "SESSION_NOT_ACTIVE");
    const channel = `https://chat.stream-io-api.com/channels/messaging/session-${sessionId}?api_key=key123`;
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ["PATCH", channel, { set: { frozen: true } }],
      [
        "POST",
        `https://video.stream-io-api.com/api/v2/video/call/default/session-${sessionId}/mark_ended?api_key=key123`,
        {},
      ],
      ["PATCH", channel, { set: { frozen: false } }],
      ["PATCH", channel, { set: { frozen: true } }],
      [
        "POST",
        `https://video.stream-io-api.com/api/v2/video/call/default/session-${sessionId}-2/mark_ended?api_key=key123`,
        {},
      ],
    ]);
    for (const c of calls) {
      expect(c.authType).toBe("jwt");
      const payload = JSON.parse(Buffer.from(c.auth!.split(".")[1]!, "base64url").toString()) as unknown;
      expect(payload).toEqual({ server: true });
    }
  });

  it("retries a failed Stream call with backoff and builds no calls without keys", async () => {
    expect(
      streamSyncCalls({ apiKey: "k", sessionId: "s", status: "active", segmentCount: 3, kind: "chat" }),
    ).toHaveLength(1);
    vi.stubEnv("STREAM_API_KEY", "key123");
    vi.stubEnv("STREAM_API_SECRET", "secret456");
    let attempts = 0;
    vi.stubGlobal("fetch", async () => {
      attempts++;
      return new Response("busy", { status: attempts < 3 ? 503 : 200 });
    });
    const { t, sessionId } = await setup();
    await t.withIdentity(client).mutation(api.sessions.pause, { sessionId });
    await advance(t, 0);
    await advance(t, 2_000);
    await advance(t, 4_000);
    expect(attempts).toBe(3);
  });
});
