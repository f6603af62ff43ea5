// Risk hold (issue 19): an optional rolling reserve per advisor. Off by default; an admin switches it on for
// one advisor with a reason (audited). While on, each earning releases all but `reserveBps` of itself when
// its hold ends; that part stays in advisor_pending for `holdDays` more days, then is released on its own.
import { makeFunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { bpsOf } from "../../lib/money";
import { fail } from "./errors";
import { postEvent } from "./ledgerEvents";
import { writeAudit } from "./users";

const DAY_MS = 24 * 60 * 60_000;
export const RISK_HOLD_LIMITS = { maxReserveBps: 5_000, maxHoldDays: 180 } as const;
const releaseReserveRef = makeFunctionReference<"mutation", { earningId: Id<"earnings"> }>("riskHolds:releaseReserve");

export async function riskHoldOf(ctx: QueryCtx, advisorId: Id<"users">): Promise<Doc<"riskHolds"> | null> {
  return await ctx.db
    .query("riskHolds")
    .withIndex("by_advisor", (q) => q.eq("advisorId", advisorId))
    .first();
}

export async function setRiskHold(
  ctx: MutationCtx,
  admin: Doc<"users">,
  input: { advisorId: Id<"users">; active: boolean; reserveBps: number; holdDays: number; reason: string },
): Promise<void> {
  const advisor = await ctx.db.get("users", input.advisorId);
  if (advisor === null || advisor.role !== "advisor") fail("NOT_FOUND", "That advisor does not exist.");
  if (
    !Number.isSafeInteger(input.reserveBps) ||
    input.reserveBps < 1 ||
    input.reserveBps > RISK_HOLD_LIMITS.maxReserveBps
  ) {
    fail("INVALID_ARGUMENT", "The reserve must be between 0.01% and 50% (1 to 5,000 basis points).");
  }
  if (!Number.isSafeInteger(input.holdDays) || input.holdDays < 1 || input.holdDays > RISK_HOLD_LIMITS.maxHoldDays) {
    fail("INVALID_ARGUMENT", `Hold the reserve for 1 to ${RISK_HOLD_LIMITS.maxHoldDays} days.`);
  }
  const reason = input.reason.trim();
  if (reason.length < 3 || reason.length > 500) fail("INVALID_ARGUMENT", "Give a reason (3–500 characters).");
  const existing = await riskHoldOf(ctx, input.advisorId);
  const row = {
    advisorId: input.advisorId,
    active: input.active,
    reserveBps: input.reserveBps,
    holdDays: input.holdDays,
    reason,
    setBy: admin._id,
    updatedAt: Date.now(),
  };
  if (existing === null) await ctx.db.insert("riskHolds", row);
  else await ctx.db.replace("riskHolds", existing._id, row);
  await writeAudit(ctx, {
    actorId: admin._id,
    action: input.active ? "advisor.risk_hold_on" : "advisor.risk_hold_off",
    targetTable: "users",
    targetId: input.advisorId,
    details: JSON.stringify({
      before: existing
        ? { active: existing.active, reserveBps: existing.reserveBps, holdDays: existing.holdDays }
        : null,
      after: { active: input.active, reserveBps: input.reserveBps, holdDays: input.holdDays },
      reason,
    }),
  });
}

/**
 * At an earning's release: the part to keep back (0 without an active hold). Records it on the earning and
 * schedules its own release; the caller releases the rest.
 */
export async function reserveAtRelease(
  ctx: MutationCtx,
  earning: Doc<"earnings">,
  amountCents: number,
  now: number,
): Promise<number> {
  const hold = await riskHoldOf(ctx, earning.advisorId);
  if (hold === null || !hold.active || amountCents <= 0) return 0;
  const reserveCents = bpsOf(amountCents, hold.reserveBps);
  if (reserveCents <= 0) return 0;
  const reserveReleaseAt = now + hold.holdDays * DAY_MS;
  await ctx.db.patch("earnings", earning._id, { reserveCents, reserveReleaseAt });
  await ctx.scheduler.runAt(reserveReleaseAt, releaseReserveRef, { earningId: earning._id });
  return reserveCents;
}

/** The reserve's N days are over: advisor_pending -> advisor_available, once. */
export async function releaseReserve(ctx: MutationCtx, earningId: Id<"earnings">, now: number): Promise<boolean> {
  const earning = await ctx.db.get("earnings", earningId);
  if (
    earning === null ||
    !earning.reserveCents ||
    earning.reserveJournalId !== undefined ||
    (earning.reserveReleaseAt ?? Infinity) > now
  )
    return false;
  const { journalId } = await postEvent(ctx, {
    event: { kind: "earnings_released", advisorId: earning.advisorId, amountCents: earning.reserveCents },
    idempotencyKey: `earning:${earningId}:reserve`,
    refs: { sessionId: earning.sessionId },
    memo: "rolling reserve released",
    createdAt: now,
  });
  await ctx.db.patch("earnings", earningId, { reserveJournalId: journalId });
  return true;
}
