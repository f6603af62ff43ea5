// Public reads of the marketplace: approved advisors only, open to everyone (signed in or not).
import { v } from "convex/values";
import { paginationOptsValidator } from "convex/server";
import { stream } from "convex-helpers/server/stream";
import { publicQuery } from "./functions";
import schema, { categoryValidator } from "./schema";
import { channelValidator } from "./model/advisorSchema";
import { publicProfile, type Profile } from "./model/advisors";
import { fail } from "./model/errors";
import { distributionOf } from "./model/reviews";
import { MAX_RATE_CENTS } from "../lib/advisors/rules";

export { publicProfile } from "./model/advisors";

const MAX_LISTED = 100;
/** Search results are ranked by relevance; at most this many are filtered and sorted. */
const MAX_SEARCH_RESULTS = 200;
const MAX_PAGE = 48;

/** Approved advisors, online first. Open to everyone, signed in or not. */
export const listApproved = publicQuery({
  args: { category: v.optional(categoryValidator) },
  handler: async (ctx, { category }) => {
    const listed = await ctx.db
      .query("advisorProfiles")
      .withIndex("by_status_recommended", (q) => q.eq("status", "approved"))
      .order("desc")
      .take(MAX_LISTED);
    return listed.filter((p) => category === undefined || p.categories.includes(category)).map(publicProfile);
  },
});

export const getApproved = publicQuery({
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await ctx.db.get("advisorProfiles", profileId);
    if (profile === null || profile.status !== "approved") return null;
    return publicProfile(profile);
  },
});

const sortValidator = v.union(v.literal("recommended"), v.literal("rating"), v.literal("price"));

const browseArgs = {
  search: v.optional(v.string()),
  category: v.optional(categoryValidator),
  channel: v.optional(channelValidator),
  minPriceCents: v.optional(v.number()),
  maxPriceCents: v.optional(v.number()),
  /** Minimum average rating in tenths of a star (40 = 4.0). */
  minRatingTenths: v.optional(v.number()),
  onlineOnly: v.optional(v.boolean()),
  /** Issue 24: one language the advisor speaks (case-insensitive). */
  language: v.optional(v.string()),
  sort: v.optional(sortValidator),
  paginationOpts: paginationOptsValidator,
};

type BrowseFilters = {
  category?: Profile["categories"][number];
  channel?: "chat" | "video";
  minPriceCents?: number;
  maxPriceCents?: number;
  minRatingTenths?: number;
  onlineOnly?: boolean;
  language?: string;
};

function checkFilters(f: BrowseFilters & { search?: string }) {
  for (const [label, value] of [
    ["Minimum price", f.minPriceCents],
    ["Maximum price", f.maxPriceCents],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0 || value > MAX_RATE_CENTS)) {
      fail("INVALID_ARGUMENT", `${label} must be a whole number of cents between 0 and ${MAX_RATE_CENTS}.`);
    }
  }
  if (f.minPriceCents !== undefined && f.maxPriceCents !== undefined && f.minPriceCents > f.maxPriceCents) {
    fail("INVALID_ARGUMENT", "The minimum price is above the maximum price.");
  }
  if (
    f.minRatingTenths !== undefined &&
    (!Number.isInteger(f.minRatingTenths) || f.minRatingTenths < 0 || f.minRatingTenths > 50)
  ) {
    fail("INVALID_ARGUMENT", "Minimum rating must be between 0 and 5 stars.");
  }
  if (f.language !== undefined && (f.language.trim().length < 2 || f.language.length > 30))
    fail("INVALID_ARGUMENT", "A language name has 2 to 30 characters.");
  if (f.search !== undefined && f.search.length > 200)
    fail("INVALID_ARGUMENT", "Search text can be at most 200 characters.");
}

function priceFor(p: Profile, channel: "chat" | "video" | undefined): number | null {
  return channel === "video" ? p.videoRateCentsPerMinute : p.chatRateCentsPerMinute;
}

function matches(p: Profile, f: BrowseFilters): boolean {
  if (p.status !== "approved") return false;
  if (f.category !== undefined && !p.categories.includes(f.category)) return false;
  if (f.channel === "video" && p.videoRateCentsPerMinute === null) return false;
  if (f.onlineOnly === true && p.availability !== "online") return false;
  if (f.language !== undefined && !p.languages.some((l) => l.toLowerCase() === f.language!.trim().toLowerCase()))
    return false;
  if (
    f.minRatingTenths !== undefined &&
    f.minRatingTenths > 0 &&
    (p.ratingCount === 0 || p.ratingTenths < f.minRatingTenths)
  )
    return false;
  if (f.minPriceCents !== undefined || f.maxPriceCents !== undefined) {
    // Without a channel, an advisor matches when any channel they offer is in range.
    const prices =
      f.channel === undefined ? [p.chatRateCentsPerMinute, p.videoRateCentsPerMinute] : [priceFor(p, f.channel)];
    const inRange = prices.some(
      (price) =>
        price !== null && price >= (f.minPriceCents ?? 0) && price <= (f.maxPriceCents ?? Number.MAX_SAFE_INTEGER),
    );
    if (!inRange) return false;
  }
  return true;
}

