import { afterEach, describe, expect, it } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { postJournal, type LedgerLeg } from "../../convex/model/ledger";
import type { LedgerEvent } from "../../convex/model/ledgerEvents";
import { accountRef } from "../../lib/ledger/accounts";
import { feeSplit, refundSplit } from "../../lib/ledger/templates";
import { DEMO_ACCOUNTS } from "../../lib/demoAccounts";
import { localTokenIdentifier } from "../../lib/localAuth";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";
import { balance, expectChecker } from "./ledgerHelpers";

type UserId = Id<"users">;

async function ledgerCounts(t: Test) {
  return await t.run(async (ctx) => ({
    accounts: (await ctx.db.query("accounts").collect()).length,
    balances: (await ctx.db.query("accountBalances").collect())
      .map((b) => `${b.accountId}:${b.shard}:${b.debitsCents}:${b.creditsCents}`)
      .sort(),
    journals: (await ctx.db.query("journals").collect()).length,
    entries: (await ctx.db.query("entries").collect()).length,
  }));
}

function post(
  t: Test,
  event: LedgerEvent,
  idempotencyKey: string,
  refs?: { sessionId?: Id<"sessions">; disputeId?: string; payoutId?: string },
) {
  return t.mutation(internal.ledger.postEvent, { event, idempotencyKey, ...(refs ? { refs } : {}) });
}

async function people(t: Test) {
  const client = await insertUser(t, "client1", "client");
  const advisor = await insertUser(t, "advisor1", "advisor");
  const admin = await insertUser(t, "admin1", "admin");
  return { client, advisor, admin };
}

const savedShards = process.env.LEDGER_HOUSE_SHARDS;
afterEach(() => {
  if (savedShards === undefined) delete process.env.LEDGER_HOUSE_SHARDS;
  else process.env.LEDGER_HOUSE_SHARDS = savedShards;
});

