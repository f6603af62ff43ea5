// Offline message postings (issue 24): exact legs, balance for every price and fee, pro-rata dispute refunds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  offlineMessageExpired,
  offlineMessageHeld,
  offlineMessagePaid,
  offlineMessageRefunded,
} from "@/lib/ledger/offlineMessageTemplates";
import { feeSplit } from "@/lib/ledger/templates";
import { legsBalance } from "@/lib/ledger/legs";
import { offlinePriceProblem, replyInTime } from "@/lib/offlineMessages";

const legs = (d: { legs: { account: { kind: string }; side: string; amountCents: number }[] }) =>
  d.legs.map((l) => `${l.side === "debit" ? "Dr" : "Cr"} ${l.account.kind} ${l.amountCents}`).sort();

describe("offline message templates", () => {
  it("$5.00 at 10%: held, paid $4.50 / $0.50, expired back in full", () => {
    expect(legs(offlineMessageHeld({ clientId: "c", priceCents: 500 }))).toEqual([
      "Cr client_held 500",
      "Dr client_wallet 500",
    ]);
    const { feeCents } = feeSplit(500, 1000);
    expect(legs(offlineMessagePaid({ clientId: "c", advisorId: "a", priceCents: 500, feeCents }))).toEqual([
      "Cr advisor_pending 450",
      "Cr platform_fees 50",
      "Dr client_held 500",
    ]);
    expect(legs(offlineMessageExpired({ clientId: "c", priceCents: 500 }))).toEqual([
      "Cr client_wallet 500",
      "Dr client_held 500",
    ]);
  });

  it("a dispute refund splits pro rata like a session refund", () => {
    expect(
      legs(
        offlineMessageRefunded({
          clientId: "c",
          advisorId: "a",
          refundCents: 200,
          shareCents: 450,
          feeCents: 50,
          source: "pending",
        }),
      ),
    ).toEqual(["Cr client_wallet 200", "Dr advisor_pending 180", "Dr platform_fees 20"]);
  });

  it("every price and fee balances, and the split sums to the price", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 5000 }), fc.integer({ min: 0, max: 10_000 }), (price, bps) => {
        const { feeCents, shareCents } = feeSplit(price, bps);
        expect(feeCents + shareCents).toBe(price);
        const d = offlineMessagePaid({ clientId: "c", advisorId: "a", priceCents: price, feeCents });
        expect(legsBalance(d.legs)).toBe(true);
      }),
    );
  });

  it("prices are whole cents from $1.00 to $50.00; a reply at the deadline counts, a millisecond later does not", () => {
    expect(offlinePriceProblem(100)).toBeNull();
    expect(offlinePriceProblem(5000)).toBeNull();
    for (const bad of [99, 5001, 150.5, Number.NaN]) expect(offlinePriceProblem(bad)).not.toBeNull();
    expect(replyInTime(1000, 1000)).toBe(true);
    expect(replyInTime(1000, 1001)).toBe(false);
  });
});