/**
 * Browse approved advisors: full-text search (name, headline, bio, tags), filters and sort, paginated.
 * Without search text each sort reads its own index and filters while paginating; with search text
 * the best matches (by relevance) are filtered and sorted in memory and paged by offset.
 */
export const browse = publicQuery({
  args: browseArgs,
  handler: async (ctx, { search, sort = "recommended", paginationOpts, ...filters }) => {
    checkFilters({ ...filters, search });
    const opts = { ...paginationOpts, numItems: Math.max(1, Math.min(paginationOpts.numItems, MAX_PAGE)) };
    const text = search?.trim().toLowerCase() ?? "";

    if (text !== "") {
      const found = await ctx.db
        .query("advisorProfiles")
        .withSearchIndex("search_text", (q) => q.search("searchText", text).eq("status", "approved"))
        .take(MAX_SEARCH_RESULTS);
      const kept = found.filter((p) => matches(p, filters));
      if (sort === "rating") kept.sort((a, b) => b.ratingScore - a.ratingScore);
      else if (sort === "price")
        kept.sort((a, b) => (priceFor(a, filters.channel) ?? 0) - (priceFor(b, filters.channel) ?? 0));
      else kept.sort((a, b) => Math.floor(b.recommendedScore / 1_000_000) - Math.floor(a.recommendedScore / 1_000_000));
      const start = paginationOpts.cursor === null ? 0 : Number.parseInt(paginationOpts.cursor, 10) || 0;
      const end = start + opts.numItems;
      return {
        page: kept.slice(start, end).map(publicProfile),
        isDone: end >= kept.length,
        continueCursor: String(Math.min(end, kept.length)),
      };
    }

    const db = stream(ctx.db, schema);
    const base =
      sort === "rating"
        ? db
            .query("advisorProfiles")
            .withIndex("by_status_rating", (q) => q.eq("status", "approved"))
            .order("desc")
        : sort === "price"
          ? filters.channel === "video"
            ? db
                .query("advisorProfiles")
                .withIndex("by_status_video_rate", (q) => q.eq("status", "approved"))
                .order("asc")
            : db
                .query("advisorProfiles")
                .withIndex("by_status_chat_rate", (q) => q.eq("status", "approved"))
                .order("asc")
          : db
              .query("advisorProfiles")
              .withIndex("by_status_recommended", (q) => q.eq("status", "approved"))
              .order("desc");
    const result = await base.filterWith(async (p) => matches(p, filters)).paginate({ ...opts, maximumRowsRead: 1000 });
    return { ...result, page: result.page.map(publicProfile) };
  },
});

/** The public profile page: profile, rating distribution (1..5 stars). */
export const getPublic = publicQuery({
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await ctx.db.get("advisorProfiles", profileId);
    if (profile === null || profile.status !== "approved") return null;
    // Maintained per rating and per hide (issue 24): hidden reviews are not in it.
    const distribution = await distributionOf(ctx, profile.userId);
    let isFavourite = false;
    if (ctx.viewer !== null) {
      const viewerId = ctx.viewer._id;
      const fav = await ctx.db
        .query("favourites")
        .withIndex("by_client_profile", (q) => q.eq("clientId", viewerId).eq("profileId", profileId))
        .first();
      isFavourite = fav !== null;
    }
    return { ...publicProfile(profile), distribution, isFavourite };
  },
});

/** Reviews of an approved advisor, newest first, hidden ones left out. Reviewer shown by first name only. */
export const listReviews = publicQuery({
  args: { profileId: v.id("advisorProfiles"), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { profileId, paginationOpts }) => {
    const profile = await ctx.db.get("advisorProfiles", profileId);
    if (profile === null || profile.status !== "approved") return { page: [], isDone: true, continueCursor: "" };
    const result = await stream(ctx.db, schema)
      .query("reviews")
      .withIndex("by_advisor", (q) => q.eq("advisorId", profile.userId))
      .order("desc")
      .filterWith(async (r) => r.hiddenAt === undefined)
      .paginate({ ...paginationOpts, numItems: Math.min(paginationOpts.numItems, 50), maximumRowsRead: 500 });
    const page = await Promise.all(
      result.page.map(async (r) => {
        const client = await ctx.db.get("users", r.clientId);
        return {
          _id: r._id,
          rating: r.rating,
          comment: r.comment,
          createdAt: r.createdAt,
          reply: r.reply ?? null,
          repliedAt: r.repliedAt ?? null,
          reviewerName: client === null ? "Former client" : (client.name.split(/\s+/)[0] ?? "Client"),
        };
      }),
    );
    return { ...result, page };
  },
});