describe("posting rules end to end", () => {
  it("moves money exactly as the posting table says", { timeout: 30_000 }, async () => {
    const t = newTest();
    const { client, advisor } = await people(t);

    await post(t, { kind: "top_up", clientId: client, amountCents: 10_000 }, "topup:1");
    expect(await balance(t, "client_wallet", client)).toBe(10_000);
    expect(await balance(t, "processor_cash")).toBe(10_000);

    await post(
      t,
      {
        kind: "session_settled",
        clientId: client,
        advisorId: advisor,
        costCents: 2_000,
        feeCents: 200,
        promoCents: 100,
      },
      "s1:settle",
    );
    expect(await balance(t, "client_wallet", client)).toBe(8_100);
    expect(await balance(t, "promotions")).toBe(100);
    expect(await balance(t, "advisor_pending", advisor)).toBe(1_800);
    expect(await balance(t, "platform_fees")).toBe(200);

    await post(t, { kind: "earnings_released", advisorId: advisor, amountCents: 1_800 }, "s1:release");
    expect(await balance(t, "advisor_pending", advisor)).toBe(0);
    expect(await balance(t, "advisor_available", advisor)).toBe(1_800);

    await post(t, { kind: "payout_requested", advisorId: advisor, amountCents: 1_000 }, "p1:request");
    expect(await balance(t, "advisor_available", advisor)).toBe(800);
    expect(await balance(t, "advisor_in_transit", advisor)).toBe(1_000);
    await post(t, { kind: "payout_paid", advisorId: advisor, amountCents: 1_000 }, "p1:paid");
    expect(await balance(t, "advisor_in_transit", advisor)).toBe(0);
    expect(await balance(t, "processor_cash")).toBe(9_000);

    await post(t, { kind: "payout_requested", advisorId: advisor, amountCents: 500 }, "p2:request");
    await post(t, { kind: "payout_failed", advisorId: advisor, amountCents: 500 }, "p2:failed");
    expect(await balance(t, "advisor_available", advisor)).toBe(800);
    expect(await balance(t, "advisor_in_transit", advisor)).toBe(0);

    // Refund 500 of the session (share 1800, fee 200): 450 from the advisor, 50 from our fee.
    await post(
      t,
      {
        kind: "session_refunded",
        clientId: client,
        advisorId: advisor,
        refundCents: 500,
        shareCents: 1_800,
        feeCents: 200,
        source: "available",
      },
      "s1:refund:1",
      { disputeId: "d1" },
    );
    expect(await balance(t, "advisor_available", advisor)).toBe(350);
    expect(await balance(t, "platform_fees")).toBe(150);
    expect(await balance(t, "client_wallet", client)).toBe(8_600);

    // Refund after payout: the advisor owes us (receivable).
    await post(
      t,
      {
        kind: "session_refunded",
        clientId: client,
        advisorId: advisor,
        refundCents: 1_000,
        shareCents: 1_800,
        feeCents: 200,
        source: "receivable",
      },
      "s1:refund:2",
    );
    expect(await balance(t, "advisor_receivable", advisor)).toBe(900);
    expect(await balance(t, "platform_fees")).toBe(50);
    expect(await balance(t, "client_wallet", client)).toBe(9_600);

    // Clawback: offset against new pending earnings, transfer reversal, forgiven.
    await post(
      t,
      { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 1_000, feeCents: 100 },
      "s2:settle",
    );
    await post(t, { kind: "clawback_settled", advisorId: advisor, amountCents: 400, method: "offset" }, "c1");
    await post(
      t,
      { kind: "clawback_settled", advisorId: advisor, amountCents: 300, method: "transfer_reversal" },
      "c2",
    );
    await post(t, { kind: "clawback_settled", advisorId: advisor, amountCents: 200, method: "forgiven" }, "c3");
    expect(await balance(t, "advisor_receivable", advisor)).toBe(0);
    expect(await balance(t, "advisor_pending", advisor)).toBe(500);
    expect(await balance(t, "forgiven_clawbacks")).toBe(200);

    // Chargeback 3000 + fee 1500 while the wallet holds 8600: fully recovered from the wallet.
    expect(await balance(t, "client_wallet", client)).toBe(8_600);
    await post(t, { kind: "chargeback_opened", clientId: client, amountCents: 3_000, feeCents: 1_500 }, "cb1:opened");
    expect(await balance(t, "client_wallet", client)).toBe(5_600);
    expect(await balance(t, "chargeback_losses")).toBe(1_500);
    await post(
      t,
      {
        kind: "chargeback_won",
        clientId: client,
        amountCents: 3_000,
        feeCents: 1_500,
        walletDebitedCents: 3_000,
        feeReturned: true,
      },
      "cb1:won",
    );
    expect(await balance(t, "client_wallet", client)).toBe(8_600);
    expect(await balance(t, "chargeback_losses")).toBe(0);

    // Chargeback bigger than the wallet: the rest is a loss, the wallet stops at its floor.
    await post(t, { kind: "chargeback_opened", clientId: client, amountCents: 10_000, feeCents: 1_500 }, "cb2:opened");
    expect(await balance(t, "client_wallet", client)).toBe(0);
    expect(await balance(t, "chargeback_losses")).toBe(1_400 + 1_500);
    // Replaying the chargeback does not recompute its wallet part.
    const replay = await post(
      t,
      { kind: "chargeback_opened", clientId: client, amountCents: 10_000, feeCents: 1_500 },
      "cb2:opened",
    );
    expect(replay.replayed).toBe(true);

    await expectChecker(t);
  });

  it("reversal journals undo a journal and reference it", async () => {
    const t = newTest();
    const { client } = await people(t);
    const { journalId } = await post(t, { kind: "top_up", clientId: client, amountCents: 2_500 }, "topup:r");
    const undo = await t.mutation(internal.ledger.reverseJournal, {
      journalId,
      idempotencyKey: "topup:r:reversal",
      memo: "Posted twice by mistake",
    });
    expect(await balance(t, "client_wallet", client)).toBe(0);
    expect(await balance(t, "processor_cash")).toBe(0);
    const reversal = await t.run(async (ctx) => await ctx.db.get("journals", undo.journalId));
    expect(reversal?.type).toBe("reversal");
    expect(reversal?.reversesJournalId).toBe(journalId);
    // Cannot reverse a top-up that was spent: the wallet floor holds.
    const { journalId: second } = await post(t, { kind: "top_up", clientId: client, amountCents: 1_000 }, "topup:s");
    const advisor = await insertUser(t, "advisor9", "advisor");
    await post(
      t,
      { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 600, feeCents: 60 },
      "s:spent",
    );
    await expectAppError(
      t.mutation(internal.ledger.reverseJournal, { journalId: second, idempotencyKey: "topup:s:reversal", memo: "x" }),
      "INSUFFICIENT_FUNDS",
    );
    await expectChecker(t);
  });
});

