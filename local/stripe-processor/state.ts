// Processor state: every Stripe object by id, idempotency records, events and pending webhook deliveries.
// Persisted as one JSON file in the data dir, written atomically (temp file, fsync, rename).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

export type StripeObject = Record<string, unknown> & { id: string; object: string };

export type IdempotencyRecord = {
  method: string;
  path: string;
  params: string;
  status: number;
  body: string;
  createdAt: number;
  /** The req_ id of the request whose result this is (`Original-Request` on replays); absent in older state. */
  requestId?: string;
};

export type State = {
  version: 1;
  /** All Stripe objects by id (customers, checkout sessions, payment intents, charges, refunds, disputes, events, ...). */
  objects: Record<string, StripeObject>;
  /** Card numbers behind payment methods (never exposed through the API). */
  cards: Record<string, string>;
  idempotency: Record<string, IdempotencyRecord>;
  /** Event ids in creation order. */
  eventOrder: string[];
  /** Event ids whose webhook has not been answered with a 2xx yet. */
  undelivered: string[];
};

export function emptyState(): State {
  return { version: 1, objects: {}, cards: {}, idempotency: {}, eventOrder: [], undelivered: [] };
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Stripe-like id: `cs_test_` + 24 random base62 characters. */
export function newId(prefix: string, test = true): string {
  const bytes = randomBytes(24);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${test ? "test_" : ""}${out}`;
}

export class Store {
  state: State;
  private readonly file: string | null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(dataDir: string | null) {
    this.file = dataDir === null ? null : path.join(dataDir, "state.json");
    if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
    this.state =
      this.file !== null && existsSync(this.file)
        ? (JSON.parse(readFileSync(this.file, "utf8")) as State)
        : emptyState();
  }

  get<T extends StripeObject = StripeObject>(id: string, object?: string): T | null {
    const found = this.state.objects[id];
    if (found === undefined || (object !== undefined && found.object !== object)) return null;
    return found as T;
  }

  put<T extends StripeObject>(obj: T): T {
    this.state.objects[obj.id] = obj;
    this.scheduleFlush();
    return obj;
  }

  list(object: string): StripeObject[] {
    return Object.values(this.state.objects).filter((o) => o.object === object);
  }

  scheduleFlush(): void {
    if (this.file === null || this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, 10);
  }

  /** Final flush; later changes stay in memory only. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  flush(): void {
    if (this.file === null || this.closed) return;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, JSON.stringify(this.state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
