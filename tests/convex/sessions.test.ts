// Live sessions end to end on convex-test with fake timers: the server clock, scheduled funds/liveness/
// pause jobs, settlement through the ledger. Exact numbers from the issue (new-client offer off unless said).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { snapshotAt } from "../../lib/billingEngine";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";

type UserId = Id<"users">;
type SessionId = Id<"sessions">;

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs every job due in the next `ms` (scheduled functions run on the fake clock). */
async function advance(t: Test, ms: number) {
  vi.advanceTimersByTime(ms);
  await t.finishInProgressScheduledFunctions();
}

/** Both sides stay in the room for `ms`, heart-beating every 10 s (the client stops at `clientUntilMs`). */
async function talk(
  t: Test,
  sessionId: SessionId,
  ms: number,
  opts: { clientUntilMs?: number; advisorUntilMs?: number } = {},
) {
  for (let elapsed = 10_000; elapsed <= ms; elapsed += 10_000) {
    await advance(t, 10_000);
    if (opts.clientUntilMs === undefined || elapsed <= opts.clientUntilMs) {
      await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
    }
    if (opts.advisorUntilMs === undefined || elapsed <= opts.advisorUntilMs) {
      await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
  }
  const rest = ms % 10_000;
  if (rest > 0) await advance(t, rest);
}

async function setup(opts: {
  walletCents: number;
  chatRate?: number;
  videoRate?: number | null;
  advisorOnline?: boolean;
}) {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  const profileId = await addAdvisor(t, "advisor1", {
    displayName: "Ada Advisor",
    categories: ["tarot"],
    status: "approved",
    online: opts.advisorOnline ?? true,
    chatRateCentsPerMinute: opts.chatRate ?? 50,
    videoRateCentsPerMinute: opts.videoRate ?? 100,
  });
  const advisorId = (await t.run(async (ctx) => (await ctx.db.get("advisorProfiles", profileId))!.userId)) as UserId;
  if (opts.walletCents > 0) {
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "top_up", clientId, amountCents: opts.walletCents },
      idempotencyKey: "topup:initial",
    });
    await t.finishInProgressScheduledFunctions();
  }
  return { t, clientId, advisorId, profileId };
}

async function start(t: Test, profileId: Id<"advisorProfiles">, kind: "chat" | "video" = "chat") {
  const { sessionId } = await t
    .withIdentity(client)
    .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind }));
  await advance(t, 2_000);
  await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
  return sessionId;
}

async function getSession(t: Test, sessionId: SessionId) {
  return (await t.run(async (ctx) => ctx.db.get("sessions", sessionId)))!;
}