describe("postJournal assertions", () => {
  it("replaying the same key and legs returns the first journal and writes nothing", async () => {
    const t = newTest();
    const { client } = await people(t);
    const first = await post(t, { kind: "top_up", clientId: client, amountCents: 1_234 }, "topup:same");
    expect(first.replayed).toBe(false);
    const before = await ledgerCounts(t);
    const again = await post(t, { kind: "top_up", clientId: client, amountCents: 1_234 }, "topup:same");
    expect(again).toEqual({ journalId: first.journalId, replayed: true });
    expect(await ledgerCounts(t)).toEqual(before);
    expect(await balance(t, "client_wallet", client)).toBe(1_234);
  });

  it("the same key with different legs is a CONFLICT and writes nothing", async () => {
    const t = newTest();
    const { client, advisor } = await people(t);
    await post(t, { kind: "top_up", clientId: client, amountCents: 1_000 }, "k1");
    const before = await ledgerCounts(t);
    await expectAppError(post(t, { kind: "top_up", clientId: client, amountCents: 1_001 }, "k1"), "CONFLICT");
    const other = await insertUser(t, "client2", "client");
    await expectAppError(post(t, { kind: "top_up", clientId: other, amountCents: 1_000 }, "k1"), "CONFLICT");
    await expectAppError(post(t, { kind: "payout_requested", advisorId: advisor, amountCents: 1 }, "k1"), "CONFLICT");
    expect(await ledgerCounts(t)).toEqual(before);
  });

  it("floor breaches are rejected with nothing written", async () => {
    const t = newTest();
    const { client, advisor } = await people(t);
    await post(t, { kind: "top_up", clientId: client, amountCents: 1_000 }, "topup");
    const before = await ledgerCounts(t);
    await expectAppError(
      post(
        t,
        { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 1_001, feeCents: 100 },
        "settle:too-much",
      ),
      "INSUFFICIENT_FUNDS",
    );
    await expectAppError(
      post(t, { kind: "payout_requested", advisorId: advisor, amountCents: 1 }, "payout:nothing"),
      "INSUFFICIENT_FUNDS",
    );
    await expectAppError(
      post(t, { kind: "earnings_released", advisorId: advisor, amountCents: 1 }, "release:nothing"),
      "INSUFFICIENT_FUNDS",
    );
    expect(await ledgerCounts(t)).toEqual(before);

    // Inside one transaction: the rejected call wrote nothing even before the rollback.
    await t.run(async (ctx) => {
      const journalsBefore = (await ctx.db.query("journals").collect()).length;
      const accountsBefore = (await ctx.db.query("accounts").collect()).length;
      await expect(
        postJournal(ctx, {
          type: "payout_requested",
          idempotencyKey: "inner",
          legs: [
            { account: accountRef("advisor_available", advisor), side: "debit", amountCents: 5 },
            { account: accountRef("advisor_in_transit", advisor), side: "credit", amountCents: 5 },
          ],
        }),
      ).rejects.toThrow();
      expect((await ctx.db.query("journals").collect()).length).toBe(journalsBefore);
      expect((await ctx.db.query("accounts").collect()).length).toBe(accountsBefore);
    });

    // Exactly to the floor is fine.
    await post(
      t,
      { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 1_000, feeCents: 100 },
      "settle:all",
    );
    expect(await balance(t, "client_wallet", client)).toBe(0);
    await expectChecker(t);
  });

  it("a credit limit lowers the wallet floor", async () => {
    const t = newTest();
    const { client, advisor } = await people(t);
    await t.run(async (ctx) => {
      const { setCreditLimit } = await import("../../convex/model/ledger");
      await setCreditLimit(ctx, client, 500);
    });
    await post(t, { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 500, feeCents: 50 }, "s");
    expect(await balance(t, "client_wallet", client)).toBe(-500);
    await expectAppError(
      post(t, { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 1, feeCents: 0 }, "s2"),
      "INSUFFICIENT_FUNDS",
    );
    const wallet = await t.withIdentity(localIdentity("client1")).query(api.wallet.getMyWallet, {});
    expect(wallet).toEqual({ balanceCents: -500, creditLimitCents: 500, availableCents: 0, currency: "USD" });
    await expectChecker(t);
  });

  it("rejects malformed legs", async () => {
    const t = newTest();
    const { client } = await people(t);
    const wallet = accountRef("client_wallet", client);
    const cash = accountRef<UserId>("processor_cash");
    const cases: [string, LedgerLeg[]][] = [
      ["one leg", [{ account: cash, side: "debit", amountCents: 5 }]],
      [
        "unbalanced",
        [
          { account: cash, side: "debit", amountCents: 5 },
          { account: wallet, side: "credit", amountCents: 4 },
        ],
      ],
      [
        "zero",
        [
          { account: cash, side: "debit", amountCents: 0 },
          { account: wallet, side: "credit", amountCents: 0 },
        ],
      ],
      [
        "negative",
        [
          { account: cash, side: "debit", amountCents: -5 },
          { account: wallet, side: "credit", amountCents: -5 },
        ],
      ],
      [
        "float",
        [
          { account: cash, side: "debit", amountCents: 0.5 },
          { account: wallet, side: "credit", amountCents: 0.5 },
        ],
      ],
      [
        "unsafe",
        [
          { account: cash, side: "debit", amountCents: 2 ** 53 },
          { account: wallet, side: "credit", amountCents: 2 ** 53 },
        ],
      ],
      [
        "currencies",
        [
          { account: cash, side: "debit", amountCents: 5 },
          { account: accountRef("client_wallet", client, "EUR"), side: "credit", amountCents: 5 },
        ],
      ],
      [
        "house with owner",
        [
          { account: { ...cash, ownerId: client }, side: "debit", amountCents: 5 },
          { account: wallet, side: "credit", amountCents: 5 },
        ],
      ],
    ];
    for (const [name, legs] of cases) {
      await t.run(async (ctx) => {
        let code: unknown = null;
        try {
          await postJournal(ctx, { type: "top_up", idempotencyKey: `bad:${name}`, legs });
        } catch (error) {
          code = (error as { data?: { code?: unknown } }).data?.code;
        }
        expect(code, name).toBe("INVALID_ARGUMENT");
      });
    }
    await expectAppError(post(t, { kind: "top_up", clientId: client, amountCents: 12.5 }, "float"), "INVALID_ARGUMENT");
    await expectAppError(post(t, { kind: "top_up", clientId: client, amountCents: 5 }, ""), "INVALID_ARGUMENT");
    expect((await ledgerCounts(t)).journals).toBe(0);
  });
});

