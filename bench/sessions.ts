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
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { convexTest } from "convex-test";
import schema from "../convex/schema";
import { api, internal } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import { SESSION_RULES, chargeFor } from "../lib/billingEngine";
import { loadComponents } from "../local/convex-backend/loader";
import { derivedProfileFields } from "../lib/advisors/rules";
import { LOCAL_AUTH_ISSUER, localTokenIdentifier } from "../lib/localAuth";
import { adminClient, balances, BENCH_ADMIN_KEY, pool, ref, setupPopulation, Signer, sumOf } from "./population";
import { pct, ROOT, startBenchBackend } from "./support";

const CONVEX_DIR = path.join(ROOT, "convex");
const SESSIONS = Math.max(1, Math.floor(Number(process.env.BENCH_SESSIONS ?? 1000)));
const HEARTBEAT_MS = SESSION_RULES.heartbeatIntervalMs;
const componentBuildDir = mkdtempSync(path.join(os.tmpdir(), "sessions-bench-components-"));
const components = await loadComponents(CONVEX_DIR, componentBuildDir);

const ms = (n: number) => `${n.toFixed(1)} ms`;
const pad = (s: string | number, n: number) => String(s).padStart(n);

// =============================================================================================
// Part 1: writes per session-minute (convex-test in-process, fake clock)
// =============================================================================================

/** A minimal fake clock: Date.now / new Date() and setTimeout / clearTimeout on simulated time. */
class FakeClock {
  now: number;
  private seq = 0;
  private timers = new Map<number, { at: number; seq: number; fn: () => void }>();
  private saved: { Date: DateConstructor; setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } | null =
    null;

  constructor(start: number) {
    this.now = start;
  }

  install(): void {
    const now = () => this.now;
    const RealDate = Date;
    class SimDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(now());
        else super(...(args as [string]));
      }
      static override now(): number {
        return now();
      }
    }
    this.saved = { Date: globalThis.Date, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    globalThis.Date = SimDate as DateConstructor;
    globalThis.setTimeout = ((fn: () => void, delay?: number) => {
      const id = ++this.seq;
      this.timers.set(id, { at: this.now + Math.max(0, delay ?? 0), seq: id, fn });
      return { id, unref() {}, ref() {}, hasRef: () => true, [Symbol.toPrimitive]: () => id };
    }) as unknown as typeof setTimeout;
    globalThis.clearTimeout = ((handle: { id?: number } | undefined) => {
      if (handle && typeof handle.id === "number") this.timers.delete(handle.id);
    }) as unknown as typeof clearTimeout;
  }

  uninstall(): void {
    if (this.saved === null) return;
    globalThis.Date = this.saved.Date;
    globalThis.setTimeout = this.saved.setTimeout;
    globalThis.clearTimeout = this.saved.clearTimeout;
    this.saved = null;
  }

  /** Moves the clock forward, firing each due timer at its own time and letting `settle` run its work. */
  async advance(byMs: number, settle: () => Promise<void>): Promise<void> {
    const target = this.now + byMs;
    for (;;) {
      let next: { id: number; at: number; seq: number; fn: () => void } | null = null;
      for (const [id, t] of this.timers) {
        if (t.at <= target && (next === null || t.at < next.at || (t.at === next.at && t.seq < next.seq)))
          next = { id, ...t };
      }
      if (next === null) break;
      this.timers.delete(next.id);
      this.now = Math.max(this.now, next.at);
      next.fn();
      await settle();
    }
    this.now = target;
  }
}

type Category = "billing" | "liveness";
const LIVENESS_TABLES = new Set(["sessionParticipants"]);
const LIVENESS_JOBS = new Set(["sessions:checkLiveness"]);

/** Counts write syscalls by table and scheduled jobs by name, by wrapping convex-test's global syscall entry. */
class WriteCounter {
  enabled = false;
  tables = new Map<string, number>();
  jobsCreated = new Map<string, number>();
  jobsCancelled = new Map<string, number>();
  private jobNames = new Map<string, string>();

