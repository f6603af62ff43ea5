// Advisor earnings (the dashboard and payouts build on these in a later issue).
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { internalMutation, query } from "./functions";
import { earningFigures, earningsSummary, releaseDue, releaseEarning } from "./model/earnings";
import { fail } from "./model/errors";
import { advisorBalances } from "./model/payouts";
import { resolveZone } from "../lib/days";

function zone(args: { tz?: string; tzOffsetMinutes?: number }): string {
  const tz = resolveZone(args);
  if (tz === null)
    fail("INVALID_ARGUMENT", "The time zone must be an IANA name (Europe/Paris) or whole minutes within ±14 hours.");
  return tz;
}

/** Live balances and totals for the advisor's earnings dashboard (GET /api/advisor/earnings returns the same). */
export const summary = query({
  permission: "advisor:earnings",
  args: { tzOffsetMinutes: v.optional(v.number()), tz: v.optional(v.string()) },
  handler: async (ctx, args) => ({
    ...(await advisorBalances(ctx, ctx.viewer._id)),
    ...(await earningsSummary(ctx, ctx.viewer._id, Date.now(), zone(args))),
  }),
});

/** One row per settled session: gross, fee (and the rate used), net, refunded part, kept, status. Newest first. */
export const list = query({
  permission: "advisor:earnings",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const page = await ctx.db
      .query("earnings")
      .withIndex("by_advisor", (q) => q.eq("advisorId", ctx.viewer._id))
      .order("desc")
      .paginate(paginationOpts);
    const rows = await Promise.all(
      page.page.map(async (e) => {
        const session = await ctx.db.get("sessions", e.sessionId);
        const client = session ? await ctx.db.get("users", session.clientId) : null;
        return {
          _id: e._id,
          sessionId: e.sessionId,
          settledAt: e.settledAt,
          availableAt: e.availableAt,
          kind: session?.kind ?? "chat",
          clientName: client?.name ?? "Former client",
          billableSeconds: session?.billableSeconds ?? 0,
          grossCents: e.grossCents,
          feeCents: e.feeCents,
          feeBps: e.feeBps,
          netCents: e.netCents,
          status: e.status,
          // What refunds took (at once, also while on hold) and what the advisor keeps.
          ...earningFigures(e),
        };
      }),
    );
    return { ...page, page: rows };
  },
});

/** Scheduled at settlement for the end of the hold period. */
export const release = internalMutation({
  args: { earningId: v.id("earnings") },
  handler: async (ctx, { earningId }) => {
    await releaseEarning(ctx, earningId, Date.now());
  },
});

/** Cron: catches any release whose scheduled run was missed. */
export const releaseDueEarnings = internalMutation({
  args: {},
  handler: async (ctx) => await releaseDue(ctx, Date.now()),
});