describe("hot house accounts", () => {
  it("many concurrent postings touching platform_fees all land, spread over shards", { timeout: 90_000 }, async () => {
    const t = newTest();
    const { client, advisor } = await people(t);
    await post(t, { kind: "top_up", clientId: client, amountCents: 1_000_000 }, "big-topup");
    const n = 300;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        post(
          t,
          { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 100 + i, ...fee(100 + i) },
          `hot:${i}`,
        ),
      ),
    );
    expect(new Set(results.map((r) => r.journalId)).size).toBe(n);
    const expectedFees = Array.from({ length: n }, (_, i) => fee(100 + i).feeCents).reduce((a, b) => a + b, 0);
    expect(await balance(t, "platform_fees")).toBe(expectedFees);
    const shards = await t.run(async (ctx) => {
      const account = await ctx.db
        .query("accounts")
        .withIndex("by_kind_owner_currency", (q) =>
          q.eq("kind", "platform_fees").eq("ownerId", null).eq("currency", "USD"),
        )
        .unique();
      return (
        await ctx.db
          .query("accountBalances")
          .withIndex("by_account_shard", (q) => q.eq("accountId", account!._id))
          .collect()
      ).length;
    });
    expect(shards).toBe(16);
    await expectChecker(t);
  });

  it("LEDGER_HOUSE_SHARDS=1 keeps one row", { timeout: 30_000 }, async () => {
    process.env.LEDGER_HOUSE_SHARDS = "1";
    const t = newTest();
    const { client } = await people(t);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(t, { kind: "top_up", clientId: client, amountCents: 100 }, `one:${i}`)),
    );
    const rows = await t.run(async (ctx) => (await ctx.db.query("accountBalances").collect()).length);
    expect(rows).toBe(2); // processor_cash shard 0 + the wallet
    expect(await balance(t, "processor_cash")).toBe(2_000);
  });
});

function fee(costCents: number) {
  return { feeCents: feeSplit(costCents, 1000).feeCents };
}

// ---------------------------------------------------------------------------------------------
// Randomized business events
// ---------------------------------------------------------------------------------------------

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