describe("settlement: the exact numbers", () => {
  it(
    "$50.00 wallet, 30 minutes at $0.50/min: charged $15.00, advisor $13.50, platform $1.50, balance $35.00",
    { timeout: 30_000 },
    async () => {
      const { t, clientId, advisorId, profileId } = await setup({ walletCents: 5_000, chatRate: 50 });
      const sessionId = await start(t, profileId);
      await talk(t, sessionId, 30 * 60_000);
      const result = await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
      expect(result).toEqual({ billableSeconds: 1_800, costCents: 1_500 });
      expect(await balance(t, "client_wallet", clientId)).toBe(3_500);
      expect(await balance(t, "advisor_pending", advisorId)).toBe(1_350);
      expect(await balance(t, "platform_fees")).toBe(150);
      const receipt = await t.withIdentity(advisor).query(api.sessions.receipt, { sessionId });
      expect(receipt).toMatchObject({
        billableSeconds: 1_800,
        costCents: 1_500,
        clientCents: 1_500,
        feeCents: 150,
        shareCents: 1_350,
        promoCents: 0,
      });
      const clientReceipt = await t.withIdentity(client).query(api.sessions.receipt, { sessionId });
      expect(clientReceipt.feeCents).toBeNull();
      expect(clientReceipt.shareCents).toBeNull();
      const journals = await t.run(async (ctx) => ctx.db.query("journals").collect());
      expect(journals.filter((j) => j.type === "session_settled")).toHaveLength(1);
      // The advisor is free again and the earning is pending for 24 hours.
      const profile = await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId));
      expect(profile?.availability).toBe("online");
      expect(profile?.completedSessions).toBe(1);
      const earning = await t.run(async (ctx) => ctx.db.query("earnings").first());
      expect(earning).toMatchObject({ status: "pending", grossCents: 1_500, feeCents: 150, netCents: 1_350 });
      await expectChecker(t);
    },
  );

  it("$5.00 at $0.50/min: warning at $1.00 left, 1-minute warning at $0.50, pause at $0.00 after exactly 10 minutes", async () => {
    const { t, clientId, advisorId, profileId } = await setup({ walletCents: 500, chatRate: 50 });
    const sessionId = await start(t, profileId);
    const view = async (who = client) => await t.withIdentity(who).query(api.sessions.room, { sessionId });
    const snap = async (who = client) => {
      const room = await view(who);
      return snapshotAt({ ...room, feeBps: room.feeBps ?? 0, limitSeconds: room.limitSeconds!, now: Date.now() });
    };
    expect((await view()).limitSeconds).toBe(600);
    await talk(t, sessionId, 8 * 60_000);
    expect(await snap()).toMatchObject({
      billableSeconds: 480,
      secondsLeft: 120,
      liveAvailableCents: 100,
      warning: "two_minutes",
    });
    // The advisor sees the same warning without the client's balance.
    expect(await snap(advisor)).toMatchObject({ secondsLeft: 120, liveAvailableCents: null, warning: "two_minutes" });
    await talk(t, sessionId, 59_000);
    expect((await snap()).warning).toBe("two_minutes");
    await talk(t, sessionId, 1_000);
    expect(await snap()).toMatchObject({
      billableSeconds: 540,
      secondsLeft: 60,
      liveAvailableCents: 50,
      warning: "one_minute",
    });
    await talk(t, sessionId, 60_000);
    const paused = await getSession(t, sessionId);
    expect(paused.status).toBe("paused");
    expect(paused.pauseReason).toBe("insufficient_funds");
    expect(paused.segments.at(-1)?.endedAt).toBe(paused.startedAt! + 600_000);
    // Resuming needs a top-up; after the 2-minute hold the session ends and settles at exactly $5.00.
    await expectAppError(t.withIdentity(client).mutation(api.sessions.resume, { sessionId }), "INSUFFICIENT_FUNDS");
    await talk(t, sessionId, 2 * 60_000);
    const ended = await getSession(t, sessionId);
    expect(ended).toMatchObject({
      status: "ended",
      endReason: "insufficient_funds",
      billableSeconds: 600,
      costCents: 500,
    });
    expect(await balance(t, "client_wallet", clientId)).toBe(0);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(450);
    await expectChecker(t);
  });

  it("a client who closes the tab at minute 4 of a video session pays for 4 minutes, not for the grace period", async () => {
    const { t, clientId, profileId } = await setup({ walletCents: 5_000, videoRate: 100 });
    const sessionId = await start(t, profileId, "video");
    await talk(t, sessionId, 11 * 60_000, { clientUntilMs: 4 * 60_000 });
    const ended = await getSession(t, sessionId);
    expect(ended).toMatchObject({ status: "ended", endReason: "client_away", billableSeconds: 240, costCents: 400 });
    expect(await balance(t, "client_wallet", clientId)).toBe(4_600);
    const timeline = await t.withIdentity(advisor).query(api.sessions.timeline, { sessionId });
    expect(timeline.map((e) => `${e.type}${e.detail ? `:${e.detail}` : ""}`)).toEqual([
      "requested:video at $1.00/min",
      "started",
      "paused:client_away",
      "ended:client_away",
    ]);
    await expectChecker(t);
  });

  it("an advisor who disappears stops billing at their last heartbeat", async () => {
    const { t, clientId, profileId } = await setup({ walletCents: 5_000, chatRate: 60 });
    const sessionId = await start(t, profileId);
    await talk(t, sessionId, 3.5 * 60_000, { advisorUntilMs: 2 * 60_000 });
    const paused = await getSession(t, sessionId);
    expect(paused).toMatchObject({ status: "paused", pauseReason: "advisor_away" });
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    expect(await getSession(t, sessionId)).toMatchObject({ billableSeconds: 120, costCents: 120 });
    expect(await balance(t, "client_wallet", clientId)).toBe(4_880);
  });
});

