// Built-in video signaling: offers, answers and candidates relayed between the two parties of a live
// video session; strangers, chat sessions, sessions not live, oversized payloads and runaway senders
// refused with nothing written; each side reads only what is addressed to it; purge on session end.
import { describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Doc, Id } from "../../convex/_generated/dataModel";
import {
  MAX_SIGNAL_PAYLOAD_BYTES,
  MAX_SIGNALS_PER_SENDER,
  PURGE_BATCH_SIZE,
  purgeSignals,
} from "../../convex/model/video";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";

async function setup(t: Test, overrides: Partial<Pick<Doc<"sessions">, "kind" | "status">> = {}) {
  const clientId = await insertUser(t, "c1", "client");
  const advisorId = await insertUser(t, "a1", "advisor");
  const sessionId = await insertSession(t, clientId, advisorId, overrides);
  return {
    clientId,
    advisorId,
    sessionId,
    client: t.withIdentity(localIdentity("c1")),
    advisor: t.withIdentity(localIdentity("a1")),
  };
}

async function insertSession(
  t: Test,
  clientId: Id<"users">,
  advisorId: Id<"users">,
  overrides: Partial<Pick<Doc<"sessions">, "kind" | "status">> = {},
) {
  const now = Date.now();
  return await t.run(async (ctx) =>
    ctx.db.insert("sessions", {
      clientId,
      advisorId,
      kind: overrides.kind ?? "video",
      status: overrides.status ?? "active",
      rateCentsPerMinute: 200,
      feeBps: 1000,
      freeSeconds: 0,
      requestedAt: now - 60_000,
      expiresAt: now,
      startedAt: now - 30_000,
      segments: [{ startedAt: now - 30_000 }],
      provider: "builtin",
    }),
  );
}

const allSignals = (t: Test) => t.run(async (ctx) => ctx.db.query("videoSignals").collect());

