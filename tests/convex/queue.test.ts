// Queue while busy (issue 24) with the Convex functions on convex-test and a fake clock: two clients wait for one
// advisor busy with a third; order, offers made by the server when the session ends, offer expiry (scheduled,
// idempotent), leaving, the request guard, funds rules, and offers pausing while the advisor is away.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";
import { expectChecker } from "./ledgerHelpers";

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const alice = localIdentity("client-a");
const bob = localIdentity("client-b");
const carol = localIdentity("client-c");
const advisor = localIdentity("advisor1");

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

async function fund(t: Test, clientId: Id<"users">, amountCents: number, key: string) {
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents },
    idempotencyKey: key,
  });
  await t.finishInProgressScheduledFunctions();
}

/** Advisor at 100 ¢/min in a running chat session with Carol; Alice and Bob funded (bobCents for Bob). */
async function setup(opts: { bobCents?: number } = {}) {
  const t = newTest();
  const aliceId = await insertUser(t, "client-a", "client");
  const bobId = await insertUser(t, "client-b", "client");
  const carolId = await insertUser(t, "client-c", "client");
  const profileId = await addAdvisor(t, "advisor1", {
    displayName: "Ada",
    categories: ["tarot"],
    status: "approved",
    online: true,
    chatRateCentsPerMinute: 100,
  });
  await fund(t, aliceId, 5_000, "topup:a");
  await fund(t, bobId, opts.bobCents ?? 5_000, "topup:b");
  await fund(t, carolId, 5_000, "topup:c");
  const { sessionId } = await t
    .withIdentity(carol)
    .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
  await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
  return { t, aliceId, bobId, carolId, profileId, sessionId };
}

async function entries(t: Test) {
  return await t.run(async (ctx) => ctx.db.query("queueEntries").collect());
}

