/**
 * The ledger benches' starting point: an in-process local backend with the demo seed and every approved advisor's
 * wallet funded, so each can pay for the bench's sessions. `engine` is passed in so a bench can run another
 * checkout's engine (bench/ledgerCost.ts, LEDGER_ROOT).
 */
import type * as Engine from "../../local/convex-backend/index";
import type { RAISED_LIMITS } from "../../local/convex-backend/limits";

export async function fundedLedgerBackend(
  engine: Pick<typeof Engine, "startLocalBackend">,
  o: { convexDir: string; dataDir: string; limits: typeof RAISED_LIMITS; keyPrefix: string },
) {
  const backend = await engine.startLocalBackend({
    convexDir: o.convexDir,
    dataDir: o.dataDir,
    port: 0,
    sitePort: 0,
    seedFunction: "seed:seedDemo",
    log: () => undefined,
    limits: o.limits,
  });
  const people = ((await backend.runFunction("advisorProfiles:listApproved", {})) as { userId: string }[]).map(
    (a) => a.userId,
  );
  await backend.runFunction("ledger:postEvents", {
    items: people.map((id) => ({
      event: { kind: "top_up", clientId: id, amountCents: 1_000_000_000 },
      idempotencyKey: `${o.keyPrefix}:fund:${id}`,
    })),
  });
  return { backend, people };
}

/**
 * The benches' load: `writers` concurrent callers, each posting `postings` session_settled journals ($1.00, $0.10 fee)
 * one at a time, writer w paying advisor w + 1 (distinct pairs where possible). Keys are `<keyPrefix>:<w>:<i>`.
 */
export async function postSettlements(
  backend: Pick<Engine.LocalBackend, "runFunction">,
  people: readonly string[],
  o: { writers: number; postings: number; keyPrefix: string },
): Promise<void> {
  await Promise.all(
    Array.from({ length: o.writers }, async (_, w) => {
      for (let i = 0; i < o.postings; i++)
        await backend.runFunction("ledger:postEvent", settlementArgs(people, w, `${o.keyPrefix}:${w}:${i}`));
    }),
  );
}

/** `ledger:postEvent`'s arguments for writer w's next settlement ($1.00, $0.10 fee; writer w pays advisor w + 1). */
export function settlementArgs(people: readonly string[], w: number, idempotencyKey: string) {
  return {
    event: {
      kind: "session_settled" as const,
      clientId: people[w % people.length]!,
      advisorId: people[(w + 1) % people.length]!,
      costCents: 100,
      feeCents: 10,
    },
    idempotencyKey,
  };
}