  install(): void {
    const g = globalThis as unknown as {
      Convex?: { syscall: unknown; asyncSyscall: (op: string, arg: string) => Promise<string>; jsSyscall: unknown };
    };
    const inner = g.Convex;
    if (inner === undefined) throw new Error("convex-test has not installed its syscall global yet");
    const record = (op: string, arg: string, result: string) => this.record(op, arg, result);
    g.Convex = {
      get syscall() {
        return inner.syscall;
      },
      get asyncSyscall() {
        const call = inner.asyncSyscall;
        return async (op: string, arg: string) => {
          const result = await call(op, arg);
          record(op, arg, result);
          return result;
        };
      },
      get jsSyscall() {
        return inner.jsSyscall;
      },
    };
  }

  private bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  private record(op: string, arg: string, result: string): void {
    const parsed = JSON.parse(arg) as { table?: string; id?: string; name?: string };
    if (op === "1.0/schedule") {
      const jobId = JSON.parse(result) as string;
      const name = parsed.name ?? "unknown";
      this.jobNames.set(jobId, name);
      if (this.enabled) this.bump(this.jobsCreated, name);
      return;
    }
    if (!this.enabled) return;
    if (op === "1.0/cancel_job") this.bump(this.jobsCancelled, this.jobNames.get(parsed.id ?? "") ?? "unknown");
    else if (op === "1.0/insert" || op === "1.0/shallowMerge" || op === "1.0/replace" || op === "1.0/remove") {
      const table = parsed.table ?? (parsed.id ?? "").replace(/^[0-9]+/, "");
      this.bump(this.tables, table);
    }
  }

  reset(): void {
    this.tables.clear();
    this.jobsCreated.clear();
    this.jobsCancelled.clear();
  }
}

function convexModules(): Record<string, () => Promise<unknown>> {
  const out: Record<string, () => Promise<unknown>> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|js)$/.test(name) && !name.endsWith(".d.ts")) out[full] = () => import(pathToFileURL(full).href);
    }
  };
  walk(CONVEX_DIR);
  return out;
}

type WriteRow = {
  minutes: number;
  sessions: number;
  tables: Map<string, number>;
  jobsCreated: Map<string, number>;
  jobsCancelled: Map<string, number>;
  jobsRun: Map<string, number>;
  heartbeats: number;
  settledExact: boolean;
};

function identity(subject: string) {
  return {
    tokenIdentifier: localTokenIdentifier(subject),
    subject,
    issuer: LOCAL_AUTH_ISSUER,
    name: `Bench ${subject}`,
    email: `${subject}@bench.test`,
  };
}

