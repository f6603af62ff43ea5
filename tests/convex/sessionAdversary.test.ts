// Issue 18's adversary: a modified client driving the public Convex functions (the API routes call the same
// ones) over more than 30 simulated minutes. It never heart-beats; it chats and signals instead, pauses and resumes
// in cycles, keeps sending during pauses and after the end, asks for Stream access while paused and ended, lets its
// presence lapse, and requests at a rate the advisor has changed. The advisor colludes: it tries to resume the
// client's pauses. Asserted: every contact outside the active state is refused; the client never receives an
// advisor message or signal sent while it was not present; unbilled contact is at most one grace window per
// session; every settlement equals the billing engine's figure; the ledger checker passes.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { SESSION_RULES, chargeFor } from "../../lib/billingEngine";
import type { ErrorCode } from "../../lib/errors";
import { addAdvisor } from "./advisorHelpers";
import { insertUser, localIdentity, newTest, type Test } from "./helpers";
import { expectChecker } from "./ledgerHelpers";

type SessionId = Id<"sessions">;
const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);
const P = SESSION_RULES.presentWindowMs;
const clientId_ = localIdentity("mallory");
const advisorId_ = localIdentity("advisor1");
const offer = JSON.stringify({ description: { type: "offer", sdp: "v=0" } });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

class Adversary {
  refusals = 0;
  attemptsOutsideActive = 0;
  /** Server times at which the client did something the server accepted (its only presence). */
  presence: number[] = [];
  /** Advisor messages and signals the client was shown: [createdAt, label]. */
  received = new Map<string, number>();
  constructor(
    readonly t: Test,
    readonly profileId: Id<"advisorProfiles">,
  ) {}

  get client() {
    return this.t.withIdentity(clientId_);
  }
  get advisor() {
    return this.t.withIdentity(advisorId_);
  }

  async tick(ms: number) {
    vi.advanceTimersByTime(ms);
    await this.t.finishInProgressScheduledFunctions();
  }

  /** A call the rules must refuse with one of `codes`; a success fails the test. */
  async refused(call: Promise<unknown>, codes: ErrorCode[], contact = true) {
    if (contact) this.attemptsOutsideActive++;
    const outcome = await call.then(
      () => "accepted",
      (error: unknown) => (error as { data?: { code?: string } }).data?.code ?? String(error),
    );
    expect(codes, `expected a refusal, got ${outcome}`).toContain(outcome);
    this.refusals++;
  }

  async clientAct<T>(call: Promise<T>): Promise<T> {
    const result = await call;
    this.presence.push(Date.now());
    return result;
  }

  /** What the client's subscriptions would show now. */
  async poll(sessionId: SessionId, kind: "chat" | "video") {
    const view = await this.client.query(api.chat.list, { sessionId });
    for (const m of view.messages) if (m.senderRole === "advisor") this.received.set(m._id, m.createdAt);
    if (kind === "video") {
      for (const s of await this.client.query(api.video.signals, { sessionId, afterCreatedAt: 0 }))
        this.received.set(s._id, s.createdAt);
    }
  }

  async advisorSpeaks(sessionId: SessionId, kind: "chat" | "video", i: number) {
    await this.advisor.mutation(api.chat.send, { sessionId, body: `advisor ${i}` });
    if (kind === "video")
      await this.advisor.mutation(api.video.signal, { sessionId, kind: "candidate", payload: offer });
  }

