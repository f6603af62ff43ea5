// Notifications on convex-test: each event writes the right rows for the right users, only the owner can
// read or mark them, important kinds go through the email outbox (dev mailbox locally, the provider worker
// with retries and an idempotency key when RESEND_API_KEY is set), and the dev mailbox exists only locally.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { notify } from "../../convex/model/notifications";
import { setPayoutProcessorForTests, type PayoutProcessor } from "../../convex/model/payoutProcessor";
import { addAdvisor } from "./advisorHelpers";
import { expectAppError, insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";

type UserId = Id<"users">;
const client = localIdentity("client1");
const advisor = localIdentity("advisor1");
const admin = localIdentity("admin1");
const stranger = localIdentity("stranger1");

beforeEach(() => {
  vi.stubEnv("EMAIL_DEV_MAILBOX", "1"); // the local stack sets it (scripts/dev.mjs); never inferred
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  setPayoutProcessorForTests(null);
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function advance(t: Test, ms: number) {
  vi.advanceTimersByTime(ms);
  await t.finishInProgressScheduledFunctions();
}

async function rowsFor(t: Test, userId: UserId) {
  return await t.run(async (ctx) =>
    ctx.db
      .query("notifications")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .collect(),
  );
}

async function kindsFor(t: Test, userId: UserId) {
  return (await rowsFor(t, userId)).map((n) => n.kind);
}

async function setup(walletCents = 150) {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  const adminId = await insertUser(t, "admin1", "admin");
  await insertUser(t, "stranger1", "client");
  const profileId = await addAdvisor(t, "advisor1", {
    displayName: "Ada",
    categories: ["tarot"],
    status: "approved",
    online: true,
    chatRateCentsPerMinute: 50,
  });
  const advisorId = (await t.run(async (ctx) => (await ctx.db.get("advisorProfiles", profileId))!.userId)) as UserId;
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: walletCents },
    idempotencyKey: "topup:initial",
  });
  await t.finishInProgressScheduledFunctions();
  return { t, clientId, advisorId, adminId, profileId };
}

/** Request, accept, and talk (heart-beating) for `ms`. */
async function liveSession(t: Test, profileId: Id<"advisorProfiles">, ms: number) {
  const { sessionId } = await t
    .withIdentity(client)
    .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
  await advance(t, 1_000);
  await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
  for (let elapsed = 10_000; elapsed <= ms; elapsed += 10_000) {
    await advance(t, 10_000);
    await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
    await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
  }
  return sessionId;
}

