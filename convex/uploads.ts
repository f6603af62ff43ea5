// Upload housekeeping (cron): unattached uploads are deleted after 24 h. Ownership lives in convex/model/uploads.ts.
import { internalMutation } from "./functions";
import { sweepUnattached } from "./model/uploads";

export const sweepUnattachedUploads = internalMutation({
  args: {},
  handler: async (ctx) => await sweepUnattached(ctx, Date.now()),
});
