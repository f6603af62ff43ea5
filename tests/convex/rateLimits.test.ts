// Per-user rate limits (convex/model/rateLimits.ts): for each limited function the allowed calls succeed,
// the next one is refused with RATE_LIMITED and retryAfterMs > 0 and writes nothing, and after the wait
// (fake clock) it works again. Other users are not affected.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { PAYOUT_RULES } from "../../lib/payouts";
import { RATE_LIMIT_TABLE } from "../../convex/model/rateLimits";
import { retryInWords } from "../../lib/format";
import { addAdvisor } from "./advisorHelpers";
import { insertUser, localIdentity, newTest, withRate, type Test } from "./helpers";
import { endedSessionDoc } from "./sessionFixtures";

type UserId = Id<"users">;
const client = localIdentity("client1");
const client2 = localIdentity("client2");
const advisor = localIdentity("advisor1");
const HOUR = 60 * 60_000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
});
afterEach(() => {
  vi.useRealTimers();
});

const TABLES = [
  "sessions",
  "sessionEvents",
  "topups",
  "paymentProfiles",
  "payouts",
  "outbox",
  "sessionDisputes",
  "journals",
  "entries",
  "notifications",
  "emailOutbox",
  "auditLog",
] as const;

/** The rate limiter component's bucket rows (its `rateLimits` table). */
async function limitRows(t: Test): Promise<unknown[]> {
  // convex-test's runInComponent (not in its type declarations) runs a mutation body inside a component.
  const { runInComponent } = t as unknown as {
    runInComponent: <R>(
      path: string,
      fn: (ctx: { db: { query: (table: string) => { collect: () => Promise<R> } } }) => Promise<R>,
    ) => Promise<R>;
  };
  return await runInComponent<unknown[]>("rateLimiter", async (ctx) => ctx.db.query("rateLimits").collect());
}

/** Row counts (and the rate limit rows themselves) of the tables a limited call could write. */
async function snapshot(t: Test) {
  const rateLimits = await limitRows(t);
  return await t.run(async (ctx) => {
    const out: Record<string, unknown> = { rateLimits };
    for (const table of TABLES) out[table] = (await ctx.db.query(table).collect()).length;
    return out;
  });
}

/** Expects RATE_LIMITED with retryAfterMs > 0 and a message saying when to retry; returns retryAfterMs. */
async function expectRateLimited(promise: Promise<unknown>): Promise<number> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected RATE_LIMITED, the call succeeded").toBeDefined();
  const raw = (caught as { data?: unknown }).data;
  const data = (typeof raw === "string" ? JSON.parse(raw) : raw) as {
    code: string;
    message: string;
    retryAfterMs?: number;
  };
  expect(data.code).toBe("RATE_LIMITED");
  expect(data.retryAfterMs).toBeGreaterThan(0);
  expect(data.message).toMatch(/^Too many .+ Try again in .+\.$/);
  return data.retryAfterMs!;
}

describe("the limit table", () => {
  it("has the documented numbers", () => {
    expect(RATE_LIMIT_TABLE.sessionRequest).toMatchObject({ requestsPerPeriod: 10, periodMs: 60_000, burst: 10 });
    expect(RATE_LIMIT_TABLE.topupCheckout).toMatchObject({ requestsPerPeriod: 10, periodMs: 60_000, burst: 10 });
    expect(RATE_LIMIT_TABLE.payoutRequest).toMatchObject({ requestsPerPeriod: 5, periodMs: 60_000, burst: 5 });
    expect(RATE_LIMIT_TABLE.disputeFile).toMatchObject({ requestsPerPeriod: 5, periodMs: HOUR, burst: 5 });
    expect(RATE_LIMIT_TABLE.ledgerCheckRun).toMatchObject({ requestsPerPeriod: 6, periodMs: HOUR, burst: 2 });
  });
  it("says the wait in plain words", () => {
    expect(retryInWords(1)).toBe("1 second");
    expect(retryInWords(5_500)).toBe("6 seconds");
    expect(retryInWords(60_000)).toBe("a minute");
    expect(retryInWords(11 * 60_000 + 1)).toBe("12 minutes");
    expect(retryInWords(HOUR)).toBe("about an hour");
  });
});

describe("sessions.request: 10 per minute", () => {
  it("allows 10 in a row, refuses the 11th without writing, works again after the wait", async () => {
    const t = newTest();
    const clientId = await insertUser(t, "client1", "client");
    const client2Id = await insertUser(t, "client2", "client");
    const profileId = await addAdvisor(t, "advisor1", {
      displayName: "Ada",
      categories: ["tarot"],
      status: "approved",
      online: true,
      chatRateCentsPerMinute: 50,
      videoRateCentsPerMinute: 100,
    });
    for (const [i, id] of [clientId, client2Id].entries()) {
      await t.mutation(internal.ledger.postEvent, {
        event: { kind: "top_up", clientId: id, amountCents: 100_00 },
        idempotencyKey: `topup:${i}`,
      });
    }
    // The advisor declines each request: a client's own cancels to one advisor hit the busy-lock cooldown
    // (requestCooldown.test.ts) before this limit.
    const requestAndCancel = async (who = client) => {
      const { sessionId } = await t
        .withIdentity(who)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" }));
      await t.withIdentity(advisor).mutation(api.sessions.decline, { sessionId });
    };
    for (let i = 0; i < 10; i++) await requestAndCancel();
    const before = await snapshot(t);
    const retryAfterMs = await expectRateLimited(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
    );
    expect(retryAfterMs).toBeLessThanOrEqual(6_000); // one token refills every 6 s
    expect(await snapshot(t)).toEqual(before);
    // Per user: another client is not affected.
    await requestAndCancel(client2);
    vi.setSystemTime(Date.now() + retryAfterMs);
    await requestAndCancel();
    await expectRateLimited(
      t
        .withIdentity(client)
        .mutation(api.sessions.request, await withRate(t, { advisorProfileId: profileId, kind: "chat" })),
    );
  });
});