describe("notify at each event", () => {
  it("session request -> advisor; low balance pause -> client; session ended -> both", async () => {
    const { t, clientId, advisorId, profileId } = await setup(150);
    const { sessionId } = await t
      .withIdentity(client)
      .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
    expect(await kindsFor(t, advisorId)).toEqual(["session_requested"]);
    expect(await kindsFor(t, clientId)).toEqual([]);
    const [request] = await rowsFor(t, advisorId);
    expect(request).toMatchObject({ href: `/session/${sessionId}`, title: expect.stringContaining("User client1") });
    expect(request!.readAt).toBeUndefined();
    expect(await t.withIdentity(advisor).query(api.notifications.unreadCount, {})).toEqual({ count: 1, capped: false });

    await advance(t, 1_000);
    await t.withIdentity(advisor).mutation(api.sessions.accept, { sessionId });
    // $1.50 at $0.50/min: paused for insufficient funds after 3 minutes.
    for (let elapsed = 10_000; elapsed <= 190_000; elapsed += 10_000) {
      await advance(t, 10_000);
      await t.withIdentity(client).mutation(api.sessions.heartbeat, { sessionId });
      await t.withIdentity(advisor).mutation(api.sessions.heartbeat, { sessionId });
    }
    const paused = await t.run(async (ctx) => ctx.db.get("sessions", sessionId));
    expect(paused).toMatchObject({ status: "paused", pauseReason: "insufficient_funds" });
    expect(await kindsFor(t, clientId)).toEqual(["low_balance"]);

    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    expect(await kindsFor(t, clientId)).toEqual(["low_balance", "session_ended"]);
    expect(await kindsFor(t, advisorId)).toEqual(["session_requested", "session_ended"]);
    expect((await rowsFor(t, clientId)).at(-1)!.href).toBe(`/session/${sessionId}/receipt`);
    // Ending again is a no-op: no second notification.
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    expect(await kindsFor(t, clientId)).toHaveLength(2);
    // Session notifications are in-app only.
    expect(await t.run(async (ctx) => ctx.db.query("emailOutbox").collect())).toEqual([]);
  });

  it("dispute filed -> advisor; resolved -> client and advisor, with email through the dev mailbox", async () => {
    const { t, clientId, advisorId, adminId, profileId } = await setup(5_000);
    const sessionId = await liveSession(t, profileId, 60_000);
    await t.withIdentity(client).mutation(api.sessions.end, { sessionId });
    const { disputeId } = await t.withIdentity(client).mutation(api.disputes.file, {
      sessionId,
      category: "other",
      description: "The advisor was not helpful.",
      requestedRefundCents: 50,
    });
    expect(await kindsFor(t, advisorId)).toContain("dispute_filed");
    expect(await kindsFor(t, clientId)).not.toContain("dispute_filed");
    expect(await kindsFor(t, adminId)).toEqual([]);
    await t.withIdentity(admin).mutation(api.disputes.resolve, {
      disputeId,
      outcome: "full_refund",
      note: "Refunded in full.",
      earlyDecisionReason: "Decided in a test before the window closed.",
    });
    expect(await kindsFor(t, clientId)).toContain("dispute_resolved");
    expect(await kindsFor(t, advisorId)).toContain("dispute_resolved");
    const outbox = await t.run(async (ctx) => ctx.db.query("emailOutbox").collect());
    expect(outbox.map((r) => [r.kind, r.to, r.channel, r.status]).sort()).toEqual([
      ["dispute_resolved", "advisor1@example.test", "dev_mailbox", "sent"],
      ["dispute_resolved", "client1@example.test", "dev_mailbox", "sent"],
    ]);
    await expectAppError(t.withIdentity(client).query(api.notifications.devMailbox, {}), "FORBIDDEN");
    const mailbox = await t.withIdentity(admin).query(api.notifications.devMailbox, {});
    expect(mailbox).toHaveLength(2);
    expect(mailbox[0]!.subject).toBe("A session dispute was resolved");
    expect(mailbox[0]!.text).toContain(`/session/${sessionId}/receipt`);
  });

  it("advisor application approved / rejected -> applicant, with email", async () => {
    const t = newTest();
    await insertUser(t, "admin1", "admin");
    const approvedProfile = await addAdvisor(
      t,
      "applicant1",
      { displayName: "A", categories: ["tarot"], status: "submitted" },
      "client",
    );
    const rejectedProfile = await addAdvisor(
      t,
      "applicant2",
      { displayName: "B", categories: ["tarot"], status: "submitted" },
      "client",
    );
    const userOf = async (id: Id<"advisorProfiles">) =>
      (await t.run(async (ctx) => (await ctx.db.get("advisorProfiles", id))!.userId)) as UserId;
    await t.withIdentity(admin).mutation(api.adminAdvisors.approve, { profileId: approvedProfile });
    await t.withIdentity(admin).mutation(api.adminAdvisors.reject, {
      profileId: rejectedProfile,
      reason: "Please add more detail to your bio.",
    });
    expect(await kindsFor(t, await userOf(approvedProfile))).toEqual(["advisor_approved"]);
    expect(await kindsFor(t, await userOf(rejectedProfile))).toEqual(["advisor_rejected"]);
    const outbox = await t.run(async (ctx) => ctx.db.query("emailOutbox").collect());
    expect(outbox.map((r) => r.kind).sort()).toEqual(["advisor_approved", "advisor_rejected"]);
  });

  it("payout paid / failed -> advisor, with email", async () => {
    const t = newTest();
    const advisorId = await insertUser(t, "advisor1", "advisor");
    const clientId = await insertUser(t, "client1", "client");
    await t.run(async (ctx) => {
      const now = Date.now();
      await ctx.db.insert("payoutAccounts", {
        userId: advisorId,
        accountId: "acct_test1",
        status: "enabled",
        chargesEnabled: true,
        payoutsEnabled: true,
        detailsSubmitted: true,
        createdAt: now,
        updatedAt: now,
      });
    });
    await t.mutation(internal.ledger.postEvents, {
      items: [
        { event: { kind: "top_up", clientId, amountCents: 11_000 }, idempotencyKey: "seed:topup" },
        {
          event: { kind: "session_settled", clientId, advisorId, costCents: 11_000, feeCents: 1_000 },
          idempotencyKey: "seed:settle",
        },
        { event: { kind: "earnings_released", advisorId, amountCents: 10_000 }, idempotencyKey: "seed:release" },
      ],
    });
    let n = 0;
    const processor: PayoutProcessor = {
      createTransfer: async () => ({ id: `tr_${++n}` }),
      createPayout: async () => ({ id: `po_${++n}` }),
      reverseTransfer: async () => ({ id: `trr_${++n}` }),
    };
    setPayoutProcessorForTests(processor);
    const event = (type: string, obj: Record<string, unknown>) =>
      JSON.stringify({ id: `evt_${type}_${++n}`, type, created: Math.floor(Date.now() / 1000), data: { object: obj } });
    const first = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 3_000 });
    await advance(t, 0);
    await t.mutation(internal.topups.applyEvent, {
      eventJson: event("payout.paid", { metadata: { payoutId: first.payoutId } }),
    });
    expect(await kindsFor(t, advisorId)).toEqual(["payout_paid"]);
    const second = await t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 3_000 });
    await advance(t, 0);
    await t.mutation(internal.topups.applyEvent, {
      eventJson: event("payout.failed", {
        metadata: { payoutId: second.payoutId },
        failure_code: "account_closed",
        failure_message: "The bank account is closed.",
      }),
    });
    expect(await kindsFor(t, advisorId)).toEqual(["payout_paid", "payout_failed"]);
    const outbox = await t.run(async (ctx) => ctx.db.query("emailOutbox").collect());
    expect(outbox.map((r) => r.kind)).toEqual(["payout_paid", "payout_failed"]);
    expect(await kindsFor(t, clientId)).toEqual([]);
  });
});