  async clientSpeaks(sessionId: SessionId, kind: "chat" | "video", i: number) {
    await this.clientAct(this.client.mutation(api.chat.send, { sessionId, body: `client ${i}` }));
    if (kind === "video")
      await this.clientAct(this.client.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer }));
  }

  /** Every way the client or the advisor could reach the other while the session is not active. */
  async tryContactWhileClosed(sessionId: SessionId, kind: "chat" | "video") {
    const closed: ErrorCode[] = ["SESSION_NOT_ACTIVE"];
    await this.refused(this.client.mutation(api.chat.send, { sessionId, body: "let me in" }), closed);
    await this.refused(this.advisor.mutation(api.chat.send, { sessionId, body: "still here" }), closed);
    await this.refused(this.client.mutation(api.chat.setTyping, { sessionId, typing: true }), closed);
    await this.refused(this.client.query(api.chat.streamAccess, { sessionId }), closed);
    await this.refused(this.advisor.query(api.chat.streamAccess, { sessionId }), closed);
    if (kind === "video") {
      await this.refused(this.client.mutation(api.video.signal, { sessionId, kind: "offer", payload: offer }), closed);
      await this.refused(
        this.advisor.mutation(api.video.signal, { sessionId, kind: "answer", payload: offer }),
        closed,
      );
      expect(await this.client.query(api.video.signals, { sessionId, afterCreatedAt: 0 })).toEqual([]);
    }
  }

  async run(kind: "chat" | "video", rateCentsPerMinute: number, opts: { short?: boolean } = {}): Promise<SessionId> {
    const { sessionId } = await this.clientAct(
      this.client.mutation(api.sessions.request, { advisorProfileId: this.profileId, kind, rateCentsPerMinute }),
    );
    await this.tryContactWhileClosed(sessionId, kind); // ringing
    await this.tick(2_000);
    await this.advisor.mutation(api.sessions.accept, { sessionId });
    let i = 0;
    // 1. Chatting (and signalling) without a single heartbeat, for 4 minutes (2 when short).
    for (let step = 0; step < (opts.short ? 8 : 16); step++) {
      await this.tick(15_000);
      await this.clientSpeaks(sessionId, kind, i);
      await this.advisorSpeaks(sessionId, kind, i++);
      if (step % 2 === 0) await this.advisor.mutation(api.sessions.heartbeat, { sessionId });
      await this.poll(sessionId, kind);
    }
    if (!opts.short) {
      // 2. The client pauses and resumes in cycles; the advisor tries to resume for it; both keep sending.
      for (let cycle = 0; cycle < 5; cycle++) {
        await this.clientSpeaks(sessionId, kind, i++);
        await this.clientAct(this.client.mutation(api.sessions.pause, { sessionId }));
        await this.refused(this.advisor.mutation(api.sessions.resume, { sessionId }), ["FORBIDDEN"], false);
        await this.tryContactWhileClosed(sessionId, kind);
        await this.tick(20_000);
        await this.advisor.mutation(api.sessions.heartbeat, { sessionId });
        await this.clientAct(this.client.mutation(api.sessions.resume, { sessionId }));
        await this.poll(sessionId, kind);
      }
      // 3. The client goes quiet for 45 s while the advisor talks, then the advisor pauses (the client had lapsed:
      //    the contact window after its last presence is unbilled only while the budget lasts) and resumes.
      for (let cycle = 0; cycle < 3; cycle++) {
        await this.clientSpeaks(sessionId, kind, i++);
        for (let k = 0; k < 4; k++) {
          await this.tick(11_250);
          await this.advisorSpeaks(sessionId, kind, i++);
          await this.advisor.mutation(api.sessions.heartbeat, { sessionId });
          await this.poll(sessionId, kind);
        }
        await this.advisor.mutation(api.sessions.pause, { sessionId });
        await this.refused(this.client.mutation(api.sessions.resume, { sessionId }), ["FORBIDDEN"], false);
        await this.tryContactWhileClosed(sessionId, kind);
        await this.tick(10_000);
        await this.advisor.mutation(api.sessions.heartbeat, { sessionId });
        await this.advisor.mutation(api.sessions.resume, { sessionId });
        await this.poll(sessionId, kind);
      }
      // 4. The client lapses for good: the liveness check pauses the session; without fresh presence it cannot
      //    resume (the resume call itself is not presence), the advisor may not, and the session ends.
      await this.clientSpeaks(sessionId, kind, i++);
      for (let k = 0; k < 12; k++) {
        await this.tick(10_000);
        const room = await this.advisor.query(api.sessions.room, { sessionId });
        if (room.status === "active") {
          await this.advisorSpeaks(sessionId, kind, i++);
          await this.advisor.mutation(api.sessions.heartbeat, { sessionId });
        } else {
          await this.tryContactWhileClosed(sessionId, kind);
        }
        await this.poll(sessionId, kind);
      }
      expect((await this.advisor.query(api.sessions.room, { sessionId })).pauseReason).toBe("client_away");
      await this.refused(this.client.mutation(api.sessions.resume, { sessionId }), ["CONFLICT"], false);
      await this.refused(this.advisor.mutation(api.sessions.resume, { sessionId }), ["FORBIDDEN"], false);
      for (let k = 0; k < 6; k++) {
        await this.tick(60_000);
        await this.advisor.mutation(api.sessions.heartbeat, { sessionId });
      }
      expect((await this.advisor.query(api.sessions.room, { sessionId })).endReason).toBe("client_away");
    } else {
      await this.clientAct(this.client.mutation(api.sessions.end, { sessionId }));
    }
    // After the end: nothing gets through, and the transcript stays readable.
    await this.tryContactWhileClosed(sessionId, kind);
    await this.refused(this.client.mutation(api.sessions.resume, { sessionId }), ["CONFLICT"], false);
    await this.poll(sessionId, kind);
    return sessionId;
  }
}

