// Fault tests (issue 11 item 5): the payout processor down for a while then back, a top-up whose webhook
// only arrives after the outage, and a webhook storm (every event delivered three times, shuffled) that
// must leave the ledger exactly as one clean in-order delivery does.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { accountBalance, walletSummary } from "../../convex/model/ledger";
import {
  ProcessorCallError,
  setPayoutProcessorForTests,
  type PayoutProcessor,
} from "../../convex/model/payoutProcessor";
import { OUTBOX_RULES } from "../../lib/payouts";
import { insertUser, localIdentity, newTest, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";

type UserId = Id<"users">;

async function advance(t: Test, ms: number) {
  vi.advanceTimersByTime(ms);
  await t.finishInProgressScheduledFunctions();
}

function eventJson(type: string, obj: Record<string, unknown>, id: string) {
  return JSON.stringify({ id, type, created: Math.floor(Date.now() / 1000), data: { object: obj } });
}

/**
 * A processor that is down (every call a retryable 503) until `recoverAt` (fake clock), then honours
 * idempotency keys like Stripe: a key's first successful answer is replayed, so `made` counts real objects.
 */
function outageProcessor(recoverAt: number) {
  const calls: string[] = [];
  const made = new Map<string, string>();
  let n = 0;
  const call = (key: string, prefix: string) => {
    calls.push(key);
    if (Date.now() < recoverAt) throw new ProcessorCallError("503 Service Unavailable", true);
    let id = made.get(key);
    if (id === undefined) {
      id = `${prefix}_${++n}`;
      made.set(key, id);
    }
    return { id };
  };
  const processor: PayoutProcessor = {
    async createTransfer(_input, key) {
      return call(key, "tr");
    },
    async createPayout(_input, _account, key) {
      return call(key, "po");
    },
    async reverseTransfer(_transferId, _input, key) {
      return call(key, "trr");
    },
  };
  return { processor, calls, made };
}

/** Advisors with an enabled payout account and `availableCents` released, through the real ledger events. */
async function advisorsWithBalance(t: Test, count: number, availableCents: number) {
  const clientId = await insertUser(t, "client-payer", "client");
  const advisors: UserId[] = [];
  for (let i = 0; i < count; i++) {
    const advisorId = await insertUser(t, `advisor${i}`, "advisor");
    advisors.push(advisorId);
    await t.run(async (ctx) => {
      const now = Date.now();
      await ctx.db.insert("payoutAccounts", {
        userId: advisorId,
        accountId: `acct_${i}`,
        status: "enabled",
        chargesEnabled: true,
        payoutsEnabled: true,
        detailsSubmitted: true,
        createdAt: now,
        updatedAt: now,
      });
    });
    const fee = Math.round(availableCents / 9);
    await t.mutation(internal.ledger.postEvents, {
      items: [
        { event: { kind: "top_up", clientId, amountCents: availableCents + fee }, idempotencyKey: `seed:topup:${i}` },
        {
          event: { kind: "session_settled", clientId, advisorId, costCents: availableCents + fee, feeCents: fee },
          idempotencyKey: `seed:settle:${i}`,
        },
        {
          event: { kind: "earnings_released", advisorId, amountCents: availableCents },
          idempotencyKey: `seed:release:${i}`,
        },
      ],
    });
  }
  return advisors;
}

describe("payout processor down for a while, then back", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
  });
  afterEach(() => {
    setPayoutProcessorForTests(null);
    vi.useRealTimers();
  });

  it("payouts requested during the outage each complete exactly once; none dead-lettered; payout.paid moves in transit to cash once", async () => {
    const t = newTest();
    const advisors = await advisorsWithBalance(t, 4, 10_000);
    // Down for 10 s: with backoff ≥ 1, 2, 4, 8 s (half of 2, 4, 8, 16 s) a row has had at most 4 of its 6 attempts.
    const outage = outageProcessor(Date.now() + 10_000);
    setPayoutProcessorForTests(outage.processor);
    const payouts: { payoutId: Id<"payouts">; advisorId: UserId; amountCents: number }[] = [];
    for (const [i, advisorId] of advisors.entries()) {
      for (const amountCents of [3_000, 4_000]) {
        const { payoutId, status } = await t
          .withIdentity(localIdentity(`advisor${i}`))
          .mutation(api.payouts.request, { amountCents });
        expect(status).toBe("queued");
        payouts.push({ payoutId, advisorId, amountCents });
      }
    }
    await advance(t, 0);
    expect(outage.made.size).toBe(0);
    const rows = await t.run(async (ctx) => ctx.db.query("outbox").collect());
    expect(
      rows.every((r) => r.status === "pending" && r.attempts === 1 && r.lastError === "503 Service Unavailable"),
    ).toBe(true);
    // Step the clock one second at a time through the outage and well past the longest remaining backoff.
    for (let s = 0; s < 60; s++) await advance(t, 1_000);

    const outbox = await t.run(async (ctx) => ctx.db.query("outbox").collect());
    expect(outbox).toHaveLength(payouts.length);
    for (const row of outbox) {
      expect(row.status).toBe("succeeded");
      expect(row.attempts).toBeGreaterThan(1);
      expect(row.attempts).toBeLessThan(OUTBOX_RULES.maxAttempts);
      // One transfer and one bank payout per payout, however many calls the outage cost.
      expect(outage.made.has(`outbox_${row._id}_transfer`)).toBe(true);
      expect(outage.made.has(`outbox_${row._id}_payout`)).toBe(true);
    }
    expect(outage.made.size).toBe(payouts.length * 2);
    expect(outage.calls.length).toBeGreaterThan(payouts.length * 2);
    expect(new Set(outage.calls).size).toBe(payouts.length * 2); // retries reuse the same keys
    const alerts = await t.run(async (ctx) => (await ctx.db.query("alerts").collect()).map((a) => a.kind));
    expect(alerts).not.toContain("payout_dead_letter");

    for (const p of payouts) {
      const row = (await t.run(async (ctx) => ctx.db.get("payouts", p.payoutId)))!;
      expect(row.status).toBe("in_transit");
      const paid = eventJson(
        "payout.paid",
        { id: row.processorPayoutId, metadata: { payoutId: p.payoutId } },
        `evt_paid_${p.payoutId}`,
      );
      await t.mutation(internal.topups.applyEvent, { eventJson: paid });
      // The processor redelivers after its own outage: a duplicate changes nothing.
      expect(await t.mutation(internal.topups.applyEvent, { eventJson: paid })).toBe("duplicate");
    }
    const paidJournals = await t.run(async (ctx) =>
      (await ctx.db.query("journals").collect()).filter((j) => j.type === "payout_paid"),
    );
    expect(paidJournals.map((j) => j.amountCents).sort()).toEqual(payouts.map((p) => p.amountCents).sort());
    for (const advisorId of advisors) {
      expect(await balance(t, "advisor_in_transit", advisorId)).toBe(0);
      expect(await balance(t, "advisor_available", advisorId)).toBe(3_000);
    }
    await expectChecker(t);
  });

  it("an outage longer than the attempt limit dead-letters; the admin retry after recovery sends exactly one transfer", async () => {
    const t = newTest();
    const [advisorId] = await advisorsWithBalance(t, 1, 10_000);
    await insertUser(t, "admin1", "admin");
    const outage = outageProcessor(Date.now() + 60 * 60_000);
    setPayoutProcessorForTests(outage.processor);
    const { payoutId } = await t
      .withIdentity(localIdentity("advisor0"))
      .mutation(api.payouts.request, { amountCents: 5_000 });
    await advance(t, 0);
    for (let attempt = 1; attempt <= OUTBOX_RULES.maxAttempts; attempt++) await advance(t, OUTBOX_RULES.capDelayMs);
    expect((await t.run(async (ctx) => ctx.db.get("payouts", payoutId)))!.status).toBe("dead_lettered");
    expect(outage.calls).toHaveLength(OUTBOX_RULES.maxAttempts);
    expect(await balance(t, "advisor_in_transit", advisorId)).toBe(5_000);
    vi.advanceTimersByTime(60 * 60_000); // the processor is back
    await t.withIdentity(localIdentity("admin1")).mutation(api.payouts.retry, { payoutId });
    await advance(t, 0);
    expect((await t.run(async (ctx) => ctx.db.get("payouts", payoutId)))!.status).toBe("in_transit");
    expect([...outage.made.keys()].filter((k) => k.endsWith("_transfer"))).toHaveLength(1);
    await expectChecker(t);
  });
});

