import { describe, expect, it } from "vitest";
import {
  dayOf,
  dayStartMs,
  daysBetween,
  isTimeZone,
  monthStartDay,
  offsetZone,
  resolveZone,
  todayIn,
  weekStartDay,
} from "../../lib/days";

const HOUR = 3_600_000;

describe("lib/days", () => {
  it("a range across the spring-forward change in New York: 2026-03-08 has 23 hours, no hour lands in the wrong day", () => {
    const tz = "America/New_York";
    const days = daysBetween("2026-03-07", "2026-03-09");
    const starts = days.map((d) => dayStartMs(d, tz));
    expect(starts[0]).toBe(Date.UTC(2026, 2, 7, 5)); // EST, UTC−5
    expect(starts[1]! - starts[0]!).toBe(24 * HOUR);
    expect(starts[2]! - starts[1]!).toBe(23 * HOUR); // the DST day
    expect(dayStartMs("2026-03-10", tz) - starts[2]!).toBe(24 * HOUR);
    expect(starts[2]).toBe(Date.UTC(2026, 2, 9, 4)); // EDT, UTC−4
    // 23:30 local on the DST day is 03:30 UTC the next day: still 2026-03-08 locally (a fixed −5 h offset said the same;
    // 00:30 local on 03-09 is 04:30 UTC, which a fixed −5 h offset put on 03-08 — the hour in the wrong day).
    expect(dayOf(Date.UTC(2026, 2, 9, 3, 30), tz)).toBe("2026-03-08");
    expect(dayOf(Date.UTC(2026, 2, 9, 4, 30), tz)).toBe("2026-03-09");
    expect(dayOf(Date.UTC(2026, 2, 9, 4, 30), offsetZone(-300))).toBe("2026-03-08");
  });

  it("fall back in Paris: 2026-10-25 has 25 hours", () => {
    expect(dayStartMs("2026-10-26", "Europe/Paris") - dayStartMs("2026-10-25", "Europe/Paris")).toBe(25 * HOUR);
  });

  it("zones: IANA names, offsets, UTC by default, bad ones refused", () => {
    expect(isTimeZone("Asia/Kolkata")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(offsetZone(330)).toBe("+05:30");
    expect(offsetZone(-300)).toBe("-05:00");
    expect(resolveZone({})).toBe("UTC");
    expect(resolveZone({ tz: "Europe/Paris", tzOffsetMinutes: 60 })).toBe("Europe/Paris");
    expect(resolveZone({ tzOffsetMinutes: 60 })).toBe("+01:00");
    expect(resolveZone({ tzOffsetMinutes: 1.5 })).toBeNull();
    expect(resolveZone({ tz: "nope" })).toBeNull();
    expect(todayIn("Asia/Kolkata", Date.UTC(2026, 0, 1, 19))).toBe("2026-01-02");
  });

  it("weeks start on Monday; months on the 1st", () => {
    expect(weekStartDay("2026-03-08")).toBe("2026-03-02"); // a Sunday
    expect(weekStartDay("2026-03-09")).toBe("2026-03-09");
    expect(monthStartDay("2026-03-31")).toBe("2026-03-01");
  });
});
