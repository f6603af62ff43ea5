import { internal } from "../../convex/_generated/api";
import type { Doc, Id } from "../../convex/_generated/dataModel";
import type { WithoutSystemFields } from "convex/server";
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
 * The document of an ended chat session (fee 10%, built-in provider, ended by the client), not settled: it ran
 * `billableSeconds` (default 600) up to `endedAt` after ringing for a minute.
 */
export function endedSessionDoc(
  ids: { clientId: Id<"users">; advisorId: Id<"users"> },
  opts: {
    endedAt: number;
    rateCentsPerMinute: number;
    costCents: number;
    promoCents?: number;
    billableSeconds?: number;
  },
): WithoutSystemFields<Doc<"sessions">> {
  const { endedAt, costCents } = opts;
  const billableSeconds = opts.billableSeconds ?? 600;
  const startedAt = endedAt - billableSeconds * 1000;
  const { feeCents, shareCents } = feeSplit(costCents, 1000);
  return {
    ...ids,
    kind: "chat",
    status: "ended",
    rateCentsPerMinute: opts.rateCentsPerMinute,
    feeBps: 1000,
    freeSeconds: 0,
    requestedAt: startedAt - 60_000,
    expiresAt: endedAt,
    startedAt,
    segments: [{ startedAt, endedAt }],
    endedAt,
    endReason: "client_ended",
    billableSeconds,
    costCents,
    promoCents: opts.promoCents ?? 0,
    feeCents,
    shareCents,
    provider: "builtin",
  };
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
    ctx.db.insert(
      "sessions",
      endedSessionDoc(ids, { endedAt, rateCentsPerMinute: 50, costCents, billableSeconds: 1_800 }),
    ),
  );
  const [settled] = await t.mutation(internal.ledger.postEvents, {
    items: [
      {
        event: { kind: "session_settled", ...ids, costCents, feeCents },
        idempotencyKey: `settle:${sessionId}`,
        refs: { sessionId },
      },
    ],
  });
  const earningId = await t.run(async (ctx) =>
    ctx.db.insert("earnings", {
      advisorId: ids.advisorId,
      sessionId,
      grossCents: costCents,
      feeCents,
      netCents: shareCents,
      feeBps: 1000,
      status: "pending",
      settledAt: endedAt,
      availableAt: Date.now() + 24 * HOUR,
      settlementJournalId: settled!.journalId,
    }),
  );
  if (opts.release) {
    await t.run(async (ctx) => ctx.db.patch("earnings", earningId, { availableAt: Date.now() }));
    await t.mutation(internal.earnings.release, { earningId });
  }
  return { sessionId, earningId };
}