// ---------------------------------------------------------------------------------------------
// Top-ups
// ---------------------------------------------------------------------------------------------

const successObjects = (topupId: string, amountCents: number, n: string) => ({
  pi: {
    id: `pi_${n}`,
    object: "payment_intent",
    amount: amountCents,
    amount_received: amountCents,
    currency: "usd",
    status: "succeeded",
    latest_charge: `ch_${n}`,
    metadata: { topupId },
  },
  cs: {
    id: `cs_${n}`,
    object: "checkout.session",
    amount_total: amountCents,
    currency: "usd",
    client_reference_id: topupId,
    metadata: { topupId },
    payment_intent: `pi_${n}`,
    payment_status: "paid",
    status: "complete",
    mode: "payment",
  },
});

describe("a top-up whose webhook arrives only after the processor is back", () => {
  it("stays pending through the outage and is credited exactly once by the late, redelivered events", async () => {
    const t = newTest();
    const client = await insertUser(t, "c1", "client");
    const { topupId } = await t.mutation(internal.topups.createPending, {
      userId: client,
      amount: "40",
      saveCard: false,
    });
    // Outage: nothing arrives; the wallet shows nothing and the top-up is pending.
    const me = t.withIdentity(localIdentity("c1"));
    expect(await me.query(api.topups.getMine, { topupId })).toMatchObject({ status: "pending" });
    expect(await t.run(async (ctx) => (await walletSummary(ctx, client)).balanceCents)).toBe(0);
    // Back up: the backlog arrives, each event more than once (the processor retries deliveries it lost track of).
    const o = successObjects(topupId, 4_000, "late");
    const pi = eventJson("payment_intent.succeeded", o.pi, "evt_late_pi");
    const cs = eventJson("checkout.session.completed", o.cs, "evt_late_cs");
    const outcomes = [];
    for (const ev of [cs, pi, cs, pi, pi])
      outcomes.push(await t.mutation(internal.topups.applyEvent, { eventJson: ev }));
    expect(outcomes.filter((x) => x === "duplicate")).toHaveLength(3);
    expect(await me.query(api.topups.getMine, { topupId })).toMatchObject({ status: "succeeded", amountCents: 4_000 });
    expect(await t.run(async (ctx) => (await walletSummary(ctx, client)).balanceCents)).toBe(4_000);
    const journals = await t.run(async (ctx) =>
      (await ctx.db.query("journals").collect()).map((j) => `${j.type}:${j.amountCents}`),
    );
    expect(journals).toEqual(["top_up:4000"]);
    expect(await balance(t, "processor_cash")).toBe(4_000);
    await expectChecker(t);
  });
});

