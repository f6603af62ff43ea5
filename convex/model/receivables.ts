// What advisors owe the platform (a refund after their money was paid out, an overpayment) and the four
// ways it is settled: offset against the next releases (automatic), reversal of a recent processor transfer
// (through the outbox), a manual repayment recorded by an admin, or forgiven (the platform absorbs it).
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { formatMoney } from "../../lib/money";
import { fail } from "./errors";
import type { PaidFor } from "./funding";
import { postEvent } from "./ledgerEvents";

type Method = "offset" | "transfer_reversal" | "manual" | "forgiven";

export async function openReceivable(
  ctx: MutationCtx,
  input: PaidFor & {
    advisorId: Id<"users">;
    source: "refund" | "adjustment" | "chargeback";
    reason: string;
    amountCents: number;
  },
): Promise<Id<"receivables">> {
  return await ctx.db.insert("receivables", {
    ...input,
    remainingCents: input.amountCents,
    status: "open",
    settlements: [],
    createdAt: Date.now(),
  });
}

/** Posts one clawback settlement of `amountCents` against a receivable and records it. */
export async function settleReceivable(
  ctx: MutationCtx,
  receivable: Doc<"receivables">,
  input: { method: Method; amountCents: number; key: string; byUserId: Id<"users"> | null; at: number },
): Promise<void> {
  if (receivable.status !== "open") fail("CONFLICT", "This amount has already been settled.");
  const settleableCents = receivable.remainingCents - (receivable.reversalPendingCents ?? 0);
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0 || input.amountCents > settleableCents) {
    fail(
      "INVALID_ARGUMENT",
      settleableCents > 0
        ? `Settle between $0.01 and ${formatMoney(settleableCents)}.`
        : "A transfer reversal for this amount is in progress.",
    );
  }
  const { journalId } = await postEvent(ctx, {
    event: {
      kind: "clawback_settled",
      advisorId: receivable.advisorId,
      amountCents: input.amountCents,
      method: input.method,
    },
    idempotencyKey: `receivable:${receivable._id}:${input.key}`,
    refs: receivable.sessionId !== undefined ? { sessionId: receivable.sessionId } : {},
    actorId: input.byUserId,
    memo: `clawback ${input.method}`,
    createdAt: input.at,
  });
  const remainingCents = receivable.remainingCents - input.amountCents;
  await ctx.db.patch("receivables", receivable._id, {
    remainingCents,
    status: remainingCents === 0 ? "settled" : "open",
    settlements: [
      ...receivable.settlements,
      { method: input.method, amountCents: input.amountCents, at: input.at, journalId, byUserId: input.byUserId },
    ],
  });
}

/** At an earnings release: pays down the advisor's open receivables, oldest first. Returns cents used. */
export async function offsetReceivables(
  ctx: MutationCtx,
  advisorId: Id<"users">,
  availableCents: number,
  key: string,
  at: number,
): Promise<number> {
  const open = await ctx.db
    .query("receivables")
    .withIndex("by_advisor_status", (q) => q.eq("advisorId", advisorId).eq("status", "open"))
    .take(50);
  let used = 0;
  for (const receivable of open) {
    const amountCents = Math.min(
      receivable.remainingCents - (receivable.reversalPendingCents ?? 0),
      availableCents - used,
    );
    if (availableCents - used <= 0) break;
    if (amountCents <= 0) continue;
    await settleReceivable(ctx, receivable, {
      method: "offset",
      amountCents,
      key: `offset:${key}`,
      byUserId: null,
      at,
    });
    used += amountCents;
  }
  return used;
}

/** The processor reversed part of an advisor's transfer for a clawback: record it against the receivable. */
export async function settleClawbackReversal(
  ctx: MutationCtx,
  receivableId: Id<"receivables">,
  amountCents: number,
  outboxId: Id<"outbox">,
): Promise<void> {
  const receivable = await ctx.db.get("receivables", receivableId);
  if (receivable === null || receivable.status !== "open") return;
  await ctx.db.patch("receivables", receivableId, { reversalPendingCents: undefined });
  await settleReceivable(
    ctx,
    { ...receivable, reversalPendingCents: undefined },
    {
      method: "transfer_reversal",
      amountCents: Math.min(amountCents, receivable.remainingCents),
      key: `reversal:${outboxId}`,
      byUserId: null,
      at: Date.now(),
    },
  );
}
