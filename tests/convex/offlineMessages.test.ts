// Paid offline messages (issue 24) with exact cents: hold, pay in time with the session fee split, full refund
// when unanswered (scheduled, idempotent), disputes; the ledger checker (ledger:runChecker) after each money test.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";

const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const advisor2 = localIdentity("advisor2");
const admin = localIdentity("admin1");
const stranger = localIdentity("client2");
const HOUR = 60 * 60_000;
const WINDOW = 48 * HOUR;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  vi.useRealTimers();
});

async function setup(opts: { walletCents?: number; priceCents?: number | null } = {}) {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  await insertUser(t, "client2", "client");
  await insertUser(t, "admin1", "admin");
  const profileId = await addAdvisor(t, "advisor1", { displayName: "Luna", categories: ["tarot"], status: "approved" });
  await addAdvisor(t, "advisor2", { displayName: "Marcus", categories: ["tarot"], status: "approved" });
  const advisorId = (await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId)))!.userId;
  if ((opts.walletCents ?? 20_00) > 0) {
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "top_up", clientId, amountCents: opts.walletCents ?? 20_00 },
      idempotencyKey: "topup",
    });
  }
  const priceCents = opts.priceCents === undefined ? 5_00 : opts.priceCents;
  if (priceCents !== null) await t.withIdentity(advisor).mutation(api.offlineMessages.setPrice, { priceCents });
  return { t, clientId, advisorId, profileId };
}

async function send(t: Test, profileId: Id<"advisorProfiles">, requestKey = "send-0001", priceCents = 5_00) {
  return await t.withIdentity(client).mutation(api.offlineMessages.send, {
    advisorProfileId: profileId,
    body: "Will I find the job I want this year?",
    priceCents,
    requestKey,
  });
}

/** The checker as the cron runs it (ledger:runChecker), and the in-process check. */
async function checkerOk(t: Test) {
  const run = await t.mutation(internal.ledger.runChecker, {});
  expect(run.ok).toBe(true);
  await expectChecker(t);
}

async function runScheduled(t: Test, ms: number) {
  vi.advanceTimersByTime(ms);
  await t.finishInProgressScheduledFunctions();
}

describe("a $5.00 offline message, exact to the cent", () => {
  it(
    "answered in time: the advisor gets $4.50, the platform $0.50; the share is released after the dispute window",
    { timeout: 30_000 },
    async () => {
      const { t, clientId, advisorId, profileId } = await setup();
      const fees = await balance(t, "platform_fees");
      const { messageId, replayed } = await send(t, profileId);
      expect(replayed).toBe(false);
      expect(await balance(t, "client_wallet", clientId)).toBe(15_00);
      expect(await balance(t, "client_held", clientId)).toBe(5_00);
      await checkerOk(t);

      vi.setSystemTime(Date.now() + 10 * HOUR);
      await t
        .withIdentity(advisor)
        .mutation(api.offlineMessages.reply, { messageId, reply: "Yes — the spring looks strong for you." });
      expect(await balance(t, "client_held", clientId)).toBe(0);
      expect(await balance(t, "client_wallet", clientId)).toBe(15_00);
      expect(await balance(t, "advisor_pending", advisorId)).toBe(4_50);
      expect(await balance(t, "platform_fees")).toBe(fees + 50);
      await checkerOk(t);

      // Both sides see the thread and its status.
      const mine = await t
        .withIdentity(client)
        .query(api.offlineMessages.listMine, { paginationOpts: { numItems: 10, cursor: null } });
      expect(mine.page[0]).toMatchObject({
        status: "answered",
        reply: "Yes — the spring looks strong for you.",
        priceCents: 5_00,
        canDispute: true,
      });
      const theirs = await t
        .withIdentity(advisor)
        .query(api.offlineMessages.listForAdvisor, { paginationOpts: { numItems: 10, cursor: null } });
      expect(theirs.page[0]).toMatchObject({ status: "answered", shareCents: 4_50, feeCents: 50 });

      // The expiry job at 48 h finds it answered and does nothing; the release at reply + 72 h makes $4.50 available.
      await runScheduled(t, 72 * HOUR + 1_000);
      expect(await balance(t, "client_wallet", clientId)).toBe(15_00);
      expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
      expect(await balance(t, "advisor_available", advisorId)).toBe(4_50);
      await t.mutation(internal.offlineMessages.release, { messageId });
      expect(await balance(t, "advisor_available", advisorId)).toBe(4_50);
      await checkerOk(t);
    },
  );

  it("unanswered: the scheduled job refunds the full $5.00, once", async () => {
    const { t, clientId, advisorId, profileId } = await setup();
    const fees = await balance(t, "platform_fees");
    const { messageId } = await send(t, profileId);
    await runScheduled(t, WINDOW - 1_000);
    expect(await balance(t, "client_wallet", clientId)).toBe(15_00);
    await runScheduled(t, 2_000);
    expect(await balance(t, "client_wallet", clientId)).toBe(20_00);
    expect(await balance(t, "client_held", clientId)).toBe(0);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    expect(await balance(t, "platform_fees")).toBe(fees);
    // Replayed job: nothing more.
    await t.mutation(internal.offlineMessages.expire, { messageId });
    expect(await balance(t, "client_wallet", clientId)).toBe(20_00);
    const view = await t.withIdentity(client).query(api.offlineMessages.get, { messageId });
    expect(view.status).toBe("expired");
    await checkerOk(t);
  });

  it("a reply at 48 h + 1 s does not pay; the client gets the full $5.00 back", async () => {
    const { t, clientId, advisorId, profileId } = await setup();
    const { messageId } = await send(t, profileId);
    vi.setSystemTime(Date.now() + WINDOW + 1_000);
    await expectAppError(
      t.withIdentity(advisor).mutation(api.offlineMessages.reply, { messageId, reply: "Sorry, late." }),
      "CONFLICT",
    );
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await balance(t, "client_wallet", clientId)).toBe(20_00);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    await expectAppError(
      t.withIdentity(advisor).mutation(api.offlineMessages.reply, { messageId, reply: "Sorry, late." }),
      "CONFLICT",
    );
    await checkerOk(t);
  });

  it("a reply at exactly 48 h still pays, and the expiry job then does nothing", async () => {
    const { t, clientId, advisorId, profileId } = await setup();
    const { messageId } = await send(t, profileId);
    vi.setSystemTime(Date.now() + WINDOW);
    await t.withIdentity(advisor).mutation(api.offlineMessages.reply, { messageId, reply: "Just in time." });
    await t.mutation(internal.offlineMessages.expire, { messageId });
    expect(await balance(t, "advisor_pending", advisorId)).toBe(4_50);
    expect(await balance(t, "client_wallet", clientId)).toBe(15_00);
    await checkerOk(t);
  });
});

