/**
 * Live-session benchmark.
 *   npx tsx bench/sessions.ts                      (≈ 1–2 minutes)
 *   BENCH_SESSIONS=200 npx tsx bench/sessions.ts   (fewer concurrent sessions in part 2)
 *
 * Part 1 — writes per session-minute. A real backend's clock cannot be fast-forwarded, so this part runs the
 * very same convex/ modules in-process on convex-test (as tests/convex/sessions.test.ts does) under a fake clock:
 * Date and setTimeout are replaced, scheduled jobs fire at their simulated times. Every database write the
 * functions make (insert / patch / replace / delete syscalls) and every scheduled job created, cancelled or run is
 * counted, grouped by table and job name. "Billing" is the session document, its event log, the ledger, earnings,
 * the advisor's profile counters and the expiry/funds/pause/earnings jobs; "liveness" is the heartbeat rows
 * (sessionParticipants) and the liveness-check job. Both sides heart-beat every SESSION_RULES.heartbeatIntervalMs (30 s).
 *
 * Part 2 — BENCH_SESSIONS (default 1,000) concurrent sessions on the local backend (local/convex-backend, a child
 * process, real HTTP, real clock). Every user signs in with a real RS256 JWT (the bench generates a key pair and
 * hands the backend its JWKS, exactly as scripts/dev.mjs does for the local sign-in), so every call runs as that
 * user through the public functions and their permission checks. Advisors go through the real onboarding flow
 * (application, document upload, submit, admin approval by demo-admin, go online); client wallets are funded with
 * `top_up` journals via the internal ledger:postEvents (admin key). Each pair then requests → accepts → heart-beats
 * → ends, all pairs at once. Afterwards ledger:runChecker must pass and every number must be exact: each session's
 * cost and split equal the billing engine's for its billable seconds, and the wallet, advisor-pending and
 * platform-fee balances moved by exactly the sum of those numbers.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { api } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import { SESSION_RULES, chargeFor } from "../lib/billingEngine";
import { loadComponents } from "../local/convex-backend/loader";
import { adminClient, balances, BENCH_ADMIN_KEY, pool, ref, setupPopulation, Signer, sumOf } from "./population";
import { partOne } from "./lib/sessionWrites";
import { pct, ROOT, startBenchBackend } from "./support";

const CONVEX_DIR = path.join(ROOT, "convex");
const SESSIONS = Math.max(1, Math.floor(Number(process.env.BENCH_SESSIONS ?? 1000)));
const HEARTBEAT_MS = SESSION_RULES.heartbeatIntervalMs;
const componentBuildDir = mkdtempSync(path.join(os.tmpdir(), "sessions-bench-components-"));
const components = await loadComponents(CONVEX_DIR, componentBuildDir);

const ms = (n: number) => `${n.toFixed(1)} ms`;
const pad = (s: string | number, n: number) => String(s).padStart(n);

// =============================================================================================
// Part 2: concurrent sessions on the local backend
// =============================================================================================

type Timed = { request: number[]; accept: number[]; end: number[] };

async function partTwo(): Promise<void> {
  const n = SESSIONS;
  console.log("");
  console.log(`Part 2 — ${n} concurrent sessions on the local backend (child process, HTTP, real clock, real JWTs)`);
  const signer = await Signer.create();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sessions-bench-"));
  let child: ChildProcess | null = null;
  try {
    const started = await startBenchBackend({
      dataDir,
      convexDir: CONVEX_DIR,
      seed: "seed:seedDemo",
      env: { LOCAL_CONVEX_ADMIN_KEY: BENCH_ADMIN_KEY, LOCAL_AUTH_JWKS: signer.jwksDataUri, STREAM_API_KEY: "" },
    });
    child = started.child;
    const url = started.url;
    const admin = adminClient(url);

    // ---- setup: users, onboarding, approval, funding --------------------------------------
    const setupStart = performance.now();
    const TOP_UP = 50_000;
    const { clients, advisors, adminUser } = await setupPopulation(url, signer, n, () => TOP_UP);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    console.log(
      `  setup: ${n} clients signed in and funded ($${TOP_UP / 100} each), ${n} advisors onboarded (profile, document upload, submit), ` +
        `approved by demo-admin and online — ${setupSeconds.toFixed(1)} s`,
    );
    const before = {
      wallets: await balances(adminUser, "client_wallet"),
      pending: await balances(adminUser, "advisor_pending"),
      fees: await balances(adminUser, "platform_fees"),
      promotions: await balances(adminUser, "promotions"),
    };
    const checkBefore = await admin.mutation(ref.runChecker, {});

    // ---- the sessions ---------------------------------------------------------------------
    const timed: Timed = { request: [], accept: [], end: [] };
    const results: { sessionId: string; billableSeconds: number; costCents: number; maxSeconds: number }[] = new Array(
      n,
    );
    let open = 0;
    let maxOpen = 0;
    let errors = 0;
    let heartbeats = 0;
    const holdMs = (i: number) => 3_000 + ((i * 7919) % 9_000); // 3–12 s of talk, spread over the pairs
    const phaseStart = performance.now();
    await Promise.all(
      clients.map(async (c, i) => {
        const a = advisors[i]!;
        try {
          let t0 = performance.now();
          const { sessionId } = (await c.convex.mutation(api.sessions.request, {
            advisorProfileId: a.profileId as Id<"advisorProfiles">,
            kind: "chat",
            rateCentsPerMinute: a.rateCentsPerMinute,
          })) as { sessionId: Id<"sessions"> };
          timed.request.push(performance.now() - t0);
          t0 = performance.now();
          const acceptSent = t0;
          await a.convex.mutation(api.sessions.accept, { sessionId });
          timed.accept.push(performance.now() - t0);
          maxOpen = Math.max(maxOpen, ++open);
          // Like the room: both sides heart-beat every HEARTBEAT_MS for as long as the session is open.
          let beating = true;
          const beat = async () => {
            while (beating) {
              const sent = performance.now();
              await Promise.all([
                c.convex.mutation(api.sessions.heartbeat, { sessionId }),
                a.convex.mutation(api.sessions.heartbeat, { sessionId }),
              ]);
              heartbeats += 2;
              await new Promise((r) => setTimeout(r, Math.max(0, HEARTBEAT_MS - (performance.now() - sent))));
            }
          };
          const beats = beat();
          await new Promise((r) => setTimeout(r, holdMs(i)));
          t0 = performance.now();
          const ender = i % 2 === 0 ? c.convex : a.convex;
          const settled = await ender.mutation(api.sessions.end, { sessionId });
          timed.end.push(performance.now() - t0);
          beating = false;
          await beats;
          open--;
          results[i] = { sessionId, ...settled, maxSeconds: Math.ceil((performance.now() - acceptSent) / 1000) };
        } catch (error) {
          errors++;
          if (errors <= 5) console.error(`  pair ${i}:`, error instanceof Error ? error.message : error);
        }
      }),
    );
    const phaseSeconds = (performance.now() - phaseStart) / 1000;

    // ---- verification ---------------------------------------------------------------------
    const check = await admin.mutation(ref.runChecker, {});
    let exact = 0;
    let wholeHold = 0;
    const mismatches: string[] = [];
    const sums = { clientCents: 0, promoCents: 0, feeCents: 0, shareCents: 0, costCents: 0, billableSeconds: 0 };
    const clientPaid = new Map<string, number>();
    const advisorShare = new Map<string, number>();
    await pool(
      results.map((r, i) => ({ r, i })),
      64,
      async ({ r, i }) => {
        if (r === undefined) return;
        const receipt = await advisors[i]!.convex.query(api.sessions.receipt, {
          sessionId: r.sessionId as Id<"sessions">,
        });
        const engine = chargeFor({
          rateCentsPerMinute: receipt.rateCentsPerMinute,
          feeBps: receipt.feeBps!,
          billableSeconds: receipt.billableSeconds,
          freeSeconds: receipt.freeSeconds,
        });
        const same =
          receipt.status === "ended" &&
          receipt.rateCentsPerMinute === advisors[i]!.rateCentsPerMinute &&
          receipt.billableSeconds === r.billableSeconds &&
          receipt.costCents === r.costCents &&
          engine.costCents === receipt.costCents &&
          engine.promoCents === receipt.promoCents &&
          engine.clientCents === receipt.clientCents &&
          engine.feeCents === receipt.feeCents &&
          engine.shareCents === receipt.shareCents;
        // Billing runs from accept to end on the server clock: at least the hold (whole seconds), at most the time
        // from sending accept to receiving end's answer.
        if (receipt.billableSeconds >= Math.floor(holdMs(i) / 1000) - 1 && receipt.billableSeconds <= r.maxSeconds)
          wholeHold++;
        if (same) exact++;
        else if (mismatches.length < 5)
          mismatches.push(
            `session ${r.sessionId}: receipt ${JSON.stringify(receipt)} engine ${JSON.stringify(engine)}`,
          );
        sums.clientCents += receipt.clientCents;
        sums.promoCents += receipt.promoCents;
        sums.feeCents += receipt.feeCents!;
        sums.shareCents += receipt.shareCents!;
        sums.costCents += receipt.costCents;
        sums.billableSeconds += receipt.billableSeconds;
        clientPaid.set(clients[i]!.id, receipt.clientCents);
        advisorShare.set(advisors[i]!.id, receipt.shareCents!);
      },
    );
    const after = {
      wallets: await balances(adminUser, "client_wallet"),
      pending: await balances(adminUser, "advisor_pending"),
      fees: await balances(adminUser, "platform_fees"),
      promotions: await balances(adminUser, "promotions"),
    };
    const total = sumOf;
    const walletDebits = total(before.wallets) - total(after.wallets);
    const pendingCredits = total(after.pending) - total(before.pending);
    const feeCredits = total(after.fees) - total(before.fees);
    const promoDebits = total(after.promotions) - total(before.promotions);
    let perClientExact = true;
    for (const c of clients) {
      if ((before.wallets.get(c.id) ?? 0) - (after.wallets.get(c.id) ?? 0) !== (clientPaid.get(c.id) ?? 0))
        perClientExact = false;
    }
    let perAdvisorExact = true;
    for (const a of advisors) {
      if ((after.pending.get(a.id) ?? 0) - (before.pending.get(a.id) ?? 0) !== (advisorShare.get(a.id) ?? 0))
        perAdvisorExact = false;
    }
    const totalsExact =
      walletDebits === sums.clientCents &&
      pendingCredits === sums.shareCents &&
      feeCredits === sums.feeCents &&
      promoDebits === sums.promoCents &&
      walletDebits + promoDebits === pendingCredits + feeCredits &&
      sums.costCents === sums.shareCents + sums.feeCents;

    for (const list of Object.values(timed)) list.sort((x: number, y: number) => x - y);
    const settledCount = results.filter((r) => r !== undefined).length;
    const calls = timed.request.length + timed.accept.length + timed.end.length;
    console.log(
      `  ${settledCount}/${n} sessions settled in ${phaseSeconds.toFixed(1)} s (each held 3–12 s, both sides heart-beating every ${HEARTBEAT_MS / 1000} s; up to ${maxOpen} running at once), ` +
        `${(settledCount / phaseSeconds).toFixed(1)} sessions/s, errors ${errors}`,
    );
    console.log("  call      |     n |      p50 |      p95 |      p99 |      max");
    for (const [label, list] of [
      ["request", timed.request],
      ["accept", timed.accept],
      ["end", timed.end],
    ] as const) {
      console.log(
        `  ${label.padEnd(9)} | ${pad(list.length, 5)} | ${pad(ms(pct(list, 50)), 8)} | ${pad(ms(pct(list, 95)), 8)} | ${pad(ms(pct(list, 99)), 8)} | ${pad(ms(list.at(-1) ?? NaN), 8)}`,
      );
    }
    console.log(
      `  ${calls} request/accept/end calls + ${heartbeats} heartbeats = ${((calls + heartbeats) / phaseSeconds).toFixed(0)} mutations/s; ` +
        `latency includes queueing: all ${n} requests are sent at once and the local backend runs mutations one at a time`,
    );
    const burst = timed.request.at(-1) ?? NaN;
    console.log(
      `  request burst: ${timed.request.length} requests answered within ${(burst / 1000).toFixed(2)} s = ${(timed.request.length / (burst / 1000)).toFixed(0)} requests/s`,
    );
    console.log(
      `  money: ${sums.billableSeconds} billable seconds, cost $${(sums.costCents / 100).toFixed(2)} = advisors $${(sums.shareCents / 100).toFixed(2)} + ` +
        `platform $${(sums.feeCents / 100).toFixed(2)}; wallets −$${(walletDebits / 100).toFixed(2)}, promotions $${(promoDebits / 100).toFixed(2)}`,
    );
    console.log(`  each session's cost and split = billing engine for its billable seconds: ${exact}/${settledCount}`);
    console.log(`  sessions billed between their hold and accept-sent→end-answered: ${wholeHold}/${settledCount}`);
    console.log(
      `  wallet debits + promotions = advisor pending + platform fees (ledger balances, before vs after): ${totalsExact ? "exact" : "MISMATCH"}`,
    );
    console.log(
      `  every client's wallet moved by its own session's charge: ${perClientExact ? "yes" : "NO"}; every advisor's pending by its share: ${perAdvisorExact ? "yes" : "NO"}`,
    );
    console.log(
      `  ledger:runChecker: ${check.ok ? "ok" : "FAILED"} (${check.journalsChecked} journals, ${check.journalsChecked - checkBefore.journalsChecked} new)` +
        (check.ok ? "" : ` — ${check.problems.slice(0, 3).join("; ")}`),
    );
    for (const m of mismatches) console.error(`  mismatch: ${m}`);
    if (
      !check.ok ||
      !checkBefore.ok ||
      errors > 0 ||
      exact !== n ||
      !totalsExact ||
      !perClientExact ||
      !perAdvisorExact
    )
      process.exitCode = 1;
  } finally {
    if (child !== null && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const t0 = performance.now();
await partOne(CONVEX_DIR, components);
await partTwo();
rmSync(componentBuildDir, { recursive: true, force: true });
console.log(`\nsessions bench done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(process.exitCode ?? 0);
