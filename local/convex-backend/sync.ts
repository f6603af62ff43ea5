/**
 * Convex WebSocket sync protocol (see convex/src/browser/sync/protocol.ts)
 * with a shared, table-invalidated query cache.
 */
import { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate } from "node:timers";
import type { WebSocket } from "ws";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { Engine } from "./engine";
import { AuthError, type AuthVerifier, type Identity } from "./auth";
import { actingAsIdentity } from "./callers";
import { describeError } from "./errors";
import { runInRootContext, tableNameFromId, type CommitChanges, type SerializedQuery } from "./internals";
import { ReadIndex } from "./readindex";
import { ReadSet } from "./readset";

export function encodeTs(ts: bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, ts));
  return b.toString("base64");
}

type QueryResult =
  | { ok: true; json: JSONValue; str: string; logLines: string[] }
  | { ok: false; message: string; errorData?: JSONValue; str: string; logLines: string[] };

interface QueryEntry {
  key: string;
  udfPath: string;
  args: Record<string, Value>;
  identity: Identity | null;
  result: QueryResult | null;
  seq: number;
  /** what the evaluation that produced `result` read */
  reads: ReadSet;
  /** what the running evaluation has read so far (a commit may land before its result is stored) */
  readsInFlight: ReadSet | null;
  /** the result must come from an evaluation started at this invalidation epoch or later */
  needEpoch: number;
  /** epoch at which the evaluation that produced `result` started (-1: no result yet) */
  haveEpoch: number;
  evaluating: { promise: Promise<void>; startEpoch: number; detach: () => void } | null;
  refs: number;
}

/**
 * Query results shared by every subscriber of the same (function, args,
 * identity). Freshness is tracked with an invalidation epoch (bumped by every
 * commit that wrote something and by reloads): an entry is fresh when its
 * result comes from an evaluation that started after the last invalidation
 * that concerned it. `ensure` runs at most one evaluation at a time per entry
 * and at most two to satisfy a caller, so steady writes cannot keep anyone
 * waiting (no re-evaluate-until-quiet loop), and every evaluation ends: the
 * engine fails queries that run too long.
 */
export class QueryCache {
  readonly entries = new Map<string, QueryEntry>();
  epoch = 0;
  /** what each entry's stored result read, indexed (see readindex.ts) */
  private readonly index: ReadIndex<QueryEntry>;
  /** entries with an evaluation running (their partial reads are checked one by one) */
  private readonly inFlight = new Set<QueryEntry>();
  constructor(private readonly engine: Engine) {
    this.index = new ReadIndex((source) => engine.hasKeyRange(source));
  }

  acquire(udfPath: string, argsJson: JSONValue, identity: Identity | null): QueryEntry {
    const key = `${udfPath}\u0000${JSON.stringify(argsJson)}\u0000${identity ? JSON.stringify(identity) : ""}`;
    let e = this.entries.get(key);
    if (!e) {
      let args: Record<string, Value>;
      try {
        args = (jsonToConvex(argsJson ?? {}) ?? {}) as Record<string, Value>;
      } catch {
        args = {};
      }
      e = {
        key,
        udfPath,
        args,
        identity,
        result: null,
        seq: 0,
        reads: new ReadSet(),
        readsInFlight: null,
        needEpoch: this.epoch,
        haveEpoch: -1,
        evaluating: null,
        refs: 0,
      };
      this.entries.set(key, e);
    }
    e.refs += 1;
    return e;
  }

  release(e: QueryEntry): void {
    e.refs -= 1;
    if (e.refs <= 0 && this.entries.get(e.key) === e) {
      this.entries.delete(e.key);
      this.index.delete(e);
      this.inFlight.delete(e);
    }
  }

