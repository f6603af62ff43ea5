import { internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { feeSplit } from "../../lib/ledger/templates";
import { insertUser, newTest, type Test } from "./helpers";

const HOUR = 60 * 60_000;

/** A fresh test backend with client1 (a client) and advisor1 (an advisor). */
export async function clientAndAdvisor() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  const advisorId = await insertUser(t, "advisor1", "advisor");
  return { t, clientId, advisorId };
}

/**
 * An ended 30-minute chat session of `costCents` (rate 50, fee 10%), settled through the ledger, with its earning
 * (pending unless released). Ends an hour ago unless `endedAgoMs` says otherwise.
 */
export async function settledSession(
  t: Test,
  ids: { clientId: Id<"users">; advisorId: Id<"users"> },
  costCents: number,
  opts: { endedAgoMs?: number; release?: boolean } = {},
) {
  const endedAt = Date.now() - (opts.endedAgoMs ?? HOUR);
  const { feeCents, shareCents } = feeSplit(costCents, 1000);
  const sessionId = await t.run(async (ctx) =>
    ctx.db.insert("sessions", {
      ...ids,
      kind: "chat",
      status: "ended",
      rateCentsPerMinute: 50,
      feeBps: 1000,
      freeSeconds: 0,
      requestedAt: endedAt - 31 * 60_000,
      expiresAt: endedAt,
      startedAt: endedAt - 30 * 60_000,
      segments: [{ startedAt: endedAt - 30 * 60_000, endedAt }],
      endedAt,
      endReason: "client_ended",
      billableSeconds: 1_800,
      costCents,
      promoCents: 0,
      feeCents,
      shareCents,
      provider: "builtin",
    }),
  );
  const [settled] = await t.mutation(internal.ledger.postEvents, {
    items: [{ event: { kind: "session_settled", ...ids, costCents, feeCents }, idempotencyKey: `settle:${sessionId}`, refs: { sessionId } }],
  });
  const earningId = await t.run(async (ctx) =>
    ctx.db.insert("earnings", { advisorId: ids.advisorId, sessionId, grossCents: costCents, feeCents, netCents: shareCents, feeBps: 1000, status: "pending", settledAt: endedAt, availableAt: Date.now() + 24 * HOUR, settlementJournalId: settled!.journalId }),
  );
  if (opts.release) {
    await t.run(async (ctx) => ctx.db.patch("earnings", earningId, { availableAt: Date.now() }));
    await t.mutation(internal.earnings.release, { earningId });
  }
  return { sessionId, earningId };
}
