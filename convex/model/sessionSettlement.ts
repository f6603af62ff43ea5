// Ending a started session and settling it: the one place where a session's money moves (one journal, one
// earning, the top-ups it spent). The transitions before it live in ./sessions.ts.
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { billableSecondsAt, chargeFor, type Charge } from "../../lib/billingEngine";
import { formatMoney } from "../../lib/money";
import type { EndReason } from "../../lib/sessionUtils";
import { patchProfile, profileForUser, setInSession } from "./advisors";
import { createEarning } from "./earnings";
import { invariant, fail } from "./errors";
import { spendLots } from "./funding";
import { postEvent } from "./ledgerEvents";
import { notify } from "./notifications";
import { closeOpenSegmentAt, scheduleStreamSync } from "./sessionContact";
import { assertTransition, cancelJob, fundsLimitSeconds, logEvent, type Session } from "./sessions";
import { purgeSignals } from "./video";

type UserId = Id<"users">;

export type Settlement = Charge & { journalId: Id<"journals"> | null };

/**
 * Ends a started session and settles it: one journal (client wallet -> advisor pending + platform fees,
 * promotions for free time), one earning. Ending an ended session returns its settlement (idempotent).
 */
export async function endSession(
  ctx: MutationCtx,
  session: Session,
  reason: EndReason,
  actorId: UserId | null,
  at: number,
): Promise<Settlement> {
  if (session.status === "ended") return settlementOf(session);
  if (session.status === "requested")
    fail("CONFLICT", "This session has not started yet. Cancel or decline the request instead.");
  assertTransition(session, "ended");
  const closed = session.status === "active" ? await closeOpenSegmentAt(ctx, session, at) : null;
  const segments = closed?.segments ?? session.segments;
  const limit = await fundsLimitSeconds(ctx, session);
  const billableSeconds = Math.min(billableSecondsAt(segments, at), limit);
  const charge = chargeFor({
    rateCentsPerMinute: session.rateCentsPerMinute,
    feeBps: session.feeBps,
    billableSeconds,
    freeSeconds: session.freeSeconds,
  });
  let journalId: Id<"journals"> | null = null;
  if (charge.costCents > 0) {
    const posted = await postEvent(ctx, {
      event: {
        kind: "session_settled",
        clientId: session.clientId,
        advisorId: session.advisorId,
        costCents: charge.costCents,
        feeCents: charge.feeCents,
        promoCents: charge.promoCents,
      },
      idempotencyKey: `session:${session._id}:settlement`,
      refs: { sessionId: session._id },
      actorId,
      memo: `${session.kind} session, ${billableSeconds} s at ${formatMoney(session.rateCentsPerMinute)}/min`,
      createdAt: at,
    });
    journalId = posted.journalId;
    if (charge.shareCents > 0) await createEarning(ctx, { session, charge, journalId, at });
    // Which top-ups paid for it (FIFO), for chargeback recovery (convex/model/funding.ts).
    await spendLots(
      ctx,
      { sessionId: session._id, clientId: session.clientId, advisorId: session.advisorId },
      {
        walletDebitCents: charge.costCents - charge.promoCents,
        shareCents: charge.shareCents,
        feeCents: charge.feeCents,
      },
      at,
    );
  }
  await cancelJob(ctx, session.fundsJobId);
  await cancelJob(ctx, session.pauseJobId);
  await ctx.db.patch("sessions", session._id, {
    status: "ended",
    segments,
    unbilledContactMs: (session.unbilledContactMs ?? 0) + (closed?.close.unbilledMs ?? 0),
    endedAt: at,
    endReason: reason,
    endedBy: actorId,
    pausedAt: undefined,
    pauseReason: undefined,
    fundsJobId: undefined,
    pauseJobId: undefined,
    billableSeconds: charge.billableSeconds,
    costCents: charge.costCents,
    promoCents: charge.promoCents,
    feeCents: charge.feeCents,
    shareCents: charge.shareCents,
    settlementJournalId: journalId ?? undefined,
  });
  await setInSession(ctx, session.advisorId, false);
  if (billableSeconds > 0) {
    const profile = await profileForUser(ctx, session.advisorId);
    if (profile !== null) await patchProfile(ctx, profile, { completedSessions: profile.completedSessions + 1 });
  }
  // Video signaling is only needed while live (at most 200 signals per side, so two batches clear it).
  if (session.kind === "video" && (await purgeSignals(ctx, session._id)).more) await purgeSignals(ctx, session._id);
  await logEvent(ctx, session._id, "ended", actorId, at, reason);
  await scheduleStreamSync(ctx, session);
  for (const userId of [session.clientId, session.advisorId])
    await notify(ctx, userId, {
      kind: "session_ended",
      title: `Your ${session.kind} session has ended`,
      body: `${charge.billableSeconds} s billed. The receipt is ready.`,
      href: `/session/${session._id}/receipt`,
    });
  return { ...charge, journalId };
}

export function settlementOf(session: Session): Settlement {
  invariant(session.status === "ended", "settlementOf needs an ended session");
  return {
    billableSeconds: session.billableSeconds ?? 0,
    freeSeconds: Math.min(session.freeSeconds, session.billableSeconds ?? 0),
    costCents: session.costCents ?? 0,
    promoCents: session.promoCents ?? 0,
    clientCents: (session.costCents ?? 0) - (session.promoCents ?? 0),
    feeCents: session.feeCents ?? 0,
    shareCents: session.shareCents ?? 0,
    journalId: session.settlementJournalId ?? null,
  };
}