  /**
   * Marks entries as needing a new evaluation: all of them, or those whose reads (table, document
   * ids, index ranges) cover the old or new version of a written document. Without `changes`,
   * any read of a written table counts.
   */
  invalidate(tables: Set<string> | "all", changes?: CommitChanges, previous?: CommitChanges): number {
    this.epoch += 1;
    if (tables === "all") {
      // New code: evaluations still running on the old code (possibly stuck) no longer count; their
      // waiters are released and the next ensure() starts over on the new code.
      for (const e of this.entries.values()) {
        const ev = e.evaluating;
        if (ev) {
          e.evaluating = null;
          ev.detach();
        }
      }
    }
    let n = 0;
    const matcherFor = (source: SerializedQuery["source"]) => this.engine.rangeMatcher(source);
    const affects = (reads: ReadSet): boolean => {
      if (tables === "all" || reads.everything) return true;
      let touched = false;
      for (const t of tables) {
        if (reads.touches(t)) {
          touched = true;
          break;
        }
      }
      if (!touched) return false;
      if (!changes) return true;
      // Component tables ("<component>/<table>") are tracked as whole tables, without documents.
      for (const t of tables) {
        if (t.includes("/") && reads.touches(t)) return true;
      }
      for (const [id, after] of changes) {
        const table = tableNameFromId(id);
        if (table === null) return true;
        if (!reads.touches(table)) continue;
        if (reads.affectedBy(table, id, previous?.get(id) ?? null, after, matcherFor)) return true;
      }
      return false;
    };
    const mark = (e: QueryEntry) => {
      if (e.needEpoch === this.epoch) return;
      e.needEpoch = this.epoch;
      n++;
    };
    const indexed =
      tables !== "all" && changes !== undefined && [...changes.keys()].every((id) => tableNameFromId(id) !== null);
    if (!indexed) {
      for (const e of this.entries.values()) {
        if (affects(e.reads) || (e.readsInFlight !== null && affects(e.readsInFlight))) mark(e);
      }
      return n;
    }
    // Only the candidates the index finds can be affected; each is checked exactly as above.
    const candidates = new Set<QueryEntry>();
    for (const t of tables) if (t.includes("/")) this.index.touching(t, candidates);
    for (const [id, after] of changes)
      this.index.candidates(tableNameFromId(id)!, id, previous?.get(id) ?? null, after, candidates);
    for (const e of candidates) if (this.entries.get(e.key) === e && affects(e.reads)) mark(e);
    for (const e of this.inFlight) if (e.readsInFlight !== null && affects(e.readsInFlight)) mark(e);
    return n;
  }

  isFresh(e: QueryEntry): boolean {
    return e.result !== null && e.haveEpoch >= e.needEpoch;
  }

  /** Resolves once the entry has a result at least as new as its last invalidation (as of this call). Never rejects. */
  ensure(e: QueryEntry, target = e.needEpoch): Promise<void> {
    if (e.result !== null && e.haveEpoch >= target) return Promise.resolve();
    if (e.evaluating) {
      if (e.evaluating.startEpoch >= target) return e.evaluating.promise;
      // Started before the invalidation: one more evaluation after it.
      return e.evaluating.promise.then(() => this.ensure(e, target));
    }
    const startEpoch = this.epoch;
    let detach!: () => void;
    const detached = new Promise<void>((r) => (detach = r));
    const promise = Promise.race([this.evaluateOnce(e, startEpoch), detached]).finally(() => {
      if (e.evaluating?.promise === promise) e.evaluating = null;
    });
    e.evaluating = { promise, startEpoch, detach };
    return promise;
  }

  private async evaluateOnce(e: QueryEntry, startEpoch: number): Promise<void> {
    let result: QueryResult;
    const reads = new ReadSet();
    e.readsInFlight = reads;
    this.inFlight.add(e);
    const logLines: string[] = [];
    try {
      const { value } = await this.engine.run(e.udfPath, e.args, {
        identity: e.identity,
        allowInternal: false,
        expected: "query",
        reads,
        logLines,
      });
      const json = convexToJson(value);
      result = { ok: true, json, str: JSON.stringify(json), logLines };
    } catch (err) {
      // A query's outcome, error included, depends only on what it read before it ended.
      let d: { message: string; errorData?: JSONValue };
      try {
        d = describeError(err);
      } catch {
        d = { message: "Server Error" };
      }
      result = {
        ok: false,
        message: d.message,
        errorData: d.errorData,
        str: `E${JSON.stringify([d.message.replace(/\[Request ID: [0-9a-f]+\] /, ""), d.errorData ?? null])}`,
        logLines,
      };
    }
    if (e.readsInFlight === reads) {
      e.readsInFlight = null;
      this.inFlight.delete(e);
    }
    // A detached evaluation that ends after a newer one must not overwrite it.
    if (startEpoch < e.haveEpoch) return;
    e.reads = reads;
    if (this.entries.get(e.key) === e) this.index.set(e, reads);
    if (!e.result || e.result.str !== result.str) {
      e.result = result;
      e.seq += 1;
    }
    if (startEpoch > e.haveEpoch) e.haveEpoch = startEpoch;
  }
}