describe("start rules", () => {
  it("needs 3 minutes of funds, an online advisor, no other open session, an active unfrozen client", async () => {
    const { t, clientId, profileId } = await setup({ walletCents: 149, chatRate: 50 });
    await expectAppError(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
      "INSUFFICIENT_FUNDS",
    );
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "top_up", clientId, amountCents: 1 },
      idempotencyKey: "topup:1c",
    });
    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    // One open session per client and per advisor.
    await expectAppError(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
      "CONFLICT",
    );
    await insertUser(t, "client2", "client");
    await expectAppError(
      t
        .withIdentity(localIdentity("client2"))
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
      "CONFLICT",
    );
    expect((await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId)))?.availability).toBe("busy");
    await t.withIdentity(client).mutation(api.sessions.cancel, { sessionId });
    expect((await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId)))?.availability).toBe("online");
    // Not offered channel, self-session, frozen and suspended clients.
    const noVideo = await addAdvisor(t, "advisor2", {
      displayName: "No Video",
      categories: ["tarot"],
      status: "approved",
      online: true,
      videoRateCentsPerMinute: null,
    });
    await expectAppError(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: noVideo, kind: "video" })),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      t
        .withIdentity(localIdentity("advisor1"))
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
      "INVALID_ARGUMENT",
    );
    await t.run(async (ctx) => {
      await ctx.db.insert("clientRestrictions", {
        userId: clientId,
        kind: "sessions_frozen",
        reason: "chargeback",
        active: true,
        createdAt: Date.now(),
      });
    });
    await expectAppError(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
      "FORBIDDEN",
    );
    await insertUser(t, "suspended1", "client", { status: "suspended" });
    await expectAppError(
      t
        .withIdentity(localIdentity("suspended1"))
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
      "SUSPENDED",
    );
  });

  it("refuses offline advisors; nothing is written by a refused request", async () => {
    const { t, profileId } = await setup({ walletCents: 5_000, advisorOnline: false });
    await expectAppError(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
      "CONFLICT",
    );
    expect(await t.run(async (ctx) => (await ctx.db.query("sessions").collect()).length)).toBe(0);
  });

  it("rings for 60 s then expires; decline and cancel charge nothing", async () => {
    const { t, clientId, profileId } = await setup({ walletCents: 5_000 });
    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    expect(await t.withIdentity(advisor).query(api.sessions.incoming, {})).toHaveLength(1);
    await advance(t, 60_000);
    expect((await getSession(t, sessionId)).status).toBe("expired");
    expect(await t.withIdentity(advisor).query(api.sessions.incoming, {})).toHaveLength(0);
    await expectAppError(t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId }), "CONFLICT");
    const second = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    await t.withIdentity(advisor).mutation(api.sessions.decline, { sessionId: second.sessionId, reason: "Back in 5" });
    expect((await getSession(t, second.sessionId)).status).toBe("declined");
    expect(await balance(t, "client_wallet", clientId)).toBe(5_000);
  });
});

