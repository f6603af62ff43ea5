import { describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import { expectAppError, newTest, type Test } from "./helpers";
import { addAdvisor } from "./advisorHelpers";

async function market(t: Test) {
  await addAdvisor(t, "a", {
    displayName: "Luna Tarot",
    headline: "Tarot for love",
    categories: ["tarot"],
    status: "approved",
    online: true,
    chatRateCentsPerMinute: 200,
    videoRateCentsPerMinute: 300,
    ratingSum: 9,
    ratingCount: 2,
  });
  await addAdvisor(t, "b", {
    displayName: "Marcus Career",
    headline: "Salary negotiation",
    categories: ["career"],
    status: "approved",
    online: false,
    chatRateCentsPerMinute: 150,
    ratingSum: 5,
    ratingCount: 1,
    tags: ["negotiation"],
  });
  await addAdvisor(t, "c", {
    displayName: "Priya Stars",
    headline: "Vedic astrology",
    categories: ["astrology", "tarot"],
    status: "approved",
    online: true,
    chatRateCentsPerMinute: 500,
    videoRateCentsPerMinute: 600,
    ratingSum: 3,
    ratingCount: 1,
  });
  await addAdvisor(t, "d", {
    displayName: "Hidden Tarot",
    headline: "Pending tarot",
    categories: ["tarot"],
    status: "submitted",
    online: true,
  });
  await addAdvisor(t, "e", {
    displayName: "Busy Bee",
    headline: "Wellness coach",
    categories: ["wellness"],
    status: "approved",
    availability: "busy",
    chatRateCentsPerMinute: 120,
  });
}

const page = { numItems: 20, cursor: null };
const names = (r: { page: { displayName: string }[] }) => r.page.map((p) => p.displayName);

describe("advisorProfiles.browse", () => {
  it("recommended: online first, then busy, then offline; approved only", async () => {
    const t = newTest();
    await market(t);
    const all = await t.query(api.advisorProfiles.browse, { paginationOpts: page });
    expect(names(all)).toEqual(["Luna Tarot", "Priya Stars", "Busy Bee", "Marcus Career"]);
    expect(all.isDone).toBe(true);
  });

  it("sorts by rating and by price", async () => {
    const t = newTest();
    await market(t);
    expect(names(await t.query(api.advisorProfiles.browse, { sort: "rating", paginationOpts: page }))).toEqual([
      "Marcus Career",
      "Luna Tarot",
      "Priya Stars",
      "Busy Bee",
    ]);
    expect(names(await t.query(api.advisorProfiles.browse, { sort: "price", paginationOpts: page }))).toEqual([
      "Busy Bee",
      "Marcus Career",
      "Luna Tarot",
      "Priya Stars",
    ]);
    expect(
      names(await t.query(api.advisorProfiles.browse, { sort: "price", channel: "video", paginationOpts: page })),
    ).toEqual(["Luna Tarot", "Priya Stars"]);
  });

  it("filters by category, channel, price range, rating and online now", async () => {
    const t = newTest();
    await market(t);
    expect(names(await t.query(api.advisorProfiles.browse, { category: "tarot", paginationOpts: page }))).toEqual([
      "Luna Tarot",
      "Priya Stars",
    ]);
    expect(names(await t.query(api.advisorProfiles.browse, { channel: "video", paginationOpts: page }))).toEqual([
      "Luna Tarot",
      "Priya Stars",
    ]);
    expect(
      names(
        await t.query(api.advisorProfiles.browse, { minPriceCents: 140, maxPriceCents: 250, paginationOpts: page }),
      ),
    ).toEqual(["Luna Tarot", "Marcus Career"]);
    expect(names(await t.query(api.advisorProfiles.browse, { minRatingTenths: 45, paginationOpts: page }))).toEqual([
      "Luna Tarot",
      "Marcus Career",
    ]);
    expect(names(await t.query(api.advisorProfiles.browse, { onlineOnly: true, paginationOpts: page }))).toEqual([
      "Luna Tarot",
      "Priya Stars",
    ]);
  });

  it("full-text search over name, headline, bio and tags, combined with filters", async () => {
    const t = newTest();
    await market(t);
    expect(names(await t.query(api.advisorProfiles.browse, { search: "tarot", paginationOpts: page })).sort()).toEqual([
      "Luna Tarot",
    ]);
    expect(names(await t.query(api.advisorProfiles.browse, { search: "negotiation", paginationOpts: page }))).toEqual([
      "Marcus Career",
    ]);
    expect(
      names(await t.query(api.advisorProfiles.browse, { search: "vedic", onlineOnly: true, paginationOpts: page })),
    ).toEqual(["Priya Stars"]);
    expect(
      names(await t.query(api.advisorProfiles.browse, { search: "vedic", category: "career", paginationOpts: page })),
    ).toEqual([]);
  });

  it("paginates", async () => {
    const t = newTest();
    await market(t);
    const first = await t.query(api.advisorProfiles.browse, { paginationOpts: { numItems: 2, cursor: null } });
    expect(first.page).toHaveLength(2);
    expect(first.isDone).toBe(false);
    const second = await t.query(api.advisorProfiles.browse, {
      paginationOpts: { numItems: 2, cursor: first.continueCursor },
    });
    expect([...names(first), ...names(second)]).toEqual(["Luna Tarot", "Priya Stars", "Busy Bee", "Marcus Career"]);
  });

  it("refuses bad filters", async () => {
    const t = newTest();
    await expectAppError(
      t.query(api.advisorProfiles.browse, { minPriceCents: 10.5, paginationOpts: page }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      t.query(api.advisorProfiles.browse, { minPriceCents: 500, maxPriceCents: 100, paginationOpts: page }),
      "INVALID_ARGUMENT",
    );
    await expectAppError(
      t.query(api.advisorProfiles.browse, { minRatingTenths: 60, paginationOpts: page }),
      "INVALID_ARGUMENT",
    );
  });
});

describe("advisorProfiles.getPublic and listReviews", () => {
  it("returns the rating distribution and paginated reviews", async () => {
    const t = newTest();
    const profileId = await addAdvisor(t, "a", {
      displayName: "Ada Lovelace",
      categories: ["tech"],
      status: "approved",
      online: true,
    });
    await t.run(async (ctx) => {
      const profile = (await ctx.db.get("advisorProfiles", profileId))!;
      const clientId = await ctx.db.insert("users", {
        tokenIdentifier: "x|c",
        name: "Casey Client",
        email: "c@x.test",
        role: "client",
        status: "active",
        createdAt: 0,
      });
      for (const [i, rating] of [5, 5, 4, 1].entries()) {
        const sessionId = await ctx.db.insert("sessions", {
          clientId,
          advisorId: profile.userId,
          kind: "chat",
          status: "ended",
          rateCentsPerMinute: 100,
          feeBps: 1000,
          requestedAt: i,
          expiresAt: 0,
          freeSeconds: 0,
          segments: [],
          provider: "builtin",
        });
        await ctx.db.insert("reviews", {
          sessionId,
          clientId,
          advisorId: profile.userId,
          rating,
          comment: `Review ${i}`,
          createdAt: i,
        });
      }
    });
    const data = await t.query(api.advisorProfiles.getPublic, { profileId });
    expect(data?.distribution).toEqual([1, 0, 0, 1, 2]);
    expect(data?.isFavourite).toBe(false);
    const reviews = await t.query(api.advisorProfiles.listReviews, {
      profileId,
      paginationOpts: { numItems: 3, cursor: null },
    });
    expect(reviews.page.map((r) => r.comment)).toEqual(["Review 3", "Review 2", "Review 1"]);
    expect(reviews.page[0]!.reviewerName).toBe("Casey");
  });
});
