// The signed-amount and percentage parsers of the admin reserve settings (lib/money.ts).
import { describe, expect, it } from "vitest";
import { parsePercentToBps, parseSignedMoney } from "@/lib/money";

describe("parseSignedMoney", () => {
  it("parses signed amounts to cents, zero included", () => {
    expect(parseSignedMoney("-12.50")).toEqual({ ok: true, cents: -1250 });
    expect(parseSignedMoney(" $1,000 ")).toEqual({ ok: true, cents: 100_000 });
    expect(parseSignedMoney("-0")).toEqual({ ok: true, cents: 0 });
  });
  it("rejects what tryParseMoneyInput rejects, and amounts over the limit either way", () => {
    expect(parseSignedMoney("12.345").ok).toBe(false);
    expect(parseSignedMoney("--1").ok).toBe(false);
    expect(parseSignedMoney("1e3").ok).toBe(false);
    expect(parseSignedMoney("-100.01", { maxCents: 10_000 }).ok).toBe(false);
    expect(parseSignedMoney("-100", { maxCents: 10_000 })).toEqual({ ok: true, cents: -10_000 });
  });
});

describe("parsePercentToBps", () => {
  it("reads plain percentages with up to 2 decimals", () => {
    expect(parsePercentToBps("20")).toBe(2_000);
    expect(parsePercentToBps("12.5")).toBe(1_250);
    expect(parsePercentToBps(" 0.05 % ")).toBe(5);
    expect(parsePercentToBps("12.")).toBeNull();
    expect(parsePercentToBps("1.234")).toBeNull();
    expect(parsePercentToBps("-1")).toBeNull();
    expect(parsePercentToBps("abc")).toBeNull();
  });
});
