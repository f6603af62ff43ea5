import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MoneyError } from "@/lib/money";
import {
  ACCOUNT_KINDS,
  CHART_OF_ACCOUNTS,
  accountKey,
  accountRef,
  chargebackOpened,
  chargebackWon,
  clawbackSettled,
  earningsReleased,
  feeSplit,
  floorFor,
  legsBalance,
  legsProblem,
  legsSignature,
  normalBalance,
  payoutFailed,
  payoutPaid,
  payoutRequested,
  refundSplit,
  reversal,
  sessionCostCents,
  sessionRefunded,
  sessionSettled,
  topUpSucceeded,
  totalsByCurrency,
  type Leg,
  type PostingDraft,
} from "@/lib/ledger";

const C = "client1";
const A = "advisor1";

function net(draft: PostingDraft) {
  // signed amount per account key: debit +, credit -
  const out: Record<string, number> = {};
  for (const leg of draft.legs) {
    const k = `${leg.account.kind}${leg.account.ownerId ? `:${leg.account.ownerId}` : ""}`;
    out[k] = (out[k] ?? 0) + (leg.side === "debit" ? leg.amountCents : -leg.amountCents);
  }
  return out;
}

function expectValid(draft: PostingDraft) {
  expect(legsProblem(draft.legs)).toBeNull();
  for (const leg of draft.legs) expect(leg.amountCents).toBeGreaterThan(0);
}

describe("chart of accounts", () => {
  it("matches DESIGN.md: normal sides, house/sharded, floors", () => {
    const debitNormal = ACCOUNT_KINDS.filter((k) => CHART_OF_ACCOUNTS[k].normalSide === "debit").sort();
    expect(debitNormal).toEqual(
      [
        "advisor_receivable",
        "chargeback_losses",
        "forgiven_clawbacks",
        "processor_cash",
        "processor_fees",
        "promotions",
      ].sort(),
    );
    expect(ACCOUNT_KINDS.filter((k) => CHART_OF_ACCOUNTS[k].sharded).sort()).toEqual([
      "platform_fees",
      "processor_cash",
    ]);
    expect(floorFor("client_wallet")).toBe(0);
    expect(floorFor("client_wallet", 500)).toBe(-500);
    expect(floorFor("advisor_available")).toBe(0);
    expect(floorFor("platform_fees")).toBeNull();
    expect(floorFor("processor_cash")).toBeNull();
    expect(normalBalance("client_wallet", 100, 300)).toBe(200);
    expect(normalBalance("processor_cash", 300, 100)).toBe(200);
  });

  it("house accounts have no owner, owned accounts need one", () => {
    expect(() => accountRef("platform_fees", "x")).toThrow();
    expect(() => accountRef("client_wallet", null)).toThrow();
    expect(accountKey(accountRef("client_wallet", "u1"))).toBe("client_wallet:u1:USD");
    expect(accountKey(accountRef("platform_fees"))).toBe("platform_fees::USD");
  });
});

describe("legs", () => {
  const wallet = accountRef("client_wallet", C);
  const cash = accountRef("processor_cash");
  it("finds problems", () => {
    expect(legsProblem([{ account: cash, side: "debit", amountCents: 5 }])).toMatch(/two legs/);
    expect(
      legsProblem([
        { account: cash, side: "debit", amountCents: 5 },
        { account: wallet, side: "credit", amountCents: 4 },
      ]),
    ).toMatch(/does not balance/);
    expect(
      legsProblem([
        { account: cash, side: "debit", amountCents: 0 },
        { account: wallet, side: "credit", amountCents: 0 },
      ]),
    ).toMatch(/greater than zero/);
    expect(
      legsProblem([
        { account: cash, side: "debit", amountCents: 1.5 },
        { account: wallet, side: "credit", amountCents: 1.5 },
      ]),
    ).toMatch(/safe integer/);
    const eur = accountRef("client_wallet", C, "EUR");
    expect(
      legsProblem([
        { account: cash, side: "debit", amountCents: 5 },
        { account: eur, side: "credit", amountCents: 5 },
      ]),
    ).toMatch(/USD/);
  });

  it("signature ignores order and sees every change", () => {
    const legs: Leg[] = [
      { account: cash, side: "debit", amountCents: 5 },
      { account: wallet, side: "credit", amountCents: 5 },
    ];
    expect(legsSignature(legs)).toBe(legsSignature([...legs].reverse()));
    expect(legsSignature(legs)).not.toBe(
      legsSignature([
        { ...legs[0]!, amountCents: 6 },
        { ...legs[1]!, amountCents: 6 },
      ]),
    );
    expect(legsSignature(legs)).not.toBe(
      legsSignature([{ ...legs[0]!, account: accountRef("client_wallet", "other") }, legs[1]!]),
    );
  });
});

