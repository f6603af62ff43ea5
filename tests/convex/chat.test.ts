// Built-in session chat: who may send and read, when, body limits, the rate limit, typing,
// the transcript helper, and the Stream access check.
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Doc, Id } from "../../convex/_generated/dataModel";
import { transcriptFor } from "../../convex/model/chat";
import { MAX_MESSAGE_LENGTH, RATE_LIMIT_MESSAGES, RATE_LIMIT_WINDOW_MS, TYPING_TTL_MS } from "../../lib/chat";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";

afterEach(() => {
  vi.useRealTimers();
});

type Status = Doc<"sessions">["status"];

async function setup(status: Status = "active", opts: { participantRows?: boolean } = {}) {
  const t = newTest();
  const clientId = await insertUser(t, "c1", "client");
  const advisorId = await insertUser(t, "a1", "advisor");
  await insertUser(t, "x1", "client");
  await insertUser(t, "admin1", "admin");
  const now = Date.now();
  const sessionId = await t.run(async (ctx) => {
    const id = await ctx.db.insert("sessions", {
      clientId,
      advisorId,
      kind: "chat",
      status,
      rateCentsPerMinute: 200,
      feeBps: 1000,
      freeSeconds: 0,
      requestedAt: now,
      expiresAt: now + 60_000,
      // The segment opens at 0 so that tests which set the fake clock to small values stay inside it.
      segments: status === "active" ? [{ startedAt: 0 }] : [],
      provider: "builtin",
    });
    if (opts.participantRows !== false) {
      await ctx.db.insert("sessionParticipants", {
        sessionId: id,
        userId: clientId,
        role: "client",
        lastHeartbeatAt: now,
      });
      await ctx.db.insert("sessionParticipants", {
        sessionId: id,
        userId: advisorId,
        role: "advisor",
        lastHeartbeatAt: now,
      });
    }
    return id;
  });
  return {
    t,
    sessionId,
    clientId,
    advisorId,
    client: t.withIdentity(localIdentity("c1")),
    advisor: t.withIdentity(localIdentity("a1")),
    stranger: t.withIdentity(localIdentity("x1")),
    admin: t.withIdentity(localIdentity("admin1")),
  };
}

const messageCount = (t: Test, sessionId: Id<"sessions">) =>
  t.run(
    async (ctx) =>
      (
        await ctx.db
          .query("sessionMessages")
          .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
          .collect()
      ).length,
  );

const setStatus = (t: Test, sessionId: Id<"sessions">, status: Status) =>
  t.run(async (ctx) => ctx.db.patch("sessions", sessionId, { status }));

const typingRow = (t: Test, sessionId: Id<"sessions">, role: "client" | "advisor") =>
  t.run(async (ctx) =>
    ctx.db
      .query("sessionParticipants")
      .withIndex("by_session", (q) => q.eq("sessionId", sessionId).eq("role", role))
      .unique(),
  );

