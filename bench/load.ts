/**
 * Load run: BENCH_LOAD_SESSIONS (default 1,000) concurrent live sessions, both sides heart-beating every 10 s for
 * BENCH_LOAD_MINUTES (default 10) minutes, while a steady stream of top-ups (BENCH_LOAD_TOPUPS_PER_SECOND, default 2)
 * goes through the whole payment path. Everything runs on the local stack as separate processes, on the real clock:
 *   - local/convex-backend (the app's convex/ code, WebSocket sync + HTTP), and
 *   - local/stripe-processor (checkout, hosted pay page, signed webhooks back to /stripe/webhook).
 * Simulated users (this process) behave like the app's pages:
 *   - every client holds live subscriptions to its wallet (the header chip) and, once it has one, its session room;
 *     every advisor to its incoming requests and its session room (ConvexClient over WebSocket);
 *   - requests are spread over the first 20 s; an advisor accepts when the request shows up in its subscription;
 *   - both sides call sessions.heartbeat every 10 s; after BENCH_LOAD_MINUTES one side ends the session;
 *   - every advisor's app sends its availability heartbeat (presence.heartbeat) every 30 s;
 *   - top-ups: the client calls stripeNode.createTopUpCheckout (rate-limited, server-side amount), pays on the
 *     processor's hosted page with the test card, and waits for its wallet subscription to show the money.
 * Mutations go over HTTP (ConvexHttpClient) so their latency is the server round trip alone.
 *
 * Reported: mutation latency p50/p95/p99 per kind; subscription update latency (a write sent by one user → the
 * change visible in another user's live query; pay → wallet shows the money); committed writes per session-minute
 * from the backend's own counter (GET /api/local/write_stats); and the checks: ledger:runChecker, every session's
 * cost and split equal to the billing engine's, each wallet moved by exactly its top-ups minus its charge.
 *
 *   npm run bench -- load                                    (≈ 13 minutes)
 *   BENCH_LOAD_MINUTES=1 BENCH_LOAD_SESSIONS=200 npm run bench -- load    (a quick look)
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConvexClient } from "convex/browser";
import { api } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import { HEARTBEAT_INTERVAL_MS as PRESENCE_HEARTBEAT_INTERVAL_MS } from "../lib/advisors/rules";
import { SESSION_RULES } from "../lib/billingEngine";
import { adminClient, balances, BENCH_ADMIN_KEY, pool, ref, setupPopulation, Signer, sumOf } from "./population";
import {
  checkSessions,
  Live,
  liveClient,
  printWrites,
  Samples,
  startProcessor,
  STRIPE_SECRET,
  WEBHOOK_SECRET,
  writeStats,
  type Incoming,
  type Pair,
  type Presence,
  type Room,
  type Wallet,
} from "./lib/loadParts";
import { freePort, startBenchBackend, stopChild } from "./support";

const SESSIONS = Math.max(1, Math.floor(Number(process.env.BENCH_LOAD_SESSIONS ?? 1000)));
const MINUTES = Math.max(0.5, Number(process.env.BENCH_LOAD_MINUTES ?? 10));
const TOPUPS_PER_SECOND = Math.max(0, Number(process.env.BENCH_LOAD_TOPUPS_PER_SECOND ?? 2));
/** The room's session heartbeat and the advisor header's availability heartbeat, as the app sends them. */
const HEARTBEAT_MS = SESSION_RULES.heartbeatIntervalMs;
const PRESENCE_HEARTBEAT_MS = PRESENCE_HEARTBEAT_INTERVAL_MS;
const RAMP_MS = 20_000;
const SESSION_MS = MINUTES * 60_000;
const TOPUP_CENTS = 2_000;
const TOPUP_WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function main(): Promise<void> {
  const n = SESSIONS;
  console.log(
    `Load run — ${n} concurrent sessions × ${MINUTES} min, both sides heart-beating every ${HEARTBEAT_MS / 1000} s, ` +
      `${TOPUPS_PER_SECOND} top-ups/s through checkout + hosted pay page + signed webhook (${os.cpus().length} cpus, node ${process.version})`,
  );
  const signer = await Signer.create();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "load-bench-"));
  let backend: ChildProcess | null = null;
  let processor: ChildProcess | null = null;
  const liveClients: ConvexClient[] = [];
  try {
    const sitePort = await freePort();
    const processorPort = await freePort();
    processor = await startProcessor(
      path.join(dataDir, "stripe"),
      processorPort,
      `http://127.0.0.1:${sitePort}/stripe/webhook`,
    );
    const started = await startBenchBackend({
      dataDir: path.join(dataDir, "convex"),
      seed: "seed:seedDemo",
      sitePort,
      env: {
        LOCAL_CONVEX_ADMIN_KEY: BENCH_ADMIN_KEY,
        LOCAL_AUTH_JWKS: signer.jwksDataUri,
        STREAM_API_KEY: "",
        LOCAL_STRIPE_URL: `http://127.0.0.1:${processorPort}`,
        LOCAL_STRIPE_SECRET_KEY: STRIPE_SECRET,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    });
    backend = started.child;
    const url = started.url;
    const admin = adminClient(url);

    // ---- setup ------------------------------------------------------------------------------
    const setupStart = performance.now();
    // Enough for the whole run plus a minute, so no session pauses for funds; top-ups come on top.
    const fund = (rate: number) => Math.ceil(rate * (MINUTES + 1)) + 500;
    const { clients, advisors, adminUser } = await setupPopulation(url, signer, n, fund);
    const pairs: Pair[] = clients.map((client, i) => ({
      client,
      advisor: advisors[i]!,
      clientLive: liveClient(url, client.token),
      advisorLive: liveClient(url, advisors[i]!.token),
      wallet: new Live<Wallet>(),
      incoming: new Live<Incoming>(),
      clientRoom: new Live<Room>(),
      advisorRoom: new Live<Room>(),
      clientPresence: new Live<Presence>(),
      advisorPresence: new Live<Presence>(),
      sessionId: null,
      ended: false,
      topupsCents: 0,
      result: null,
      times: null,
    }));
    for (const p of pairs) {
      liveClients.push(p.clientLive, p.advisorLive);
      p.clientLive.onUpdate(api.wallet.getMyWallet, {}, (v) => p.wallet.push(v));
      p.advisorLive.onUpdate(api.sessions.incoming, {}, (v) => p.incoming.push(v));
    }
    await pool(pairs, 100, async (p) => {
      await p.wallet.when(() => true, 60_000);
      await p.incoming.when(() => true, 60_000);
    });
    console.log(
      `  setup: ${n} clients funded and ${n} advisors onboarded, approved and online; ${2 * n} WebSocket clients holding ` +
        `${2 * n} live queries (wallet, incoming requests; each session adds room and presence on both sides) — ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
    );
    const before = {
      wallets: await balances(adminUser, "client_wallet"),
      pending: await balances(adminUser, "advisor_pending"),
      fees: await balances(adminUser, "platform_fees"),
      cash: await balances(adminUser, "processor_cash"),
    };
    const checkBefore = await admin.mutation(ref.runChecker, {});
    const statsBefore = await writeStats(url);

    // ---- the run ----------------------------------------------------------------------------
    const mutations = new Samples();
    const subscriptions = new Samples();
    const errors: string[] = [];
    const fail = (what: string, error: unknown) => {
      errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    };
    let heartbeats = 0;
    let presenceMisses = 0;
    let open = 0;
    let maxOpen = 0;
    const runStart = performance.now();
    const timed = async <T>(label: string, call: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const value = await call();
      mutations.add(label, performance.now() - t0);
      return value;
    };

    const runSession = async (p: Pair, i: number) => {
      await sleep((i * RAMP_MS) / n);
      try {
        const requestSent = performance.now();
        const { sessionId } = await timed("sessions.request", () =>
          p.client.convex.mutation(api.sessions.request, {
            advisorProfileId: p.advisor.profileId as Id<"advisorProfiles">,
            kind: "chat",
            rateCentsPerMinute: p.advisor.rateCentsPerMinute,
          }),
        );
        p.sessionId = sessionId;
        p.clientLive.onUpdate(api.sessions.room, { sessionId }, (v) => p.clientRoom.push(v));
        p.advisorLive.onUpdate(api.sessions.room, { sessionId }, (v) => p.advisorRoom.push(v));
        p.clientLive.onUpdate(api.sessions.presence, { sessionId }, (v) => p.clientPresence.push(v));
        p.advisorLive.onUpdate(api.sessions.presence, { sessionId }, (v) => p.advisorPresence.push(v));
        // The advisor answers when the request rings in its live query (IncomingRequests).
        const rang = await p.incoming.when((rows) => rows.some((r) => r._id === sessionId), 30_000);
        subscriptions.add("request sent → advisor's incoming list shows it", rang - requestSent);
        const acceptSent = performance.now();
        await timed("sessions.accept", () => p.advisor.convex.mutation(api.sessions.accept, { sessionId }));
        const acceptDone = performance.now();
        const active = await p.clientRoom.when((room) => room.status === "active", 30_000);
        subscriptions.add("accept sent → client's room shows it active", active - acceptSent);
        maxOpen = Math.max(maxOpen, ++open);
        // Like the room: each side heart-beats every 10 s (its own phase) until the session has ended.
        const endAt = acceptSent + SESSION_MS;
        let beating = true;
        const beat = async (side: "client" | "advisor") => {
          const convex = side === "client" ? p.client.convex : p.advisor.convex;
          await sleep(Math.random() * HEARTBEAT_MS);
          while (beating) {
            const sent = performance.now();
            try {
              const { serverNow, status } = await timed("sessions.heartbeat", () =>
                convex.mutation(api.sessions.heartbeat, { sessionId }),
              );
              if (sent - runStart > RAMP_MS + HEARTBEAT_MS)
                mutations.add("sessions.heartbeat once all sessions run", performance.now() - sent, { subset: true });
              heartbeats++;
              // The other side's room learns of it through its presence query ("… seems offline" otherwise). A
              // heartbeat that crossed the end (status ended) records nothing, so there is nothing to see.
              const otherPresence = side === "client" ? p.advisorPresence : p.clientPresence;
              if (status === "active" || status === "paused") {
                otherPresence
                  .when((seen) => (seen[side] ?? 0) >= serverNow, 30_000)
                  .then(
                    (at) => subscriptions.add("heartbeat sent → other side's presence shows it", at - sent),
                    () => presenceMisses++,
                  );
              }
            } catch (error) {
              fail("heartbeat", error);
            }
            await sleep(HEARTBEAT_MS - (performance.now() - sent));
          }
        };
        const beats = Promise.all([beat("client"), beat("advisor")]);
        await sleep(endAt - performance.now());
        const [ender, other] = i % 2 === 0 ? [p.client.convex, p.advisorRoom] : [p.advisor.convex, p.clientRoom];
        const endSent = performance.now();
        p.result = await timed("sessions.end", () => ender.mutation(api.sessions.end, { sessionId }));
        p.times = { acceptSent, acceptDone, endSent, endDone: performance.now() };
        beating = false;
        const seen = await other.when((room) => room.status === "ended", 30_000);
        subscriptions.add("end sent → other side's room shows it ended", seen - endSent);
        p.ended = true;
        open--;
        await beats;
      } catch (error) {
        fail(`pair ${i}`, error);
      }
    };

    // Like the availability toggle in the advisor's header: a presence heartbeat every 30 s while the app is open.
    let presenceOn = true;
    let stopPresence!: () => void;
    const presenceStopped = new Promise<void>((resolve) => (stopPresence = resolve));
    const presenceLoops = pairs.map(async (p) => {
      await Promise.race([sleep(Math.random() * PRESENCE_HEARTBEAT_MS), presenceStopped]);
      while (presenceOn) {
        const sent = performance.now();
        await timed("presence.heartbeat (advisor app open)", () =>
          p.advisor.convex.mutation(api.presence.heartbeat, {}),
        ).catch((e) => fail("presence", e));
        await Promise.race([sleep(PRESENCE_HEARTBEAT_MS - (performance.now() - sent)), presenceStopped]);
      }
    });

    const topupsStop = runStart + RAMP_MS + SESSION_MS - 30_000;
    let topupsPaid = 0;
    const topupStream = async () => {
      if (TOPUPS_PER_SECOND === 0) return;
      const every = 1000 / TOPUPS_PER_SECOND;
      const inFlight: Promise<void>[] = [];
      for (let k = 0; runStart + RAMP_MS + k * every < topupsStop; k++) {
        await sleep(runStart + RAMP_MS + k * every - performance.now());
        const p = pairs[(k * 7919) % n]!;
        inFlight.push(
          (async () => {
            try {
              const { url: payUrl } = await timed("stripeNode.createTopUpCheckout (action)", () =>
                p.client.convex.action(api.stripeNode.createTopUpCheckout, { amount: (TOPUP_CENTS / 100).toFixed(2) }),
              );
              const balanceBefore = p.wallet.value!.balanceCents;
              const paySent = performance.now();
              const paid = await fetch(payUrl, {
                method: "POST",
                redirect: "manual",
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams({
                  number: "4242 4242 4242 4242",
                  expiry: "12 / 34",
                  cvc: "123",
                  name: "Bench Client",
                }),
              });
              if (paid.status !== 303) throw new Error(`pay page answered ${paid.status}`);
              p.topupsCents += TOPUP_CENTS;
              topupsPaid++;
              const shown = await p.wallet.when((w) => w.balanceCents >= balanceBefore + TOPUP_CENTS, TOPUP_WAIT_MS);
              subscriptions.add("pay on the hosted page → wallet shows the money", shown - paySent);
            } catch (error) {
              fail("top-up", error);
            }
          })(),
        );
      }
      await Promise.all(inFlight);
    };

    const progress = setInterval(() => {
      const s = ((performance.now() - runStart) / 1000).toFixed(0);
      console.log(
        `  … ${s} s: ${open} sessions open, ${heartbeats} heartbeats, ${topupsPaid} top-ups paid, ${errors.length} errors`,
      );
    }, 60_000);
    await Promise.all([...pairs.map(runSession), topupStream()]);
    presenceOn = false;
    stopPresence();
    await Promise.all(presenceLoops);
    clearInterval(progress);
    const runSeconds = (performance.now() - runStart) / 1000;
    // Let the webhooks of the last top-ups and the jobs armed by the ends (liveness, funds) finish.
    await sleep(3_000);
    const statsAfter = await writeStats(url);

    // ---- checks -----------------------------------------------------------------------------
    const check = await admin.mutation(ref.runChecker, {});
    const after = {
      wallets: await balances(adminUser, "client_wallet"),
      pending: await balances(adminUser, "advisor_pending"),
      fees: await balances(adminUser, "platform_fees"),
      cash: await balances(adminUser, "processor_cash"),
    };
    const { exact, unbroken, walletsExact, sums } = await checkSessions(pairs, before.wallets, after.wallets);
    const topupTotal = pairs.reduce((s, p) => s + p.topupsCents, 0);
    const totalsExact =
      sumOf(after.cash) - sumOf(before.cash) === topupTotal &&
      sumOf(after.wallets) - sumOf(before.wallets) === topupTotal - sums.clientCents &&
      sumOf(after.pending) - sumOf(before.pending) === sums.shareCents &&
      sumOf(after.fees) - sumOf(before.fees) === sums.feeCents;
    const settled = pairs.filter((p) => p.ended).length;

    // ---- report -----------------------------------------------------------------------------
    console.log(
      `  run: ${settled}/${n} sessions settled, up to ${maxOpen} open at once, ${heartbeats} heartbeats, ${topupsPaid} top-ups paid ` +
        `($${(topupTotal / 100).toFixed(2)}) — ${runSeconds.toFixed(0)} s, ${errors.length} errors`,
    );
    console.log("");
    mutations.print("mutation latency (HTTP round trip)", [
      "sessions.request",
      "sessions.accept",
      "sessions.heartbeat",
      "sessions.heartbeat once all sessions run",
      "sessions.end",
      "presence.heartbeat (advisor app open)",
      "stripeNode.createTopUpCheckout (action)",
      "all",
    ]);
    console.log("");
    subscriptions.print("subscription update latency (live query)", [
      "request sent → advisor's incoming list shows it",
      "accept sent → client's room shows it active",
      "heartbeat sent → other side's presence shows it",
      "end sent → other side's room shows it ended",
      "pay on the hosted page → wallet shows the money",
    ]);
    console.log("");
    const sessionMinutes = (n * SESSION_MS) / 60_000;
    printWrites(statsBefore, statsAfter, sessionMinutes);
    console.log("");
    console.log(`  each session's cost and split = billing engine for its billable seconds: ${exact}/${settled}`);
    console.log(`  sessions billed from accept to end (no pause, no lost heartbeat): ${unbroken}/${settled}`);
    console.log(`  each wallet moved by exactly its top-ups minus its session charge: ${walletsExact}/${settled}`);
    console.log(
      `  processor cash + top-ups, wallets, advisor pending, platform fees (ledger balances, before vs after): ${totalsExact ? "exact" : "MISMATCH"}`,
    );
    console.log(
      `  ledger:runChecker: ${check.ok ? "ok" : "FAILED"} (${check.journalsChecked} journals, ${check.journalsChecked - checkBefore.journalsChecked} new)` +
        (check.ok ? "" : ` — ${check.problems.slice(0, 3).join("; ")}`),
    );
    if (presenceMisses > 0)
      console.log(`  heartbeats the other side's presence query never showed (30 s): ${presenceMisses}`);
    for (const e of errors.slice(0, 10)) console.error(`  error: ${e}`);
    if (
      !check.ok ||
      !checkBefore.ok ||
      errors.length > 0 ||
      settled !== n ||
      exact !== n ||
      walletsExact !== n ||
      !totalsExact
    )
      process.exitCode = 1;
  } finally {
    await Promise.all(liveClients.map((c) => c.close().catch(() => undefined)));
    await stopChild(backend);
    await stopChild(processor);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const t0 = performance.now();
await main();
console.log(`\nload run done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(process.exitCode ?? 0);
