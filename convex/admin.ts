import { v } from "convex/values";
import { query } from "./functions";
import { dashboardStats } from "./model/adminStats";
import { countOrScan } from "./model/counts";

const COUNT_LIMIT = 10_000;

/** Headline counts (users by role, live activity): maintained counters, or capped scans until their backfill is done. */
export const overview = query({
  permission: "admin:dashboard",
  args: {},
  handler: async (ctx) => {
    const [clients, advisors, admins, advisorsOnline, activeSessions] = await Promise.all([
      countOrScan(ctx, "users", "users.role.client", () =>
        ctx.db
          .query("users")
          .withIndex("by_role", (q) => q.eq("role", "client"))
          .take(COUNT_LIMIT),
      ),
      countOrScan(ctx, "users", "users.role.advisor", () =>
        ctx.db
          .query("users")
          .withIndex("by_role", (q) => q.eq("role", "advisor"))
          .take(COUNT_LIMIT),
      ),
      countOrScan(ctx, "users", "users.role.admin", () =>
        ctx.db
          .query("users")
          .withIndex("by_role", (q) => q.eq("role", "admin"))
          .take(COUNT_LIMIT),
      ),
      countOrScan(ctx, "advisorProfiles", "advisors.online", () =>
        ctx.db
          .query("advisorProfiles")
          .withIndex("by_status_online", (q) => q.eq("status", "approved").eq("online", true))
          .take(COUNT_LIMIT),
      ),
      countOrScan(ctx, "sessions", "sessions.active", () =>
        ctx.db
          .query("sessions")
          .withIndex("by_status", (q) => q.eq("status", "active"))
          .take(COUNT_LIMIT),
      ),
    ]);
    return { clients, advisors, admins, advisorsOnline, activeSessions };
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
