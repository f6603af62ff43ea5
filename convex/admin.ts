import { query } from "./functions";

const COUNT_LIMIT = 10_000;

/** Headline counts for the admin dashboard. */
export const overview = query({
  permission: "admin:dashboard",
  args: {},
  handler: async (ctx) => {
    const [clients, advisors, admins, onlineAdvisors, liveSessions] = await Promise.all([
      ctx.db.query("users").withIndex("by_role", (q) => q.eq("role", "client")).take(COUNT_LIMIT),
      ctx.db.query("users").withIndex("by_role", (q) => q.eq("role", "advisor")).take(COUNT_LIMIT),
      ctx.db.query("users").withIndex("by_role", (q) => q.eq("role", "admin")).take(COUNT_LIMIT),
      ctx.db
        .query("advisorProfiles")
        .withIndex("by_status_online", (q) => q.eq("status", "approved").eq("online", true))
        .take(COUNT_LIMIT),
      ctx.db.query("sessions").withIndex("by_status", (q) => q.eq("status", "active")).take(COUNT_LIMIT),
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
