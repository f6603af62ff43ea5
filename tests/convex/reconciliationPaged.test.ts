/// <reference types="vite/client" />
// The paged reconciliation (issue 25): a run cut into one page per action (sliceMs 0, continued by scheduled
// actions carrying its sums) records exactly what a one-action run records; one run at a time; the admin's
// "Reconcile now" is a background job the page follows (queued, running, failed, done).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { setProcessorBalanceForTests } from "../../convex/model/ops";
import { setCreditLimit } from "../../convex/model/ledger";
import { RATE_LIMIT_TABLE } from "../../convex/model/rateLimits";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";

const admin = localIdentity("admin1");
type RunArgs = { trigger: "cron"; accountsPerPage: number; sliceMs?: number };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 10, 21, 12));
  setProcessorBalanceForTests({ mode: "test", retrieveBalanceCents: async () => 61_234 });
});
afterEach(() => {
  setProcessorBalanceForTests(null);
  vi.useRealTimers();
});

/** Seven clients and three advisors: top-ups, sessions, a refund, a chargeback, releases, a payout, credit in use. */
async function setup() {
  const t = newTest();
  await insertUser(t, "admin1", "admin");
  const clients: Id<"users">[] = [];
  for (let i = 0; i < 7; i++) clients.push(await insertUser(t, `client${i}`, "client"));
  const advisors: Id<"users">[] = [];
  for (let i = 0; i < 3; i++) advisors.push(await insertUser(t, `advisor${i}`, "advisor"));
  await t.run(async (ctx) => await setCreditLimit(ctx, clients[6]!, 5_000));
  const items: { event: Record<string, unknown>; idempotencyKey: string }[] = [];
  clients
    .slice(0, 6)
    .forEach((clientId, i) =>
      items.push({ event: { kind: "top_up", clientId, amountCents: 10_000 + i * 111 }, idempotencyKey: `top:${i}` }),
    );
  clients.forEach((clientId, i) =>
    items.push({
      event: {
        kind: "session_settled",
        clientId,
        advisorId: advisors[i % 3]!,
        costCents: i === 6 ? 4_500 : 3_000 + i,
        feeCents: 300,
      },
      idempotencyKey: `settle:${i}`,
    }),
  );
  items.push(
    {
      event: {
        kind: "session_refunded",
        clientId: clients[0]!,
        advisorId: advisors[0]!,
        refundCents: 1_000,
        shareCents: 900,
        feeCents: 100,
        source: "pending",
      },
      idempotencyKey: "refund:0",
    },
    {
      event: { kind: "chargeback_opened", clientId: clients[1]!, amountCents: 5_000, feeCents: 1_500 },
      idempotencyKey: "cb:1",
    },
    { event: { kind: "earnings_released", advisorId: advisors[1]!, amountCents: 2_000 }, idempotencyKey: "rel:1" },
    { event: { kind: "payout_requested", advisorId: advisors[1]!, amountCents: 1_500 }, idempotencyKey: "po:1" },
    { event: { kind: "payout_paid", advisorId: advisors[1]!, amountCents: 1_500 }, idempotencyKey: "paid:1" },
    { event: { kind: "earnings_released", advisorId: advisors[2]!, amountCents: 1_000 }, idempotencyKey: "rel:2" },
  );
  await t.mutation(internal.ledger.postEvents, { items: items as never });
  return { t, clients, advisors };
}

/** What a run leaves behind: its row, the day's reserve snapshot, the cron's credit-limit alert. */
async function recorded(t: Test, runId: Id<"reconciliationRuns">) {
  return await t.run(async (ctx) => {
    const run = (await ctx.db.get("reconciliationRuns", runId))!;
    const snapshot = (await ctx.db.query("reserveSnapshots").collect()).at(-1)!;
    const alert = (await ctx.db.query("alerts").collect()).filter((a) => a.kind === "credit_limit_near").at(-1);
    return {
      run: {
        ok: run.ok,
        ledgerCashCents: run.ledgerCashCents,
        processorBalanceCents: run.processorBalanceCents,
        driftCents: run.driftCents,
        alerted: run.alerted,
        pages: run.pages,
      },
      snapshot: { ...snapshot, _id: undefined, _creationTime: undefined, createdAt: undefined },
      nearLimit: alert?.details,
    };
  });
}

async function pendingRun(t: Test) {
  return await t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect())
      .filter((j) => j.name.startsWith("opsNode") && j.state.kind === "pending")
      .at(-1),
  );
}

