import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SESSION_RULES,
  activeMs,
  affordableBillableSeconds,
  billableSecondsAt,
  chargeFor,
  limitReachedAt,
  maxAffordablePaidSeconds,
  minimumStartCents,
  snapshotAt,
  warningLevel,
  type Segment,
} from "@/lib/billingEngine";
import { betterSkewSample, estimateSkewMs, projectBilling } from "@/lib/billingService";
import { canTransition, formatClock, isOpen } from "@/lib/sessionUtils";
import { sessionCostCents } from "@/lib/ledger/templates";

const rate = fc.integer({ min: 1, max: 5_000 });
const seconds = fc.integer({ min: 0, max: 24 * 3600 });
const bps = fc.integer({ min: 0, max: 10_000 });
const cents = fc.integer({ min: 0, max: 10_000_000 });

describe("billing engine: examples", () => {
  it("prices whole seconds with half-even rounding", () => {
    expect(chargeFor({ rateCentsPerMinute: 50, feeBps: 1000, billableSeconds: 1_800 })).toMatchObject({
      costCents: 1_500,
      feeCents: 150,
      shareCents: 1_350,
      clientCents: 1_500,
      promoCents: 0,
    });
    // 1 s at $0.30/min is half a cent: ties go to even (0); 3 s = 1.5 cents -> 2.
    expect(chargeFor({ rateCentsPerMinute: 30, feeBps: 1000, billableSeconds: 1 }).costCents).toBe(0);
    expect(chargeFor({ rateCentsPerMinute: 30, feeBps: 1000, billableSeconds: 3 }).costCents).toBe(2);
  });

  it("splits free time into promotions: the client pays only the paid seconds", () => {
    expect(chargeFor({ rateCentsPerMinute: 50, feeBps: 1000, billableSeconds: 600, freeSeconds: 180 })).toMatchObject({
      costCents: 500,
      promoCents: 150,
      clientCents: 350,
      freeSeconds: 180,
    });
    expect(chargeFor({ rateCentsPerMinute: 50, feeBps: 1000, billableSeconds: 100, freeSeconds: 180 })).toMatchObject({
      clientCents: 0,
      freeSeconds: 100,
    });
  });

  it("counts active segments only, and only whole seconds", () => {
    const segments: Segment[] = [
      { startedAt: 1_000, endedAt: 61_500 },
      { startedAt: 100_000, endedAt: 100_400 },
      { startedAt: 200_000 },
    ];
    expect(activeMs(segments, 230_000)).toBe(60_500 + 400 + 30_000);
    expect(billableSecondsAt(segments, 230_000)).toBe(90);
    expect(billableSecondsAt(segments, 150_000)).toBe(60);
  });

  it("$5.00 at $0.50/min affords exactly 10 minutes; the limit is reached at the exact second", () => {
    expect(maxAffordablePaidSeconds(50, 500)).toBe(600);
    expect(affordableBillableSeconds({ rateCentsPerMinute: 50, availableCents: 500, freeSeconds: 180 })).toBe(780);
    expect(limitReachedAt([{ startedAt: 0, endedAt: 60_000 }, { startedAt: 100_000 }], 600)).toBe(100_000 + 540_000);
    expect(limitReachedAt([{ startedAt: 0, endedAt: 60_000 }], 600)).toBeNull();
    expect(maxAffordablePaidSeconds(50, 0)).toBe(0);
    expect(maxAffordablePaidSeconds(1, 0)).toBe(0); // 30 s at 1¢/min would round to 0¢, but no funds means no paid time
    expect(maxAffordablePaidSeconds(50, -100)).toBe(0);
    expect(() => maxAffordablePaidSeconds(0, 100)).toThrow();
  });

  it("warnings at 2 minutes and 1 minute of funds left", () => {
    expect(warningLevel(121)).toBe("none");
    expect(warningLevel(120)).toBe("two_minutes");
    expect(warningLevel(61)).toBe("two_minutes");
    expect(warningLevel(60)).toBe("one_minute");
    expect(warningLevel(0)).toBe("exhausted");
    const snap = snapshotAt({
      segments: [{ startedAt: 0 }],
      rateCentsPerMinute: 50,
      feeBps: 1000,
      freeSeconds: 0,
      limitSeconds: 600,
      availableCents: 500,
      now: 480_000,
    });
    expect(snap).toMatchObject({ secondsLeft: 120, liveAvailableCents: 100, warning: "two_minutes" });
  });

  it("minimum start funds are 3 minutes at the rate", () => {
    expect(minimumStartCents(50)).toBe(150);
    expect(minimumStartCents(199)).toBe(597);
    expect(SESSION_RULES.minStartMinutes).toBe(3);
  });
});

