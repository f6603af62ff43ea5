/**
 * The function runtime: loads convex/ modules onto a convex-test instance,
 * resolves and runs functions (with identity), serves file storage, runs the
 * scheduler and crons, persists state, and reloads code.
 */
import { makeFunctionReference } from "convex/server";
import type { Value } from "convex/values";
import {
  allDocuments,
  counters,
  loadDocuments,
  currentCall,
  committedDocs,
  hookCommits,
  lastCommitTs,
  schemaViolations,
  transferState,
  type CommitChanges,
  type EngineInstance,
  type SerializedQuery,
  type TestAccessor,
} from "./internals";
import { CONVEX_LIMITS, type FunctionLimits } from "./limits";
import { CommitHistory, queryWithUndo } from "./snapshot";
import { writtenTables } from "./values";
import { checkArgs } from "./argValidation";
import { cleanBuilds } from "./loader";
import type { ReadSet, RangeMatcher } from "./readset";
import { Persistence } from "./persistence";
import type { AuthConfigLike, Identity } from "./auth";
import { FunctionTable, type FnKind, type RegisteredFn } from "./functionExports";
import { FileStorage } from "./fileStorage";
import { findHttpHandler, httpActionCtx } from "./httpActions";
import { runControlled } from "./callControl";
import { buildCode, buildCodeWithin, type BuiltCode } from "./codeBuild";
import { InFlight } from "./inflight";
import { installSyscalls } from "./engineSyscalls";
import { Scheduler, type CronJobDef } from "./scheduler";

export type { FnKind };

export interface EngineOptions {
  convexDir: string;
  dataDir: string;
  log: (line: string) => void;
  /** called after every top-level commit that wrote something (documents after and before it) */
  onCommit: (tables: Set<string>, changes: CommitChanges, previous: CommitChanges) => void;
  /** called after code was (re)loaded */
  onReload: () => void;
  /**
   * Longest a query or mutation (one transaction, from taking the lock) may run
   * before it is abandoned with an error; default 10 s.
   */
  functionTimeoutMs?: number;
  /** Longest an action or HTTP action may run; default Convex's (limits.ts actionMs). */
  actionTimeoutMs?: number;
  /** Convex's per-function limits to enforce; default CONVEX_LIMITS (benchmarks may raise them explicitly). */
  limits?: Partial<FunctionLimits>;
  /** Longest bundling + importing new code may take on reload before it is given up; default 30 s. */
  reloadTimeoutMs?: number;
}

export const DEFAULT_FUNCTION_TIMEOUT_MS = 10_000;
export const DEFAULT_ACTION_TIMEOUT_MS = CONVEX_LIMITS.actionMs;

export class Engine {
  inst!: EngineInstance;
  modules = new Map<string, Record<string, unknown>>();
  authConfig: AuthConfigLike | null = null;
  cloudUrl = "";
  readonly persistence: Persistence;
  private readonly history = new CommitHistory();
  private buildDirs: string[] = [];
  private accessors = new Map<string, TestAccessor>();
  private functions = new FunctionTable(new Map());
  private readonly scheduler: Scheduler;
  private readonly inflight = new InFlight();
  private stopped = false;
  readonly files: FileStorage;
  readonly functionTimeoutMs: number;
  readonly actionTimeoutMs: number;

  constructor(private readonly opts: EngineOptions) {
    this.persistence = new Persistence(opts.dataDir, opts.log);
    this.files = new FileStorage({
      persistence: this.persistence,
      cloudUrl: () => this.cloudUrl,
      enter: () => this.enter(),
      exit: () => this.exit(),
      current: () => this.inst,
    });
    this.functionTimeoutMs = opts.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
    this.actionTimeoutMs = opts.actionTimeoutMs ?? opts.limits?.actionMs ?? DEFAULT_ACTION_TIMEOUT_MS;
    this.scheduler = new Scheduler({
      log: (line) => this.log(line),
      enter: () => this.enter(),
      exit: () => this.exit(),
      resolveKind: (udfPath) => this.resolve(udfPath, { allowInternal: true }),
      call: (label, kind, fn) => this.call(label, kind, undefined, undefined, fn),
      runInternal: (udfPath, args) => this.run(udfPath, args, { identity: null, allowInternal: true }),
      crons: () =>
        (this.modules.get("crons")?.default as { crons?: Record<string, CronJobDef> } | undefined)?.crons ?? {},
    });
  }

  private log(line: string): void {
    this.opts.log(line);
  }

  // ---------------------------------------------------------------- loading

  private build(): Promise<BuiltCode> {
    return buildCode(this.opts.convexDir, this.persistence.buildDir, this.opts.limits);
  }

