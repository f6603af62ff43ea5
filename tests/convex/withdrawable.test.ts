// Withdrawals (issue 20): money the advisor owes (open receivables) is not withdrawable, and a suspended
// advisor profile cannot withdraw at all.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import { withdrawableCents } from "../../lib/payouts";
import { expectAppError, insertUser, localIdentity, newTest } from "./helpers";
import { addAdvisor } from "./advisorHelpers";
import { balance } from "./ledgerHelpers";

const advisor = localIdentity("advisor1");

async function setup() {
  const t = newTest();
  const profileId = await addAdvisor(t, "advisor1", { displayName: "Ada", categories: ["tarot"], status: "approved" });
  const advisorId = (await t.run(async (ctx) => ctx.db.get("advisorProfiles", profileId)))!.userId;
  const clientId = await insertUser(t, "client1", "client");
  await t.run(async (ctx) => {
    const now = Date.now();
    await ctx.db.insert("payoutAccounts", {
      userId: advisorId,
      accountId: "acct_w1",
      status: "enabled",
      chargesEnabled: true,
      payoutsEnabled: true,
      detailsSubmitted: true,
      createdAt: now,
      updatedAt: now,
    });
  });
  // $100.00 available, then an overpayment correction leaves $60.00 owed.
  await t.mutation(internal.ledger.postEvents, {
    items: [
      { event: { kind: "top_up", clientId, amountCents: 111_11 }, idempotencyKey: "w:topup" },
      {
        event: { kind: "session_settled", clientId, advisorId, costCents: 111_11, feeCents: 11_11 },
        idempotencyKey: "w:settle",
      },
      { event: { kind: "earnings_released", advisorId, amountCents: 100_00 }, idempotencyKey: "w:release" },
      {
        event: { kind: "session_adjusted", advisorId, amountCents: 60_00, direction: "advisor_overpaid" },
        idempotencyKey: "w:adjust",
      },
    ],
  });
  return { t, profileId, advisorId };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("withdrawable amount", () => {
  it("is available minus open receivables, never negative", () => {
    expect(withdrawableCents(100_00, 60_00)).toBe(40_00);
    expect(withdrawableCents(100_00, 0)).toBe(100_00);
    expect(withdrawableCents(30_00, 60_00)).toBe(0);
    expect(withdrawableCents(100_00, -5)).toBe(100_00);
  });

  it("open receivables reduce what the advisor can withdraw", async () => {
    const { t, advisorId } = await setup();
    const available = await balance(t, "advisor_available", advisorId);
    const owed = await balance(t, "advisor_receivable", advisorId);
    expect(owed).toBeGreaterThan(0);
    const summary = await t.withIdentity(advisor).query(api.payouts.summary, {});
    expect(summary.withdrawableCents).toBe(available - owed);
    await expectAppError(
      t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: available - owed + 1 }),
      "INSUFFICIENT_FUNDS",
    );
    await expect(
      t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: available - owed }),
    ).resolves.toMatchObject({ status: "queued" });
  });

  it("a suspended advisor profile cannot withdraw", async () => {
    const { t, profileId } = await setup();
    await t.run(async (ctx) => ctx.db.patch("advisorProfiles", profileId, { status: "suspended" }));
    await expectAppError(t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: 25_00 }), "FORBIDDEN");
    expect(await t.run(async (ctx) => (await ctx.db.query("payouts").collect()).length)).toBe(0);
  });
});