/** `pairs` sessions of `minutes` each, side by side, on a fresh convex-test database. */
async function measureWrites(minutes: number, pairs: number): Promise<WriteRow> {
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  clock.install();
  try {
    const t = convexTest(schema, convexModules());
    // The components of convex/convex.config.ts (the rate limiter), loaded as the local backend loads them.
    for (const c of components) t.registerComponent(c.path, c.schema as never, c.modules);
    const settle = () => t.finishInProgressScheduledFunctions();
    const counter = new WriteCounter();
    const people: { client: string; advisor: string; profileId: Id<"advisorProfiles"> }[] = [];
    for (let i = 0; i < pairs; i++) {
      const client = `client${i}`;
      const advisor = `advisor${i}`;
      const clientId = await t.run(async (ctx) =>
        ctx.db.insert("users", {
          tokenIdentifier: localTokenIdentifier(client),
          name: client,
          email: `${client}@bench.test`,
          role: "client",
          status: "active",
          createdAt: Date.now(),
        }),
      );
      const profileId = await t.run(async (ctx) => {
        const userId = await ctx.db.insert("users", {
          tokenIdentifier: localTokenIdentifier(advisor),
          name: advisor,
          email: `${advisor}@bench.test`,
          role: "advisor",
          status: "active",
          createdAt: Date.now(),
        });
        const base = {
          userId,
          displayName: `Advisor ${i}`,
          headline: "Bench advisor headline",
          bio: "Bench advisor",
          categories: ["tarot" as const],
          tags: [],
          languages: ["English"],
          yearsExperience: 3,
          chatRateCentsPerMinute: 50,
          videoRateCentsPerMinute: 100,
          status: "approved" as const,
          availability: "online" as const,
          preferredAvailability: "online" as const,
          ratingSum: 0,
          ratingCount: 0,
          completedSessions: 0,
          createdAt: Date.now(),
        };
        return await ctx.db.insert("advisorProfiles", { ...base, ...derivedProfileFields(base) });
      });
      await t.mutation(internal.ledger.postEvent, {
        event: { kind: "top_up", clientId, amountCents: 100_000 },
        idempotencyKey: `bench:topup:${i}`,
      });
      people.push({ client, advisor, profileId });
    }
    await settle();
    const setupJobIds = new Set<string>(
      (await t.run(async (ctx) => ctx.db.system.query("_scheduled_functions").collect())).map((j) => j._id),
    );
    counter.install();
    counter.enabled = true;

    const sessionIds: Id<"sessions">[] = [];
    for (const p of people) {
      const { sessionId } = await t
        .withIdentity(identity(p.client))
        .mutation(api.sessions.request, { advisorProfileId: p.profileId, kind: "chat", rateCentsPerMinute: 50 });
      sessionIds.push(sessionId);
    }
    await clock.advance(2_000, settle);
    for (const [i, p] of people.entries())
      await t.withIdentity(identity(p.advisor)).mutation(api.sessions.accept, { sessionId: sessionIds[i]! });
    let heartbeats = 0;
    for (let elapsed = HEARTBEAT_MS; elapsed <= minutes * 60_000; elapsed += HEARTBEAT_MS) {
      await clock.advance(HEARTBEAT_MS, settle);
      for (const [i, p] of people.entries()) {
        await t.withIdentity(identity(p.client)).mutation(api.sessions.heartbeat, { sessionId: sessionIds[i]! });
        await t.withIdentity(identity(p.advisor)).mutation(api.sessions.heartbeat, { sessionId: sessionIds[i]! });
        heartbeats += 2;
      }
    }
    let settledExact = true;
    for (const [i, p] of people.entries()) {
      const result = await t.withIdentity(identity(p.client)).mutation(api.sessions.end, { sessionId: sessionIds[i]! });
      const expected = chargeFor({ rateCentsPerMinute: 50, feeBps: 1000, billableSeconds: minutes * 60 });
      if (result.billableSeconds !== minutes * 60 || result.costCents !== expected.costCents) settledExact = false;
    }
    // Let every job left (expiry, liveness, the 24-hour earnings hold) run to completion.
    await clock.advance(25 * 60 * 60_000, settle);
    const jobsRun = new Map<string, number>();
    const jobs = await t.run(async (ctx) => ctx.db.system.query("_scheduled_functions").collect());
    for (const job of jobs) {
      if (setupJobIds.has(job._id)) continue;
      if (job.state.kind === "success" || job.state.kind === "failed")
        jobsRun.set(job.name, (jobsRun.get(job.name) ?? 0) + 1);
    }
    counter.enabled = false;
    return {
      minutes,
      sessions: pairs,
      tables: new Map(counter.tables),
      jobsCreated: new Map(counter.jobsCreated),
      jobsCancelled: new Map(counter.jobsCancelled),
      jobsRun,
      heartbeats,
      settledExact,
    };
  } finally {
    clock.uninstall();
  }
}

