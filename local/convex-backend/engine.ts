/**
 * The function runtime: loads convex/ modules onto a convex-test instance,
 * resolves and runs functions (with identity), serves file storage, runs the
 * scheduler and crons, persists state, and reloads code.
 */
import { setTimeout, clearTimeout } from "node:timers";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { makeFunctionReference } from "convex/server";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import {
  allDocuments,
  assertNotAbandoned,
  counters,
  loadDocuments,
  callStorage,
  currentCall,
  committedDoc,
  committedDocs,
  createInstance,
  currentComponentPath,
  hookCommits,
  lastCommitTs,
  runInRootContext,
  schemaViolations,
  tableNameFromId,
  transferState,
  type CallControl,
  type CommitChanges,
  type EngineInstance,
  type SerializedQuery,
  type TestAccessor,
} from "./internals";
import { checkStagedIndex, checkSyscall, conformStorageSyscall, isStorageSyscall, stagedIndexNames } from "./syscalls";
import { pointReadAsync, pointReadSync } from "./pointReads";
import { COLLECT_OP, installFastCollect } from "./queryCollect";
import { CONVEX_LIMITS, countSyscall, type FunctionLimits } from "./limits";

/** Database syscalls of the app counted against Convex's limits (reads through the store count there). */
const COUNTED_OPS = new Set(["1.0/get", "1.0/insert", "1.0/shallowMerge", "1.0/replace", "1.0/remove"]);
import { CommitHistory } from "./snapshot";
import { checkArgs } from "./argValidation";
import { bundleAndLoad, cleanBuilds, loadComponents } from "./loader";
import { ReadSet, trackRead, type RangeMatcher } from "./readset";
import { Persistence } from "./persistence";
import { nextRun, type CronScheduleSpec } from "./cron";
import type { AuthConfigLike, Identity } from "./auth";
import { FunctionNotFound, nestedCallError, nestedSyscallError } from "./errors";

export type FnKind = "query" | "mutation" | "action";

export { FunctionNotFound };

interface RegisteredFn {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
}

interface CronJobDef {
  name: string;
  args: JSONValue[];
  schedule: CronScheduleSpec;
}

interface HttpRouterLike {
  lookup(path: string, method: string): readonly [unknown, string, string] | null;
}

export function normalizeUdfPath(udfPath: string): { module: string; fn: string; canonical: string } {
  const idx = udfPath.lastIndexOf(":");
  let module = idx < 0 ? udfPath : udfPath.slice(0, idx);
  const fn = idx < 0 ? "default" : udfPath.slice(idx + 1);
  module = module.replace(/\.(js|ts|mjs|tsx|jsx)$/, "");
  return { module, fn, canonical: `${module}:${fn}` };
}

/**
 * convex-test re-serializes a function's argument and return validators
 * (`exportArgs()` / `exportReturns()`) on every call; validators are immutable,
 * so remember the first result.
 */
const ANY_ARGS = JSON.stringify({ type: "any" });

function memoizeExports(fn: unknown): void {
  if (typeof fn !== "function" && (typeof fn !== "object" || fn === null)) return;
  const f = fn as Record<string, unknown>;
  for (const key of ["exportArgs", "exportReturns"]) {
    const original = f[key];
    if (typeof original !== "function") continue;
    let cached: unknown;
    let done = false;
    try {
      f[key] = () => {
        if (key === "exportArgs") {
          // Arguments of a top-level call were already checked by checkArgs (same rules): convex-test's
          // own pass, the first read of the validator in this call, sees `v.any()` once.
          const ctl = currentCall();
          if (ctl !== undefined && ctl.argsChecked === fn) {
            ctl.argsChecked = undefined;
            return ANY_ARGS;
          }
        }
        if (!done) {
          cached = (original as () => unknown).call(fn);
          done = true;
        }
        return cached;
      };
    } catch {
      // read-only export: leave it
    }
  }
}

type NestedCalls = Record<"runQuery" | "runMutation" | "runAction", (ref: unknown, args?: unknown) => Promise<unknown>>;

/** `ctx` with runQuery/runMutation/runAction failing as a deployment's do (errors.ts, nestedCallError). */
function withNestedCallErrors<C>(ctx: C): C {
  const c = ctx as unknown as NestedCalls;
  const wrap =
    (call: NestedCalls[keyof NestedCalls]) =>
    async (ref: unknown, args?: unknown): Promise<unknown> => {
      try {
        return await call(ref, args);
      } catch (e) {
        throw nestedCallError(e);
      }
    };
  return {
    ...c,
    runQuery: wrap(c.runQuery),
    runMutation: wrap(c.runMutation),
    runAction: wrap(c.runAction),
  } as unknown as C;
}

