import { format } from "date-fns";
import { describe, expect, it } from "vitest";
import { formatDayMonthYear } from "../../lib/format";

describe("lib/format formatDayMonthYear", () => {
  it("matches date-fns' 'd MMM yyyy' (what review dates used before) in every month, at day edges", () => {
    for (let month = 0; month < 12; month++) {
      for (const [day, hour] of [
        [1, 0],
        [9, 23],
        [28, 12],
      ] as const) {
        const ms = new Date(2026, month, day, hour, 59, 59, 999).getTime();
        expect(formatDayMonthYear(ms)).toBe(format(ms, "d MMM yyyy"));
      }
    }
    expect(formatDayMonthYear(new Date(2026, 8, 6).getTime())).toBe("6 Sep 2026");
  });
});