describe("randomized sequence", () => {
  it("2,000+ business events keep every invariant (checker after each batch)", { timeout: 240_000 }, async () => {
    const t = newTest();
    const random = rng(20240611);
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const clients: UserId[] = [];
    const advisors: UserId[] = [];
    for (let i = 0; i < 6; i++) clients.push(await insertUser(t, `rc${i}`, "client"));
    for (let i = 0; i < 4; i++) advisors.push(await insertUser(t, `ra${i}`, "advisor"));

    // Expected state, kept by the test independently of the ledger.
    const wallet = new Map<UserId, number>(clients.map((c) => [c, 0]));
    const acct = (kind: string, id: UserId) => `${kind}:${id}`;
    const adv = new Map<string, number>();
    const get = (k: string) => adv.get(k) ?? 0;
    const add = (k: string, d: number) => adv.set(k, get(k) + d);
    type Sess = { client: UserId; advisor: UserId; share: number; fee: number; refundable: number; released: boolean };
    const sessions: Sess[] = [];
    const inTransit: { advisor: UserId; amount: number }[] = [];
    let fees = 0;
    let cash = 0;

    let counter = 0;
    let posted = 0;
    const target = 2_100;
    const batchSize = 60;
    while (posted < target) {
      const items: { event: LedgerEvent; idempotencyKey: string }[] = [];
      while (items.length < batchSize) {
        const key = `rand:${counter++}`;
        const roll = random();
        if (roll < 0.2) {
          const c = pick(clients);
          const amount = int(100, 20_000);
          items.push({ event: { kind: "top_up", clientId: c, amountCents: amount }, idempotencyKey: key });
          wallet.set(c, wallet.get(c)! + amount);
          cash += amount;
        } else if (roll < 0.45) {
          const c = pick(clients);
          const a = pick(advisors);
          const available = wallet.get(c)!;
          if (available < 1) continue;
          const cost = int(1, Math.min(available, 6_000));
          const { feeCents, shareCents } = feeSplit(cost, 1000);
          items.push({
            event: { kind: "session_settled", clientId: c, advisorId: a, costCents: cost, feeCents },
            idempotencyKey: key,
          });
          wallet.set(c, available - cost);
          add(acct("pending", a), shareCents);
          fees += feeCents;
          sessions.push({ client: c, advisor: a, share: shareCents, fee: feeCents, refundable: cost, released: false });
        } else if (roll < 0.6) {
          const s = sessions.find((x) => !x.released && x.share > 0 && get(acct("pending", x.advisor)) >= x.share);
          if (s === undefined) continue;
          items.push({
            event: { kind: "earnings_released", advisorId: s.advisor, amountCents: s.share },
            idempotencyKey: key,
          });
          s.released = true;
          add(acct("pending", s.advisor), -s.share);
          add(acct("available", s.advisor), s.share);
        } else if (roll < 0.7) {
          const a = pick(advisors);
          const available = get(acct("available", a));
          if (available < 1) continue;
          const amount = int(1, available);
          items.push({ event: { kind: "payout_requested", advisorId: a, amountCents: amount }, idempotencyKey: key });
          add(acct("available", a), -amount);
          add(acct("transit", a), amount);
          inTransit.push({ advisor: a, amount });
        } else if (roll < 0.8) {
          const p = inTransit.shift();
          if (p === undefined) continue;
          const paid = random() < 0.8;
          items.push({
            event: { kind: paid ? "payout_paid" : "payout_failed", advisorId: p.advisor, amountCents: p.amount },
            idempotencyKey: key,
          });
          add(acct("transit", p.advisor), -p.amount);
          if (paid) cash -= p.amount;
          else add(acct("available", p.advisor), p.amount);
        } else if (roll < 0.9) {
          const s = sessions.length ? pick(sessions) : undefined;
          if (s === undefined || s.refundable < 1) continue;
          const refund = int(1, s.refundable);
          const { sharePartCents, feePartCents } = refundSplit({
            refundCents: refund,
            shareCents: s.share,
            feeCents: s.fee,
          });
          const source = !s.released
            ? get(acct("pending", s.advisor)) >= sharePartCents
              ? "pending"
              : "receivable"
            : get(acct("available", s.advisor)) >= sharePartCents
              ? "available"
              : "receivable";
          items.push({
            event: {
              kind: "session_refunded",
              clientId: s.client,
              advisorId: s.advisor,
              refundCents: refund,
              shareCents: s.share,
              feeCents: s.fee,
              source,
            },
            idempotencyKey: key,
          });
          s.refundable -= refund;
          wallet.set(s.client, wallet.get(s.client)! + refund);
          fees -= feePartCents;
          add(acct(source, s.advisor), source === "receivable" ? sharePartCents : -sharePartCents);
        } else if (roll < 0.95) {
          const a = pick(advisors);
          const owed = get(acct("receivable", a));
          if (owed < 1) continue;
          const amount = int(1, owed);
          const method =
            get(acct("pending", a)) >= amount ? "offset" : pick(["transfer_reversal", "forgiven"] as const);
          items.push({
            event: { kind: "clawback_settled", advisorId: a, amountCents: amount, method },
            idempotencyKey: key,
          });
          add(acct("receivable", a), -amount);
          if (method === "offset") add(acct("pending", a), -amount);
          if (method === "transfer_reversal") cash += amount;
        } else {
          const c = pick(clients);
          const amount = int(100, 15_000);
          const feeCents = pick([0, 1_500]);
          items.push({
            event: { kind: "chargeback_opened", clientId: c, amountCents: amount, feeCents },
            idempotencyKey: key,
          });
          wallet.set(c, wallet.get(c)! - Math.min(amount, wallet.get(c)!));
          cash -= amount + feeCents;
        }
      }
      await t.mutation(internal.ledger.postEvents, { items });
      posted += items.length;
      // Now and then: an event that must be refused, changing nothing.
      if (random() < 0.3) {
        const c = pick(clients);
        await expectAppError(
          post(
            t,
            {
              kind: "session_settled",
              clientId: c,
              advisorId: pick(advisors),
              costCents: wallet.get(c)! + 1,
              feeCents: 0,
            },
            `refused:${counter++}`,
          ),
          "INSUFFICIENT_FUNDS",
        );
      }
      const check = await expectChecker(t);
      expect(check.journalsChecked).toBe(posted);
    }
    expect(posted).toBeGreaterThanOrEqual(2_000);

    for (const c of clients) expect(await balance(t, "client_wallet", c)).toBe(wallet.get(c));
    for (const a of advisors) {
      expect(await balance(t, "advisor_pending", a)).toBe(get(acct("pending", a)));
      expect(await balance(t, "advisor_available", a)).toBe(get(acct("available", a)));
      expect(await balance(t, "advisor_in_transit", a)).toBe(get(acct("transit", a)));
      expect(await balance(t, "advisor_receivable", a)).toBe(get(acct("receivable", a)));
    }
    expect(await balance(t, "platform_fees")).toBe(fees);
    expect(await balance(t, "processor_cash")).toBe(cash);
  });
});