interface Sub {
  queryId: number;
  entry: QueryEntry;
  sentSeq: number;
}

interface MutationOutcome {
  msg: Record<string, unknown>;
  ts: bigint | null;
}

interface SessionRecord {
  responses: Map<number, Promise<MutationOutcome>>;
}

class Client {
  sessionId: string | null = null;
  querySet = 0;
  sentQuerySet = 0;
  identityVersion = 0;
  sentIdentity = 0;
  ts = 0n;
  /**
   * Highest ts of a successful MutationResponse sent since the last Transition.
   * The client resolves a mutation only on a Transition that arrives after its
   * response with endVersion.ts >= the mutation's ts, so one must follow.
   */
  confirmTs: bigint | null = null;
  /** every subscription of this client is fresh as of this commit ts */
  readyTs = 0n;
  /** newest commit ts a broadcast round asked this client to reach */
  targetTs = 0n;
  /** a wait for this client's subscriptions is in progress */
  waiting = false;
  identity: Identity | null = null;
  admin = false;
  token: string | null = null;
  expiryTimer: NodeJS.Timeout | null = null;
  subs = new Map<number, Sub>();
  pendingRemovals: number[] = [];
  queue: Promise<void> = Promise.resolve();
  closed = false;
  constructor(readonly ws: WebSocket) {}
}

export interface SyncOptions {
  adminKey: string | null;
  log: (line: string) => void;
  /**
   * Longest a ModifyQuerySet waits for its new queries before answering; slower
   * ones follow in later Transitions (they show as loading meanwhile). Default 1 s.
   */
  querySetWaitMs?: number;
}

export class SyncServer {
  readonly cache: QueryCache;
  private clients = new Set<Client>();
  private sessions = new Map<string, SessionRecord>();
  private roundScheduled = false;
  private pingTimer: NodeJS.Timeout;