/** Unbilled contact of one settled session: per segment, from the end of billing to the end of contact. */
async function unbilledMs(t: Test, sessionId: SessionId): Promise<number> {
  const session = (await t.run(async (ctx) => ctx.db.get("sessions", sessionId)))!;
  const closes = (
    await t.run(async (ctx) =>
      ctx.db
        .query("sessionEvents")
        .withIndex("by_session", (q) => q.eq("sessionId", sessionId))
        .collect(),
    )
  )
    .filter((e) => e.type === "paused" || e.type === "ended")
    .map((e) => e.at);
  let total = 0;
  session.segments.forEach((segment, n) => {
    const contactEnd = segment.contactEndedAt ?? closes[n]!;
    total += contactEnd - segment.endedAt!;
  });
  expect(total).toBe(session.unbilledContactMs ?? 0);
  return total;
}

describe("adversarial client over 30+ simulated minutes", () => {
  it(
    "gets no unbilled contact beyond one grace window per session, and pays the engine's figure for the rest",
    { timeout: 240_000 },
    async () => {
      const t = newTest();
      const mallory = await insertUser(t, "mallory", "client");
      const profileId = await addAdvisor(t, "advisor1", {
        displayName: "Ada",
        categories: ["tarot"],
        status: "approved",
        online: true,
        chatRateCentsPerMinute: 60,
        videoRateCentsPerMinute: 90,
      });
      await t.mutation(internal.ledger.postEvent, {
        event: { kind: "top_up", clientId: mallory, amountCents: 10_000 },
        idempotencyKey: "topup:mallory",
      });
      await t.finishInProgressScheduledFunctions();
      const adversary = new Adversary(t, profileId);

      const sessions: SessionId[] = [];
      sessions.push(await adversary.run("chat", 60));
      sessions.push(await adversary.run("video", 90));
      // The advisor raises the rate; a request at the rate the client saw before is refused and writes nothing.
      await t.withIdentity(advisorId_).mutation(api.advisorApplications.updateProfile, { chatRateCentsPerMinute: 75 });
      const before = await t.run(async (ctx) => (await ctx.db.query("sessions").collect()).length);
      await adversary.refused(
        t
          .withIdentity(clientId_)
          .mutation(api.sessions.request, { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: 60 }),
        ["RATE_CHANGED"],
        false,
      );
      expect(await t.run(async (ctx) => (await ctx.db.query("sessions").collect()).length)).toBe(before);
      sessions.push(await adversary.run("chat", 75, { short: true }));

      // Every attempt at contact outside the active state was refused.
      expect(adversary.refusals).toBeGreaterThanOrEqual(adversary.attemptsOutsideActive);
      // Everything the advisor sent that reached the client was sent within the client's presence window.
      for (const [id, createdAt] of adversary.received) {
        const present = adversary.presence.some((p) => p <= createdAt && createdAt - p <= P);
        expect(present, `advisor item ${id} at +${createdAt - T0} ms reached an absent client`).toBe(true);
      }

      let maxUnbilledMs = 0;
      for (const sessionId of sessions) {
        const session = (await t.run(async (ctx) => ctx.db.get("sessions", sessionId)))!;
        expect(session.status).toBe("ended");
        const unbilled = await unbilledMs(t, sessionId);
        expect(unbilled).toBeLessThanOrEqual(SESSION_RULES.unbilledContactBudgetMs);
        expect(unbilled).toBeLessThanOrEqual(SESSION_RULES.graceMs[session.kind]);
        maxUnbilledMs = Math.max(maxUnbilledMs, unbilled);
        const charge = chargeFor({
          rateCentsPerMinute: session.rateCentsPerMinute,
          feeBps: session.feeBps,
          billableSeconds: session.billableSeconds!,
        });
        expect(session.costCents).toBe(charge.costCents);
        expect(session.feeCents).toBe(charge.feeCents);
        expect(session.shareCents).toBe(session.costCents! - session.feeCents!);
        expect(session.billableSeconds).toBeGreaterThan(0);
      }
      await expectChecker(t);

      const simulatedMinutes = (Date.now() - T0) / 60_000;
      expect(simulatedMinutes).toBeGreaterThanOrEqual(30);
      console.log(
        `adversary: ${simulatedMinutes.toFixed(1)} simulated minutes, ${sessions.length} sessions, ${adversary.refusals} refusals ` +
          `(${adversary.attemptsOutsideActive} contact attempts outside active), ${adversary.received.size} advisor items received, ` +
          `max unbilled contact ${(maxUnbilledMs / 1000).toFixed(1)} s per session (budget ${SESSION_RULES.unbilledContactBudgetMs / 1000} s)`,
      );
    },
  );
});
