import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  MoneyError,
  addCents,
  allocate,
  assertCents,
  bpsOf,
  centsToDecimalString,
  formatBps,
  formatMoney,
  isCurrency,
  mulDivHalfEven,
  parseMoneyInput,
  percentOf,
  roundHalfEven,
  roundHalfEvenBig,
  sumCents,
  tryParseMoneyInput,
} from "@/lib/money";

describe("integer cents", () => {
  it("accepts safe integers and rejects everything else", () => {
    expect(assertCents(0)).toBe(0);
    expect(assertCents(-5)).toBe(-5);
    expect(assertCents(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [0.5, 1.1, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 1, "5", null, undefined, 5n]) {
      expect(() => assertCents(bad)).toThrow(MoneyError);
    }
  });

  it("sums exactly and refuses overflow", () => {
    expect(sumCents([1, 2, 3])).toBe(6);
    expect(addCents(10, -20)).toBe(-10);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(MoneyError);
    expect(() => sumCents([0.1, 0.2])).toThrow(MoneyError);
  });

  it("knows its currencies", () => {
    expect(isCurrency("USD")).toBe(true);
    expect(isCurrency("usd")).toBe(false);
    expect(isCurrency("XXX")).toBe(false);
  });
});

describe("roundHalfEven", () => {
  it("rounds ties to even", () => {
    expect(roundHalfEven(5, 2)).toBe(2); // 2.5
    expect(roundHalfEven(7, 2)).toBe(4); // 3.5
    expect(roundHalfEven(1, 2)).toBe(0); // 0.5
    expect(roundHalfEven(3, 2)).toBe(2); // 1.5
    expect(roundHalfEven(-5, 2)).toBe(-2);
    expect(roundHalfEven(-7, 2)).toBe(-4);
    expect(roundHalfEven(5, -2)).toBe(-2);
    expect(roundHalfEven(10, 4)).toBe(2); // 2.5
    expect(roundHalfEven(14, 4)).toBe(4); // 3.5
  });

  it("rounds non-ties to nearest", () => {
    expect(roundHalfEven(26, 10)).toBe(3);
    expect(roundHalfEven(24, 10)).toBe(2);
    expect(roundHalfEven(-26, 10)).toBe(-3);
    expect(roundHalfEven(1, 3)).toBe(0);
    expect(roundHalfEven(2, 3)).toBe(1);
  });

  it("refuses division by zero, non-integers and unsafe results", () => {
    expect(() => roundHalfEven(1, 0)).toThrow(MoneyError);
    expect(() => roundHalfEven(1.5, 1)).toThrow(MoneyError);
    expect(() => roundHalfEven(2n ** 60n, 1n)).toThrow(MoneyError);
  });

  it("is the nearest integer and, on ties, the even one (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (n, d) => {
          const r = roundHalfEvenBig(n, d);
          const diff2 = (n - r * d) * 2n; // 2 * (n/d - r) * d
          const abs = diff2 < 0n ? -diff2 : diff2;
          expect(abs <= d).toBe(true);
          if (abs === d) expect(r % 2n === 0n).toBe(true);
          expect(roundHalfEvenBig(-n, d)).toBe(-r); // symmetric
        },
      ),
    );
  });

  it("matches the half-even definition for x.5 values (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (k) => {
        // (2k+1)/2 = k + 0.5, rounds to whichever of k, k+1 is even
        const expected = k % 2 === 0 ? k : k + 1;
        expect(roundHalfEven(2 * k + 1, 2)).toBe(expected);
      }),
    );
  });

  it("mulDivHalfEven does not overflow in the middle", () => {
    expect(mulDivHalfEven(Number.MAX_SAFE_INTEGER, 1000, 10_000)).toBe(900719925474099);
  });
});

describe("basis points and percentages", () => {
  it("computes fees half-even", () => {
    expect(bpsOf(1999, 1000)).toBe(200); // 199.9
    expect(bpsOf(25, 1000)).toBe(2); // 2.5 -> 2
    expect(bpsOf(35, 1000)).toBe(4); // 3.5 -> 4
    expect(bpsOf(0, 1000)).toBe(0);
    expect(percentOf(1000, 10)).toBe(100);
    expect(() => bpsOf(100, 10_001)).toThrow(MoneyError);
    expect(() => bpsOf(100, 12.5)).toThrow(MoneyError);
  });

  it("formats bps exactly", () => {
    expect(formatBps(1000)).toBe("10%");
    expect(formatBps(1250)).toBe("12.5%");
    expect(formatBps(25)).toBe("0.25%");
    expect(formatBps(10_000)).toBe("100%");
  });

  it("fee never exceeds the amount (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
        const fee = bpsOf(amount, bps);
        expect(fee >= 0 && fee <= amount).toBe(true);
      }),
    );
  });
});