describe("paged reconciliation", () => {
  it("one page per action records exactly what one action records", async () => {
    const { t } = await setup();
    const whole = (await t.action(internal.opsNode.runReconciliation, { trigger: "cron", accountsPerPage: 2 }))!;
    expect(whole).not.toBeNull();
    const expected = await recorded(t, whole.runId);
    // 7 wallets and the advisors' pending, available and in-transit accounts, two a page.
    expect(expected.run.pages).toBeGreaterThanOrEqual(7);
    expect(expected.snapshot.accountsCounted).toBeGreaterThanOrEqual(13);
    expect(expected.nearLimit).toContain("balanceCents");

    const sliced: RunArgs = { trigger: "cron", accountsPerPage: 2, sliceMs: 0 };
    let last = await t.action(internal.opsNode.runReconciliation, sliced);
    let actions = 1;
    while (last === null && actions < 100) {
      const job = await pendingRun(t);
      expect(job?.args[0]).toMatchObject({ sliceMs: 0, accountsPerPage: 2, resume: { pages: actions } });
      last = await t.action(internal.opsNode.runReconciliation, job!.args[0] as RunArgs);
      actions++;
    }
    expect(actions).toBe(expected.run.pages);
    expect(last!.runId).not.toBe(whole.runId);
    expect(await recorded(t, last!.runId)).toEqual(expected);
    expect(last).toMatchObject({ driftCents: whole.driftCents, alerted: whole.alerted, status: whole.status });
    // The run released its lock: nothing is left running.
    expect(await t.run(async (ctx) => await ctx.db.query("reconciliationLocks").collect())).toEqual([]);
  });

  it("never interleaves: a second start is refused while a run is going on, a cron tries again later", async () => {
    const { t } = await setup();
    const first = await t.action(internal.opsNode.runReconciliation, {
      trigger: "cron",
      accountsPerPage: 2,
      sliceMs: 0,
    });
    expect(first).toBeNull();
    const continuation = (await pendingRun(t))!;
    await expectAppError(t.withIdentity(admin).mutation(api.ops.reconcileNow, {}), "CONFLICT");
    // A second cron run neither sums nor records: it schedules itself ten minutes later.
    expect(await t.action(internal.opsNode.runReconciliation, { trigger: "cron" })).toBeNull();
    const retry = (await pendingRun(t))!;
    expect(retry._id).not.toBe(continuation._id);
    expect(retry.args[0]).toEqual({ trigger: "cron" });
    expect(retry.scheduledTime - Date.now()).toBe(10 * 60_000);
    expect(await t.run(async (ctx) => (await ctx.db.query("reconciliationRuns").collect()).length)).toBe(0);
    // The first run finishes (one run recorded, lock released); then an admin may start one.
    let last = null;
    let job = continuation;
    while (last === null) {
      last = await t.action(internal.opsNode.runReconciliation, job.args[0] as RunArgs);
      if (last === null) job = (await pendingRun(t))!;
    }
    expect(await t.run(async (ctx) => (await ctx.db.query("reconciliationRuns").collect()).length)).toBe(1);
    await t.withIdentity(admin).mutation(api.ops.reconcileNow, {});
  });

  it("Reconcile now: queued, running with its pages, failed when its slice is canceled, then done", async () => {
    const { t } = await setup();
    const as = t.withIdentity(admin);
    const request = await as.mutation(api.ops.reconcileNow, {});
    expect(await as.query(api.ops.reconcileRequest, request)).toMatchObject({ status: "queued", pages: 0, run: null });
    // Run its first slice by hand with one page per action (the scheduled one is canceled and replaced).
    const job = (await pendingRun(t))!;
    expect(job.args[0]).toMatchObject({ trigger: "manual", requestId: request.requestId });
    await t.run(async (ctx) => await ctx.scheduler.cancel(job._id));
    expect(
      await t.action(internal.opsNode.runReconciliation, {
        ...(job.args[0] as object),
        sliceMs: 0,
        accountsPerPage: 2,
      }),
    ).toBeNull();
    expect(await as.query(api.ops.reconcileRequest, request)).toMatchObject({ status: "running", pages: 1 });
    // Its continuation is canceled: the run is failed, and its lock no longer stops a new run.
    const next = (await pendingRun(t))!;
    await t.run(async (ctx) => await ctx.scheduler.cancel(next._id));
    expect(await as.query(api.ops.reconcileRequest, request)).toMatchObject({
      status: "failed",
      error: "The reconciliation was canceled.",
    });
    const again = await as.mutation(api.ops.reconcileNow, {});
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const done = await as.query(api.ops.reconcileRequest, again);
    expect(done.status).toBe("done");
    expect(done.run).toMatchObject({ trigger: "manual", requestId: again.requestId, processorBalanceCents: 61_234 });
    expect(await as.query(api.ops.reconcileRequest, request)).toMatchObject({ status: "failed" });
  });

  it("Reconcile now is rate limited per admin like Run now: a burst of 10, the eleventh waits", async () => {
    const { t } = await setup();
    const as = t.withIdentity(admin);
    expect(RATE_LIMIT_TABLE.reconciliationRun.burst).toBe(10);
    for (let i = 0; i < 10; i++) {
      await as.mutation(api.ops.reconcileNow, {});
      await t.finishAllScheduledFunctions(vi.runAllTimers);
    }
    await expectAppError(as.mutation(api.ops.reconcileNow, {}), "RATE_LIMITED");
    expect(await pendingRun(t)).toBeFalsy();
  });
});
