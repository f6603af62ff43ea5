import { describe, expect, it } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import { DEMO_ACCOUNTS } from "../../lib/demoAccounts";
import { SEED_ADVISORS, seededTopUpCents } from "../../lib/seedData";
import { accountRef } from "../../lib/ledger/accounts";
import { balanceOf } from "../../convex/model/ledger";
import { localTokenIdentifier } from "../../lib/localAuth";
import { localIdentity, newTest, type Test } from "./helpers";

async function counts(t: Test) {
  return await t.run(async (ctx) => ({
    users: (await ctx.db.query("users").collect()).length,
    profiles: (await ctx.db.query("advisorProfiles").collect()).length,
    sessions: (await ctx.db.query("sessions").collect()).length,
    reviews: (await ctx.db.query("reviews").collect()).length,
  }));
}

describe("seed.seedDemo", () => {
  it("creates the demo people, 20 approved advisors, sessions and reviews", async () => {
    const t = newTest();
    expect(await t.mutation(internal.seed.seedDemo, {})).toEqual({ seeded: true });

    const nonAdvisorDemo = DEMO_ACCOUNTS.filter((a) => a.role !== "advisor");
    const c = await counts(t);
    expect(c.users).toBe(nonAdvisorDemo.length + SEED_ADVISORS.length);
    expect(c.profiles).toBe(20);
    expect(c.sessions).toBeGreaterThan(0);
    expect(c.reviews).toBe(c.sessions);

    const approved = await t.run(async (ctx) =>
      ctx.db
        .query("advisorProfiles")
        .filter((q) => q.eq(q.field("status"), "approved"))
        .collect(),
    );
    expect(approved).toHaveLength(20);
    expect(await t.query(api.advisorProfiles.listApproved, {})).toHaveLength(20);
  });

  it("puts exactly seededTopUpCents() into processor_cash (the local processor opens with that, so drift is zero)", async () => {
    const t = newTest();
    await t.mutation(internal.seed.seedDemo, {});
    const cash = await t.run(async (ctx) => balanceOf(ctx, accountRef("processor_cash")));
    expect(cash.balanceCents).toBe(seededTopUpCents());
    expect(seededTopUpCents()).toBeGreaterThan(0);
  });

  it("lets every demo account sign in with its role", async () => {
    const t = newTest();
    await t.mutation(internal.seed.seedDemo, {});
    for (const account of DEMO_ACCOUNTS) {
      const viewer = await t
        .withIdentity(localIdentity(account.subject, { name: account.name, email: account.email }))
        .query(api.users.viewer, {});
      expect(viewer, account.subject).toMatchObject({ name: account.name, role: account.role, status: "active" });
    }
  });

  it("gives each advisor user a profile with the seed's rates", async () => {
    const t = newTest();
    await t.mutation(internal.seed.seedDemo, {});
    const rows = await t.run(async (ctx) => {
      const out = [];
      for (const advisor of SEED_ADVISORS) {
        const user = await ctx.db
          .query("users")
          .withIndex("by_token", (q) => q.eq("tokenIdentifier", localTokenIdentifier(advisor.subject)))
          .unique();
        const profile =
          user === null
            ? null
            : await ctx.db
                .query("advisorProfiles")
                .withIndex("by_user", (q) => q.eq("userId", user._id))
                .unique();
        out.push({ advisor, user, profile });
      }
      return out;
    });
    for (const { advisor, user, profile } of rows) {
      expect(user?.role, advisor.subject).toBe("advisor");
      expect(profile, advisor.subject).not.toBeNull();
      expect(profile!.chatRateCentsPerMinute).toBe(advisor.chatRateCentsPerMinute);
      expect(profile!.videoRateCentsPerMinute).toBe(advisor.videoRateCentsPerMinute);
      expect(profile!.online).toBe(advisor.online);
    }
  });

  it("keeps ratings consistent with the reviews it writes", async () => {
    const t = newTest();
    await t.mutation(internal.seed.seedDemo, {});
    const { profiles, reviews } = await t.run(async (ctx) => ({
      profiles: await ctx.db.query("advisorProfiles").collect(),
      reviews: await ctx.db.query("reviews").collect(),
    }));
    for (const profile of profiles) {
      const mine = reviews.filter((r) => r.advisorId === profile.userId);
      expect(profile.ratingCount).toBe(mine.length);
      expect(profile.ratingSum).toBe(mine.reduce((sum, r) => sum + r.rating, 0));
      expect(profile.completedSessions).toBe(mine.length);
    }
    for (const review of reviews) {
      expect(review.rating).toBeGreaterThanOrEqual(1);
      expect(review.rating).toBeLessThanOrEqual(5);
    }
  });

  it("shows the demo client their past sessions", async () => {
    const t = newTest();
    await t.mutation(internal.seed.seedDemo, {});
    const { sessions } = await counts(t);
    const page = await t
      .withIdentity(localIdentity("demo-client"))
      .query(api.sessions.listMine, { paginationOpts: { numItems: 100, cursor: null } });
    expect(page.page).toHaveLength(sessions);
    const requested = page.page.map((s) => s.requestedAt);
    expect(requested).toEqual([...requested].sort((a, b) => b - a));
  });

  it("is idempotent: a second run changes nothing", async () => {
    const t = newTest();
    await t.mutation(internal.seed.seedDemo, {});
    const before = await counts(t);
    expect(await t.mutation(internal.seed.seedDemo, {})).toEqual({ seeded: false });
    expect(await counts(t)).toEqual(before);
  });
});