describe("adversaries", () => {
  it("a replayed send holds once; a double reply pays once", async () => {
    const { t, clientId, advisorId, profileId } = await setup();
    const first = await send(t, profileId, "same-key-1");
    const again = await send(t, profileId, "same-key-1");
    expect(again).toEqual({ messageId: first.messageId, replayed: true });
    expect(await balance(t, "client_wallet", clientId)).toBe(15_00);
    expect(await t.run(async (ctx) => (await ctx.db.query("offlineMessages").collect()).length)).toBe(1);
    await t
      .withIdentity(advisor)
      .mutation(api.offlineMessages.reply, { messageId: first.messageId, reply: "One answer." });
    await expectAppError(
      t
        .withIdentity(advisor)
        .mutation(api.offlineMessages.reply, { messageId: first.messageId, reply: "Two answers." }),
      "CONFLICT",
    );
    expect(await balance(t, "advisor_pending", advisorId)).toBe(4_50);
    await checkerOk(t);
  });

  it("a client with too little money cannot send, and nothing is written", async () => {
    const { t, clientId, profileId } = await setup({ walletCents: 3_00 });
    const journalsBefore = await t.run(async (ctx) => (await ctx.db.query("journals").collect()).length);
    await expectAppError(send(t, profileId), "INSUFFICIENT_FUNDS");
    expect(await t.run(async (ctx) => (await ctx.db.query("offlineMessages").collect()).length)).toBe(0);
    expect(await t.run(async (ctx) => (await ctx.db.query("journals").collect()).length)).toBe(journalsBefore);
    expect(await balance(t, "client_wallet", clientId)).toBe(3_00);
    await checkerOk(t);
  });

  it("another advisor cannot reply to (or read) the message; a client cannot reply", async () => {
    const { t, advisorId, profileId } = await setup();
    const { messageId } = await send(t, profileId);
    await expectAppError(
      t.withIdentity(advisor2).mutation(api.offlineMessages.reply, { messageId, reply: "Mine now." }),
      "NOT_FOUND",
    );
    await expectAppError(t.withIdentity(advisor2).query(api.offlineMessages.get, { messageId }), "NOT_FOUND");
    await expectAppError(t.withIdentity(stranger).query(api.offlineMessages.get, { messageId }), "NOT_FOUND");
    await expectAppError(
      t.withIdentity(client).mutation(api.offlineMessages.reply, { messageId, reply: "Answering myself." }),
      "FORBIDDEN",
    );
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    // The admin sees it among held messages.
    const held = await t
      .withIdentity(admin)
      .query(api.offlineMessages.adminList, { status: "held", paginationOpts: { numItems: 10, cursor: null } });
    expect(held.page.map((m) => m._id)).toEqual([messageId]);
  });

  it("the price the client saw must be the price; off means no sends; prices are $1.00–$50.00", async () => {
    const { t, profileId } = await setup();
    await expectAppError(send(t, profileId, "key-price-1", 4_00), "RATE_CHANGED");
    await expectAppError(
      t.withIdentity(client).mutation(api.offlineMessages.send, {
        advisorProfileId: profileId,
        body: "x".repeat(2_001),
        priceCents: 5_00,
        requestKey: "key-long-1",
      }),
      "INVALID_ARGUMENT",
    );
    await t.withIdentity(client).mutation(api.offlineMessages.send, {
      advisorProfileId: profileId,
      body: "x".repeat(2_000),
      priceCents: 5_00,
      requestKey: "key-long-2",
    });
    for (const bad of [99, 5_001, 1.5])
      await expectAppError(
        t.withIdentity(advisor).mutation(api.offlineMessages.setPrice, { priceCents: bad }),
        "INVALID_ARGUMENT",
      );
    await t.withIdentity(advisor).mutation(api.offlineMessages.setPrice, { priceCents: 1_00 });
    await t.withIdentity(advisor).mutation(api.offlineMessages.setPrice, { priceCents: 50_00 });
    await t.withIdentity(advisor).mutation(api.offlineMessages.setPrice, { priceCents: null });
    expect(await t.query(api.offlineMessages.offer, { profileId })).toMatchObject({ priceCents: null });
    await expectAppError(send(t, profileId, "key-off-01"), "CONFLICT");
    await checkerOk(t);
  });
});