describe("chat.send and chat.list", () => {
  it("both parties send; both read the same transcript, oldest first, with the sender's side", async () => {
    const { client, advisor, sessionId, clientId, advisorId } = await setup();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    await client.mutation(api.chat.send, { sessionId, body: "  Hello there  " });
    vi.setSystemTime(1_001_000);
    await advisor.mutation(api.chat.send, { sessionId, body: "Hi!\nHow can I help?" });

    const forClient = await client.query(api.chat.list, { sessionId });
    expect(forClient).toMatchObject({
      viewerRole: "client",
      status: "active",
      live: true,
      canSend: true,
      notLiveReason: null,
    });
    expect(forClient.messages.map((m) => [m.senderRole, m.senderId, m.body, m.createdAt])).toEqual([
      ["client", clientId, "Hello there", 1_000_000],
      ["advisor", advisorId, "Hi!\nHow can I help?", 1_001_000],
    ]);
    const forAdvisor = await advisor.query(api.chat.list, { sessionId });
    expect(forAdvisor.viewerRole).toBe("advisor");
    expect(forAdvisor.messages).toEqual(forClient.messages);
  });

  it("sending is refused while paused (SESSION_NOT_ACTIVE, billing is stopped) and writes nothing", async () => {
    const { client, advisor, sessionId, t } = await setup("paused");
    await expectAppError(client.mutation(api.chat.send, { sessionId, body: "Still here" }), "SESSION_NOT_ACTIVE");
    await expectAppError(advisor.mutation(api.chat.send, { sessionId, body: "Me too" }), "SESSION_NOT_ACTIVE");
    await expectAppError(client.mutation(api.chat.setTyping, { sessionId, typing: true }), "SESSION_NOT_ACTIVE");
    expect(await messageCount(t, sessionId)).toBe(0);
    const view = await client.query(api.chat.list, { sessionId });
    expect(view).toMatchObject({ live: false, canSend: false });
    expect(view.notLiveReason).toMatch(/paused/);
  });

  it("a stranger can neither send nor read (NOT_FOUND), and writes nothing", async () => {
    const { stranger, sessionId, t } = await setup();
    await expectAppError(stranger.mutation(api.chat.send, { sessionId, body: "hi" }), "NOT_FOUND");
    await expectAppError(stranger.query(api.chat.list, { sessionId }), "NOT_FOUND");
    await expectAppError(stranger.query(api.chat.typingState, { sessionId }), "NOT_FOUND");
    await expectAppError(stranger.mutation(api.chat.setTyping, { sessionId, typing: true }), "NOT_FOUND");
    expect(await messageCount(t, sessionId)).toBe(0);
  });

  it("signed-out callers are refused", async () => {
    const { t, sessionId } = await setup();
    await expectAppError(t.mutation(api.chat.send, { sessionId, body: "hi" }), "UNAUTHENTICATED");
    await expectAppError(t.query(api.chat.list, { sessionId }), "UNAUTHENTICATED");
  });

  it("refuses sending before the start and after the end (SESSION_NOT_ACTIVE), but the transcript stays readable", async () => {
    const { client, advisor, admin, sessionId, t } = await setup();
    await client.mutation(api.chat.send, { sessionId, body: "Thanks!" });
    await setStatus(t, sessionId, "ended");
    await expectAppError(client.mutation(api.chat.send, { sessionId, body: "one more" }), "SESSION_NOT_ACTIVE");
    await expectAppError(advisor.mutation(api.chat.send, { sessionId, body: "bye" }), "SESSION_NOT_ACTIVE");
    expect(await messageCount(t, sessionId)).toBe(1);

    const after = await client.query(api.chat.list, { sessionId });
    expect(after).toMatchObject({ status: "ended", live: false, canSend: false });
    expect(after.notLiveReason).toMatch(/ended/);
    expect(after.messages.map((m) => m.body)).toEqual(["Thanks!"]);
    expect((await admin.query(api.chat.list, { sessionId })).messages).toHaveLength(1);

    for (const status of ["requested", "declined", "expired", "cancelled"] as const) {
      await setStatus(t, sessionId, status);
      await expectAppError(client.mutation(api.chat.send, { sessionId, body: "hello?" }), "SESSION_NOT_ACTIVE");
    }
    expect(await messageCount(t, sessionId)).toBe(1);
  });

  it("refuses empty, blank and over-long bodies (INVALID_ARGUMENT) and writes nothing", async () => {
    const { client, sessionId, t } = await setup();
    await expectAppError(client.mutation(api.chat.send, { sessionId, body: "" }), "INVALID_ARGUMENT");
    await expectAppError(client.mutation(api.chat.send, { sessionId, body: "  \n\t " }), "INVALID_ARGUMENT");
    await expectAppError(
      client.mutation(api.chat.send, { sessionId, body: "x".repeat(MAX_MESSAGE_LENGTH + 1) }),
      "INVALID_ARGUMENT",
    );
    expect(await messageCount(t, sessionId)).toBe(0);
    // Exactly the limit is fine, and surrounding whitespace does not count.
    await client.mutation(api.chat.send, { sessionId, body: ` ${"y".repeat(MAX_MESSAGE_LENGTH)}\n` });
    const [message] = (await client.query(api.chat.list, { sessionId })).messages;
    expect(message?.body).toHaveLength(MAX_MESSAGE_LENGTH);
  });

  it("rate-limits each sender to 5 messages per 2 seconds, with retryAfterMs, without blocking the other side", async () => {
    const { client, advisor, sessionId, t } = await setup();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(5_000_000);
    for (let i = 0; i < RATE_LIMIT_MESSAGES; i++) {
      vi.setSystemTime(5_000_000 + i * 100);
      await client.mutation(api.chat.send, { sessionId, body: `m${i}` });
    }
    vi.setSystemTime(5_000_500);
    let caught: unknown;
    try {
      await client.mutation(api.chat.send, { sessionId, body: "too fast" });
    } catch (error) {
      caught = error;
    }
    const data = (caught as { data?: { code?: string; retryAfterMs?: number } } | undefined)?.data;
    expect(data?.code).toBe("RATE_LIMITED");
    // The oldest of the five (t = 5_000_000) leaves the window at 5_002_000.
    expect(data?.retryAfterMs).toBe(1500);
    expect(await messageCount(t, sessionId)).toBe(RATE_LIMIT_MESSAGES);

    // The advisor is not affected.
    await advisor.mutation(api.chat.send, { sessionId, body: "fine" });

    // Once the oldest leaves the window, one more is allowed.
    vi.setSystemTime(5_000_000 + RATE_LIMIT_WINDOW_MS);
    await client.mutation(api.chat.send, { sessionId, body: "again" });
    await expectAppError(client.mutation(api.chat.send, { sessionId, body: "and again" }), "RATE_LIMITED");
    expect(await messageCount(t, sessionId)).toBe(RATE_LIMIT_MESSAGES + 2);
  });

  it("admins can read (viewerRole admin, canSend false) but not send", async () => {
    const { client, admin, sessionId, t } = await setup();
    await client.mutation(api.chat.send, { sessionId, body: "hello" });
    const view = await admin.query(api.chat.list, { sessionId });
    expect(view).toMatchObject({ viewerRole: "admin", live: true, canSend: false });
    expect(view.messages.map((m) => m.body)).toEqual(["hello"]);
    await expectAppError(admin.mutation(api.chat.send, { sessionId, body: "admin here" }), "NOT_FOUND");
    expect(await messageCount(t, sessionId)).toBe(1);
    expect(await admin.query(api.chat.typingState, { sessionId })).toEqual({ typingUntil: null });
  });

  it("list returns the newest 500, oldest first; transcriptFor takes a limit", async () => {
    const { client, sessionId, t, clientId } = await setup();
    await t.run(async (ctx) => {
      for (let i = 0; i < 510; i++) {
        await ctx.db.insert("sessionMessages", { sessionId, senderId: clientId, body: `m${i}`, createdAt: 1_000 + i });
      }
    });
    const { messages } = await client.query(api.chat.list, { sessionId });
    expect(messages).toHaveLength(500);
    expect(messages[0]?.body).toBe("m10");
    expect(messages[499]?.body).toBe("m509");
    const lastThree = await t.run(async (ctx) => transcriptFor(ctx, sessionId, 3));
    expect(lastThree.map((m) => m.body)).toEqual(["m507", "m508", "m509"]);
  });
});

