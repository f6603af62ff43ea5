/**
 * The scheduler and crons on real time: `ctx.scheduler` jobs are `_scheduled_functions` documents armed
 * with timers (re-armed after a restart; overdue ones run at once), crons from convex/crons.ts.
 */
import { setTimeout, clearTimeout } from "node:timers";
import { makeFunctionReference } from "convex/server";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { committedDocs, runInRootContext, type EngineInstance } from "./internals";
import { normalizeUdfPath, type FnKind } from "./functionExports";
import { nextRun, type CronScheduleSpec } from "./cron";

export interface CronJobDef {
  name: string;
  args: JSONValue[];
  schedule: CronScheduleSpec;
}

/** What the scheduler needs from the engine. */
export interface SchedulerHost {
  log(line: string): void;
  /** the current instance, counted as in flight until exit() (a code swap waits for it) */
  enter(): Promise<EngineInstance>;
  exit(): void;
  resolveKind(udfPath: string): { kind: FnKind; canonical: string };
  /** runs `fn` under the engine's time limits (callControl.ts) */
  call<T>(label: string, kind: FnKind, fn: () => Promise<T>): Promise<T>;
  /** runs a function as the engine's `run` does (internal functions allowed, no identity) */
  runInternal(udfPath: string, args: Record<string, Value>): Promise<unknown>;
  /** the loaded code's crons */
  crons(): Record<string, CronJobDef>;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class Scheduler {
  private jobTimers = new Map<string, NodeJS.Timeout>();
  private cronTimers = new Map<string, NodeJS.Timeout>();
  private cronRunning = new Set<string>();
  private stopped = false;

  constructor(private readonly host: SchedulerHost) {}

  /** The `1.0/schedule` syscall: inserts the job document and arms it; answers the job id as JSON. */
  schedule(inst: EngineInstance, json: string): string {
    const a = JSON.parse(json) as {
      name?: string;
      functionHandle?: string;
      reference?: string;
      args: JSONValue;
      ts: number;
    };
    let name = a.name;
    if (!name && a.functionHandle?.startsWith("function://")) {
      const [componentPath, udfPath] = a.functionHandle.slice("function://".length).split(";");
      if (componentPath === "" && udfPath) name = udfPath;
    }
    if (!name) throw new Error("The local backend does not support scheduling functions of components");
    const parsedArgs = jsonToConvex(a.args);
    const scheduledTime = a.ts * 1000;
    const jobId = inst.db.insert("_scheduled_functions", {
      args: [parsedArgs],
      name: normalizeUdfPath(name).canonical,
      scheduledTime,
      state: { kind: "pending" },
    });
    this.armJob(jobId, scheduledTime);
    return JSON.stringify(convexToJson(jobId));
  }

  private armJob(jobId: string, timeMs: number): void {
    if (this.stopped) return;
    const existing = this.jobTimers.get(jobId);
    if (existing) clearTimeout(existing);
    const delay = Math.min(Math.max(0, timeMs - Date.now()), MAX_TIMER_MS);
    const timer = runInRootContext(() =>
      setTimeout(() => {
        this.jobTimers.delete(jobId);
        if (timeMs - Date.now() > 5) this.armJob(jobId, timeMs);
        else void this.fireJob(jobId);
      }, delay),
    );
    timer.unref();
    this.jobTimers.set(jobId, timer);
  }

  private async fireJob(jobId: string): Promise<void> {
    if (this.stopped) return;
    const inst = await this.host.enter();
    try {
      const claimed = await inst.t.run(async () => {
        const job = inst.db.get("_scheduled_functions", jobId);
        const state = job?.state as { kind?: string } | undefined;
        if (!job || state?.kind !== "pending") return null;
        inst.db.patch("_scheduled_functions", jobId, { state: { kind: "inProgress" } });
        return { name: job.name as string, args: job.args as Value[] };
      });
      if (!claimed) return;
      let error: string | null = null;
      try {
        const { kind, canonical } = this.host.resolveKind(claimed.name);
        if (kind === "query") throw new Error(`${canonical} is a query and cannot be scheduled`);
        const ref = makeFunctionReference(canonical);
        const args = (claimed.args[0] ?? {}) as Record<string, Value>;
        await this.host.call(canonical, kind, () =>
          kind === "mutation" ? inst.t.mutation(ref, args) : inst.t.action(ref, args),
        );
      } catch (e) {
        error = (e as Error).message ?? String(e);
        this.host.log(`scheduled function ${claimed.name} failed: ${error}`);
      }
      await inst.t.run(async () => {
        const job = inst.db.get("_scheduled_functions", jobId);
        if (!job || (job.state as { kind?: string }).kind !== "inProgress") return null;
        inst.db.patch("_scheduled_functions", jobId, {
          state: error === null ? { kind: "success" } : { kind: "failed", error },
          completedTime: Date.now(),
        });
        return null;
      });
    } catch (e) {
      this.host.log(`scheduler: job ${jobId} could not run: ${(e as Error).message}`);
    } finally {
      this.host.exit();
    }
  }

  /** Re-arms pending jobs after a restart; overdue ones run right away. */
  async recoverJobs(inst: EngineInstance): Promise<void> {
    for (const job of committedDocs(inst, "_scheduled_functions")) {
      const kind = (job.state as { kind?: string } | undefined)?.kind;
      if (kind === "pending") {
        this.armJob(job._id, Number(job.scheduledTime));
      } else if (kind === "inProgress") {
        let isMutation = false;
        try {
          isMutation = this.host.resolveKind(String(job.name)).kind === "mutation";
        } catch {
          // function gone
        }
        await inst.t.run(async () => {
          inst.db.patch(
            "_scheduled_functions",
            job._id,
            isMutation
              ? { state: { kind: "pending" } }
              : {
                  state: {
                    kind: "failed",
                    error: "Transient error: the backend stopped while this action was running",
                  },
                  completedTime: Date.now(),
                },
          );
          return null;
        });
        if (isMutation) this.armJob(job._id, Date.now());
      }
    }
  }

  /** (Re-)arms every cron of the loaded code. */
  armCrons(): void {
    for (const t of this.cronTimers.values()) clearTimeout(t);
    this.cronTimers.clear();
    const crons = this.host.crons();
    const anchor = Date.now();
    for (const [id, job] of Object.entries(crons)) {
      const arm = (after: number) => {
        if (this.stopped) return;
        let at: number;
        try {
          at = nextRun(job.schedule, after, anchor);
        } catch (e) {
          this.host.log(`cron "${id}": ${(e as Error).message}`);
          return;
        }
        const delay = Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS);
        const timer = runInRootContext(() =>
          setTimeout(() => {
            if (Date.now() < at - 5) return arm(after);
            arm(at);
            void this.runCron(id, job);
          }, delay),
        );
        timer.unref();
        this.cronTimers.set(id, timer);
      };
      arm(anchor);
    }
  }

  private async runCron(id: string, job: CronJobDef): Promise<void> {
    if (this.cronRunning.has(id) || this.stopped) return;
    this.cronRunning.add(id);
    try {
      const args = jsonToConvex(job.args[0] ?? {}) as Record<string, Value>;
      await this.host.runInternal(job.name, args);
    } catch (e) {
      this.host.log(`cron "${id}" (${job.name}) failed: ${(e as Error).message}`);
    } finally {
      this.cronRunning.delete(id);
    }
  }

  /** Disarms every job and cron; nothing is armed afterwards. */
  stop(): void {
    this.stopped = true;
    for (const t of this.jobTimers.values()) clearTimeout(t);
    for (const t of this.cronTimers.values()) clearTimeout(t);
    this.jobTimers.clear();
    this.cronTimers.clear();
  }
}