  private install({ inst, modules, buildDir, staged }: BuiltCode): void {
    this.inst = inst;
    this.modules = modules;
    this.accessors.clear();
    this.functions = new FunctionTable(modules);
    this.buildDirs.push(buildDir);
    if (this.buildDirs.length > 2) this.buildDirs.shift();
    const auth = modules.get("auth.config")?.default as AuthConfigLike | undefined;
    this.authConfig = auth ?? null;
    installSyscalls(inst, {
      staged,
      fileUrl: (storageId) => `${this.cloudUrl}/api/storage/${encodeURIComponent(storageId)}`,
      uploadUrl: () => this.files.uploadUrl(),
      schedule: (json) => this.scheduler.schedule(inst, json),
      storeFile: (bytes, contentType) => this.files.storeFile(inst, bytes, contentType),
      getFile: (storageId) => this.files.getFile(storageId, inst),
    });
    hookCommits(inst, (ts, changes, previous, componentTables) => {
      if (changes.size === 0 && componentTables.size === 0) return;
      if (inst !== this.inst) {
        this.log(`a function still running on replaced code wrote ${changes.size} document(s); the write is discarded`);
        return;
      }
      // Runs inside convex-test's commit (the lock is already released): never throw from here.
      try {
        const tables = writtenTables(changes.keys(), componentTables);
        if (changes.size > 0) {
          this.persistence.record(ts, changes, counters(inst));
          this.history.record(ts, previous);
        }
        this.opts.onCommit(tables, changes, previous);
      } catch (e) {
        this.log(`commit listener failed: ${(e as Error)?.stack ?? String(e)}`);
      }
    });
  }

  async start(): Promise<void> {
    this.persistence.lock();
    try {
      await this.startLocked();
    } catch (e) {
      this.persistence.unlock();
      throw e;
    }
  }

  private async startLocked(): Promise<void> {
    await cleanBuilds(this.persistence.buildDir, []);
    const built = await this.build();
    const inst = built.inst;
    const state = this.persistence.load();
    if (state) {
      loadDocuments(inst, state.documents, state.counters);
      const problems = schemaViolations(inst, allDocuments(inst));
      if (problems.length > 0) {
        this.log(
          `SCHEMA VIOLATION: existing data does not match convex/schema.ts; writes to these documents will fail until fixed:\n  ` +
            problems.join("\n  "),
        );
      }
    }
    this.install(built);
    this.persistence.setStateSource(() => ({ documents: allDocuments(this.inst), counters: counters(this.inst) }));
    this.persistence.compactIfLogged();
    const referenced = new Set<string>();
    for (const doc of committedDocs(inst, "_storage")) {
      if (typeof doc.sha256 === "string") referenced.add(Buffer.from(doc.sha256, "base64").toString("hex"));
    }
    await this.persistence.gcFiles(referenced);
    await this.scheduler.recoverJobs(this.inst);
    this.scheduler.armCrons();
  }

  /** Rebuilds code and swaps it in without losing data. Returns false if refused. */
  async reload(): Promise<boolean> {
    let built: BuiltCode;
    try {
      const args = [this.opts.convexDir, this.persistence.buildDir, this.opts.limits] as const;
      built = await buildCodeWithin(this.opts.reloadTimeoutMs ?? 30_000, ...args);
    } catch (e) {
      this.log(`reload failed, still serving the previous code: ${(e as Error).message}`);
      return false;
    }
    if (this.stopped) return false;
    const swapped = await this.inflight.exclusive(async () => {
      const running = await this.inflight.drain(5000);
      if (running > 0) this.log(`reload: ${running} function(s) still running on the previous code`);
      const problems = schemaViolations(built.inst, allDocuments(this.inst));
      if (problems.length > 0) {
        this.log(
          `SCHEMA VIOLATION: convex/schema.ts does not match existing data; keeping the previous code:\n  ` +
            problems.join("\n  "),
        );
        return false;
      }
      try {
        transferState(this.inst, built.inst);
      } catch (e) {
        this.log(`reload failed, still serving the previous code: ${(e as Error).message}`);
        return false;
      }
      // From here on the new code is live; nothing below may leave the swap half done.
      this.install(built);
      try {
        this.scheduler.armCrons();
      } catch (e) {
        this.log(`reload: crons could not be armed: ${(e as Error).message}`);
      }
      this.log("functions reloaded");
      return true;
    });
    if (!swapped) return false;
    void cleanBuilds(this.persistence.buildDir, this.buildDirs).catch(() => undefined);
    try {
      this.opts.onReload();
    } catch (e) {
      this.log(`reload listener failed: ${(e as Error)?.stack ?? String(e)}`);
    }
    return true;
  }

  private async enter(): Promise<EngineInstance> {
    await this.inflight.enter();
    return this.inst;
  }

  private exit(): void {
    this.inflight.exit();
  }

  // ---------------------------------------------------------------- functions