// ---------------------------------------------------------------------------------------------
// Checker, wallet and explorer functions
// ---------------------------------------------------------------------------------------------

describe("checker", () => {
  it("passes on a consistent ledger and records the run", async () => {
    const t = newTest();
    const { client } = await people(t);
    await post(t, { kind: "top_up", clientId: client, amountCents: 500 }, "a");
    const result = await t.mutation(internal.ledger.runChecker, { trigger: "cron" });
    expect(result.ok).toBe(true);
    const alerts = await t.run(async (ctx) => await ctx.db.query("alerts").collect());
    expect(alerts).toHaveLength(0);
  });

  it("finds a tampered balance, an unbalanced journal and a floor breach, and raises an alert", async () => {
    const t = newTest();
    const { client, advisor } = await people(t);
    await post(t, { kind: "top_up", clientId: client, amountCents: 500 }, "a");
    await post(t, { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 500, feeCents: 50 }, "b");
    await t.run(async (ctx) => {
      const rows = await ctx.db.query("accountBalances").collect();
      await ctx.db.patch("accountBalances", rows[0]!._id, { debitsCents: rows[0]!.debitsCents + 1 });
      const entry = (await ctx.db.query("entries").collect()).find(
        (e) => e.creditCents > 0 && e.journalType === "top_up",
      )!;
      await ctx.db.patch("entries", entry._id, { creditCents: entry.creditCents - 1 });
      const wallet = (await ctx.db.query("accounts").collect()).find((a) => a.kind === "client_wallet")!;
      await ctx.db.patch("accounts", wallet._id, { floorCents: 100 });
    });
    const result = await t.mutation(internal.ledger.runChecker, {});
    expect(result.ok).toBe(false);
    const text = result.problems.join("\n");
    expect(text).toMatch(/does not balance/);
    expect(text).toMatch(/total debits/);
    expect(text).toMatch(/entries sum to/);
    expect(text).toMatch(/below its floor/);
    const alerts = await t.run(async (ctx) => await ctx.db.query("alerts").collect());
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.severity).toBe("critical");
    expect(alerts[0]!.kind).toBe("ledger_check");
  });
});