describe("disputes on answered messages refund like a session dispute", () => {
  async function answered() {
    const s = await setup();
    const { messageId } = await send(s.t, s.profileId);
    await s.t.withIdentity(advisor).mutation(api.offlineMessages.reply, { messageId, reply: "Here is my reading." });
    return { ...s, messageId };
  }

  it("full refund: client +$5.00, advisor −$4.50, platform −$0.50; nothing is released later", async () => {
    const { t, clientId, advisorId, messageId } = await answered();
    const fees = await balance(t, "platform_fees");
    await expectAppError(
      t
        .withIdentity(admin)
        .mutation(api.offlineMessages.resolveDispute, { messageId, outcome: "full_refund", note: "Not disputed" }),
      "CONFLICT",
    );
    await expectAppError(
      t
        .withIdentity(stranger)
        .mutation(api.offlineMessages.dispute, { messageId, reason: "I did not even send this." }),
      "NOT_FOUND",
    );
    await t
      .withIdentity(client)
      .mutation(api.offlineMessages.dispute, { messageId, reason: "The reply is copied from a website." });
    const disputed = await t
      .withIdentity(admin)
      .query(api.offlineMessages.adminList, { paginationOpts: { numItems: 10, cursor: null } });
    expect(disputed.page.map((m) => m._id)).toEqual([messageId]);
    await expectAppError(
      t
        .withIdentity(advisor)
        .mutation(api.offlineMessages.resolveDispute, { messageId, outcome: "reject", note: "Mine" }),
      "FORBIDDEN",
    );
    await t
      .withIdentity(admin)
      .mutation(api.offlineMessages.resolveDispute, { messageId, outcome: "full_refund", note: "Copied text." });
    expect(await balance(t, "client_wallet", clientId)).toBe(20_00);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    expect(await balance(t, "platform_fees")).toBe(fees - 50);
    await expectAppError(
      t
        .withIdentity(admin)
        .mutation(api.offlineMessages.resolveDispute, { messageId, outcome: "full_refund", note: "Again" }),
      "CONFLICT",
    );
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await balance(t, "advisor_available", advisorId)).toBe(0);
    const audit = await t.run(async (ctx) =>
      ctx.db
        .query("auditLog")
        .withIndex("by_target", (q) => q.eq("targetTable", "offlineMessages").eq("targetId", messageId))
        .collect(),
    );
    expect(audit.map((a) => a.action)).toEqual(["offline_message.dispute_full_refund"]);
    await checkerOk(t);
  });

  it("partial refund of $2.00 splits $1.80 / $0.20; the remaining $2.70 is released after the window", async () => {
    const { t, clientId, advisorId, messageId } = await answered();
    await t
      .withIdentity(client)
      .mutation(api.offlineMessages.dispute, { messageId, reason: "Only half of my question was answered." });
    vi.setSystemTime(Date.now() + 80 * HOUR); // the dispute held the share past its release time
    await t.mutation(internal.offlineMessages.release, { messageId });
    expect(await balance(t, "advisor_available", advisorId)).toBe(0);
    await t.withIdentity(admin).mutation(api.offlineMessages.resolveDispute, {
      messageId,
      outcome: "partial_refund",
      refundCents: 2_00,
      note: "Half answered.",
    });
    expect(await balance(t, "client_wallet", clientId)).toBe(17_00);
    expect(await balance(t, "advisor_pending", advisorId)).toBe(0);
    expect(await balance(t, "advisor_available", advisorId)).toBe(2_70);
    await checkerOk(t);
  });

  it("a dispute after 72 hours is refused", async () => {
    const { t, messageId } = await answered();
    vi.setSystemTime(Date.now() + 72 * HOUR);
    await expectAppError(
      t
        .withIdentity(client)
        .mutation(api.offlineMessages.dispute, { messageId, reason: "Too late but trying anyway." }),
      "CONFLICT",
    );
  });
});