function splitWrites(row: WriteRow) {
  const perSession = (n: number) => n / row.sessions;
  const sum = (map: Map<string, number>, cat: Category, isLive: (k: string) => boolean) =>
    [...map].filter(([k]) => (cat === "liveness") === isLive(k)).reduce((s, [, n]) => s + n, 0);
  const liveTable = (k: string) => LIVENESS_TABLES.has(k);
  const liveJob = (k: string) => LIVENESS_JOBS.has(k);
  const result = {} as Record<Category, { docs: number; jobs: number; total: number }>;
  for (const cat of ["billing", "liveness"] as const) {
    const docs = perSession(sum(row.tables, cat, liveTable));
    const jobs = perSession(
      sum(row.jobsCreated, cat, liveJob) + sum(row.jobsCancelled, cat, liveJob) + sum(row.jobsRun, cat, liveJob),
    );
    result[cat] = { docs, jobs, total: docs + jobs };
  }
  return result;
}

async function partOne(): Promise<void> {
  const PAIRS = 3;
  console.log(
    `Part 1 — writes per session (convex-test in-process, same convex/ modules, fake clock; both sides heart-beat every ${HEARTBEAT_MS / 1000} s)`,
  );
  console.log(`  ${PAIRS} sessions side by side per duration, chat at $0.50/min; counts are per session.`);
  console.log("  A write = one insert/patch/delete by a function, or one scheduled job created, cancelled or run.");
  const rows: WriteRow[] = [];
  for (const minutes of [1, 30]) rows.push(await measureWrites(minutes, PAIRS));
  const tables = [...new Set(rows.flatMap((r) => [...r.tables.keys()]))].sort();
  const jobNames = [
    ...new Set(rows.flatMap((r) => [...r.jobsCreated.keys(), ...r.jobsCancelled.keys(), ...r.jobsRun.keys()])),
  ].sort();
  const header = `  ${"".padEnd(44)}${rows.map((r) => pad(`${r.minutes} min`, 10)).join("")}`;
  console.log(header);
  const line = (label: string, values: number[]) =>
    console.log(`  ${label.padEnd(44)}${values.map((v) => pad(Number.isInteger(v) ? v : v.toFixed(1), 10)).join("")}`);
  for (const table of tables) {
    line(
      `${LIVENESS_TABLES.has(table) ? "[liveness]" : "[billing] "} table ${table}`,
      rows.map((r) => (r.tables.get(table) ?? 0) / r.sessions),
    );
  }
  for (const job of jobNames) {
    const tag = LIVENESS_JOBS.has(job) ? "[liveness]" : "[billing] ";
    line(
      `${tag} job ${job} created/cancelled/run`,
      rows.map(
        (r) =>
          ((r.jobsCreated.get(job) ?? 0) + (r.jobsCancelled.get(job) ?? 0) + (r.jobsRun.get(job) ?? 0)) / r.sessions,
      ),
    );
  }
  const split = rows.map(splitWrites);
  line(
    "billing writes per session",
    split.map((s) => s.billing.total),
  );
  line(
    "liveness writes per session",
    split.map((s) => s.liveness.total),
  );
  line(
    "  of which heartbeat calls",
    rows.map((r) => r.heartbeats / r.sessions),
  );
  line(
    "billing writes per session-minute",
    split.map((s, i) => s.billing.total / rows[i]!.minutes),
  );
  line(
    "liveness writes per session-minute",
    split.map((s, i) => s.liveness.total / rows[i]!.minutes),
  );
  const constant = split[0]!.billing.total === split[1]!.billing.total;
  console.log(
    `  billing writes ${constant ? "are the same" : "DIFFER"} for 1 and 30 minutes (O(1) per session: money moves once, at settlement; ` +
      `the funds job is armed once for the moment the wallet runs out, not every minute).`,
  );
  console.log(`  settlement exact (30 min at $0.50/min = $15.00): ${rows.every((r) => r.settledExact) ? "yes" : "NO"}`);
  if (!constant || !rows.every((r) => r.settledExact)) process.exitCode = 1;
}

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
await partOne();
await partTwo();
rmSync(componentBuildDir, { recursive: true, force: true });
console.log(`\nsessions bench done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(process.exitCode ?? 0);