  resolve(
    udfPath: string,
    opts: { allowInternal: boolean; expected?: FnKind },
  ): { kind: FnKind; canonical: string; f: RegisteredFn } {
    return this.functions.resolve(udfPath, opts);
  }

  private accessor(inst: EngineInstance, identity: Identity | null): TestAccessor {
    if (identity === null) return inst.t;
    if (inst !== this.inst) return inst.t.withIdentity(identity);
    const key = JSON.stringify(identity);
    let a = this.accessors.get(key);
    if (!a) {
      if (this.accessors.size > 1000) this.accessors.clear();
      a = inst.t.withIdentity(identity);
      this.accessors.set(key, a);
    }
    return a;
  }

  /** Runs a function; returns its value (Convex value). */
  async run(
    udfPath: string,
    args: Record<string, Value>,
    opts: {
      identity: Identity | null;
      allowInternal: boolean;
      expected?: FnKind;
      reads?: ReadSet;
      logLines?: string[];
    },
  ): Promise<{ value: Value; kind: FnKind }> {
    const { kind, canonical, f } = this.resolve(udfPath, opts);
    const checked = checkArgs(f, args);
    const inst = await this.enter();
    try {
      const result = await this.call(canonical, kind, opts.reads, opts.logLines, async () => {
        // convex-test would validate the same arguments again (parsing the validator's JSON each time).
        if (checked) currentCall()!.argsChecked = f;
        const ref = makeFunctionReference(canonical);
        const a = this.accessor(inst, opts.identity);
        const value =
          kind === "query"
            ? await a.query(ref, args)
            : kind === "mutation"
              ? await a.mutation(ref, args)
              : await a.action(ref, args);
        return { value: value as Value, kind };
      });
      // Acknowledge writes only once they are in the log on disk (group commit; ~0.2 ms fdatasync).
      if (kind !== "query") await this.persistence.durable();
      return result;
    } finally {
      this.exit();
    }
  }

  /** Runs one function call under the time limits of callControl.ts. */
  private call<T>(
    label: string,
    kind: FnKind | "http",
    reads: ReadSet | undefined,
    logLines: string[] | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    return runControlled(this, label, kind, reads, logLines, fn);
  }

  /**
   * Runs a public query against the database as of commit `ts` (see snapshot.ts): the versions
   * written since are put back inside a transaction that is then rolled back.
   */
  async runQueryAt(
    udfPath: string,
    args: Record<string, Value>,
    ts: bigint,
    caller: { identity: Identity | null; admin: boolean },
  ): Promise<Value> {
    if (ts > this.commitTs()) throw new Error(`Timestamp ${ts} is in the future`);
    const undo = this.history.undoTo(ts);
    if (undo === null)
      throw new Error(`Timestamp ${ts} is too old: the local backend keeps the last few minutes of history`);
    if (undo.size === 0)
      return (await this.run(udfPath, args, { ...caller, allowInternal: caller.admin, expected: "query" })).value;
    const { canonical } = this.resolve(udfPath, { allowInternal: caller.admin, expected: "query" });
    const inst = await this.enter();
    try {
      return await this.call(canonical, "query", undefined, undefined, () =>
        queryWithUndo(this.accessor(inst, caller.identity), inst, undo, canonical, args),
      );
    } finally {
      this.exit();
    }
  }

  /** Which documents a query source covers, for the current code's indexes. */
  rangeMatcher(source: SerializedQuery["source"]): RangeMatcher {
    return this.inst.store.matcher(source);
  }

  /** Whether rangeMatcher(source) checks an index key range (else it matches every document). */
  hasKeyRange(source: SerializedQuery["source"]): boolean {
    return this.inst.store.hasKeyRange(source);
  }

  commitTs(): bigint {
    return lastCommitTs(this.inst);
  }

  /** Runs the route of convex/http.ts matching the request. */
  async runHttpAction(request: Request, identity: Identity | null, authError: string | null = null): Promise<Response> {
    const handler = findHttpHandler(this.modules.get("http"), request);
    if (handler === null) return new Response("No matching routes found", { status: 404 });
    const inst = await this.enter();
    try {
      let response: unknown = null;
      await this.call(`HTTP ${request.method} ${new URL(request.url).pathname}`, "http", undefined, undefined, () =>
        this.accessor(inst, identity).action(async (ctx: unknown) => {
          response = await handler(httpActionCtx(ctx, authError), request);
          return null;
        }),
      );
      if (!(response instanceof Response)) throw new Error("HTTP action did not return a Response");
      return response;
    } finally {
      this.exit();
    }
  }

  // ---------------------------------------------------------------- shutdown

  async stop(): Promise<void> {
    this.stopped = true;
    this.scheduler.stop();
    await this.inflight.drain(2000);
    await this.persistence.close();
  }
}