describe("wallet queries", () => {
  it("shows zeros before any money and readable history after", async () => {
    const t = newTest();
    const { client, advisor } = await people(t);
    const asClient = t.withIdentity(localIdentity("client1"));
    expect(await asClient.query(api.wallet.getMyWallet, {})).toEqual({
      balanceCents: 0,
      creditLimitCents: 0,
      availableCents: 0,
      currency: "USD",
    });
    expect(
      (await asClient.query(api.wallet.listMyHistory, { paginationOpts: { numItems: 10, cursor: null } })).page,
    ).toEqual([]);

    await t.run(async (ctx) => ctx.db.patch("users", advisor, { name: "Maya Rodriguez" }));
    const sessionId = await t.run(async (ctx) =>
      ctx.db.insert("sessions", {
        clientId: client,
        advisorId: advisor,
        kind: "chat",
        status: "ended",
        rateCentsPerMinute: 200,
        feeBps: 1000,
        requestedAt: 1,
        expiresAt: 0,
        freeSeconds: 0,
        segments: [],
        provider: "builtin",
        billableSeconds: 750,
        costCents: 2_500,
      }),
    );
    await post(t, { kind: "top_up", clientId: client, amountCents: 5_000 }, "h1");
    await post(
      t,
      { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 2_500, feeCents: 250 },
      "h2",
      { sessionId },
    );
    await post(
      t,
      {
        kind: "session_refunded",
        clientId: client,
        advisorId: advisor,
        refundCents: 1_000,
        shareCents: 2_250,
        feeCents: 250,
        source: "pending",
      },
      "h3",
      { sessionId, disputeId: "dispute_abc123456" },
    );
    expect(await asClient.query(api.wallet.getMyWallet, {})).toEqual({
      balanceCents: 3_500,
      creditLimitCents: 0,
      availableCents: 3_500,
      currency: "USD",
    });
    const history = await asClient.query(api.wallet.listMyHistory, { paginationOpts: { numItems: 10, cursor: null } });
    expect(history.page.map((l) => [l.title, l.amountCents])).toEqual([
      ["Refund — dispute on your chat with Maya R., 1 Jan", 1_000],
      ["Chat with Maya R. — 12 min 30 s", -2_500],
      ["Top-up", 5_000],
    ]);
    // Another client sees only their own (empty) wallet.
    await insertUser(t, "client2", "client");
    expect((await t.withIdentity(localIdentity("client2")).query(api.wallet.getMyWallet, {})).balanceCents).toBe(0);
    await expectAppError(t.query(api.wallet.getMyWallet, {}), "UNAUTHENTICATED");
  });
});