describe("allocate", () => {
  it("hands out the remainder to the largest fractional parts", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(5, [1, 1])).toEqual([3, 2]);
    expect(allocate(10, [0, 1])).toEqual([0, 10]);
    expect(allocate(0, [3, 7])).toEqual([0, 0]);
    expect(allocate(1, [1, 3])).toEqual([0, 1]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it("rejects bad weights", () => {
    expect(() => allocate(10, [])).toThrow(MoneyError);
    expect(() => allocate(10, [0, 0])).toThrow(MoneyError);
    expect(() => allocate(10, [-1, 2])).toThrow(MoneyError);
    expect(() => allocate(10, [0.5, 2])).toThrow(MoneyError);
    expect(() => allocate(0.5, [1])).toThrow(MoneyError);
  });

  it("parts always sum to the total and stay within one cent of the exact share (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
        fc
          .array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 1, maxLength: 12 })
          .filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = BigInt(weights.reduce((a, b) => a + b, 0));
          for (const [i, part] of parts.entries()) {
            expect(Number.isSafeInteger(part)).toBe(true);
            if (weights[i] === 0) expect(part).toBe(0);
            // |part * sum - total * w| < sum  (within one cent of the exact share)
            const err = BigInt(part) * sum - BigInt(total) * BigInt(weights[i]!);
            expect((err < 0n ? -err : err) < sum).toBe(true);
          }
        },
      ),
    );
  });
});

describe("formatMoney", () => {
  it("formats with Intl.NumberFormat", () => {
    expect(formatMoney(123456)).toBe("$1,234.56");
    expect(formatMoney(5)).toBe("$0.05");
    expect(formatMoney(-1250)).toBe("-$12.50");
    expect(formatMoney(0)).toBe("$0.00");
    expect(formatMoney(1999, "EUR", { locale: "de-DE" })).toBe("19,99\u00a0€");
    expect(formatMoney(1000, "USD", { signDisplay: "always" })).toBe("+$10.00");
  });

  it("is exact for every safe integer (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (cents) => {
        const text = formatMoney(cents).replace(/[$,]/g, "");
        expect(text).toBe(centsToDecimalString(cents));
      }),
    );
  });

  it("refuses floats", () => {
    expect(() => formatMoney(12.5)).toThrow(MoneyError);
  });
});

describe("parseMoneyInput", () => {
  it("parses what people type", () => {
    expect(parseMoneyInput("12.5")).toBe(1250);
    expect(parseMoneyInput("12")).toBe(1200);
    expect(parseMoneyInput("12.50")).toBe(1250);
    expect(parseMoneyInput("0.99")).toBe(99);
    expect(parseMoneyInput(".5")).toBe(50);
    expect(parseMoneyInput("12.")).toBe(1200);
    expect(parseMoneyInput(" $1,234.56 ")).toBe(123456);
    expect(parseMoneyInput("0", { allowZero: true })).toBe(0);
  });

  it.each([
    ["", "Enter an amount."],
    ["   ", "Enter an amount."],
    ["1e3", "no exponents"],
    ["-1", "cannot be negative"],
    ["12.345", "at most 2 decimal places"],
    ["abc", "digits"],
    ["1,23", "digits"],
    ["1.2.3", "digits"],
    [".", "digits"],
    ["+5", "without a sign"],
    ["0", "greater than zero"],
    ["0.00", "greater than zero"],
    ["99999999999999999", "too large"],
  ])("rejects %j with a clear message", (input, message) => {
    const result = tryParseMoneyInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
    expect(() => parseMoneyInput(input)).toThrow(MoneyError);
  });

  it("enforces a maximum", () => {
    expect(tryParseMoneyInput("500.01", { maxCents: 50_000 })).toEqual({
      ok: false,
      error: "The amount can be at most $500.00.",
    });
  });

  it("round-trips every formatted amount (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 13 }), (cents) => {
        expect(parseMoneyInput(formatMoney(cents))).toBe(cents);
        expect(parseMoneyInput(centsToDecimalString(cents))).toBe(cents);
      }),
    );
  });
});