// ---------------------------------------------------------------------------------------------
// Webhook storm
// ---------------------------------------------------------------------------------------------

const STORM_TOPUPS = Number(process.env.STORM_TOPUPS ?? 1_000);
const CLIENTS = 5;

/** Deterministic: the same pending top-ups (by index) and the same event per top-up in every test. */
async function stormFixture(t: Test) {
  const clients: UserId[] = [];
  for (let c = 0; c < CLIENTS; c++) clients.push(await insertUser(t, `storm${c}`, "client"));
  const owner = new Map<string, string>(clients.map((id, c) => [id, `storm${c}`]));
  const topupIds = await t.run(async (ctx) => {
    const ids: Id<"topups">[] = [];
    const now = Date.now();
    for (let i = 0; i < STORM_TOPUPS; i++) {
      ids.push(
        await ctx.db.insert("topups", {
          userId: clients[i % CLIENTS]!,
          kind: "checkout",
          amountCents: 500 + (i % 37) * 25,
          currency: "USD",
          status: "pending",
          saveCard: false,
          refundedCents: 0,
          createdAt: now,
          updatedAt: now,
        }),
      );
    }
    return ids;
  });
  const events = topupIds.map((topupId, i) => {
    const amountCents = 500 + (i % 37) * 25;
    const o = successObjects(topupId, amountCents, `storm_${i}`);
    return i % 2 === 0
      ? eventJson("checkout.session.completed", o.cs, `evt_storm_${i}`)
      : eventJson("payment_intent.succeeded", o.pi, `evt_storm_${i}`);
  });
  return { clients, owner, events };
}

