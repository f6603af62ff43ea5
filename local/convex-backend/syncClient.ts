/** One WebSocket client of the sync protocol: its subscriptions, versions and identity, and its Transitions. */
import type { WebSocket } from "ws";
import type { Identity } from "./auth";
import type { QueryEntry } from "./queryCache";
import { encodeTs } from "./syncMessages";

export interface Sub {
  queryId: number;
  entry: QueryEntry;
  sentSeq: number;
}

export interface MutationOutcome {
  msg: Record<string, unknown>;
  ts: bigint | null;
}

/**
 * Mutation outcomes per session and request id: a client that reconnects re-sends the mutations it has no
 * response for, and gets the first outcome instead of running them twice (as with a deployment).
 */
export class Sessions {
  private readonly sessions = new Map<string, Map<number, Promise<MutationOutcome>>>();

  get(sessionId: string): Map<number, Promise<MutationOutcome>> {
    let s = this.sessions.get(sessionId);
    if (!s) {
      if (this.sessions.size > 2000) {
        const first = this.sessions.keys().next().value;
        if (first !== undefined) this.sessions.delete(first);
      }
      s = new LimitedMap(500);
      this.sessions.set(sessionId, s);
    }
    return s;
  }
}

/** A Map that forgets its oldest entry beyond `limit` entries. */
class LimitedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    if (this.size > this.limit) {
      const first = this.keys().next().value;
      if (first !== undefined) this.delete(first);
    }
    return this;
  }
}

export class Client {
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

  /**
   * Sends (through `send`) the Transition that brings the client from what it was last sent to now: removed
   * queries, changed results, a new query set or identity version, the ts that confirms its mutations.
   * Nothing when there is nothing new, unless `force`.
   */
  transition(force: boolean, send: (msg: Record<string, unknown>) => void): void {
    if (this.closed) return;
    const modifications: Record<string, unknown>[] = [];
    for (const queryId of this.pendingRemovals) modifications.push({ type: "QueryRemoved", queryId });
    this.pendingRemovals = [];
    for (const sub of this.subs.values()) {
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
    const newTs = this.ts > this.readyTs ? this.ts : this.readyTs;
    const versionChanged = this.querySet !== this.sentQuerySet || this.identityVersion !== this.sentIdentity;
    const confirms = this.confirmTs !== null && newTs >= this.confirmTs;
    if (modifications.length === 0 && !versionChanged && !confirms && !force) return;
    send({
      type: "Transition",
      startVersion: { querySet: this.sentQuerySet, identity: this.sentIdentity, ts: encodeTs(this.ts) },
      endVersion: { querySet: this.querySet, identity: this.identityVersion, ts: encodeTs(newTs) },
      modifications,
      serverTs: Date.now(),
    });
    this.ts = newTs;
    if (confirms) this.confirmTs = null;
    this.sentQuerySet = this.querySet;
    this.sentIdentity = this.identityVersion;
  }
}
