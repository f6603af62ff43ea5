// Refuses a session request to an advisor the client keeps requesting and cancelling (lib/requestCooldown.ts).
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { COOLDOWN_LOOKBACK_MS, cooldownMessage, cooldownUntil } from "../../lib/requestCooldown";
import { SESSION_RULES } from "../../lib/billingEngine";
import { fail } from "./errors";

/** Throws RATE_LIMITED with `retryAfterMs` while the client is cooling down for this advisor. */
export async function enforceRequestCooldown(
  ctx: MutationCtx,
  clientId: Id<"users">,
  profile: Doc<"advisorProfiles">,
  at: number,
): Promise<void> {
  // A request is cancelled within its ring time, so cancellations since the lookback come from requests made
  // since the lookback plus one ring. Bounded: the sessionRequest rate limit allows at most ~10 a minute.
  const recent = await ctx.db
    .query("sessions")
    .withIndex("by_client", (q) =>
      q.eq("clientId", clientId).gte("requestedAt", at - COOLDOWN_LOOKBACK_MS - SESSION_RULES.ringTimeoutMs),
    )
    .take(300);
  const cancelledAt = recent
    .filter((s) => s.advisorId === profile.userId && s.status === "cancelled")
    .map((s) => s.endedAt ?? s.requestedAt);
  const until = cooldownUntil(cancelledAt, at);
  if (until !== null)
    fail("RATE_LIMITED", cooldownMessage(profile.displayName, until - at), { retryAfterMs: until - at });
}