describe("ownership, double ends and races", () => {
  it("strangers cannot see or touch a session; only the advisor accepts", async () => {
    const { t, profileId } = await setup({ walletCents: 5_000 });
    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    await insertUser(t, "stranger", "client");
    await insertUser(t, "advisor9", "advisor");
    const stranger = t.withIdentity(localIdentity("stranger"));
    await expectAppError(stranger.query(api.sessions.room, { sessionId }), "NOT_FOUND");
    await expectAppError(stranger.mutation(api.sessions.end, { sessionId }), "NOT_FOUND");
    await expectAppError(
      t.withIdentity(localIdentity("advisor9")).mutation(api.sessions.accept, { sessionId }),
      "NOT_FOUND",
    );
    await expectAppError(t.withIdentity(client).mutation(api.sessions.accept, { sessionId }), "FORBIDDEN");
    await expectAppError(t.withIdentity(client).mutation(api.sessions.end, { sessionId }), "CONFLICT");
  });

  it("each side sees the other's last heartbeat through `presence` (not through `room`); strangers see nothing", async () => {
    const { t, profileId } = await setup({ walletCents: 5_000 });
    const sessionId = await start(t, profileId);
    await advance(t, 10_000);
    const { serverNow } = await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    const seen = await t.withIdentity(client).query(api.sessions.presence, { sessionId });
    expect(seen.advisor).toBe(serverNow);
    expect(seen.client).not.toBeNull();
    expect(await t.withIdentity(advisor).query(api.sessions.presence, { sessionId })).toEqual(seen);
    // The room does not read heartbeat rows, so a heartbeat does not re-run every open room.
    expect(Object.keys(await t.withIdentity(client).query(api.sessions.room, { sessionId }))).not.toContain("presence");
    await insertUser(t, "stranger", "client");
    await expectAppError(
      t.withIdentity(localIdentity("stranger")).query(api.sessions.presence, { sessionId }),
      "NOT_FOUND",
    );
  });

  it("ending twice (and concurrently) settles once; resuming an ended session is refused", async () => {
    const { t, clientId, profileId } = await setup({ walletCents: 5_000, chatRate: 100 });
    const sessionId = await start(t, profileId);
    await talk(t, sessionId, 90_000);
    const [a, b] = await Promise.all([
      t.withIdentity(client).mutation(api.sessions.end, { sessionId }),
      t.withIdentity(advisor).mutation(api.sessions.end, { sessionId }),
    ]);
    expect(a).toEqual(b);
    expect(a.costCents).toBe(150);
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    await expectAppError(t.withIdentity(client).mutation(api.sessions.resume, { sessionId }), "CONFLICT");
    await expectAppError(t.withIdentity(client).mutation(api.sessions.pause, { sessionId }), "CONFLICT");
    const settled = await t.run(async (ctx) =>
      (await ctx.db.query("journals").collect()).filter((j) => j.type === "session_settled"),
    );
    expect(settled).toHaveLength(1);
    expect(await balance(t, "client_wallet", clientId)).toBe(4_850);
    await expectChecker(t);
  });

  it("a rate change during the session does not change its price", async () => {
    const { t, clientId, profileId } = await setup({ walletCents: 5_000, chatRate: 100 });
    const sessionId = await start(t, profileId);
    await t.run(async (ctx) => ctx.db.patch("advisorProfiles", profileId, { chatRateCentsPerMinute: 900 }));
    await talk(t, sessionId, 5 * 60_000);
    await t.withIdentity(advisor).mutation(api.sessions.end, { sessionId });
    expect(await balance(t, "client_wallet", clientId)).toBe(4_500);
  });

  it("a top-up mid-session moves the moment funds run out", async () => {
    const { t, clientId, profileId } = await setup({ walletCents: 500, chatRate: 50 });
    const sessionId = await start(t, profileId);
    await talk(t, sessionId, 5 * 60_000);
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "top_up", clientId, amountCents: 500 },
      idempotencyKey: "topup:mid",
    });
    await talk(t, sessionId, 10 * 60_000);
    expect((await getSession(t, sessionId)).status).toBe("active");
    await talk(t, sessionId, 5 * 60_000);
    const paused = await getSession(t, sessionId);
    expect(paused).toMatchObject({ status: "paused", pauseReason: "insufficient_funds" });
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    expect(await getSession(t, sessionId)).toMatchObject({ billableSeconds: 1_200, costCents: 1_000 });
    expect(await balance(t, "client_wallet", clientId)).toBe(0);
    await expectChecker(t);
  });

  it("either side pauses (billing stops), only that side resumes; a pause over 10 minutes ends the session", async () => {
    const { t, profileId } = await setup({ walletCents: 5_000, chatRate: 60 });
    const sessionId = await start(t, profileId);
    await talk(t, sessionId, 60_000);
    await t.withIdentity(client).mutation(api.sessions.pause, { sessionId });
    expect((await t.withIdentity(advisor).query(api.sessions.room, { sessionId })).pauseReason).toBe("client_paused");
    await talk(t, sessionId, 3 * 60_000);
    // The advisor cannot restart the client's meter.
    await expectAppError(t.withIdentity(advisor).mutation(api.sessions.resume, { sessionId }), "FORBIDDEN");
    await t.withIdentity(client).mutation(api.sessions.resume, { sessionId });
    await talk(t, sessionId, 60_000);
    await t.withIdentity(advisor).mutation(api.sessions.pause, { sessionId });
    await talk(t, sessionId, 10 * 60_000);
    expect(await getSession(t, sessionId)).toMatchObject({
      status: "ended",
      endReason: "paused_too_long",
      billableSeconds: 120,
      costCents: 120,
    });
  });
});

