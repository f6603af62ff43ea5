import { paginationOptsValidator } from "convex/server";
import { query } from "./functions";

/** The viewer's sessions as a client, newest first. */
export const listMine = query({
  permission: "sessions:read_own",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const page = await ctx.db
      .query("sessions")
      .withIndex("by_client", (q) => q.eq("clientId", ctx.viewer._id))
      .order("desc")
      .paginate(paginationOpts);
    const rows = await Promise.all(
      page.page.map(async (session) => {
        const advisor = await ctx.db.get("users", session.advisorId);
        return {
          _id: session._id,
          kind: session.kind,
          status: session.status,
          advisorName: advisor?.name ?? "Former advisor",
          advisorAvatarUrl: advisor?.avatarUrl ?? null,
          rateCentsPerMinute: session.rateCentsPerMinute,
          requestedAt: session.requestedAt,
          startedAt: session.startedAt ?? null,
          endedAt: session.endedAt ?? null,
          billableSeconds: session.billableSeconds ?? null,
          costCents: session.costCents ?? null,
        };
      }),
    );
    return { ...page, page: rows };
  },
});