describe("typing", () => {
  it("round-trip: one side types, the other sees typingUntil; sending or clearing removes it", async () => {
    const { client, advisor, sessionId, t } = await setup();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(2_000_000);
    expect(await advisor.query(api.chat.typingState, { sessionId })).toEqual({ typingUntil: null });

    await client.mutation(api.chat.setTyping, { sessionId, typing: true });
    expect(await advisor.query(api.chat.typingState, { sessionId })).toEqual({
      typingUntil: 2_000_000 + TYPING_TTL_MS,
    });
    // Your own typing is not reported back to you.
    expect(await client.query(api.chat.typingState, { sessionId })).toEqual({ typingUntil: null });

    await client.mutation(api.chat.setTyping, { sessionId, typing: false });
    expect(await advisor.query(api.chat.typingState, { sessionId })).toEqual({ typingUntil: null });

    await client.mutation(api.chat.setTyping, { sessionId, typing: true });
    await client.mutation(api.chat.send, { sessionId, body: "done typing" });
    expect(await advisor.query(api.chat.typingState, { sessionId })).toEqual({ typingUntil: null });
    expect((await typingRow(t, sessionId, "client"))?.typingUntil).toBeUndefined();
  });

  it("skips renewals within 2 seconds, renews after", async () => {
    const { advisor, client, sessionId } = await setup();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(3_000_000);
    await advisor.mutation(api.chat.setTyping, { sessionId, typing: true });
    vi.setSystemTime(3_001_900);
    await advisor.mutation(api.chat.setTyping, { sessionId, typing: true });
    expect(await client.query(api.chat.typingState, { sessionId })).toEqual({ typingUntil: 3_000_000 + TYPING_TTL_MS });
    vi.setSystemTime(3_002_100);
    await advisor.mutation(api.chat.setTyping, { sessionId, typing: true });
    expect(await client.query(api.chat.typingState, { sessionId })).toEqual({ typingUntil: 3_002_100 + TYPING_TTL_MS });
  });

  it("a missing participant row is a quiet no-op; a session that is not live refuses typing (clearing still works)", async () => {
    const noRows = await setup("active", { participantRows: false });
    await noRows.client.mutation(api.chat.setTyping, { sessionId: noRows.sessionId, typing: true });
    expect(await noRows.advisor.query(api.chat.typingState, { sessionId: noRows.sessionId })).toEqual({
      typingUntil: null,
    });
    await noRows.client.mutation(api.chat.send, { sessionId: noRows.sessionId, body: "works without rows" });

    const ended = await setup("ended");
    await expectAppError(
      ended.client.mutation(api.chat.setTyping, { sessionId: ended.sessionId, typing: true }),
      "SESSION_NOT_ACTIVE",
    );
    expect((await typingRow(ended.t, ended.sessionId, "client"))?.typingUntil).toBeUndefined();
    await ended.client.mutation(api.chat.setTyping, { sessionId: ended.sessionId, typing: false });
  });
});

describe("chat.streamAccess", () => {
  it("gives each party both ids and names (advisor by display name when a profile exists); refuses others", async () => {
    const { client, advisor, stranger, admin, sessionId, clientId, advisorId } = await setup();
    const forClient = await client.query(api.chat.streamAccess, { sessionId });
    expect(forClient).toMatchObject({
      sessionId,
      provider: "builtin",
      viewerId: clientId,
      viewerRole: "client",
      counterpartId: advisorId,
      client: { id: clientId, name: "User c1" },
      advisor: { id: advisorId, name: "User a1" },
    });
    expect(await advisor.query(api.chat.streamAccess, { sessionId })).toMatchObject({
      viewerId: advisorId,
      viewerRole: "advisor",
      counterpartId: clientId,
    });
    await expectAppError(stranger.query(api.chat.streamAccess, { sessionId }), "NOT_FOUND");
    await expectAppError(admin.query(api.chat.streamAccess, { sessionId }), "NOT_FOUND");
  });
});

describe("chat.streamAccess ids", () => {
  it("treats malformed and unknown ids as NOT_FOUND", async () => {
    const { client } = await setup();
    await expectAppError(client.query(api.chat.streamAccess, { sessionId: "nope" }), "NOT_FOUND");
  });
});
