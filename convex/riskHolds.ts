// Risk hold (rolling reserve) per advisor, issue 19: admins switch it on or off with a reason (audited).
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./functions";
import { releaseReserve as releaseReserveModel, riskHoldOf, setRiskHold } from "./model/riskHolds";

export const get = query({
  permission: "admin:advisors",
  args: { advisorId: v.id("users") },
  handler: async (ctx, { advisorId }) => {
    const hold = await riskHoldOf(ctx, advisorId);
    return hold === null
      ? null
      : {
          active: hold.active,
          reserveBps: hold.reserveBps,
          holdDays: hold.holdDays,
          reason: hold.reason,
          updatedAt: hold.updatedAt,
        };
  },
});

export const set = mutation({
  permission: "admin:advisors",
  args: {
    advisorId: v.id("users"),
    active: v.boolean(),
    reserveBps: v.number(),
    holdDays: v.number(),
    reason: v.string(),
  },
  handler: async (ctx, args) => await setRiskHold(ctx, ctx.viewer, args),
});

/** Scheduled at an earning's reserve release time. */
export const releaseReserve = internalMutation({
  args: { earningId: v.id("earnings") },
  handler: async (ctx, { earningId }) => {
    await releaseReserveModel(ctx, earningId, Date.now());
  },
});