const offer = JSON.stringify({ description: { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" } });
const answer = JSON.stringify({ description: { type: "answer", sdp: "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n" } });
const candidates = JSON.stringify({
  candidates: [{ candidate: "candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host", sdpMid: "0", sdpMLineIndex: 0 }],
});

describe("video signaling", () => {
  it("relays offer, answer and candidates between client and advisor, oldest first, after a cursor", async () => {
    const t = newTest();
    const { sessionId, client, advisor, clientId, advisorId } = await setup(t);

    const sentOffer = await client.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer });
    const sentCandidates = await client.mutation(api.video.signal, {
      sessionId,
      kind: "candidate",
      payload: candidates,
    });
    expect(sentCandidates.createdAt).toBeGreaterThan(sentOffer.createdAt);

    const atAdvisor = await advisor.query(api.video.signals, { sessionId, afterCreatedAt: 0 });
    expect(atAdvisor.map((s) => s.kind)).toEqual(["offer", "candidate"]);
    expect(atAdvisor[0]).toMatchObject({ fromUserId: clientId, payload: offer, createdAt: sentOffer.createdAt });
    expect(atAdvisor[1]).toMatchObject({ payload: candidates });
    // The cursor is exclusive.
    const afterOffer = await advisor.query(api.video.signals, { sessionId, afterCreatedAt: sentOffer.createdAt });
    expect(afterOffer.map((s) => s.kind)).toEqual(["candidate"]);
    expect(await advisor.query(api.video.signals, { sessionId, afterCreatedAt: sentCandidates.createdAt })).toEqual([]);

    await advisor.mutation(api.video.signal, { sessionId, kind: "answer", payload: answer });
    await advisor.mutation(api.video.signal, { sessionId, kind: "candidate", payload: candidates });
    const atClient = await client.query(api.video.signals, { sessionId, afterCreatedAt: 0 });
    expect(atClient.map((s) => [s.kind, s.fromUserId])).toEqual([
      ["answer", advisorId],
      ["candidate", advisorId],
    ]);
    expect(atClient[0]!.payload).toBe(answer);

    // Hangups need no JSON payload.
    await client.mutation(api.video.signal, { sessionId, kind: "hangup", payload: "" });
    const rows = await allSignals(t);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.fromUserId === clientId).every((r) => r.toUserId === advisorId)).toBe(true);
    expect(rows.filter((r) => r.fromUserId === advisorId).every((r) => r.toUserId === clientId)).toBe(true);
  });

  it("keeps createdAt strictly increasing per addressee, so an exclusive cursor loses nothing", async () => {
    const t = newTest();
    const { sessionId, client, advisor } = await setup(t);
    const stamps: number[] = [];
    for (let i = 0; i < 10; i++)
      stamps.push(
        (await client.mutation(api.video.signal, { sessionId, kind: "candidate", payload: candidates })).createdAt,
      );
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThan(stamps[i - 1]!);
    const seen = await advisor.query(api.video.signals, { sessionId, afterCreatedAt: stamps[4]! });
    expect(seen).toHaveLength(5);
  });

  it("shows signals only to their addressee", async () => {
    const t = newTest();
    const { sessionId, client, advisor } = await setup(t);
    await client.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer });
    // The sender does not see its own signal.
    expect(await client.query(api.video.signals, { sessionId, afterCreatedAt: 0 })).toEqual([]);
    expect(await advisor.query(api.video.signals, { sessionId, afterCreatedAt: 0 })).toHaveLength(1);
    // Neither a stranger nor an admin can read them.
    await insertUser(t, "s1", "client");
    await insertUser(t, "admin1", "admin");
    await expectAppError(
      t.withIdentity(localIdentity("s1")).query(api.video.signals, { sessionId, afterCreatedAt: 0 }),
      "NOT_FOUND",
    );
    await expectAppError(
      t.withIdentity(localIdentity("admin1")).query(api.video.signals, { sessionId, afterCreatedAt: 0 }),
      "NOT_FOUND",
    );
    await expectAppError(t.query(api.video.signals, { sessionId, afterCreatedAt: 0 }), "UNAUTHENTICATED");
  });

  it("refuses strangers and signed-out callers", async () => {
    const t = newTest();
    const { sessionId } = await setup(t);
    await insertUser(t, "s1", "advisor");
    await expectAppError(
      t.withIdentity(localIdentity("s1")).mutation(api.video.signal, { sessionId, kind: "offer", payload: offer }),
      "NOT_FOUND",
    );
    await expectAppError(t.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer }), "UNAUTHENTICATED");
    expect(await allSignals(t)).toEqual([]);
  });

  it("refuses chat sessions", async () => {
    const t = newTest();
    const { sessionId, client, advisor } = await setup(t, { kind: "chat" });
    await expectAppError(
      client.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer }),
      "INVALID_ARGUMENT",
    );
    expect(await allSignals(t)).toEqual([]);
    expect(await advisor.query(api.video.signals, { sessionId, afterCreatedAt: 0 })).toEqual([]);
  });

  it("refuses every session that is not active, paused included (SESSION_NOT_ACTIVE), and delivers nothing there", async () => {
    const t = newTest();
    const { sessionId, client, advisor, clientId, advisorId } = await setup(t, { status: "paused" });
    await expectAppError(
      client.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer }),
      "SESSION_NOT_ACTIVE",
    );
    for (const status of ["ended", "requested", "declined", "expired", "cancelled"] as const) {
      const other = await insertSession(t, clientId, advisorId, { status });
      await expectAppError(
        client.mutation(api.video.signal, { sessionId: other, kind: "offer", payload: offer }),
        "SESSION_NOT_ACTIVE",
      );
    }
    expect(await allSignals(t)).toHaveLength(0);
    // A hangup once the meter stopped reaches no one and is a quiet no-op.
    await client.mutation(api.video.signal, { sessionId, kind: "hangup", payload: "" });
    expect(await allSignals(t)).toHaveLength(0);
    // A signal written while active is not delivered once the session is paused.
    await t.run(async (ctx) => ctx.db.patch("sessions", sessionId, { status: "active" }));
    await client.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer });
    expect(await advisor.query(api.video.signals, { sessionId, afterCreatedAt: 0 })).toHaveLength(1);
    await t.run(async (ctx) => ctx.db.patch("sessions", sessionId, { status: "paused" }));
    expect(await advisor.query(api.video.signals, { sessionId, afterCreatedAt: 0 })).toEqual([]);
  });

  it("refuses an oversized payload and a non-JSON description, writing nothing", async () => {
    const t = newTest();
    const { sessionId, client } = await setup(t);
    const big = JSON.stringify({ description: { type: "offer", sdp: "a".repeat(MAX_SIGNAL_PAYLOAD_BYTES) } });
    await expectAppError(
      client.mutation(api.video.signal, { sessionId, kind: "offer", payload: big }),
      "INVALID_ARGUMENT",
    );
    // Counted in bytes, not characters.
    const multibyte = JSON.stringify({ s: "é".repeat(MAX_SIGNAL_PAYLOAD_BYTES / 2) });
    await expectAppError(
      client.mutation(api.video.signal, { sessionId, kind: "offer", payload: multibyte }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      client.mutation(api.video.signal, { sessionId, kind: "offer", payload: "{not json" }),
      "INVALID_ARGUMENT",
    );
    expect(await allSignals(t)).toEqual([]);
    // Exactly at the limit is fine.
    const prefix = JSON.stringify({ s: "" });
    const exact = JSON.stringify({ s: "a".repeat(MAX_SIGNAL_PAYLOAD_BYTES - prefix.length) });
    await client.mutation(api.video.signal, { sessionId, kind: "offer", payload: exact });
    expect(await allSignals(t)).toHaveLength(1);
  });

  it("caps the signals one side may send in a session", async () => {
    const t = newTest();
    const { sessionId, client, advisor, clientId, advisorId } = await setup(t);
    await t.run(async (ctx) => {
      const base = Date.now() - 10_000;
      for (let i = 0; i < MAX_SIGNALS_PER_SENDER - 1; i++) {
        await ctx.db.insert("videoSignals", {
          sessionId,
          fromUserId: clientId,
          toUserId: advisorId,
          kind: "candidate",
          payload: candidates,
          createdAt: base + i,
        });
      }
    });
    await client.mutation(api.video.signal, { sessionId, kind: "candidate", payload: candidates });
    await expectAppError(client.mutation(api.video.signal, { sessionId, kind: "hangup", payload: "" }), "RATE_LIMITED");
    expect(await allSignals(t)).toHaveLength(MAX_SIGNALS_PER_SENDER);
    // The other side has its own budget.
    await advisor.mutation(api.video.signal, { sessionId, kind: "answer", payload: answer });
    // Reads are paged at 200.
    const page = await advisor.query(api.video.signals, { sessionId, afterCreatedAt: 0 });
    expect(page).toHaveLength(200);
  });

  it("purgeSignals deletes one session's signals in bounded batches", async () => {
    const t = newTest();
    const { sessionId, client, advisor, clientId, advisorId } = await setup(t);
    const other = await insertSession(t, clientId, advisorId);
    await client.mutation(api.video.signal, { sessionId: other, kind: "offer", payload: offer });
    await client.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer });
    await advisor.mutation(api.video.signal, { sessionId, kind: "answer", payload: answer });
    await t.run(async (ctx) => {
      for (let i = 0; i < PURGE_BATCH_SIZE; i++) {
        await ctx.db.insert("videoSignals", {
          sessionId,
          fromUserId: clientId,
          toUserId: advisorId,
          kind: "candidate",
          payload: candidates,
          createdAt: i,
        });
      }
    });
    const first = await t.run(async (ctx) => purgeSignals(ctx, sessionId));
    expect(first).toEqual({ deleted: PURGE_BATCH_SIZE, more: true });
    const second = await t.run(async (ctx) => purgeSignals(ctx, sessionId));
    expect(second).toEqual({ deleted: 2, more: false });
    expect(await t.run(async (ctx) => purgeSignals(ctx, sessionId))).toEqual({ deleted: 0, more: false });
    const left = await allSignals(t);
    expect(left).toHaveLength(1);
    expect(left[0]!.sessionId).toBe(other);
  });
});