describe("top-up checkout (topups.createPending): 10 per minute", () => {
  it("allows 10 in a row, refuses the 11th without writing, works again after the wait", async () => {
    const t = newTest();
    const userId = await insertUser(t, "client1", "client");
    const create = async () => {
      const pending = await t.mutation(internal.topups.createPending, { userId, amount: "25", saveCard: false });
      // Mark it failed so the separate "10 unfinished top-ups" rule does not kick in.
      await t.mutation(internal.topups.markFailed, { topupId: pending.topupId, code: "test", reason: "test" });
    };
    for (let i = 0; i < 10; i++) await create();
    const before = await snapshot(t);
    const retryAfterMs = await expectRateLimited(
      t.mutation(internal.topups.createPending, { userId, amount: "25", saveCard: false }),
    );
    expect(retryAfterMs).toBeLessThanOrEqual(6_000);
    expect(await snapshot(t)).toEqual(before);
    vi.setSystemTime(Date.now() + retryAfterMs);
    await create();
  });

  it("an invalid amount is refused as INVALID_ARGUMENT and spends no token", async () => {
    const t = newTest();
    const userId = await insertUser(t, "client1", "client");
    await expect(t.mutation(internal.topups.createPending, { userId, amount: "0", saveCard: false })).rejects.toThrow();
    expect(await limitRows(t)).toEqual([]);
  });
});

describe("payouts.request: 5 per minute", () => {
  it("allows 5 in a row, refuses the 6th without writing, works again after the wait", async () => {
    const t = newTest();
    const advisorId: UserId = await insertUser(t, "advisor1", "advisor");
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
    const available = 100 * PAYOUT_RULES.minCents;
    const fee = Math.round(available / 9);
    await t.mutation(internal.ledger.postEvents, {
      items: [
        { event: { kind: "top_up", clientId, amountCents: available + fee }, idempotencyKey: "seed:topup" },
        {
          event: { kind: "session_settled", clientId, advisorId, costCents: available + fee, feeCents: fee },
          idempotencyKey: "seed:settle",
        },
        { event: { kind: "earnings_released", advisorId, amountCents: available }, idempotencyKey: "seed:release" },
      ],
    });
    const request = () => t.withIdentity(advisor).mutation(api.payouts.request, { amountCents: PAYOUT_RULES.minCents });
    for (let i = 0; i < 5; i++) await request();
    const before = await snapshot(t);
    const retryAfterMs = await expectRateLimited(request());
    expect(retryAfterMs).toBeLessThanOrEqual(12_000); // one token refills every 12 s
    expect(await snapshot(t)).toEqual(before);
    vi.setSystemTime(Date.now() + retryAfterMs);
    await request();
  });
});

describe("disputes.file: 5 per hour", () => {
  it("allows 5 in a row, refuses the 6th without writing, works again after the wait", async () => {
    const t = newTest();
    const clientId = await insertUser(t, "client1", "client");
    const advisorId = await insertUser(t, "advisor1", "advisor");
    await t.mutation(internal.ledger.postEvent, {
      event: { kind: "top_up", clientId, amountCents: 100_00 },
      idempotencyKey: "topup",
    });
    const endedAt = Date.now() - 60_000;
    const sessions: Id<"sessions">[] = [];
    for (let i = 0; i < 7; i++) {
      sessions.push(
        await t.run(async (ctx) =>
          ctx.db.insert(
            "sessions",
            endedSessionDoc({ clientId, advisorId }, { endedAt, rateCentsPerMinute: 50, costCents: 500 }),
          ),
        ),
      );
    }
    const file = (sessionId: Id<"sessions">) =>
      t.withIdentity(client).mutation(api.disputes.file, {
        sessionId,
        category: "advisor_absent",
        description: "The advisor never answered my questions.",
        requestedRefundCents: 500,
      });
    for (let i = 0; i < 5; i++) await file(sessions[i]!);
    const before = await snapshot(t);
    const retryAfterMs = await expectRateLimited(file(sessions[5]!));
    expect(retryAfterMs).toBeGreaterThan(60_000);
    expect(retryAfterMs).toBeLessThanOrEqual(12 * 60_000); // one token refills every 12 minutes
    expect(await snapshot(t)).toEqual(before);
    vi.setSystemTime(Date.now() + retryAfterMs);
    await file(sessions[5]!);
    await expectRateLimited(file(sessions[6]!));
  });
});

describe("ledger.runCheckerNow: 6 per hour, burst of 2", () => {
  it("starts two checks in a row, refuses the third without scheduling or auditing it, works again after the wait", async () => {
    const t = newTest();
    await insertUser(t, "admin1", "admin");
    const admin = t.withIdentity(localIdentity("admin1"));
    const scheduled = () => t.run(async (ctx) => (await ctx.db.system.query("_scheduled_functions").collect()).length);
    await admin.mutation(api.ledger.runCheckerNow, {});
    await admin.mutation(api.ledger.runCheckerNow, {});
    const before = { ...(await snapshot(t)), scheduled: await scheduled() };
    const retryAfterMs = await expectRateLimited(admin.mutation(api.ledger.runCheckerNow, {}));
    expect(retryAfterMs).toBeLessThanOrEqual(10 * 60_000); // one token refills every 10 minutes
    expect({ ...(await snapshot(t)), scheduled: await scheduled() }).toEqual(before);
    vi.setSystemTime(Date.now() + retryAfterMs);
    await admin.mutation(api.ledger.runCheckerNow, {});
  });
});
