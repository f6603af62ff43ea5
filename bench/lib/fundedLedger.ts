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
