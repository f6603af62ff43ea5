// Platform switches admins can flip. The new-client offer (first 3 minutes of a client's first session
// paid by the platform's promotions account) is off by default.
import { v } from "convex/values";
import { mutation, query } from "./functions";
import { newClientOfferEnabled } from "./model/sessions";
import { writeAudit } from "./model/users";

export const get = query({
  permission: "admin:billing",
  args: {},
  handler: async (ctx) => ({ newClientOffer: await newClientOfferEnabled(ctx) }),
});

export const setNewClientOffer = mutation({
  permission: "admin:billing",
  args: { enabled: v.boolean() },
  handler: async (ctx, { enabled }) => {
    const row = await ctx.db
      .query("platformSettings")
      .withIndex("by_key", (q) => q.eq("key", "newClientOffer"))
      .unique();
    const before = row?.enabled ?? false;
    if (before === enabled) return;
    const patch = { enabled, updatedBy: ctx.viewer._id, updatedAt: Date.now() };
    if (row === null) await ctx.db.insert("platformSettings", { key: "newClientOffer", ...patch });
    else await ctx.db.patch("platformSettings", row._id, patch);
    await writeAudit(ctx, {
      actorId: ctx.viewer._id,
      action: enabled ? "settings.new_client_offer_on" : "settings.new_client_offer_off",
      targetTable: "platformSettings",
      targetId: "newClientOffer",
      details: `${before} -> ${enabled}`,
    });
  },
});