describe("queue while busy", { timeout: 30_000 }, () => {
  it("keeps join order, offers the first client when the session ends, and moves on when the offer expires", async () => {
    const { t, profileId, sessionId, bobId } = await setup();
    expect(await t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" })).toMatchObject({
      position: 1,
    });
    await advance(t, 1_000);
    expect(await t.withIdentity(bob).mutation(api.queue.join, { profileId, kind: "chat" })).toMatchObject({
      position: 2,
    });
    // Joining twice keeps the one place.
    expect(await t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" })).toMatchObject({
      position: 1,
    });
    expect(await entries(t)).toHaveLength(2);
    const bobView = await t.withIdentity(bob).query(api.queue.mine, {});
    expect(bobView).toMatchObject({
      position: 2,
      size: 2,
      status: "waiting",
      lastChange: "A client joined the queue.",
    });

    // While busy nobody has an offer; the session ends and Ada is online again: Alice's 60-second turn.
    await t.withIdentity(carol).mutation(api.sessions.end, { sessionId });
    const aliceView = await t.withIdentity(alice).query(api.queue.mine, {});
    expect(aliceView).toMatchObject({ position: 1, status: "offered", offerExpiresAt: Date.now() + 60_000 });
    expect((await t.withIdentity(bob).query(api.queue.mine, {}))?.lastChange).toBe(
      "Ada is free: the first client in the queue has 60 seconds to start.",
    );
    const aliceNotes = await t.withIdentity(alice).query(api.notifications.list, {});
    expect(aliceNotes[0]).toMatchObject({ kind: "queue_offer", title: "It's your turn with Ada" });

    // Nobody else may jump in while the offer is out, not even Bob (second in line).
    await expectAppError(
      t
        .withIdentity(bob)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
      "CONFLICT",
    );
    await expectAppError(t.withIdentity(bob).mutation(api.queue.acceptOffer, { rateCentsPerMinute: 100 }), "CONFLICT");

    // Alice does not answer: at 60 s the scheduled expiry moves the offer to Bob.
    await advance(t, 59_000);
    expect((await t.withIdentity(alice).query(api.queue.mine, {}))?.status).toBe("offered");
    await advance(t, 1_000);
    expect(await t.withIdentity(alice).query(api.queue.mine, {})).toBeNull();
    const bobOffered = await t.withIdentity(bob).query(api.queue.mine, {});
    expect(bobOffered).toMatchObject({ position: 1, size: 1, status: "offered" });
    expect(bobOffered?.lastChange).toBe(
      "The first client did not answer within 60 seconds, so the offer moved to the next client. Ada is free: the first client in the queue has 60 seconds to start.",
    );

    // Bob accepts: the normal request flow rings Ada, and his entry is used up.
    const { sessionId: bobSession } = await t
      .withIdentity(bob)
      .mutation(api.queue.acceptOffer, { rateCentsPerMinute: 100 });
    const session = await t.run(async (ctx) => ctx.db.get("sessions", bobSession));
    expect(session).toMatchObject({ clientId: bobId, status: "requested", rateCentsPerMinute: 100 });
    expect(await entries(t)).toHaveLength(0);
    // A second accept (a double click, another tab) has no turn left.
    await expectAppError(t.withIdentity(bob).mutation(api.queue.acceptOffer, { rateCentsPerMinute: 100 }), "CONFLICT");
    await expectChecker(t);
  });

  it("a stale expiry job does nothing, and leaving while offered passes the turn to the next client", async () => {
    const { t, profileId, sessionId } = await setup();
    await t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" });
    await advance(t, 1_000);
    await t.withIdentity(bob).mutation(api.queue.join, { profileId, kind: "chat" });
    await t.withIdentity(carol).mutation(api.sessions.end, { sessionId });
    const [aliceEntry] = await entries(t);
    // A forged or repeated expiry call with the wrong offer time, or before the end, changes nothing.
    await t.mutation(internal.queue.expireOfferJob, {
      entryId: aliceEntry!._id,
      offeredAt: aliceEntry!.offeredAt! - 1,
    });
    await t.mutation(internal.queue.expireOfferJob, { entryId: aliceEntry!._id, offeredAt: aliceEntry!.offeredAt! });
    expect((await t.withIdentity(alice).query(api.queue.mine, {}))?.status).toBe("offered");

    await advance(t, 10_000);
    await t.withIdentity(alice).mutation(api.queue.leave, {});
    expect(await t.withIdentity(alice).query(api.queue.mine, {})).toBeNull();
    const bobView = await t.withIdentity(bob).query(api.queue.mine, {});
    expect(bobView).toMatchObject({ position: 1, status: "offered", offerExpiresAt: Date.now() + 60_000 });
    expect(bobView?.lastChange).toBe(
      "The first client passed their turn, so the offer moved to the next client. Ada is free: the first client in the queue has 60 seconds to start.",
    );
    // Alice's old expiry job fires at her 60 s: the entry is gone, nothing moves.
    await advance(t, 50_000);
    expect((await t.withIdentity(bob).query(api.queue.mine, {}))?.status).toBe("offered");
    // Leaving again is a no-op.
    await t.withIdentity(alice).mutation(api.queue.leave, {});
  });

  it("leaving while waiting moves those behind up; the advisor sees the queue", async () => {
    const { t, profileId } = await setup();
    await t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" });
    await advance(t, 1_000);
    await t.withIdentity(bob).mutation(api.queue.join, { profileId, kind: "chat" });
    const before = await t.withIdentity(advisor).query(api.queue.forAdvisor, {});
    expect(before.entries.map((e) => [e.position, e.clientName])).toEqual([
      [1, "User"],
      [2, "User"],
    ]);
    expect(before.maxLength).toBe(5);
    await t.withIdentity(alice).mutation(api.queue.leave, {});
    expect(await t.withIdentity(bob).query(api.queue.mine, {})).toMatchObject({
      position: 1,
      size: 1,
      status: "waiting",
      lastChange: "A client left the queue, so everyone behind them moved up.",
    });
    expect((await t.withIdentity(advisor).query(api.queue.forAdvisor, {})).entries).toHaveLength(1);
  });

  it("refuses a client without 3 minutes of funds (INSUFFICIENT_FUNDS), a full queue, and a free or offline advisor", async () => {
    const { t, profileId, sessionId, bobId } = await setup({ bobCents: 299 });
    await expectAppError(
      t.withIdentity(bob).mutation(api.queue.join, { profileId, kind: "chat" }),
      "INSUFFICIENT_FUNDS",
    );
    expect(await entries(t)).toHaveLength(0);
    await t.withIdentity(advisor).mutation(api.queue.setMax, { maxLength: 1 });
    await expectAppError(t.withIdentity(advisor).mutation(api.queue.setMax, { maxLength: 21 }), "INVALID_ARGUMENT");
    await t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" });
    await fund(t, bobId, 1, "topup:b2"); // 300 ¢: exactly 3 minutes, enough, but the queue is full
    await expectAppError(t.withIdentity(bob).mutation(api.queue.join, { profileId, kind: "chat" }), "CONFLICT");
    // Carol is in the session: she cannot queue for it.
    await expectAppError(t.withIdentity(carol).mutation(api.queue.join, { profileId, kind: "chat" }), "CONFLICT");
    await t.withIdentity(alice).mutation(api.queue.leave, {});
    await t.withIdentity(carol).mutation(api.sessions.end, { sessionId });
    // Free with nobody waiting: request directly instead.
    await expectAppError(t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" }), "CONFLICT");
    await t.withIdentity(advisor).mutation(api.presence.setAvailability, { availability: "offline" });
    await expectAppError(t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" }), "CONFLICT");
  });

  it("an offer pauses when the advisor goes offline and is made again when they are back", async () => {
    const { t, profileId, sessionId } = await setup();
    await t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" });
    await t.withIdentity(carol).mutation(api.sessions.end, { sessionId });
    expect((await t.withIdentity(alice).query(api.queue.mine, {}))?.status).toBe("offered");
    await advance(t, 5_000);
    await t.withIdentity(advisor).mutation(api.presence.setAvailability, { availability: "offline" });
    const paused = await t.withIdentity(alice).query(api.queue.mine, {});
    expect(paused).toMatchObject({ status: "waiting", position: 1, offerExpiresAt: null });
    expect(paused?.lastChange).toBe("Ada went offline. The queue keeps its order and moves again when Ada is back.");
    // The first offer's expiry job finds no matching offer: Alice keeps her place.
    await advance(t, 60_000);
    expect((await t.withIdentity(alice).query(api.queue.mine, {}))?.status).toBe("waiting");
    await expectAppError(
      t.withIdentity(alice).mutation(api.queue.acceptOffer, { rateCentsPerMinute: 100 }),
      "CONFLICT",
    );
    await t.withIdentity(advisor).mutation(api.presence.setAvailability, { availability: "online" });
    expect(await t.withIdentity(alice).query(api.queue.mine, {})).toMatchObject({
      status: "offered",
      offerExpiresAt: Date.now() + 60_000,
    });
    // The offered client may also use the ordinary request button: it uses up the turn.
    await t
      .withIdentity(alice)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    expect(await entries(t)).toHaveLength(0);
  });

  it("a client waits in one queue at a time", async () => {
    const { t, profileId } = await setup();
    const otherProfileId = await addAdvisor(t, "advisor2", {
      displayName: "Bea",
      categories: ["tarot"],
      status: "approved",
      online: true,
      availability: "busy",
    });
    await t.withIdentity(alice).mutation(api.queue.join, { profileId, kind: "chat" });
    await expectAppError(
      t.withIdentity(alice).mutation(api.queue.join, { profileId: otherProfileId, kind: "chat" }),
      "CONFLICT",
    );
  });
});
