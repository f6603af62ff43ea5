// Part 1 of the live-session benchmark (bench/sessions.ts): writes per session-minute, measured by running the
// convex/ modules in-process on convex-test under a fake clock. See bench/sessions.ts for what is counted.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { convexTest } from "convex-test";
import schema from "../../convex/schema";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { SESSION_RULES, chargeFor } from "../../lib/billingEngine";
import type { loadComponents } from "../../local/convex-backend/loader";
import { derivedProfileFields } from "../../lib/advisors/rules";
import { LOCAL_AUTH_ISSUER, localTokenIdentifier } from "../../lib/localAuth";

type BenchComponents = Awaited<ReturnType<typeof loadComponents>>;

const HEARTBEAT_MS = SESSION_RULES.heartbeatIntervalMs;
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

function convexModules(convexDir: string): Record<string, () => Promise<unknown>> {
  const out: Record<string, () => Promise<unknown>> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|js)$/.test(name) && !name.endsWith(".d.ts")) out[full] = () => import(pathToFileURL(full).href);
    }
  };
  walk(convexDir);
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
async function measureWrites(
  convexDir: string,
  components: BenchComponents,
  minutes: number,
  pairs: number,
): Promise<WriteRow> {
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  clock.install();
  try {
    const t = convexTest(schema, convexModules(convexDir));
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

/** Part 1 of bench/sessions.ts: prints billing and liveness writes per session for 1- and 30-minute sessions. */
export async function partOne(convexDir: string, components: BenchComponents): Promise<void> {
  const PAIRS = 3;
  console.log(
    `Part 1 — writes per session (convex-test in-process, same convex/ modules, fake clock; both sides heart-beat every ${HEARTBEAT_MS / 1000} s)`,
  );
  console.log(`  ${PAIRS} sessions side by side per duration, chat at $0.50/min; counts are per session.`);
  console.log("  A write = one insert/patch/delete by a function, or one scheduled job created, cancelled or run.");
  const rows: WriteRow[] = [];
  for (const minutes of [1, 30]) rows.push(await measureWrites(convexDir, components, minutes, PAIRS));
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
