// A mutation limited by the @convex-dev/rate-limiter component (tests/local-backend/components.test.ts).
import { RateLimiter, MINUTE } from "@convex-dev/rate-limiter";
import { ConvexError, v } from "convex/values";
import { components } from "./_generated/api";
import { mutation, query } from "./_generated/server";

const limiter = new RateLimiter(components.rateLimiter, {
  post: { kind: "token bucket", rate: 3, period: MINUTE, capacity: 3 },
});

/** Spends a token, then writes a post; `fail: true` throws after both (everything rolls back). */
export const post = mutation({
  args: { author: v.string(), body: v.string(), fail: v.optional(v.boolean()) },
  handler: async (ctx, { author, body, fail }) => {
    const { ok, retryAfter } = await limiter.limit(ctx, "post", { key: author });
    if (!ok) throw new ConvexError({ code: "RATE_LIMITED", retryAfterMs: retryAfter });
    await ctx.db.insert("posts", { author, body });
    if (fail) throw new Error("failed after writing");
    return null;
  },
});

/** Tokens left for an author (reads the component's state through its query). */
export const tokensLeft = query({
  args: { author: v.string() },
  handler: async (ctx, { author }) => {
    const { value } = await limiter.getValue(ctx, "post", { key: author });
    return Math.floor(value);
  },
});

export const posts = query({
  args: { author: v.string() },
  handler: async (ctx, { author }) =>
    (
      await ctx.db
        .query("posts")
        .withIndex("by_author", (q) => q.eq("author", author))
        .collect()
    ).length,
});
