/**
 * Convex WebSocket sync protocol (see convex/src/browser/sync/protocol.ts)
 * with a shared, table-invalidated query cache.
 */
import { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate } from "node:timers";
import type { WebSocket } from "ws";
import { convexToJson, type JSONValue, type Value } from "convex/values";
import type { Engine } from "./engine";
import { AuthError, type AuthVerifier, type Identity } from "./auth";
import { runInRootContext, type CommitChanges } from "./internals";
import { QueryCache, type QueryEntry } from "./queryCache";
import { Client, Sessions, type MutationOutcome, type Sub } from "./syncClient";
import { credentialsOf, type Credentials } from "./syncAuth";
import { callResponse, parseArgs } from "./syncMessages";

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
  private readonly sessions = new Sessions();
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
      client.transition(force, (msg) => this.send(client, msg));
    } catch (e) {
      this.opts.log(`sync: sending to a client failed: ${(e as Error)?.stack ?? String(e)}`);
    }
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
    let credentials: Credentials;
    try {
      credentials = await credentialsOf(msg, this.auth, this.opts.adminKey);
    } catch (e) {
      this.send(client, {
        type: "AuthError",
        error: e instanceof AuthError ? e.message : `Authentication failed: ${String(e)}`,
        baseVersion,
        authUpdateAttempted: true,
      });
      return;
    }
    const { identity, admin, expiresAt, token } = credentials;
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

  private async mutation(client: Client, msg: Record<string, unknown>): Promise<void> {
    const requestId = msg.requestId as number;
    const session = client.sessionId ? this.sessions.get(client.sessionId) : null;
    let pending = session?.get(requestId);
    if (!pending) {
      pending = this.runMutation(client, msg);
      session?.set(requestId, pending);
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
    const logLines: string[] = [];
    try {
      const { value } = await this.engine.run(String(msg.udfPath), parseArgs(msg.args), {
        identity: client.identity,
        allowInternal: client.admin,
        expected: "mutation",
        logLines,
      });
      const ts = this.engine.commitTs();
      return { msg: callResponse("MutationResponse", msg.requestId, { value, ts }, logLines), ts };
    } catch (error) {
      return { msg: callResponse("MutationResponse", msg.requestId, { error }, logLines), ts: null };
    }
  }

  private async action(
    client: Client,
    msg: Record<string, unknown>,
    as: { identity: Identity | null; admin: boolean },
  ): Promise<void> {
    const logLines: string[] = [];
    let outcome: { value: Value } | { error: unknown };
    try {
      const { value } = await this.engine.run(String(msg.udfPath), parseArgs(msg.args), {
        identity: as.identity,
        allowInternal: as.admin,
        expected: "action",
        logLines,
      });
      outcome = { value };
    } catch (error) {
      outcome = { error };
    }
    this.send(client, callResponse("ActionResponse", msg.requestId, outcome, logLines));
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
