// Advisor payout accounts (Stripe Connect Express): `account.updated` webhooks (signed like Stripe's),
// duplicates, stale and unknown accounts, the status query, and who may start onboarding.
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { payoutStatusOf } from "../../convex/model/payoutAccounts";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";

const SECRET = "whsec_convex_payout_secret";
const CONNECT_SECRET = "whsec_convex_connect_secret";
const stripe = new Stripe("sk_test_unused");

beforeEach(() => {
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

let seq = 0;
const evtId = () => `evt_test_payout${(++seq).toString(36).padStart(8, "0")}`;

function accountUpdated(account: Record<string, unknown>, created = Math.floor(Date.now() / 1000)) {
  return {
    id: evtId(),
    object: "event",
    api_version: "2026-10-28.endive",
    livemode: false,
    type: "account.updated",
    created,
    data: { object: { object: "account", type: "express", ...account } },
  };
}

async function deliver(t: Test, ev: Record<string, unknown>, secret = SECRET) {
  const payload = JSON.stringify(ev);
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
  const response = await t.fetch("/stripe/webhook", {
    method: "POST",
    headers: { "stripe-signature": header, "content-type": "application/json" },
    body: payload,
  });
  const text = await response.text();
  return { status: response.status, body: (response.ok ? JSON.parse(text) : text) as { outcome?: string } | string };
}

const enabled = {
  charges_enabled: true,
  payouts_enabled: true,
  details_submitted: true,
  requirements: { currently_due: [], disabled_reason: null },
};

async function advisorWithAccount(t: Test, subject = "a1", accountId = "acct_1AdvisorPayout01") {
  const userId = await insertUser(t, subject, "advisor");
  await t.mutation(internal.payoutAccounts.attach, {
    userId,
    accountId,
    chargesEnabled: false,
    payoutsEnabled: false,
    detailsSubmitted: false,
  });
  return { userId, accountId };
}

const row = (t: Test, userId: Id<"users">) =>
  t.run(async (ctx) =>
    ctx.db
      .query("payoutAccounts")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .unique(),
  );

describe("payout status", () => {
  it("derives the status from Stripe's flags", () => {
    expect(payoutStatusOf({ chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false })).toBe("pending");
    expect(payoutStatusOf({ chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true })).toBe("enabled");
    expect(
      payoutStatusOf({
        chargesEnabled: false,
        payoutsEnabled: false,
        detailsSubmitted: true,
        disabledReason: "requirements.past_due",
      }),
    ).toBe("restricted");
  });

  it("mine: not connected without an account, pending after it is created; clients may read but not connect", async () => {
    const t = newTest();
    await insertUser(t, "c1", "client");
    expect(await t.withIdentity(localIdentity("c1")).query(api.payoutAccounts.mine, {})).toMatchObject({
      status: "not_connected",
      canConnect: false,
    });
    await advisorWithAccount(t);
    expect(await t.withIdentity(localIdentity("a1")).query(api.payoutAccounts.mine, {})).toMatchObject({
      status: "pending",
      canConnect: true,
      payoutsEnabled: false,
    });
    await expectAppError(t.query(api.payoutAccounts.mine, {}), "UNAUTHENTICATED");
  });

  it("attaching is once per advisor: the same account again is a no-op, another account is refused", async () => {
    const t = newTest();
    const { userId, accountId } = await advisorWithAccount(t);
    await t.mutation(internal.payoutAccounts.attach, {
      userId,
      accountId,
      chargesEnabled: false,
      payoutsEnabled: false,
      detailsSubmitted: false,
    });
    await expect(
      t.mutation(internal.payoutAccounts.attach, {
        userId,
        accountId: "acct_other",
        chargesEnabled: false,
        payoutsEnabled: false,
        detailsSubmitted: false,
      }),
    ).rejects.toThrow();
    expect(await t.run(async (ctx) => ctx.db.query("payoutAccounts").collect())).toHaveLength(1);
  });
});

describe("account.updated webhook", () => {
  it("records charges/payouts enabled; the advisor sees enabled; a duplicate event is a no-op", async () => {
    const t = newTest();
    const { userId, accountId } = await advisorWithAccount(t);
    const ev = accountUpdated({ id: accountId, ...enabled, metadata: { userId } });
    const first = await deliver(t, ev);
    expect(first).toMatchObject({ status: 200, body: { outcome: "processed" } });
    expect(await row(t, userId)).toMatchObject({
      status: "enabled",
      chargesEnabled: true,
      payoutsEnabled: true,
      detailsSubmitted: true,
      lastEventId: ev.id,
    });
    expect(await t.withIdentity(localIdentity("a1")).query(api.payoutAccounts.mine, {})).toMatchObject({
      status: "enabled",
      payoutsEnabled: true,
    });
    const before = await row(t, userId);
    const replay = await deliver(t, ev);
    expect(replay).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    expect(await row(t, userId)).toEqual(before);
    const events = await t.run(async (ctx) => ctx.db.query("processorEvents").collect());
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "account.updated", outcome: "processed", objectId: accountId });
    expect(await t.run(async (ctx) => ctx.db.query("journals").collect())).toHaveLength(0); // no money moves
  });

  it("restricted after submission; an older event arriving late does not undo a newer one", async () => {
    const t = newTest();
    const { userId, accountId } = await advisorWithAccount(t);
    const now = Math.floor(Date.now() / 1000);
    const restricted = accountUpdated(
      {
        id: accountId,
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: true,
        requirements: { disabled_reason: "requirements.past_due" },
      },
      now,
    );
    expect((await deliver(t, restricted)).status).toBe(200);
    expect(await row(t, userId)).toMatchObject({ status: "restricted", disabledReason: "requirements.past_due" });
    const older = accountUpdated(
      { id: accountId, charges_enabled: false, payouts_enabled: false, details_submitted: false },
      now - 60,
    );
    expect((await deliver(t, older)).status).toBe(200);
    expect(await row(t, userId)).toMatchObject({ status: "restricted" });
    const newer = accountUpdated({ id: accountId, ...enabled }, now + 1);
    expect((await deliver(t, newer)).status).toBe(200);
    expect(await row(t, userId)).toMatchObject({ status: "enabled" });
    expect((await row(t, userId))!.disabledReason).toBeUndefined();
  });

  it("an unknown account is recorded as unmatched and alerted; nothing else changes", async () => {
    const t = newTest();
    const { userId } = await advisorWithAccount(t);
    const client = await insertUser(t, "c1", "client");
    const unknown = await deliver(t, accountUpdated({ id: "acct_1NobodyKnowsThis", ...enabled }));
    expect(unknown).toMatchObject({ status: 200, body: { outcome: "unmatched" } });
    // metadata naming a client (not an advisor) does not attach the account either
    expect(
      (await deliver(t, accountUpdated({ id: "acct_1ClientMetadata0", ...enabled, metadata: { userId: client } })))
        .body,
    ).toMatchObject({ outcome: "unmatched" });
    const alerts = await t.run(async (ctx) => ctx.db.query("alerts").collect());
    expect(alerts.filter((a) => a.kind === "payments_unmatched_event")).toHaveLength(2);
    expect(alerts[0]!.message).toContain("acct_1NobodyKnowsThis");
    expect(await row(t, userId)).toMatchObject({ status: "pending" });
    expect(await t.run(async (ctx) => ctx.db.query("payoutAccounts").collect())).toHaveLength(1);
  });

  it("an event that overtakes the action is matched by metadata.userId and stores the account", async () => {
    const t = newTest();
    const userId = await insertUser(t, "a2", "advisor");
    const result = await deliver(t, accountUpdated({ id: "acct_1OvertookAction0", ...enabled, metadata: { userId } }));
    expect(result.body).toMatchObject({ outcome: "processed" });
    expect(await row(t, userId)).toMatchObject({ accountId: "acct_1OvertookAction0", status: "enabled" });
    // the action's own attach afterwards is a no-op
    await t.mutation(internal.payoutAccounts.attach, {
      userId,
      accountId: "acct_1OvertookAction0",
      chargesEnabled: false,
      payoutsEnabled: false,
      detailsSubmitted: false,
    });
    expect(await row(t, userId)).toMatchObject({ status: "enabled" });
  });

  it("accepts a separate Connect endpoint secret; forged signatures are refused with nothing written", async () => {
    const t = newTest();
    vi.stubEnv("STRIPE_CONNECT_WEBHOOK_SECRET", CONNECT_SECRET);
    const { userId, accountId } = await advisorWithAccount(t);
    expect((await deliver(t, accountUpdated({ id: accountId, ...enabled }), "whsec_forged")).status).toBe(400);
    expect(await row(t, userId)).toMatchObject({ status: "pending" });
    expect((await deliver(t, accountUpdated({ id: accountId, ...enabled }), CONNECT_SECRET)).status).toBe(200);
    expect(await row(t, userId)).toMatchObject({ status: "enabled" });
  });
});