describe("ownership", () => {
  it("lists, counts and marks only the viewer's own notifications", async () => {
    const { t, advisorId, clientId } = await setup();
    const [a1, a2] = await t.run(async (ctx) => [
      await notify(ctx, advisorId, { kind: "session_requested", title: "One", body: "b", href: "/x" }),
      await notify(ctx, advisorId, { kind: "session_requested", title: "Two", body: "b" }),
    ]);
    await t.run(async (ctx) => notify(ctx, clientId, { kind: "low_balance", title: "Mine", body: "b" }));
    expect((await t.withIdentity(stranger).query(api.notifications.list, {})).length).toBe(0);
    expect(await t.withIdentity(stranger).query(api.notifications.unreadCount, {})).toEqual({
      count: 0,
      capped: false,
    });
    await expectAppError(
      t.withIdentity(stranger).mutation(api.notifications.markRead, { notificationId: a1! }),
      "NOT_FOUND",
    );
    await expectAppError(
      t.withIdentity(client).mutation(api.notifications.markRead, { notificationId: a1! }),
      "NOT_FOUND",
    );
    await expectAppError(t.query(api.notifications.list, {}), "UNAUTHENTICATED");
    // The stranger's "mark all" touches nothing of anyone else's.
    await t.withIdentity(stranger).mutation(api.notifications.markAllRead, {});
    expect(await t.withIdentity(advisor).query(api.notifications.unreadCount, {})).toEqual({ count: 2, capped: false });

    const list = await t.withIdentity(advisor).query(api.notifications.list, {});
    expect(list.map((n) => [n.title, n.read])).toEqual([
      ["Two", false],
      ["One", false],
    ]);
    await t.withIdentity(advisor).mutation(api.notifications.markRead, { notificationId: a2! });
    expect(await t.withIdentity(advisor).query(api.notifications.unreadCount, {})).toEqual({ count: 1, capped: false });
    expect(await t.withIdentity(advisor).mutation(api.notifications.markAllRead, {})).toEqual({ marked: 1 });
    expect(await t.withIdentity(advisor).query(api.notifications.unreadCount, {})).toEqual({ count: 0, capped: false });
    expect(await t.withIdentity(client).query(api.notifications.unreadCount, {})).toEqual({ count: 1, capped: false });
  });
});