describe("session math", () => {
  it("cost is half-even of rate * seconds / 60", () => {
    expect(sessionCostCents(199, 750)).toBe(2488); // 2487.5 -> 2488 (even)
    expect(sessionCostCents(100, 30)).toBe(50);
    expect(sessionCostCents(1, 30)).toBe(0); // 0.5 -> 0
    expect(sessionCostCents(1, 90)).toBe(2); // 1.5 -> 2
    expect(sessionCostCents(250, 0)).toBe(0);
  });
  it("fee plus share is the cost", () => {
    expect(feeSplit(2488, 1000)).toEqual({ feeCents: 249, shareCents: 2239 });
    expect(feeSplit(25, 1000)).toEqual({ feeCents: 2, shareCents: 23 });
  });
});

describe("posting templates (one per row of the posting table)", () => {
  it("top-up: Dr processor_cash / Cr client_wallet", () => {
    const d = topUpSucceeded({ clientId: C, amountCents: 5000 });
    expectValid(d);
    expect(d.type).toBe("top_up");
    expect(net(d)).toEqual({ processor_cash: 5000, [`client_wallet:${C}`]: -5000 });
  });

  it("session settled: Dr wallet C-P, Dr promotions P / Cr pending S, Cr platform_fees F", () => {
    const d = sessionSettled({ clientId: C, advisorId: A, costCents: 1000, promoCents: 200, feeCents: 100 });
    expectValid(d);
    expect(net(d)).toEqual({
      [`client_wallet:${C}`]: 800,
      promotions: 200,
      [`advisor_pending:${A}`]: -900,
      platform_fees: -100,
    });
    // No promotion and no fee: zero legs are dropped.
    expect(sessionSettled({ clientId: C, advisorId: A, costCents: 1000, feeCents: 0 }).legs).toHaveLength(2);
    expect(() => sessionSettled({ clientId: C, advisorId: A, costCents: 0, feeCents: 0 })).toThrow(MoneyError);
    expect(() => sessionSettled({ clientId: C, advisorId: A, costCents: 10, feeCents: 11 })).toThrow(MoneyError);
  });

  it("earnings released / payout requested / paid / failed", () => {
    expect(net(earningsReleased({ advisorId: A, amountCents: 900 }))).toEqual({
      [`advisor_pending:${A}`]: 900,
      [`advisor_available:${A}`]: -900,
    });
    expect(net(payoutRequested({ advisorId: A, amountCents: 900 }))).toEqual({
      [`advisor_available:${A}`]: 900,
      [`advisor_in_transit:${A}`]: -900,
    });
    expect(net(payoutPaid({ advisorId: A, amountCents: 900 }))).toEqual({
      [`advisor_in_transit:${A}`]: 900,
      processor_cash: -900,
    });
    expect(net(payoutFailed({ advisorId: A, amountCents: 900 }))).toEqual({
      [`advisor_in_transit:${A}`]: 900,
      [`advisor_available:${A}`]: -900,
    });
  });

  it("refund: pro-rata share and fee parts from the chosen source", () => {
    const d = sessionRefunded({
      clientId: C,
      advisorId: A,
      refundCents: 500,
      shareCents: 900,
      feeCents: 100,
      source: "available",
    });
    expectValid(d);
    expect(net(d)).toEqual({ [`advisor_available:${A}`]: 450, platform_fees: 50, [`client_wallet:${C}`]: -500 });
    const r = sessionRefunded({
      clientId: C,
      advisorId: A,
      refundCents: 1,
      shareCents: 900,
      feeCents: 100,
      source: "receivable",
    });
    expect(net(r)).toEqual({ [`advisor_receivable:${A}`]: 1, [`client_wallet:${C}`]: -1 });
    const p = sessionRefunded({
      clientId: C,
      advisorId: A,
      refundCents: 1000,
      shareCents: 900,
      feeCents: 100,
      source: "pending",
    });
    expect(net(p)).toEqual({ [`advisor_pending:${A}`]: 900, platform_fees: 100, [`client_wallet:${C}`]: -1000 });
    expect(() =>
      sessionRefunded({
        clientId: C,
        advisorId: A,
        refundCents: 1001,
        shareCents: 900,
        feeCents: 100,
        source: "pending",
      }),
    ).toThrow(MoneyError);
  });

  it("clawback settled: offset, transfer reversal, forgiven", () => {
    expect(net(clawbackSettled({ advisorId: A, amountCents: 300, method: "offset" }))).toEqual({
      [`advisor_pending:${A}`]: 300,
      [`advisor_receivable:${A}`]: -300,
    });
    expect(net(clawbackSettled({ advisorId: A, amountCents: 300, method: "transfer_reversal" }))).toEqual({
      processor_cash: 300,
      [`advisor_receivable:${A}`]: -300,
    });
    expect(net(clawbackSettled({ advisorId: A, amountCents: 300, method: "forgiven" }))).toEqual({
      forgiven_clawbacks: 300,
      [`advisor_receivable:${A}`]: -300,
    });
  });

  it("chargeback opened (wallet covers it, or partly) and won", () => {
    const full = chargebackOpened({ clientId: C, amountCents: 5000, feeCents: 1500 });
    expect(net(full)).toEqual({ [`client_wallet:${C}`]: 5000, chargeback_losses: 1500, processor_cash: -6500 });
    const partial = chargebackOpened({ clientId: C, amountCents: 5000, feeCents: 1500, walletRecoverableCents: 1200 });
    expect(net(partial)).toEqual({ [`client_wallet:${C}`]: 1200, chargeback_losses: 5300, processor_cash: -6500 });
    const none = chargebackOpened({ clientId: C, amountCents: 5000, feeCents: 0, walletRecoverableCents: 0 });
    expect(net(none)).toEqual({ chargeback_losses: 5000, processor_cash: -5000 });
    const won = chargebackWon({
      clientId: C,
      amountCents: 5000,
      feeCents: 1500,
      walletDebitedCents: 1200,
      feeReturned: true,
    });
    expect(net(won)).toEqual({ processor_cash: 6500, [`client_wallet:${C}`]: -1200, chargeback_losses: -5300 });
    const wonNoFee = chargebackWon({
      clientId: C,
      amountCents: 5000,
      feeCents: 1500,
      walletDebitedCents: 5000,
      feeReturned: false,
    });
    expect(net(wonNoFee)).toEqual({ processor_cash: 5000, [`client_wallet:${C}`]: -5000 });
  });

  it("reversal mirrors the legs", () => {
    const d = sessionSettled({ clientId: C, advisorId: A, costCents: 1000, promoCents: 200, feeCents: 100 });
    const r = reversal(d.legs);
    expect(r.type).toBe("reversal");
    const a = net(d);
    const b = net(r);
    for (const key of Object.keys(a)) expect(b[key]).toBe(-a[key]!);
  });
});