describe("startPayoutOnboarding permissions", () => {
  it("clients, anonymous and suspended users cannot start onboarding; nothing is written", async () => {
    const t = newTest();
    await insertUser(t, "c1", "client");
    await insertUser(t, "s1", "advisor", { status: "suspended" });
    await expectAppError(
      t.withIdentity(localIdentity("c1")).action(api.stripeNode.startPayoutOnboarding, {}),
      "FORBIDDEN",
    );
    await expectAppError(t.action(api.stripeNode.startPayoutOnboarding, {}), "UNAUTHENTICATED");
    await expectAppError(
      t.withIdentity(localIdentity("s1")).action(api.stripeNode.startPayoutOnboarding, {}),
      "SUSPENDED",
    );
    expect(await t.run(async (ctx) => ctx.db.query("payoutAccounts").collect())).toHaveLength(0);
  });

  it("an advisor gets a clear error when payments are not configured, and one whose payouts are enabled is told so", async () => {
    const t = newTest();
    const { accountId } = await advisorWithAccount(t);
    await expectAppError(
      t.withIdentity(localIdentity("a1")).action(api.stripeNode.startPayoutOnboarding, {}),
      "UNAVAILABLE",
    );
    await deliver(t, accountUpdated({ id: accountId, ...enabled }));
    vi.stubEnv("LOCAL_STRIPE_URL", "http://127.0.0.1:9");
    vi.stubEnv("LOCAL_STRIPE_SECRET_KEY", "sk_test_x");
    await expectAppError(
      t.withIdentity(localIdentity("a1")).action(api.stripeNode.startPayoutOnboarding, {}),
      "CONFLICT",
    );
  });
});