describe("admin explorer", () => {
  it("lists accounts, filters journals and shows a journal's entries (admins only)", async () => {
    const t = newTest();
    const { client, advisor } = await people(t);
    const asAdmin = t.withIdentity(localIdentity("admin1"));
    const sessionId = await t.run(async (ctx) =>
      ctx.db.insert("sessions", {
        clientId: client,
        advisorId: advisor,
        kind: "video",
        status: "ended",
        rateCentsPerMinute: 100,
        feeBps: 1000,
        requestedAt: 1,
        expiresAt: 0,
        freeSeconds: 0,
        segments: [],
        provider: "builtin",
      }),
    );
    await post(t, { kind: "top_up", clientId: client, amountCents: 5_000 }, "e1");
    const settled = await post(
      t,
      { kind: "session_settled", clientId: client, advisorId: advisor, costCents: 1_000, feeCents: 100 },
      "e2",
      { sessionId },
    );
    await post(t, { kind: "earnings_released", advisorId: advisor, amountCents: 900 }, "e3", { sessionId });

    const accounts = await asAdmin.query(api.ledger.listAccounts, { paginationOpts: { numItems: 50, cursor: null } });
    const byKind = Object.fromEntries(accounts.page.map((a) => [a.kind, a]));
    expect(byKind.client_wallet!.balanceCents).toBe(4_000);
    expect(byKind.client_wallet!.ownerName).toBe("User client1");
    expect(byKind.processor_cash!.balanceCents).toBe(5_000);
    expect(byKind.platform_fees!.sharded).toBe(true);

    const all = await asAdmin.query(api.ledger.listJournals, { paginationOpts: { numItems: 2, cursor: null } });
    expect(all.page.map((j) => j.idempotencyKey)).toEqual(["e3", "e2"]);
    const more = await asAdmin.query(api.ledger.listJournals, {
      paginationOpts: { numItems: 2, cursor: all.continueCursor },
    });
    expect(more.page.map((j) => j.idempotencyKey)).toEqual(["e1"]);

    const tops = await asAdmin.query(api.ledger.listJournals, {
      paginationOpts: { numItems: 10, cursor: null },
      type: "top_up",
    });
    expect(tops.page.map((j) => j.idempotencyKey)).toEqual(["e1"]);
    const bySession = await asAdmin.query(api.ledger.listJournals, {
      paginationOpts: { numItems: 10, cursor: null },
      reference: { kind: "session", value: sessionId },
    });
    expect(bySession.page.map((j) => j.idempotencyKey)).toEqual(["e3", "e2"]);
    const walletId = byKind.client_wallet!._id;
    const byAccount = await asAdmin.query(api.ledger.listJournals, {
      paginationOpts: { numItems: 10, cursor: null },
      accountId: walletId,
    });
    expect(byAccount.page.map((j) => [j.idempotencyKey, j.accountDebitCents, j.accountCreditCents])).toEqual([
      ["e2", 1_000, 0],
      ["e1", 0, 5_000],
    ]);
    const future = await asAdmin.query(api.ledger.listJournals, {
      paginationOpts: { numItems: 10, cursor: null },
      fromMs: Date.now() + 60_000,
    });
    expect(future.page).toEqual([]);
    const badRef = await asAdmin.query(api.ledger.listJournals, {
      paginationOpts: { numItems: 10, cursor: null },
      reference: { kind: "session", value: "not-an-id" },
    });
    expect(badRef.page).toEqual([]);

    const detail = await asAdmin.query(api.ledger.getJournal, { journalId: settled.journalId });
    expect(detail!.entries).toHaveLength(3);
    expect(detail!.entries.reduce((s, e) => s + e.debitCents - e.creditCents, 0)).toBe(0);
    expect(detail!.session?.kind).toBe("video");
    expect(detail!.sessionDisputeId).toBeNull();
    // Ids arrive from URLs (?journal=): a malformed or foreign one is "not found", not an error.
    expect(await asAdmin.query(api.ledger.getJournal, { journalId: "not-an-id" })).toBeNull();
    expect(await asAdmin.query(api.ledger.getJournal, { journalId: detail!.session!._id })).toBeNull();

    const health0 = await asAdmin.query(api.ledger.health, {});
    expect(health0.latest).toBeNull();
    // "Run now" starts the paged checker as a background job; its recorded run carries the result.
    const request = await asAdmin.mutation(api.ledger.runCheckerNow, {});
    await t.finishAllScheduledFunctions(() => undefined);
    const done = await asAdmin.query(api.ledger.checkRequest, request);
    expect(done.status).toBe("done");
    expect({ ok: done.run?.ok, problems: done.run?.problems.length }).toEqual({ ok: true, problems: 0 });
    const health = await asAdmin.query(api.ledger.health, {});
    expect(health.latest?.ok).toBe(true);
    expect(health.latest?.trigger).toBe("manual");

    const asClient = t.withIdentity(localIdentity("client1"));
    await expectAppError(
      asClient.query(api.ledger.listAccounts, { paginationOpts: { numItems: 5, cursor: null } }),
      "FORBIDDEN",
    );
    await expectAppError(asClient.query(api.ledger.getJournal, { journalId: settled.journalId }), "FORBIDDEN");
    await expectAppError(asClient.mutation(api.ledger.runCheckerNow, {}), "FORBIDDEN");
  });
});

describe("seed", () => {
  it("funds demo wallets through top-up journals and settles past sessions", { timeout: 30_000 }, async () => {
    const t = newTest();
    await t.mutation(internal.seed.seedDemo, {});
    for (const account of DEMO_ACCOUNTS.filter((a) => a.walletCents)) {
      const wallet = await t.withIdentity(localIdentity(account.subject)).query(api.wallet.getMyWallet, {});
      expect(wallet.balanceCents, account.subject).toBe(account.walletCents);
    }
    const { sessions, journals } = await t.run(async (ctx) => ({
      sessions: await ctx.db.query("sessions").collect(),
      journals: await ctx.db.query("journals").collect(),
    }));
    for (const s of sessions.filter((x) => x.status === "ended")) {
      expect(s.costCents).toBeGreaterThan(0);
      expect(
        journals
          .filter((j) => j.sessionId === s._id)
          .map((j) => j.type)
          .sort(),
      ).toEqual(["earnings_released", "session_settled"]);
    }
    expect(journals.find((j) => j.idempotencyKey === "seed:topup:demo-client")?.type).toBe("top_up");
    await expectChecker(t);
    // Users exist by token, as the seed makes them.
    const demoClient = await t.run(async (ctx) =>
      ctx.db
        .query("users")
        .withIndex("by_token", (q) => q.eq("tokenIdentifier", localTokenIdentifier("demo-client")))
        .unique(),
    );
    expect(demoClient).not.toBeNull();
  });
});
