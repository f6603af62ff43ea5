import { v } from "convex/values";
import { query } from "./functions";
import { dashboardStats } from "./model/adminStats";

const COUNT_LIMIT = 10_000;

/** Headline counts (users by role, live activity). */
export const overview = query({
  permission: "admin:dashboard",
  args: {},
  handler: async (ctx) => {
    const [clients, advisors, admins, onlineAdvisors, liveSessions] = await Promise.all([
      ctx.db
        .query("users")
        .withIndex("by_role", (q) => q.eq("role", "client"))
        .take(COUNT_LIMIT),
      ctx.db
        .query("users")
        .withIndex("by_role", (q) => q.eq("role", "advisor"))
        .take(COUNT_LIMIT),
      ctx.db
        .query("users")
        .withIndex("by_role", (q) => q.eq("role", "admin"))
        .take(COUNT_LIMIT),
      ctx.db
        .query("advisorProfiles")
        .withIndex("by_status_online", (q) => q.eq("status", "approved").eq("online", true))
        .take(COUNT_LIMIT),
      ctx.db
        .query("sessions")
        .withIndex("by_status", (q) => q.eq("status", "active"))
        .take(COUNT_LIMIT),
    ]);
    return {
      clients: clients.length,
      advisors: advisors.length,
      admins: admins.length,
      advisorsOnline: onlineAdvisors.length,
      activeSessions: liveSessions.length,
    };
  },
});

/**
 * The admin dashboard: live counts, today's and this month's money figures and the last 30 days by day.
 * `today` is the viewer's calendar day (YYYY-MM-DD) and `tz` their IANA time zone (or, older clients,
 * `tzOffsetMinutes` east of UTC); the client passes them so the query stays deterministic (and re-subscribes
 * when the day changes). Figures come from the maintained rollups: exact at any volume.
 */
export const dashboard = query({
  permission: "admin:dashboard",
  args: { today: v.string(), tzOffsetMinutes: v.optional(v.number()), tz: v.optional(v.string()) },
  handler: async (ctx, args) => await dashboardStats(ctx, args),
});