describe("billing engine: properties", () => {
  it("cost is monotonic in time", () => {
    fc.assert(
      fc.property(rate, seconds, seconds, (r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(sessionCostCents(r, lo)).toBeLessThanOrEqual(sessionCostCents(r, hi));
      }),
    );
  });

  it("the affordable limit never exceeds the funds, and one more second would (none without funds)", () => {
    fc.assert(
      fc.property(rate, cents, (r, available) => {
        const s = maxAffordablePaidSeconds(r, available);
        expect(sessionCostCents(r, s)).toBeLessThanOrEqual(available);
        // With no funds there is no paid time at all, even seconds that would round down to 0 cents.
        if (available === 0) expect(s).toBe(0);
        else expect(sessionCostCents(r, s + 1)).toBeGreaterThan(available);
      }),
    );
  });

  it("fee + share = cost and promo + client = cost, exactly", () => {
    fc.assert(
      fc.property(rate, bps, seconds, fc.integer({ min: 0, max: 600 }), (r, fee, s, free) => {
        const c = chargeFor({ rateCentsPerMinute: r, feeBps: fee, billableSeconds: s, freeSeconds: free });
        expect(c.feeCents + c.shareCents).toBe(c.costCents);
        expect(c.promoCents + c.clientCents).toBe(c.costCents);
        expect(c.promoCents).toBeGreaterThanOrEqual(0);
        expect(c.shareCents).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("the live projection never charges beyond the limit and never goes below zero funds", () => {
    fc.assert(
      fc.property(rate, cents, fc.integer({ min: 0, max: 10 * 3600_000 }), (r, available, now) => {
        const limitSeconds = affordableBillableSeconds({ rateCentsPerMinute: r, availableCents: available });
        const snap = snapshotAt({
          segments: [{ startedAt: 0 }],
          rateCentsPerMinute: r,
          feeBps: 1000,
          freeSeconds: 0,
          limitSeconds,
          availableCents: available,
          now,
        });
        expect(snap.billableSeconds).toBeLessThanOrEqual(limitSeconds);
        expect(snap.liveAvailableCents).toBeGreaterThanOrEqual(0);
        expect(snap.secondsLeft + snap.billableSeconds).toBe(limitSeconds);
      }),
    );
  });
});

describe("browser projection and helpers", () => {
  it("estimates clock skew from the round trip midpoint and keeps the tightest sample", () => {
    expect(estimateSkewMs({ sentAt: 1_000, receivedAt: 1_200, serverNow: 5_100 })).toBe(4_000);
    const wide = { sentAt: 0, receivedAt: 1_000, serverNow: 0 };
    const tight = { sentAt: 0, receivedAt: 100, serverNow: 0 };
    expect(betterSkewSample(wide, tight)).toBe(tight);
    expect(betterSkewSample(tight, wide)).toBe(tight);
  });

  it("projects elapsed time, free time and warnings for each side", () => {
    const base = {
      segments: [{ startedAt: 0 }],
      rateCentsPerMinute: 50,
      feeBps: 1000,
      freeSeconds: 180,
      limitSeconds: 780,
      startedAt: 0,
    };
    const client = projectBilling({ ...base, availableCents: 500, serverNow: 60_000, role: "client" });
    expect(client).toMatchObject({ elapsedSeconds: 60, inFreeTime: true, clientCents: 0, freeSecondsLeft: 120 });
    const late = projectBilling({ ...base, availableCents: 500, serverNow: 700_000, role: "advisor" });
    expect(late.inFreeTime).toBe(false);
    expect(late.warningText).toMatch(/client has about 2 minutes/);
  });

  it("state machine and clock formatting", () => {
    expect(canTransition("requested", "active")).toBe(true);
    expect(canTransition("ended", "active")).toBe(false);
    expect(canTransition("paused", "active")).toBe(true);
    expect(canTransition("requested", "paused")).toBe(false);
    expect(isOpen("paused")).toBe(true);
    expect(formatClock(65)).toBe("1:05");
    expect(formatClock(3_725)).toBe("1:02:05");
  });
});