describe("email channels", () => {
  it("only important kinds are emailed", async () => {
    const { t, clientId } = await setup();
    await t.run(async (ctx) => notify(ctx, clientId, { kind: "low_balance", title: "x", body: "y" }));
    await t.run(async (ctx) => notify(ctx, clientId, { kind: "payout_paid", title: "Paid", body: "y", email: true }));
    const outbox = await t.run(async (ctx) => ctx.db.query("emailOutbox").collect());
    expect(outbox.map((r) => r.kind)).toEqual(["payout_paid"]);
  });

  it("with RESEND_API_KEY: the worker posts with the row id as idempotency key, retries, and there is no dev mailbox", async () => {
    vi.stubEnv("RESEND_API_KEY", "re_test_key");
    const calls: { key: string | null; body: string }[] = [];
    const responses = [
      new Response("busy", { status: 503 }),
      new Response(JSON.stringify({ id: "email_1" }), { status: 200 }),
    ];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      calls.push({ key: new Headers(init.headers).get("Idempotency-Key"), body: String(init.body) });
      return responses.shift()!;
    });
    const { t, clientId } = await setup();
    await t.run(async (ctx) =>
      notify(ctx, clientId, { kind: "payout_paid", title: "Paid", body: "Your money", email: true }),
    );
    const [row] = await t.run(async (ctx) => ctx.db.query("emailOutbox").collect());
    expect(row).toMatchObject({ channel: "provider", status: "pending", to: "client1@example.test" });
    await advance(t, 0);
    expect(await t.run(async (ctx) => ctx.db.get("emailOutbox", row!._id))).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: expect.stringContaining("503"),
    });
    await advance(t, 5 * 60_000);
    expect(await t.run(async (ctx) => ctx.db.get("emailOutbox", row!._id))).toMatchObject({
      status: "sent",
      attempts: 2,
      providerMessageId: "email_1",
    });
    expect(calls.map((c) => c.key)).toEqual([`email_${row!._id}`, `email_${row!._id}`]);
    expect(JSON.parse(calls[0]!.body)).toMatchObject({ to: ["client1@example.test"], subject: "Paid" });
    expect(await t.run(async (ctx) => ctx.db.query("devMailbox").collect())).toEqual([]);
    await expectAppError(t.withIdentity(admin).query(api.notifications.devMailbox, {}), "NOT_FOUND");
  });

  it("with RESEND_API_KEY: the sweep re-sends an email whose scheduled send was lost or whose worker died", async () => {
    vi.stubEnv("RESEND_API_KEY", "re_test_key");
    const keys: (string | null)[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      keys.push(new Headers(init.headers).get("Idempotency-Key"));
      return new Response(JSON.stringify({ id: `email_${keys.length}` }), { status: 200 });
    });
    const { t, clientId } = await setup();
    await t.run(async (ctx) => {
      await notify(ctx, clientId, { kind: "payout_paid", title: "Lost", body: "b", email: true });
      await notify(ctx, clientId, { kind: "payout_failed", title: "Crashed", body: "b", email: true });
      // Lose every scheduled send, as if the deployment dropped them.
      for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
        if (job.state.kind === "pending") await ctx.scheduler.cancel(job._id);
      }
    });
    const [lost, crashed] = await t.run(async (ctx) => ctx.db.query("emailOutbox").collect());
    // The second one's worker claims it and dies before reporting back.
    await t.mutation(internal.notifications.claimEmail, { emailOutboxId: crashed!._id });

    expect(await t.mutation(internal.notifications.sweepEmailOutbox, {})).toBe(0); // nothing is overdue yet
    await advance(t, 3 * 60_000);
    expect(await t.mutation(internal.notifications.sweepEmailOutbox, {})).toBe(2);
    await advance(t, 0);
    expect(await t.run(async (ctx) => ctx.db.get("emailOutbox", lost!._id))).toMatchObject({
      status: "sent",
      attempts: 1,
    });
    expect(await t.run(async (ctx) => ctx.db.get("emailOutbox", crashed!._id))).toMatchObject({
      status: "sent",
      attempts: 2,
    });
    expect(keys.sort()).toEqual([`email_${crashed!._id}`, `email_${lost!._id}`].sort());
    expect(await t.mutation(internal.notifications.sweepEmailOutbox, {})).toBe(0);
  });

  it("with RESEND_API_KEY: a permanent refusal dead-letters the row and alerts admins", async () => {
    vi.stubEnv("RESEND_API_KEY", "re_test_key");
    vi.stubGlobal("fetch", async () => new Response("invalid from", { status: 422 }));
    const { t, clientId } = await setup();
    await t.run(async (ctx) =>
      notify(ctx, clientId, { kind: "dispute_resolved", title: "Resolved", body: "b", email: true }),
    );
    await advance(t, 0);
    const [row] = await t.run(async (ctx) => ctx.db.query("emailOutbox").collect());
    expect(row).toMatchObject({ status: "dead", attempts: 1 });
    const alerts = await t.run(async (ctx) =>
      ctx.db
        .query("alerts")
        .withIndex("by_kind", (q) => q.eq("kind", "email_dead_letter"))
        .collect(),
    );
    expect(alerts).toHaveLength(1);
  });

  it("without EMAIL_DEV_MAILBOX=1 there is no dev mailbox, whatever NODE_ENV says", async () => {
    vi.stubEnv("EMAIL_DEV_MAILBOX", "");
    vi.stubEnv("NODE_ENV", "development");
    const { t, clientId } = await setup();
    await t.run(async (ctx) =>
      notify(ctx, clientId, { kind: "payout_failed", title: "Failed", body: "b", email: true }),
    );
    expect(await t.run(async (ctx) => ctx.db.query("devMailbox").collect())).toEqual([]);
    await expectAppError(t.withIdentity(admin).query(api.notifications.devMailbox, {}), "NOT_FOUND");
  });

  it("the local dev mailbox refuses production without the explicit flag", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const { t, clientId } = await setup();
    await t.run(async (ctx) =>
      notify(ctx, clientId, { kind: "payout_failed", title: "Failed", body: "b", email: true }),
    );
    const [row] = await t.run(async (ctx) => ctx.db.query("emailOutbox").collect());
    expect(row).toMatchObject({ status: "dead", lastError: expect.stringContaining("RESEND_API_KEY") });
    expect(await t.run(async (ctx) => ctx.db.query("devMailbox").collect())).toEqual([]);
    await expectAppError(t.withIdentity(admin).query(api.notifications.devMailbox, {}), "NOT_FOUND");
    // The in-app notification is still there.
    expect(await kindsFor(t, clientId)).toEqual(["payout_failed"]);
    vi.stubEnv("ALLOW_LOCAL_SERVICES_IN_PRODUCTION", "true");
    expect(await t.withIdentity(admin).query(api.notifications.devMailbox, {})).toEqual([]);
  });
});