/** Every account balance keyed by kind and owner's subject (ids differ between tests), and the journals. */
async function ledgerSnapshot(t: Test, owner: Map<string, string>) {
  return await t.run(async (ctx) => {
    const accounts = await ctx.db.query("accounts").collect();
    const balances: Record<string, number> = {};
    for (const a of accounts) {
      const key = `${a.kind}:${a.currency}:${a.ownerId === null ? "-" : (owner.get(a.ownerId) ?? "?")}`;
      balances[key] = (await accountBalance(ctx, a)).balanceCents;
    }
    const journals = (await ctx.db.query("journals").collect()).map((j) => `${j.type}:${j.amountCents}`).sort();
    const topups = (await ctx.db.query("topups").collect()).map((x) => x.status);
    return {
      balances,
      journalCount: journals.length,
      journals,
      succeeded: topups.filter((s) => s === "succeeded").length,
    };
  });
}

/** Seeded LCG (Numerical Recipes constants) and a Fisher–Yates shuffle on it. */
function seededShuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("webhook storm", () => {
  it(
    `${STORM_TOPUPS} distinct events delivered 3× each in a seeded shuffled order leave the same ledger as one clean delivery`,
    { timeout: 600_000 },
    async () => {
      const started = performance.now();
      const clean = newTest();
      const cleanFixture = await stormFixture(clean);
      for (const ev of cleanFixture.events)
        expect(await clean.mutation(internal.topups.applyEvent, { eventJson: ev })).toBe("processed");
      const expected = await ledgerSnapshot(clean, cleanFixture.owner);
      const cleanMs = performance.now() - started;

      const storm = newTest();
      const stormFix = await stormFixture(storm);
      const deliveries = seededShuffle([...stormFix.events, ...stormFix.events, ...stormFix.events], 0x5eed11);
      const outcomes = new Map<string, number>();
      for (const ev of deliveries) {
        const outcome = await storm.mutation(internal.topups.applyEvent, { eventJson: ev });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      expect(Object.fromEntries(outcomes)).toEqual({ processed: STORM_TOPUPS, duplicate: STORM_TOPUPS * 2 });
      const actual = await ledgerSnapshot(storm, stormFix.owner);
      expect(actual).toEqual(expected);
      expect(actual.journalCount).toBe(STORM_TOPUPS);
      expect(actual.succeeded).toBe(STORM_TOPUPS);
      const total = Array.from({ length: STORM_TOPUPS }, (_, i) => 500 + (i % 37) * 25).reduce((a, b) => a + b, 0);
      expect(actual.balances["processor_cash:USD:-"]).toBe(total);
      await expectChecker(storm);
      await expectChecker(clean);
      console.info(
        `webhook storm: clean ${STORM_TOPUPS} events ${Math.round(cleanMs)} ms; storm ${deliveries.length} deliveries ${Math.round(performance.now() - started - cleanMs)} ms`,
      );
    },
  );
});
