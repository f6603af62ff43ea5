import { describe, expect, it } from "vitest";
import { filtersFromParams, paramsFromFilters } from "@/lib/advisors/browseParams";
import {
  checkRateCents,
  derivedProfileFields,
  ratingTenthsOf,
  recommendedScore,
  startBlocker,
} from "@/lib/advisors/rules";
import { advisorProfilePatchSchema, ratesFormSchema } from "@/lib/schemas/advisorProfile";

describe("advisor rules", () => {
  it("checks rates: whole cents between $0.10 and $50.00", () => {
    expect(checkRateCents(10).ok).toBe(true);
    expect(checkRateCents(5000).ok).toBe(true);
    expect(checkRateCents(9)).toEqual({ ok: false, error: "Rate must be between $0.10 and $50.00 per minute." });
    expect(checkRateCents(5001).ok).toBe(false);
    expect(checkRateCents(150.5)).toMatchObject({ ok: false, error: expect.stringMatching(/whole number of cents/) });
  });

  it("parses typed dollar rates and refuses fractions of a cent", () => {
    expect(ratesFormSchema.parse({ chatRate: "1.99", videoEnabled: false, videoRate: "" })).toEqual({
      chatRateCentsPerMinute: 199,
      videoRateCentsPerMinute: null,
    });
    expect(ratesFormSchema.parse({ chatRate: "$2", videoEnabled: true, videoRate: "3.5" })).toEqual({
      chatRateCentsPerMinute: 200,
      videoRateCentsPerMinute: 350,
    });
    expect(
      ratesFormSchema.safeParse({ chatRate: "1.999", videoEnabled: false, videoRate: "" }).error?.issues[0]?.message,
    ).toMatch(/2 decimal places/);
    expect(
      ratesFormSchema.safeParse({ chatRate: "0.05", videoEnabled: false, videoRate: "" }).error?.issues[0]?.message,
    ).toMatch(/between \$0\.10 and \$50\.00/);
    expect(
      ratesFormSchema.safeParse({ chatRate: "1", videoEnabled: true, videoRate: "60" }).error?.issues[0]?.path,
    ).toEqual(["videoRate"]);
  });

  it("validates profile patches with readable messages", () => {
    expect(advisorProfilePatchSchema.safeParse({ bio: "x".repeat(2001) }).error?.issues[0]?.message).toBe(
      "Bio can be at most 2000 characters.",
    );
    expect(advisorProfilePatchSchema.safeParse({ unknown: 1 }).success).toBe(false);
    expect(advisorProfilePatchSchema.parse({ tags: ["Love", "love", " clarity "] })).toEqual({
      tags: ["love", "clarity"],
    });
  });

  it("derives ratings and sort keys with integer math", () => {
    expect(ratingTenthsOf(14, 3)).toBe(47);
    expect(ratingTenthsOf(0, 0)).toBe(0);
    expect(recommendedScore("online", 0, 0)).toBeGreaterThan(recommendedScore("busy", 50, 9999));
    expect(recommendedScore("busy", 0, 0)).toBeGreaterThan(recommendedScore("offline", 50, 9999));
    const d = derivedProfileFields({
      displayName: "Ada",
      headline: "Code",
      bio: "Bio",
      tags: ["ML"],
      availability: "busy",
      ratingSum: 9,
      ratingCount: 2,
    });
    expect(d).toMatchObject({ searchText: expect.stringContaining("ml"), ratingTenths: 45, online: true });
  });

  it("says why a session cannot start", () => {
    const base = { availability: "online" as const, rateCentsPerMinute: 200, availableCents: 600, signedIn: true };
    expect(startBlocker(base)).toBeNull();
    expect(startBlocker({ ...base, availableCents: 599 })?.reason).toBe("funds");
    expect(startBlocker({ ...base, availableCents: 599 })?.message).toBe(
      "Not enough funds: you need $6.00 for 3 minutes.",
    );
    expect(startBlocker({ ...base, availability: "busy" })?.reason).toBe("busy");
    expect(startBlocker({ ...base, availability: "offline" })?.reason).toBe("offline");
    expect(startBlocker({ ...base, rateCentsPerMinute: null })?.reason).toBe("not_offered");
    expect(startBlocker({ ...base, signedIn: false, availableCents: null })?.reason).toBe("sign_in");
  });

  it("round-trips browse filters through the URL", () => {
    const params = new URLSearchParams(
      "q=tarot&category=tarot&channel=video&min=1&max=2.5&rating=40&online=1&sort=price",
    );
    const f = filtersFromParams(params);
    expect(f).toEqual({
      search: "tarot",
      category: "tarot",
      channel: "video",
      minPriceCents: 100,
      maxPriceCents: 250,
      minRatingTenths: 40,
      onlineOnly: true,
      sort: "price",
    });
    expect(filtersFromParams(new URLSearchParams(paramsFromFilters(f)))).toEqual(f);
    expect(filtersFromParams(new URLSearchParams("category=knitting&min=abc&sort=weird&rating=12"))).toEqual({
      search: undefined,
      category: undefined,
      channel: undefined,
      minPriceCents: undefined,
      maxPriceCents: undefined,
      minRatingTenths: undefined,
      onlineOnly: undefined,
      sort: "recommended",
    });
  });
});
