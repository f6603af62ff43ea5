// Favourite advisors: a signed-in user stars approved advisors and sees them with live status.
import { v } from "convex/values";
import { mutation, query } from "./functions";
import { publicProfile } from "./model/advisors";
import { fail } from "./model/errors";

const MAX_FAVOURITES = 200;

export const add = mutation({
  permission: "favourites:manage_own",
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const profile = await ctx.db.get("advisorProfiles", profileId);
    if (profile === null || profile.status !== "approved") fail("NOT_FOUND", "That advisor is not listed.");
    if (profile.userId === ctx.viewer._id) fail("INVALID_ARGUMENT", "You cannot favourite yourself.");
    const clientId = ctx.viewer._id;
    const existing = await ctx.db
      .query("favourites")
      .withIndex("by_client_profile", (q) => q.eq("clientId", clientId).eq("profileId", profileId))
      .first();
    if (existing !== null) return null;
    const count = await ctx.db
      .query("favourites")
      .withIndex("by_client", (q) => q.eq("clientId", clientId))
      .take(MAX_FAVOURITES);
    if (count.length >= MAX_FAVOURITES) fail("CONFLICT", `You can keep at most ${MAX_FAVOURITES} favourites.`);
    await ctx.db.insert("favourites", { clientId, profileId, createdAt: Date.now() });
    return null;
  },
});

export const remove = mutation({
  permission: "favourites:manage_own",
  args: { profileId: v.id("advisorProfiles") },
  handler: async (ctx, { profileId }) => {
    const clientId = ctx.viewer._id;
    const existing = await ctx.db
      .query("favourites")
      .withIndex("by_client_profile", (q) => q.eq("clientId", clientId).eq("profileId", profileId))
      .first();
    if (existing !== null) await ctx.db.delete("favourites", existing._id);
    return null;
  },
});

/** The viewer's favourites, newest first, with live availability; unlisted advisors are marked. */
export const listMine = query({
  permission: "favourites:manage_own",
  args: {},
  handler: async (ctx) => {
    const clientId = ctx.viewer._id;
    const rows = await ctx.db
      .query("favourites")
      .withIndex("by_client", (q) => q.eq("clientId", clientId))
      .order("desc")
      .take(MAX_FAVOURITES);
    const out = [];
    for (const row of rows) {
      const profile = await ctx.db.get("advisorProfiles", row.profileId);
      if (profile === null || profile.status !== "approved") continue;
      out.push({ ...publicProfile(profile), favouritedAt: row.createdAt });
    }
    return out;
  },
});

/** Profile ids the viewer has starred (for the star buttons on cards). */
export const myIds = query({
  permission: "favourites:manage_own",
  args: {},
  handler: async (ctx) => {
    const clientId = ctx.viewer._id;
    const rows = await ctx.db
      .query("favourites")
      .withIndex("by_client", (q) => q.eq("clientId", clientId))
      .take(MAX_FAVOURITES);
    return rows.map((r) => r.profileId);
  },
});
