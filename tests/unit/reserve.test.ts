import { describe, expect, it } from "vitest";
import {
  driftNeedsAlert,
  nearCreditLimit,
  owedCents,
  reconciliationDrift,
  reserveCents,
  reserveStatus,
  warningLineCents,
} from "../../lib/reserve";

const status = (reserve: number, minimum = 100_000, margin = 2000) =>
  reserveStatus({ reserveCents: reserve, minimumReserveCents: minimum, warningMarginBps: margin });

describe("reserve status", () => {
  it("is critical below the minimum, warning from the minimum to under 20% above it, healthy from 20% above", () => {
    expect(status(99_999)).toBe("critical");
    expect(status(100_000)).toBe("warning");
    expect(status(119_999)).toBe("warning");
    expect(status(120_000)).toBe("healthy");
    expect(status(5_000_000)).toBe("healthy");
  });

  it("is critical when the reserve is negative, even with no minimum", () => {
    expect(status(-1, 0)).toBe("critical");
    expect(status(0, 0)).toBe("healthy");
  });

  it("uses exact integer arithmetic at the warning line (no rounding to the cent)", () => {
    // minimum $0.01, 20% margin: the line is 1.2 cents, so 1 cent warns and 2 cents is healthy.
    expect(status(1, 1)).toBe("warning");
    expect(status(2, 1)).toBe("healthy");
    expect(warningLineCents(1, 2000)).toBe(2);
    expect(warningLineCents(100_000, 2000)).toBe(120_000);
    // a custom margin: 50%
    expect(status(149_999, 100_000, 5000)).toBe("warning");
    expect(status(150_000, 100_000, 5000)).toBe("healthy");
    // no margin: only critical or healthy
    expect(status(100_000, 100_000, 0)).toBe("healthy");
  });

  it("handles amounts near the safe-integer limit", () => {
    const big = Number.MAX_SAFE_INTEGER - 1;
    expect(status(big, 1_000_000_000)).toBe("healthy");
  });
});

describe("reserve figures", () => {
  it("owes wallets + pending + available + in transit; the reserve is cash above that", () => {
    const figures = {
      processorCashCents: 200_000,
      clientWalletsCents: 50_000,
      advisorPendingCents: 20_000,
      advisorAvailableCents: 10_000,
      advisorInTransitCents: 5_000,
    };
    expect(owedCents(figures)).toBe(85_000);
    expect(reserveCents(figures)).toBe(115_000);
  });
});

describe("reconciliation drift", () => {
  it("is processor − ledger − expected difference, alerting at |drift| ≥ $10.00", () => {
    expect(
      reconciliationDrift({ processorBalanceCents: 101_000, ledgerCashCents: 1_000, expectedDifferenceCents: 100_000 }),
    ).toBe(0);
    expect(
      reconciliationDrift({ processorBalanceCents: 990, ledgerCashCents: 2_000, expectedDifferenceCents: 0 }),
    ).toBe(-1_010);
    expect(driftNeedsAlert(999)).toBe(false);
    expect(driftNeedsAlert(-999)).toBe(false);
    expect(driftNeedsAlert(1_000)).toBe(true);
    expect(driftNeedsAlert(-1_000)).toBe(true);
    expect(driftNeedsAlert(0)).toBe(false);
  });
});

describe("near the credit limit", () => {
  it("is 80% or more of the limit used", () => {
    expect(nearCreditLimit(-7_999, 10_000)).toBe(false);
    expect(nearCreditLimit(-8_000, 10_000)).toBe(true);
    expect(nearCreditLimit(-10_000, 10_000)).toBe(true);
    expect(nearCreditLimit(0, 10_000)).toBe(false);
    expect(nearCreditLimit(500, 0)).toBe(false);
    expect(nearCreditLimit(-1, 0)).toBe(false);
  });
});