describe("new-client offer", () => {
  it("the first session's first 3 minutes are paid by promotions; the next session is full price", async () => {
    const { t, clientId, advisorId, profileId } = await setup({ walletCents: 5_000, chatRate: 50 });
    const admin = await insertUser(t, "admin1", "admin");
    void admin;
    await t.withIdentity(localIdentity("admin1")).mutation(api.platformSettings.setNewClientOffer, { enabled: true });
    const first = await start(t, profileId);
    expect((await t.withIdentity(client).query(api.sessions.room, { sessionId: first })).freeSeconds).toBe(180);
    await talk(t, first, 10 * 60_000);
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId: first });
    const receipt = await t.withIdentity(client).query(api.sessions.receipt, { sessionId: first });
    expect(receipt).toMatchObject({
      billableSeconds: 600,
      freeSeconds: 180,
      costCents: 500,
      promoCents: 150,
      clientCents: 350,
    });
    expect(await balance(t, "client_wallet", clientId)).toBe(4_650);
    expect(await balance(t, "promotions")).toBe(150);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(450);
    const second = await start(t, profileId);
    expect((await t.withIdentity(client).query(api.sessions.room, { sessionId: second })).freeSeconds).toBe(0);
    await expectChecker(t);
  });
});

describe("rating and earnings", () => {
  it("one rating per session, by its client, after at least a billed minute; updates the advisor live", async () => {
    const { t, profileId } = await setup({ walletCents: 5_000 });
    const short = await start(t, profileId);
    await talk(t, short, 30_000);
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId: short });
    await expectAppError(
      t.withIdentity(client).mutation(api.sessions.rate, { sessionId: short, rating: 5, comment: "" }),
      "CONFLICT",
    );
    const sessionId = await start(t, profileId);
    await talk(t, sessionId, 2 * 60_000);
    await expectAppError(
      t.withIdentity(client).mutation(api.sessions.rate, { sessionId, rating: 5, comment: "" }),
      "CONFLICT",
    );
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    await expectAppError(
      t.withIdentity(advisor).mutation(api.sessions.rate, { sessionId, rating: 5, comment: "" }),
      "FORBIDDEN",
    );
    await expectAppError(
      t.withIdentity(client).mutation(api.sessions.rate, { sessionId, rating: 6, comment: "" }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      t.withIdentity(client).mutation(api.sessions.rate, { sessionId, rating: 4.5, comment: "" }),
      "INVALID_ARGUMENT",
    );
    await t.withIdentity(client).mutation(api.sessions.rate, { sessionId, rating: 4, comment: " Helpful " });
    await expectAppError(
      t.withIdentity(client).mutation(api.sessions.rate, { sessionId, rating: 5, comment: "" }),
      "CONFLICT",
    );
    const profile = await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId));
    expect(profile).toMatchObject({ ratingSum: 4, ratingCount: 1 });
    expect((await t.withIdentity(client).query(api.sessions.receipt, { sessionId })).review).toMatchObject({
      rating: 4,
      comment: "Helpful",
    });
  });

  it("earnings become available 24 hours after settlement, once", async () => {
    const { t, advisorId, profileId } = await setup({ walletCents: 5_000, chatRate: 100 });
    const sessionId = await start(t, profileId);
    await talk(t, sessionId, 10 * 60_000);
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    expect(await balance(t, "advisor_pending", advisorId)).toBe(900);
    await advance(t, 24 * 60 * 60_000 - 1_000);
    expect(await balance(t, "advisor_available", advisorId)).toBe(0);
    await advance(t, 1_000);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    expect(await balance(t, "advisor_available", advisorId)).toBe(900);
    const earning = await t.run(async (ctx) => ctx.db.query("earnings").first());
    await t.mutation(internal.earnings.release, { earningId: earning!._id });
    expect(await balance(t, "advisor_available", advisorId)).toBe(900);
    await expectChecker(t);
  });
});