  constructor(
    private readonly engine: Engine,
    private readonly auth: AuthVerifier,
    private readonly opts: SyncOptions,
  ) {
    this.cache = new QueryCache(engine);
    this.pingTimer = setInterval(() => {
      for (const c of this.clients) this.send(c, { type: "Ping" });
    }, 15000);
    this.pingTimer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Called by the engine after commits (documents after and before the commit), and with "all" after a reload. */
  onCommit(tables: Set<string> | "all", changes?: CommitChanges, previous?: CommitChanges): void {
    this.cache.invalidate(tables, changes, previous);
    this.scheduleBroadcast();
  }

  /** Runs a broadcast round soon (rounds are coalesced). */
  scheduleBroadcast(): void {
    if (this.roundScheduled) return;
    this.roundScheduled = true;
    runInRootContext(() =>
      setImmediate(() => {
        this.roundScheduled = false;
        try {
          this.round();
        } catch (e) {
          this.opts.log(`sync: broadcast failed: ${(e as Error)?.stack ?? String(e)}`);
        }
      }),
    );
  }

  /**
   * One broadcast round: starts re-evaluating every stale entry and moves each
   * client to the current commit ts as soon as *its* subscriptions are fresh.
   * Nothing waits on a round, so a slow query only delays its own subscribers.
   */
  private round(): void {
    const ts = this.engine.commitTs();
    for (const e of this.cache.entries.values()) {
      if (!this.cache.isFresh(e)) void this.cache.ensure(e);
    }
    for (const c of this.clients) this.publishWhenReady(c, ts);
  }

  private publishWhenReady(c: Client, ts: bigint): void {
    if (c.closed) return;
    if (ts > c.targetTs) c.targetTs = ts;
    if (c.waiting) return;
    const target = c.targetTs;
    const waits: Promise<void>[] = [];
    for (const sub of c.subs.values()) {
      if (!this.cache.isFresh(sub.entry)) waits.push(this.cache.ensure(sub.entry));
    }
    if (waits.length === 0) {
      if (target > c.readyTs) c.readyTs = target;
      this.flushClient(c);
      return;
    }
    c.waiting = true;
    void Promise.all(waits).then(() => {
      c.waiting = false;
      if (c.closed) return;
      if (target > c.readyTs) c.readyTs = target;
      this.flushClient(c);
      // Commits arrived meanwhile: next cycle (each cycle publishes, so steady writes cannot starve a client).
      if (c.targetTs > target) this.publishWhenReady(c, c.targetTs);
    });
  }

  handleConnection(ws: WebSocket): void {
    const client = new Client(ws);
    client.readyTs = this.engine.commitTs();
    this.clients.add(client);
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        this.fatal(client, "Binary messages are not supported");
        return;
      }
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(String(data)) as Record<string, unknown>;
        if (typeof msg !== "object" || msg === null || typeof msg.type !== "string") throw new Error("no type");
      } catch {
        this.fatal(client, "Invalid message: could not parse client message");
        return;
      }
      this.dispatch(client, msg);
    });
    ws.on("close", () => this.drop(client));
    ws.on("error", () => this.drop(client));
  }

  private drop(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    this.clients.delete(client);
    if (client.expiryTimer) clearTimeout(client.expiryTimer);
    for (const sub of client.subs.values()) this.cache.release(sub.entry);
    client.subs.clear();
  }

  private fatal(client: Client, error: string): void {
    this.send(client, { type: "FatalError", error });
    try {
      client.ws.close(1011, error.slice(0, 100));
    } catch {
      // already closed
    }
    this.drop(client);
  }

  private send(client: Client, msg: Record<string, unknown>): void {
    if (client.closed || client.ws.readyState !== 1) return;
    client.ws.send(JSON.stringify(msg));
  }

  private enqueue(client: Client, fn: () => Promise<void>): void {
    client.queue = client.queue.then(fn).catch((e: unknown) => {
      this.opts.log(`sync: client message failed: ${(e as Error)?.stack ?? String(e)}`);
      this.fatal(client, "Internal error while processing message");
    });
  }

  private dispatch(client: Client, msg: Record<string, unknown>): void {
    switch (msg.type) {
      case "Connect":
        client.sessionId = typeof msg.sessionId === "string" ? msg.sessionId : null;
        return;
      case "ModifyQuerySet":
        this.enqueue(client, () => this.modifyQuerySet(client, msg));
        return;
      case "Authenticate":
        this.enqueue(client, () => this.authenticate(client, msg));
        return;
      case "Mutation":
        this.enqueue(client, () => this.mutation(client, msg));
        return;
      case "Action": {
        // An action runs with the identity of the messages before it: it waits its turn in the
        // client's queue (so a preceding Authenticate has been applied), then runs concurrently
        // without blocking the queue for later messages.
        const turn = client.queue.then(() => ({ identity: client.identity, admin: client.admin }));
        void turn
          .then((as) => this.action(client, msg, as))
          .catch((e: unknown) => this.opts.log(`sync: action failed: ${String(e)}`));
        return;
      }
      case "Event":
        return;
      default:
        this.fatal(client, `Invalid message type: ${String(msg.type)}`);
    }
  }

  private flushClient(client: Client, force = false): void {
    try {
      this.flushClientUnsafe(client, force);
    } catch (e) {
      this.opts.log(`sync: sending to a client failed: ${(e as Error)?.stack ?? String(e)}`);
    }
  }

  private flushClientUnsafe(client: Client, force: boolean): void {
    if (client.closed) return;
    const modifications: Record<string, unknown>[] = [];
    for (const queryId of client.pendingRemovals) modifications.push({ type: "QueryRemoved", queryId });
    client.pendingRemovals = [];
    for (const sub of client.subs.values()) {
      const r = sub.entry.result;
      if (!r || sub.sentSeq === sub.entry.seq) continue;
      sub.sentSeq = sub.entry.seq;
      modifications.push(
        r.ok
          ? { type: "QueryUpdated", queryId: sub.queryId, value: r.json, logLines: r.logLines, journal: null }
          : {
              type: "QueryFailed",
              queryId: sub.queryId,
              errorMessage: r.message,
              logLines: r.logLines,
              journal: null,
              ...(r.errorData !== undefined ? { errorData: r.errorData } : {}),
            },
      );
    }
    const newTs = client.ts > client.readyTs ? client.ts : client.readyTs;
    const versionChanged = client.querySet !== client.sentQuerySet || client.identityVersion !== client.sentIdentity;
    const confirms = client.confirmTs !== null && newTs >= client.confirmTs;
    if (modifications.length === 0 && !versionChanged && !confirms && !force) return;
    this.send(client, {
      type: "Transition",
      startVersion: { querySet: client.sentQuerySet, identity: client.sentIdentity, ts: encodeTs(client.ts) },
      endVersion: { querySet: client.querySet, identity: client.identityVersion, ts: encodeTs(newTs) },
      modifications,
      serverTs: Date.now(),
    });
    client.ts = newTs;
    if (confirms) client.confirmTs = null;
    client.sentQuerySet = client.querySet;
    client.sentIdentity = client.identityVersion;
  }

  private async modifyQuerySet(client: Client, msg: Record<string, unknown>): Promise<void> {
    if (
      msg.baseVersion !== client.querySet ||
      typeof msg.newVersion !== "number" ||
      !Array.isArray(msg.modifications)
    ) {
      this.fatal(
        client,
        `Invalid ModifyQuerySet: base version ${String(msg.baseVersion)} does not match ${client.querySet}`,
      );
      return;
    }
    type Mod = { type: string; queryId: number; udfPath?: string; args?: JSONValue[] };
    const mods = msg.modifications as Mod[];
    const added = new Map<Mod, QueryEntry>();
    for (const m of mods) {
      if (m.type === "Add") {
        if (typeof m.udfPath !== "string" || typeof m.queryId !== "number") {
          this.fatal(client, "Invalid Add modification");
          for (const e of added.values()) this.cache.release(e);
          return;
        }
        const argsJson = Array.isArray(m.args) ? (m.args[0] ?? {}) : {};
        added.set(m, this.cache.acquire(m.udfPath, argsJson, client.identity));
      }
    }
    // Answer within querySetWaitMs; queries still running arrive in later Transitions.
    const ready = Promise.all([...added.values()].map((e) => this.cache.ensure(e)));
    let settled = false;
    void ready.then(() => {
      settled = true;
    });
    let timer: NodeJS.Timeout | null = null;
    await Promise.race([
      ready,
      new Promise<void>((r) => {
        timer = runInRootContext(() => setTimeout(r, this.opts.querySetWaitMs ?? 1000));
      }),
    ]);
    if (timer) clearTimeout(timer);
    if (client.closed) {
      for (const e of added.values()) this.cache.release(e);
      return;
    }
    if (!settled) void ready.then(() => this.flushClient(client));
    for (const m of mods) {
      if (m.type === "Add") {
        const prev = client.subs.get(m.queryId);
        if (prev) this.cache.release(prev.entry);
        client.subs.set(m.queryId, { queryId: m.queryId, entry: added.get(m)!, sentSeq: -1 });
      } else if (m.type === "Remove") {
        const prev = client.subs.get(m.queryId);
        if (prev) {
          this.cache.release(prev.entry);
          client.subs.delete(m.queryId);
        }
        client.pendingRemovals.push(m.queryId);
      }
    }
    client.querySet = msg.newVersion as number;
    this.flushClient(client);
  }

  private async authenticate(client: Client, msg: Record<string, unknown>): Promise<void> {
    const baseVersion = typeof msg.baseVersion === "number" ? msg.baseVersion : client.identityVersion;
    let identity: Identity | null = null;
    let admin = false;
    let expiresAt: number | null = null;
    const token = typeof msg.value === "string" ? msg.value : null;
    try {
      if (msg.tokenType === "User") {
        if (!token) throw new AuthError("Missing token");
        const v = await this.auth.verify(token);
        identity = v.identity;
        expiresAt = v.expiresAt;
      } else if (msg.tokenType === "Admin") {
        if (!this.opts.adminKey || token !== this.opts.adminKey)
          throw new AuthError("The provided admin key was invalid for this instance", "BadAdminKey");
        admin = true;
        const imp = msg.impersonating as Record<string, unknown> | undefined;
        if (imp) identity = actingAsIdentity(imp);
      } else if (msg.tokenType !== "None") {
        throw new AuthError(`Invalid token type ${String(msg.tokenType)}`);
      }
    } catch (e) {
      this.send(client, {
        type: "AuthError",
        error: e instanceof AuthError ? e.message : `Authentication failed: ${String(e)}`,
        baseVersion,
        authUpdateAttempted: true,
      });
      return;
    }
    // Re-evaluate every subscription under the new identity before switching.
    const rebinds = new Map<Sub, QueryEntry>();
    for (const sub of client.subs.values()) {
      rebinds.set(sub, this.cache.acquire(sub.entry.udfPath, convexToJson(sub.entry.args), identity));
    }
    await Promise.all([...rebinds.values()].map((e) => this.cache.ensure(e)));
    if (client.closed) {
      for (const e of rebinds.values()) this.cache.release(e);
      return;
    }
    for (const [sub, entry] of rebinds) {
      this.cache.release(sub.entry);
      if (sub.entry !== entry) sub.sentSeq = -1;
      sub.entry = entry;
    }
    client.identity = identity;
    client.admin = admin;
    client.token = token;
    client.identityVersion = baseVersion + 1;
    if (client.expiryTimer) clearTimeout(client.expiryTimer);
    client.expiryTimer = null;
    if (expiresAt !== null) {
      const t = setTimeout(
        () => this.tokenExpired(client, token),
        Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1),
      );
      t.unref();
      client.expiryTimer = t;
    }
    this.flushClient(client);
  }

  private tokenExpired(client: Client, token: string | null): void {
    if (client.closed || client.token !== token) return;
    this.send(client, {
      type: "AuthError",
      error: "Could not verify token claim: Token expired",
      baseVersion: Math.max(0, client.identityVersion - 1),
      authUpdateAttempted: false,
    });
  }

  private session(client: Client): SessionRecord | null {
    if (!client.sessionId) return null;
    let s = this.sessions.get(client.sessionId);
    if (!s) {
      if (this.sessions.size > 2000) {
        const first = this.sessions.keys().next().value;
        if (first !== undefined) this.sessions.delete(first);
      }
      s = { responses: new Map() };
      this.sessions.set(client.sessionId, s);
    }
    return s;
  }

  private async mutation(client: Client, msg: Record<string, unknown>): Promise<void> {
    const requestId = msg.requestId as number;
    const session = this.session(client);
    let pending = session?.responses.get(requestId);
    if (!pending) {
      pending = this.runMutation(client, msg);
      if (session) {
        session.responses.set(requestId, pending);
        if (session.responses.size > 500) {
          const first = session.responses.keys().next().value;
          if (first !== undefined) session.responses.delete(first);
        }
      }
    }
    const outcome = await pending;
    this.send(client, outcome.msg);
    if (outcome.ts !== null) {
      if (client.confirmTs === null || outcome.ts > client.confirmTs) client.confirmTs = outcome.ts;
      // Already published to this client (the usual case): confirm at once; otherwise a round will.
      if (client.readyTs >= outcome.ts) this.flushClient(client);
      else this.scheduleBroadcast();
    }
  }

  private async runMutation(client: Client, msg: Record<string, unknown>): Promise<MutationOutcome> {
    const requestId = msg.requestId;
    const logLines: string[] = [];
    try {
      const args = parseArgs(msg.args);
      const { value } = await this.engine.run(String(msg.udfPath), args, {
        identity: client.identity,
        allowInternal: client.admin,
        expected: "mutation",
        logLines,
      });
      const ts = this.engine.commitTs();
      return {
        msg: {
          type: "MutationResponse",
          requestId,
          success: true,
          result: convexToJson(value),
          ts: encodeTs(ts),
          logLines,
        },
        ts,
      };
    } catch (e) {
      const d = describeError(e);
      return {
        msg: {
          type: "MutationResponse",
          requestId,
          success: false,
          result: d.message,
          logLines,
          ...(d.errorData !== undefined ? { errorData: d.errorData } : {}),
        },
        ts: null,
      };
    }
  }

  private async action(
    client: Client,
    msg: Record<string, unknown>,
    as: { identity: Identity | null; admin: boolean },
  ): Promise<void> {
    const requestId = msg.requestId;
    const logLines: string[] = [];
    try {
      const args = parseArgs(msg.args);
      const { value } = await this.engine.run(String(msg.udfPath), args, {
        identity: as.identity,
        allowInternal: as.admin,
        expected: "action",
        logLines,
      });
      this.send(client, { type: "ActionResponse", requestId, success: true, result: convexToJson(value), logLines });
    } catch (e) {
      const d = describeError(e);
      this.send(client, {
        type: "ActionResponse",
        requestId,
        success: false,
        result: d.message,
        logLines,
        ...(d.errorData !== undefined ? { errorData: d.errorData } : {}),
      });
    }
  }

  close(): void {
    clearInterval(this.pingTimer);
    for (const c of [...this.clients]) {
      try {
        c.ws.close(1001, "backend shutting down");
      } catch {
        // ignore
      }
      this.drop(c);
    }
  }
}

export function parseArgs(raw: unknown): Record<string, Value> {
  const first = Array.isArray(raw) ? (raw[0] ?? {}) : (raw ?? {});
  const v = jsonToConvex(first as JSONValue);
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new Error("The arguments to a Convex function must be an object.");
  }
  return v as Record<string, Value>;
}
