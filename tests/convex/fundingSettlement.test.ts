// Chargeback attribution starts at settlement (issue 19): a session settled through the real flow records which
// top-ups paid for it, first in first out, and the advisor's exact part of each (allocation: parts sum to the share).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { addLot } from "../../convex/model/funding";
import { addAdvisor } from "./advisorHelpers";
import { insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";
import { expectChecker } from "./ledgerHelpers";

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

/** A succeeded checkout top-up of `amountCents`: its ledger credit and its funding lot, as the webhook books them. */
async function paidTopUp(t: Test, clientId: Id<"users">, amountCents: number, key: string) {
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents },
    idempotencyKey: `topup:${key}`,
  });
  return await t.run(async (ctx) => {
    const now = Date.now();
    const topupId = await ctx.db.insert("topups", {
      userId: clientId,
      kind: "checkout",
      amountCents,
      currency: "usd",
      status: "succeeded",
      saveCard: false,
      refundedCents: 0,
      createdAt: now,
      updatedAt: now,
      succeededAt: now,
    });
    await addLot(ctx, (await ctx.db.get("topups", topupId))!, now);
    return topupId;
  });
}

describe("funding lots at settlement", () => {
  it("a $15.00 session paid by a $10.00 and a $20.00 top-up: $10.00 + $5.00 spent FIFO, advisor parts $9.00 + $4.50", async () => {
    const t = newTest();
    const clientId = await insertUser(t, "client1", "client");
    const profileId = await addAdvisor(t, "advisor1", {
      displayName: "Ada Advisor",
      categories: ["tarot"],
      status: "approved",
      online: true,
      chatRateCentsPerMinute: 100,
    });
    const first = await paidTopUp(t, clientId, 1000, "first");
    const second = await paidTopUp(t, clientId, 2000, "second");

    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
    // 15 minutes at $1.00/min, both sides present (heartbeats every 10 s).
    for (let elapsedMs = 10_000; elapsedMs <= 15 * 60_000; elapsedMs += 10_000) {
      vi.advanceTimersByTime(10_000);
      await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
      await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });

    const session = (await t.run(async (ctx) => ctx.db.get("sessions", sessionId)))!;
    expect(session.costCents).toBe(1500);
    const uses = await t.run(async (ctx) => ctx.db.query("fundingUses").collect());
    expect(
      uses.map((u) => ({ topupId: u.topupId, amountCents: u.amountCents, advisorPartCents: u.advisorPartCents })),
    ).toEqual([
      { topupId: first, amountCents: 1000, advisorPartCents: 900 },
      { topupId: second, amountCents: 500, advisorPartCents: 450 },
    ]);
    const lots = await t.run(async (ctx) => ctx.db.query("fundingLots").collect());
    expect(lots.map((l) => l.remainingCents)).toEqual([0, 1500]);
    await expectChecker(t);
  });
});
