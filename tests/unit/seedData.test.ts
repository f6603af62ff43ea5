import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SEED_ADVISORS, avatarPathFor } from "@/lib/seedData";
import { DEMO_ACCOUNTS } from "@/lib/demoAccounts";
import { CATEGORY_SLUGS, isCategorySlug } from "@/lib/categories";

const MIN_RATE_CENTS = 10; // $0.10 per minute
const MAX_RATE_CENTS = 5000; // $50.00 per minute

describe("seed advisors", () => {
  it("has 20 advisors", () => {
    expect(SEED_ADVISORS).toHaveLength(20);
  });

  it("has unique subjects, emails and names", () => {
    for (const key of ["subject", "email", "name"] as const) {
      const values = SEED_ADVISORS.map((a) => a[key]);
      expect(new Set(values).size, key).toBe(values.length);
    }
    for (const advisor of SEED_ADVISORS) expect(advisor.email).toMatch(/^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/);
  });

  it("never collides with a non-advisor demo account", () => {
    const others = DEMO_ACCOUNTS.filter((a) => a.role !== "advisor");
    for (const advisor of SEED_ADVISORS) {
      expect(others.map((a) => a.subject)).not.toContain(advisor.subject);
      expect(others.map((a) => a.email)).not.toContain(advisor.email);
    }
  });

  it("charges whole cents between $0.10 and $50.00 a minute", () => {
    for (const advisor of SEED_ADVISORS) {
      const rates = [advisor.chatRateCentsPerMinute, advisor.videoRateCentsPerMinute].filter(
        (r): r is number => r !== null,
      );
      for (const rate of rates) {
        expect(Number.isSafeInteger(rate), `${advisor.name}: ${rate}`).toBe(true);
        expect(rate).toBeGreaterThanOrEqual(MIN_RATE_CENTS);
        expect(rate).toBeLessThanOrEqual(MAX_RATE_CENTS);
      }
    }
  });

  it("starts with the demo advisor accounts, in order", () => {
    const demoAdvisors = DEMO_ACCOUNTS.filter((a) => a.role === "advisor");
    expect(demoAdvisors).toHaveLength(3);
    expect(SEED_ADVISORS.slice(0, 3).map((a) => a.subject)).toEqual(demoAdvisors.map((a) => a.subject));
    expect(SEED_ADVISORS.slice(0, 3).map((a) => a.name)).toEqual(demoAdvisors.map((a) => a.name));
    expect(SEED_ADVISORS.slice(0, 3).map((a) => a.email)).toEqual(demoAdvisors.map((a) => a.email));
  });

  it("spreads across every category, with known slugs only", () => {
    for (const advisor of SEED_ADVISORS) {
      expect(advisor.categories.length).toBeGreaterThan(0);
      for (const category of advisor.categories) expect(isCategorySlug(category)).toBe(true);
    }
    const covered = new Set(SEED_ADVISORS.flatMap((a) => a.categories));
    expect([...covered].sort()).toEqual([...CATEGORY_SLUGS].sort());
  });

  it("has advisors both online and offline", () => {
    expect(SEED_ADVISORS.some((a) => a.online)).toBe(true);
    expect(SEED_ADVISORS.some((a) => !a.online)).toBe(true);
  });

  it("has a shipped avatar for every advisor", () => {
    SEED_ADVISORS.forEach((_advisor, index) => {
      const urlPath = avatarPathFor(index);
      expect(urlPath).toMatch(/^\/avatars\/advisor-\d{2}\.svg$/);
      const file = fileURLToPath(new URL(`../../public${urlPath}`, import.meta.url));
      expect(existsSync(file), file).toBe(true);
    });
  });
});

describe("demo accounts", () => {
  it("has at least one funded client, several advisors and one admin", () => {
    const clients = DEMO_ACCOUNTS.filter((a) => a.role === "client");
    expect(clients.some((a) => (a.walletCents ?? 0) > 0)).toBe(true);
    expect(DEMO_ACCOUNTS.filter((a) => a.role === "advisor").length).toBeGreaterThanOrEqual(2);
    expect(DEMO_ACCOUNTS.filter((a) => a.role === "admin").length).toBeGreaterThanOrEqual(1);
    const subjects = DEMO_ACCOUNTS.map((a) => a.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
  });
});