describe("every template balances (property)", () => {
  const amount = fc.integer({ min: 1, max: 10 ** 11 });
  const feeBps = fc.integer({ min: 0, max: 10_000 });

  it("simple one-amount templates", () => {
    fc.assert(
      fc.property(amount, (x) => {
        for (const d of [
          topUpSucceeded({ clientId: C, amountCents: x }),
          earningsReleased({ advisorId: A, amountCents: x }),
          payoutRequested({ advisorId: A, amountCents: x }),
          payoutPaid({ advisorId: A, amountCents: x }),
          payoutFailed({ advisorId: A, amountCents: x }),
          clawbackSettled({ advisorId: A, amountCents: x, method: "offset" }),
          clawbackSettled({ advisorId: A, amountCents: x, method: "transfer_reversal" }),
          clawbackSettled({ advisorId: A, amountCents: x, method: "forgiven" }),
        ]) {
          expectValid(d);
          expectValid(reversal(d.legs));
        }
      }),
    );
  });

  it("settlement and refund", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 36_000 }),
        feeBps,
        fc.nat(),
        fc.nat(),
        fc.constantFrom("pending" as const, "available" as const, "receivable" as const),
        (rate, seconds, bps, promoSeed, refundSeed, source) => {
          const costCents = sessionCostCents(rate, seconds);
          fc.pre(costCents > 0);
          const { feeCents, shareCents } = feeSplit(costCents, bps);
          const promoCents = promoSeed % (costCents + 1);
          const settled = sessionSettled({ clientId: C, advisorId: A, costCents, feeCents, promoCents });
          expectValid(settled);
          const t = totalsByCurrency(settled.legs).USD!;
          expect(t.debitsCents).toBe(costCents);
          const refundCents = (refundSeed % costCents) + 1;
          const split = refundSplit({ refundCents, shareCents, feeCents });
          expect(split.sharePartCents + split.feePartCents).toBe(refundCents);
          expect(split.sharePartCents).toBeLessThanOrEqual(shareCents);
          expect(split.feePartCents).toBeLessThanOrEqual(feeCents);
          expectValid(sessionRefunded({ clientId: C, advisorId: A, refundCents, shareCents, feeCents, source }));
        },
      ),
    );
  });

  it("chargebacks", () => {
    fc.assert(
      fc.property(
        amount,
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: -1000, max: 10 ** 11 }),
        fc.boolean(),
        (x, fee, rec, back) => {
          const opened = chargebackOpened({ clientId: C, amountCents: x, feeCents: fee, walletRecoverableCents: rec });
          expect(legsBalance(opened.legs)).toBe(true);
          const walletLeg = opened.legs.find((l) => l.account.kind === "client_wallet");
          const walletDebitedCents = walletLeg?.amountCents ?? 0;
          expect(walletDebitedCents).toBeLessThanOrEqual(Math.max(0, rec));
          expect(
            legsBalance(
              chargebackWon({ clientId: C, amountCents: x, feeCents: fee, walletDebitedCents, feeReturned: back }).legs,
            ),
          ).toBe(true);
        },
      ),
    );
  });
});
