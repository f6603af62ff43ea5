// Payout controls (issue 19): four-eyes over the 24 h sum of an advisor's withdrawals, payouts held (not
// failed) while the platform reserve is critical, and the transfer success rate (target > 95%).
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { formatMoney } from "../../lib/money";
import type { PayoutStatus } from "../../lib/payouts";
import { raiseAlert } from "./ledger";
import { enqueue } from "./outbox";
import { notify } from "./notifications";

const DAY_MS = 24 * 60 * 60_000;
/** Most of an advisor's payout requests of the last 24 h that one check reads. */
export const RECENT_PAYOUTS_READ = 200;
/** Below this share of payouts paid (7 days) an alert fires. */
export const PAYOUT_SUCCESS_TARGET_BPS = 9500;
const NOT_COUNTED: ReadonlySet<PayoutStatus> = new Set(["rejected", "cancelled", "failed", "dead_lettered"]);

export const HELD_REASON =
  "Our payment reserve is below its minimum, so new withdrawals wait (they are not failed) until it recovers.";

/** The reserve as of the latest reconciliation snapshot. */
export async function reserveIsCritical(ctx: QueryCtx): Promise<boolean> {
  const latest = await ctx.db.query("reserveSnapshots").withIndex("by_day").order("desc").first();
  return latest?.status === "critical";
}

/**
 * What a new request becomes: `held` while the reserve is critical; `awaiting_approval` when this one plus the
 * advisor's other withdrawals of the last 24 h exceed the threshold (so splitting a large one does not skip
 * the second pair of eyes); else `queued`.
 */
export async function payoutGate(
  ctx: QueryCtx,
  advisorId: Id<"users">,
  amountCents: number,
  now: number,
  thresholdCents: number,
): Promise<{ status: PayoutStatus; heldReason?: string }> {
  if (await reserveIsCritical(ctx)) return { status: "held", heldReason: HELD_REASON };
  const recent = await ctx.db
    .query("payouts")
    .withIndex("by_advisor", (q) => q.eq("advisorId", advisorId).gte("requestedAt", now - DAY_MS))
    .take(RECENT_PAYOUTS_READ);
  const recentCents = recent.reduce((sum, p) => sum + (NOT_COUNTED.has(p.status) ? 0 : p.amountCents), 0);
  // More requests in 24 h than one read takes: their sum is unknown, so a second pair of eyes decides.
  const overThreshold = recent.length === RECENT_PAYOUTS_READ || recentCents + amountCents > thresholdCents;
  return { status: overThreshold ? "awaiting_approval" : "queued" };
}

/** After a reconciliation: once the reserve is no longer critical, held payouts go on (oldest first). */
export async function releaseHeldPayouts(ctx: MutationCtx, limit = 50): Promise<number> {
  if (await reserveIsCritical(ctx)) return 0;
  const held = await ctx.db
    .query("payouts")
    .withIndex("by_status", (q) => q.eq("status", "held"))
    .take(limit);
  for (const payout of held) {
    await ctx.db.patch("payouts", payout._id, { status: "queued", heldReason: undefined, updatedAt: Date.now() });
    await enqueue(ctx, "payout_transfer", payout._id);
    await notify(ctx, payout.advisorId, {
      kind: "payout_released",
      title: `Your withdrawal of ${formatMoney(payout.amountCents)} is on its way`,
      body: "It was held while our reserve was low; it is being sent now.",
      href: "/advisor-dashboard/payouts",
    });
  }
  return held.length;
}

export type PayoutHealthWindow = { days: number; paid: number; failed: number; successRateBps: number | null };

async function windowHealth(ctx: QueryCtx, days: number, now: number): Promise<PayoutHealthWindow> {
  const since = now - days * DAY_MS;
  const count = async (status: PayoutStatus) =>
    (
      await ctx.db
        .query("payouts")
        .withIndex("by_status", (q) => q.eq("status", status).gte("requestedAt", since))
        .take(10_000)
    ).length;
  const paid = await count("paid");
  const failed = (await count("failed")) + (await count("dead_lettered"));
  return {
    days,
    paid,
    failed,
    successRateBps: paid + failed === 0 ? null : Math.floor((paid * 10_000) / (paid + failed)),
  };
}

/** Transfer success rate over 7 and 30 days (paid / (paid + failed + dead-lettered); rejections are not failures). */
export async function payoutHealth(ctx: QueryCtx, now: number) {
  const [week, month] = [await windowHealth(ctx, 7, now), await windowHealth(ctx, 30, now)];
  const held = await ctx.db
    .query("payouts")
    .withIndex("by_status", (q) => q.eq("status", "held"))
    .take(1000);
  return {
    week,
    month,
    targetBps: PAYOUT_SUCCESS_TARGET_BPS,
    belowTarget: week.successRateBps !== null && week.successRateBps < PAYOUT_SUCCESS_TARGET_BPS,
    reserveCritical: await reserveIsCritical(ctx),
    heldCount: held.length,
    heldReason: held.length > 0 ? HELD_REASON : null,
  };
}

/** Daily (cron) and after each failed payout: alert once a day while the 7-day rate is below 95%. */
export async function checkPayoutHealth(ctx: MutationCtx, now: number): Promise<boolean> {
  const health = await payoutHealth(ctx, now);
  if (!health.belowTarget) return false;
  const day = new Date(now).toISOString().slice(0, 10);
  const existing = await ctx.db
    .query("alerts")
    .withIndex("by_kind", (q) => q.eq("kind", "payout_success_rate").gte("createdAt", now - DAY_MS))
    .first();
  if (existing !== null) return false;
  const pct = (health.week.successRateBps! / 100).toFixed(2);
  await raiseAlert(ctx, {
    kind: "payout_success_rate",
    severity: "critical",
    message: `Payout success rate over 7 days is ${pct}% (${health.week.paid} paid, ${health.week.failed} failed), below the 95% target.`,
    details: JSON.stringify({ day, week: health.week, month: health.month }),
  });
  return true;
}

export type { Doc };