const nestedErrorsWrapped = Symbol("nestedCallErrors");

/** Makes an exported action's handler see deployment-shaped nested-call errors (once per function). */
function wrapActionHandler(fn: unknown): void {
  if (typeof fn !== "function") return;
  const f = fn as unknown as Record<string | symbol, unknown>;
  const handler = f._handler;
  if (f.isAction !== true || typeof handler !== "function" || f[nestedErrorsWrapped] === true) return;
  try {
    f._handler = (ctx: unknown, args: unknown) =>
      (handler as (c: unknown, a: unknown) => unknown)(withNestedCallErrors(ctx), args);
    f[nestedErrorsWrapped] = true;
  } catch {
    // read-only export: leave it
  }
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash("sha256").update(bytes).digest();
}

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

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export class Engine {
  inst!: EngineInstance;
  /** indexes declared `staged: true`, per loaded code */
  private stagedByInst = new WeakMap<EngineInstance, Set<string>>();
  modules = new Map<string, Record<string, unknown>>();
  authConfig: AuthConfigLike | null = null;
  cloudUrl = "";
  readonly persistence: Persistence;
  private readonly history = new CommitHistory();
  private buildDirs: string[] = [];
  private accessors = new Map<string, TestAccessor>();
  /** resolve() per udfPath as called, for the current code (cleared when code is swapped) */
  private resolved = new Map<string, { f: RegisteredFn | undefined; kind: FnKind | null; canonical: string }>();
  private jobTimers = new Map<string, NodeJS.Timeout>();
  private cronTimers = new Map<string, NodeJS.Timeout>();
  private cronRunning = new Set<string>();
  private inflight = 0;
  private drainWaiters: (() => void)[] = [];
  private swapping: Promise<void> | null = null;
  private stopped = false;
  private secret: Buffer;
  readonly functionTimeoutMs: number;
  readonly actionTimeoutMs: number;

  constructor(private readonly opts: EngineOptions) {
    this.persistence = new Persistence(opts.dataDir, opts.log);
    this.secret = this.persistence.secret();
    this.functionTimeoutMs = opts.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
    this.actionTimeoutMs = opts.actionTimeoutMs ?? opts.limits?.actionMs ?? DEFAULT_ACTION_TIMEOUT_MS;
  }

  private log(line: string): void {
    this.opts.log(line);
  }

  // ---------------------------------------------------------------- loading

  private async build(): Promise<{
    inst: EngineInstance;
    modules: Map<string, Record<string, unknown>>;
    buildDir: string;
  }> {
    const loaded = await bundleAndLoad(this.opts.convexDir, this.persistence.buildDir);
    const moduleMap: Record<string, () => Promise<unknown>> = {
      "../convex/_generated/__local_backend_marker.js": async () => ({}),
    };
    for (const [name, ns] of loaded.modules) {
      moduleMap[`../convex/${name}.js`] = async () => ns;
      for (const value of Object.values(ns)) {
        memoizeExports(value);
        wrapActionHandler(value);
      }
    }
    const schema = loaded.modules.get("schema")?.default ?? undefined;
    const components = await loadComponents(this.opts.convexDir, loaded.buildDir);
    await installFastCollect();
    const inst = await createInstance(schema, moduleMap, components);
    inst.trackMetrics = loaded.usesTransactionMetrics;
    inst.limits = { ...CONVEX_LIMITS, ...this.opts.limits };
    this.stagedByInst.set(inst, stagedIndexNames(schema));
    return { inst, modules: loaded.modules, buildDir: loaded.buildDir };
  }

  private install(inst: EngineInstance, modules: Map<string, Record<string, unknown>>, buildDir: string): void {
    this.inst = inst;
    this.modules = modules;
    this.accessors.clear();
    this.resolved.clear();
    this.buildDirs.push(buildDir);
    if (this.buildDirs.length > 2) this.buildDirs.shift();
    const auth = modules.get("auth.config")?.default as AuthConfigLike | undefined;
    this.authConfig = auth ?? null;
    this.wrapSyscalls(inst);
    hookCommits(inst, (ts, changes, previous, componentTables) => {
      if (changes.size === 0 && componentTables.size === 0) return;
      if (inst !== this.inst) {
        this.log(`a function still running on replaced code wrote ${changes.size} document(s); the write is discarded`);
        return;
      }
      // Runs inside convex-test's commit (the lock is already released): never throw from here.
      try {
        const tables = new Set<string>();
        for (const id of changes.keys()) {
          const t = tableNameFromId(id);
          if (t) tables.add(t);
        }
        // Component tables ("<component>/<table>"): only invalidate the queries that read them;
        // component state is not persisted (in memory only).
        for (const t of componentTables) tables.add(t);
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
    const { inst, modules, buildDir } = await this.build();
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
    this.install(inst, modules, buildDir);
    this.persistence.setStateSource(() => ({ documents: allDocuments(this.inst), counters: counters(this.inst) }));
    this.persistence.compactIfLogged();
    const referenced = new Set<string>();
    for (const doc of committedDocs(inst, "_storage")) {
      if (typeof doc.sha256 === "string") referenced.add(Buffer.from(doc.sha256, "base64").toString("hex"));
    }
    await this.persistence.gcFiles(referenced);
    await this.recoverJobs();
    this.armCrons();
  }

  /** Rebuilds code and swaps it in without losing data. Returns false if refused. */
  async reload(): Promise<boolean> {
    let built;
    try {
      const limit = this.opts.reloadTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | null = null;
      built = await Promise.race([
        this.build(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `loading the new code took longer than ${seconds(limit)} (a module that never finishes importing?)`,
                ),
              ),
            limit,
          );
          timer.unref();
        }),
      ]).finally(() => {
        if (timer) clearTimeout(timer);
      });
    } catch (e) {
      this.log(`reload failed, still serving the previous code: ${(e as Error).message}`);
      return false;
    }
    if (this.stopped) return false;
    let release!: () => void;
    this.swapping = new Promise<void>((r) => (release = r));
    try {
      await this.drain(5000);
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
      this.install(built.inst, built.modules, built.buildDir);
      try {
        this.armCrons();
      } catch (e) {
        this.log(`reload: crons could not be armed: ${(e as Error).message}`);
      }
      this.log("functions reloaded");
    } finally {
      this.swapping = null;
      release();
    }
    void cleanBuilds(this.persistence.buildDir, this.buildDirs).catch(() => undefined);
    try {
      this.opts.onReload();
    } catch (e) {
      this.log(`reload listener failed: ${(e as Error)?.stack ?? String(e)}`);
    }
    return true;
  }

  private async drain(timeoutMs: number): Promise<void> {
    if (this.inflight === 0) return;
    await Promise.race([
      new Promise<void>((r) => this.drainWaiters.push(r)),
      new Promise<void>((r) => setTimeout(r, timeoutMs).unref()),
    ]);
    if (this.inflight > 0) this.log(`reload: ${this.inflight} function(s) still running on the previous code`);
  }

  private async enter(): Promise<EngineInstance> {
    while (this.swapping) await this.swapping;
    this.inflight += 1;
    return this.inst;
  }

  private exit(): void {
    this.inflight -= 1;
    if (this.inflight === 0) {
      const w = this.drainWaiters;
      this.drainWaiters = [];
      for (const f of w) f();
    }
  }

  // ---------------------------------------------------------------- functions

  resolve(
    udfPath: string,
    opts: { allowInternal: boolean; expected?: FnKind },
  ): { kind: FnKind; canonical: string; f: RegisteredFn } {
    let r = this.resolved.get(udfPath);
    if (r === undefined) {
      const { module, fn, canonical } = normalizeUdfPath(udfPath);
      const f = this.modules.get(module)?.[fn] as RegisteredFn | undefined;
      const kind: FnKind | null = f?.isQuery ? "query" : f?.isMutation ? "mutation" : f?.isAction ? "action" : null;
      r = { f, kind, canonical };
      if (this.resolved.size >= 10_000) this.resolved.clear();
      this.resolved.set(udfPath, r);
    }
    const { f, kind, canonical } = r;
    if (!f || kind === null || (!opts.allowInternal && !f.isPublic)) {
      throw new FunctionNotFound(
        `Could not find public function for '${canonical}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`,
      );
    }
    if (opts.expected && opts.expected !== kind) {
      const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
      throw new FunctionNotFound(
        `Trying to execute ${canonical} as ${cap(opts.expected)}, but it is defined as ${cap(kind)}.`,
      );
    }
    return { kind, canonical, f };
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

  /**
   * Runs one function call under a CallControl: a transaction of it that holds
   * the database longer than `functionTimeoutMs` is abandoned (writes dropped,
   * lock released) and the call fails; actions and HTTP actions also fail
   * after `actionTimeoutMs` overall. Either way the caller gets a clear error
   * and nothing else waits on the stuck code.
   */
  private async call<T>(
    label: string,
    kind: FnKind | "http",
    reads: ReadSet | undefined,
    logLines: string[] | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    const isAction = kind === "action" || kind === "http";
    let reject!: (e: Error) => void;
    const abandoned = new Promise<never>((_, r) => (reject = r));
    abandoned.catch(() => undefined);
    const limit = seconds(this.functionTimeoutMs);
    const ctl: CallControl = {
      transactionTimeoutMs: this.functionTimeoutMs,
      abandoned: null,
      abandon: (e) => reject(e),
      reads,
      logLines,
      uncaught: isAction
        ? (e) => {
            ctl.abandoned = e;
            reject(e);
          }
        : undefined,
      describeTimeout: () =>
        isAction
          ? `${label} timed out: a query or mutation it ran took longer than ${limit} (the local backend's limit); it was stopped and its writes were rolled back.`
          : `${label} timed out: the ${kind} ran for longer than ${limit} (the local backend's limit); it was stopped${kind === "mutation" ? " and its writes were rolled back" : ""}.`,
    };
    let timer: NodeJS.Timeout | null = null;
    if (isAction && Number.isFinite(this.actionTimeoutMs)) {
      timer = runInRootContext(() =>
        setTimeout(() => {
          const e = new Error(
            `${label} timed out: the ${kind === "http" ? "HTTP action" : "action"} ran for longer than ${seconds(this.actionTimeoutMs)}.`,
          );
          ctl.abandoned = e;
          reject(e);
        }, this.actionTimeoutMs),
      );
      timer.unref();
    }
    try {
      return await Promise.race([callStorage.run(ctl, fn), abandoned]);
    } finally {
      if (timer) clearTimeout(timer);
    }
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
    const rollback = { value: null as Value };
    try {
      await this.call(canonical, "query", undefined, undefined, () =>
        this.accessor(inst, caller.identity).run(async (ctx: unknown) => {
          const db = inst.db as unknown as { _addWrite(id: string, doc: unknown): void };
          for (const [id, doc] of undo) db._addWrite(id, doc);
          const c = ctx as { runQuery(ref: unknown, a: unknown): Promise<Value> };
          rollback.value = await c.runQuery(makeFunctionReference(canonical), args);
          throw rollback;
        }),
      );
    } catch (e) {
      if (e !== rollback) throw e;
    } finally {
      this.exit();
    }
    return rollback.value;
  }

  /** Runs a query and records what it read into `reads` (also when it fails). */
  async runQueryTracked(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
    reads: ReadSet = new ReadSet(),
    logLines?: string[],
  ): Promise<{ value: Value; reads: ReadSet }> {
    const { value } = await this.run(udfPath, args, {
      identity,
      allowInternal: false,
      expected: "query",
      reads,
      logLines,
    });
    return { value, reads };
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
    const router = this.modules.get("http")?.default as HttpRouterLike | undefined;
    const url = new URL(request.url);
    if (!router || typeof router.lookup !== "function") {
      return new Response("No matching routes found", { status: 404 });
    }
    const found = router.lookup(url.pathname, request.method);
    if (!found) return new Response("No matching routes found", { status: 404 });
    const endpoint = found[0] as { _handler?: (ctx: unknown, req: Request) => Promise<Response> };
    const handler = endpoint._handler ?? (endpoint as unknown as (ctx: unknown, req: Request) => Promise<Response>);
    const inst = await this.enter();
    try {
      let response: Response | null = null;
      await this.call(`HTTP ${request.method} ${url.pathname}`, "http", undefined, undefined, () =>
        this.accessor(inst, identity).action(async (ctx: unknown) => {
          const c = withNestedCallErrors(ctx);
          response = await handler(authError === null ? c : withFailingAuth(c, authError), request);
          return null;
        }),
      );
      if (!((response as unknown) instanceof Response)) {
        throw new Error("HTTP action did not return a Response");
      }
      return response as unknown as Response;
    } finally {
      this.exit();
    }
  }

  // ---------------------------------------------------------------- syscalls

  private wrapSyscalls(inst: EngineInstance): void {
    const g = inst.global;
    const origSync = g.syscall;
    const origAsync = g.asyncSyscall;
    const origJs = g.jsSyscall;
    g.syscall = (op, json) => {
      assertNotAbandoned();
      const componentPath = currentComponentPath(inst);
      const staged = this.stagedByInst.get(inst);
      // COLLECT_OP (queryCollect.ts) is a whole queryStream; components keep the Convex runtime's own path.
      const streamOp = op === COLLECT_OP ? "1.0/queryStream" : op;
      if (op === COLLECT_OP && componentPath !== "") return "null";
      if (staged !== undefined && staged.size > 0 && componentPath === "") checkStagedIndex(streamOp, json, staged);
      const reads = currentCall()?.reads;
      if (reads) trackRead(reads, streamOp, json, componentPath);
      if (componentPath === "") {
        const fast = pointReadSync(inst, op, json);
        if (fast !== null) return fast;
      }
      return origSync(op, json);
    };
    /** ctx.runQuery/runMutation from a query or mutation (or into a component): the callee's error as a deployment rethrows it. */
    const runUdf = async (json: string): Promise<string> => {
      try {
        return await origAsync("1.0/runUdf", json);
      } catch (e) {
        // The backend's own `t.run` helpers (udfPath "custom", e.g. runQueryAt) are not function code: errors stay as thrown.
        if ((inst.executionContext.getStore() as { udfPath?: string } | undefined)?.udfPath === "custom") throw e;
        throw nestedSyscallError(e);
      }
    };
    g.asyncSyscall = async (op, json) => {
      assertNotAbandoned();
      const reads = currentCall()?.reads;
      const componentPath = currentComponentPath(inst);
      if (reads) trackRead(reads, op, json, componentPath);
      if (op === "1.0/runUdf") return runUdf(json);
      if (componentPath !== "") {
        // Inside a component: its own database (convex-test's), no scheduling (jobs are root documents).
        if (op === "1.0/schedule")
          throw new Error(`The local backend does not support scheduling from a component ("${componentPath}")`);
        return origAsync(op, json);
      }
      checkSyscall(op, json, this.stagedByInst.get(inst));
      const usage = inst.usage;
      if (usage !== null && COUNTED_OPS.has(op)) {
        const result = pointReadAsync(inst, op, json) ?? (await origAsync(op, json));
        countSyscall(usage, inst.db, op, json, result);
        return result;
      }
      const fast = pointReadAsync(inst, op, json);
      if (fast !== null) return fast;
      if (isStorageSyscall(op)) {
        const conformed = await conformStorageSyscall(op, json, origAsync);
        if (conformed !== null) return conformed;
      }
      switch (op) {
        case "1.0/count": {
          const { table } = JSON.parse(json) as { table: string };
          return JSON.stringify(inst.store.count(table));
        }
        case "1.0/storageGetUrl": {
          const res = JSON.parse(await origAsync(op, json)) as unknown;
          if (res === null) return "null";
          const { storageId } = JSON.parse(json) as { storageId: string };
          return JSON.stringify(`${this.cloudUrl}/api/storage/${encodeURIComponent(storageId)}`);
        }
        case "1.0/storageGenerateUploadUrl":
          return JSON.stringify(this.uploadUrl());
        case "1.0/schedule":
          return this.scheduleSyscall(inst, json);
        default:
          return origAsync(op, json);
      }
    };
    g.jsSyscall = async (op, args) => {
      assertNotAbandoned();
      switch (op) {
        case "storage/storeBlob": {
          const blob = args.blob as Blob;
          return this.storeFile(inst, new Uint8Array(await blob.arrayBuffer()), blob.type || null);
        }
        case "storage/getBlob": {
          const file = await this.getFile(args.storageId as string, inst);
          if (!file) return null;
          return new Blob([new Uint8Array(file.bytes)], file.contentType ? { type: file.contentType } : {});
        }
        default:
          return origJs(op, args);
      }
    };
  }

  // ---------------------------------------------------------------- storage

  uploadUrl(): string {
    const expires = Date.now() + 60 * 60 * 1000;
    const mac = createHmac("sha256", this.secret).update(String(expires)).digest("base64url");
    return `${this.cloudUrl}/api/storage/upload?token=${expires}.${mac}`;
  }

  /** "ok", or why an upload token is refused: "invalid" (not issued here) or "expired" (older than an hour). */
  checkUploadToken(token: string | null): "ok" | "invalid" | "expired" {
    if (!token) return "invalid";
    const [expires, mac] = token.split(".");
    if (!expires || !mac) return "invalid";
    const expected = createHmac("sha256", this.secret).update(expires).digest();
    const given = Buffer.from(mac, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
    return Number(expires) < Date.now() ? "expired" : "ok";
  }

  async storeFile(instArg: EngineInstance | null, bytes: Uint8Array, contentType: string | null): Promise<string> {
    const digest = sha256(bytes);
    await this.persistence.putFile(digest.toString("hex"), bytes);
    const inst = instArg ?? (await this.enter());
    try {
      const doc: Record<string, Value> = { sha256: digest.toString("base64"), size: bytes.byteLength };
      if (contentType) doc.contentType = contentType;
      return await inst.t.run(async () => inst.db.insert("_storage", doc));
    } finally {
      if (!instArg) this.exit();
    }
  }

  async getFile(
    storageId: string,
    inst: EngineInstance = this.inst,
  ): Promise<{ bytes: Buffer; contentType: string | null; sha256: string } | null> {
    if (tableNameFromId(storageId) !== "_storage") return null;
    const doc = committedDoc(inst, storageId);
    if (!doc || typeof doc.sha256 !== "string") return null;
    const bytes = await this.persistence.getFile(Buffer.from(doc.sha256, "base64").toString("hex"));
    if (!bytes) return null;
    return { bytes, contentType: typeof doc.contentType === "string" ? doc.contentType : null, sha256: doc.sha256 };
  }

  // ---------------------------------------------------------------- scheduler

  private scheduleSyscall(inst: EngineInstance, json: string): string {
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
    const delay = Math.min(Math.max(0, timeMs - Date.now()), 2 ** 31 - 1);
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
    const inst = await this.enter();
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
        const { kind, canonical } = this.resolve(claimed.name, { allowInternal: true });
        if (kind === "query") throw new Error(`${canonical} is a query and cannot be scheduled`);
        const ref = makeFunctionReference(canonical);
        const args = (claimed.args[0] ?? {}) as Record<string, Value>;
        await this.call(canonical, kind, undefined, undefined, () =>
          kind === "mutation" ? inst.t.mutation(ref, args) : inst.t.action(ref, args),
        );
      } catch (e) {
        error = (e as Error).message ?? String(e);
        this.log(`scheduled function ${claimed.name} failed: ${error}`);
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
      this.log(`scheduler: job ${jobId} could not run: ${(e as Error).message}`);
    } finally {
      this.exit();
    }
  }

  /** Re-arms pending jobs after a restart; overdue ones run right away. */
  private async recoverJobs(): Promise<void> {
    const inst = this.inst;
    for (const job of committedDocs(inst, "_scheduled_functions")) {
      const kind = (job.state as { kind?: string } | undefined)?.kind;
      if (kind === "pending") {
        this.armJob(job._id, Number(job.scheduledTime));
      } else if (kind === "inProgress") {
        let isMutation = false;
        try {
          isMutation = this.resolve(String(job.name), { allowInternal: true }).kind === "mutation";
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

  private armCrons(): void {
    for (const t of this.cronTimers.values()) clearTimeout(t);
    this.cronTimers.clear();
    const cronsExport = this.modules.get("crons")?.default as { crons?: Record<string, CronJobDef> } | undefined;
    const crons = cronsExport?.crons ?? {};
    const anchor = Date.now();
    for (const [id, job] of Object.entries(crons)) {
      const arm = (after: number) => {
        if (this.stopped) return;
        let at: number;
        try {
          at = nextRun(job.schedule, after, anchor);
        } catch (e) {
          this.log(`cron "${id}": ${(e as Error).message}`);
          return;
        }
        const delay = Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1);
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
      await this.run(job.name, args, { identity: null, allowInternal: true });
    } catch (e) {
      this.log(`cron "${id}" (${job.name}) failed: ${(e as Error).message}`);
    } finally {
      this.cronRunning.delete(id);
    }
  }

  // ---------------------------------------------------------------- shutdown

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.jobTimers.values()) clearTimeout(t);
    for (const t of this.cronTimers.values()) clearTimeout(t);
    this.jobTimers.clear();
    this.cronTimers.clear();
    await this.drain(2000);
    await this.persistence.close();
  }
}

/** An HTTP action's ctx whose caller sent credentials that could not be verified. */
function withFailingAuth(ctx: unknown, message: string): unknown {
  const c = ctx as { auth: Record<string, unknown> };
  return {
    ...c,
    auth: {
      ...c.auth,
      getUserIdentity: async () => {
        throw new Error(message);
      },
    },
  };
}
