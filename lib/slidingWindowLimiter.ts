// A small in-memory sliding-window limiter for Next route handlers (per server process). Used by the local
// sign-in route, the offline stand-in for Clerk; Convex functions use convex/model/rateLimits.ts instead.

export type LimitResult = { ok: true } | { ok: false; retryAfterMs: number };

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    /** Keys kept at most; the oldest are dropped first so memory stays bounded. */
    private readonly maxKeys = 10_000,
  ) {}

  /** Records one attempt for `key`, or refuses (recording nothing) with the wait until a slot frees up. */
  hit(key: string): LimitResult {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return { ok: false, retryAfterMs: Math.max(1, recent[recent.length - this.limit]! + this.windowMs - now) };
    }
    recent.push(now);
    this.hits.delete(key); // re-insert so Map order is least recently used first
    this.hits.set(key, recent);
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    return { ok: true };
  }

  reset(): void {
    this.hits.clear();
  }
}

/**
 * Local sign-in: 30 attempts per minute for each client IP + account (demo subject or email). Generous on
 * purpose: demo sign-in is one click (no password to guess), and the browser suite signs the same demo
 * account in a dozen times within a minute from 127.0.0.1; it stops scripted account-creation floods.
 */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 30;
export const SIGN_IN_WINDOW_MS = 60 * 1000;

export const signInLimiter = new SlidingWindowLimiter(SIGN_IN_ATTEMPTS_PER_MINUTE, SIGN_IN_WINDOW_MS);

/** The client's IP as the proxy reports it (first x-forwarded-for hop, then x-real-ip), else "unknown". */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "unknown";
}

/** The sign-in limiter key: client IP + the account asked for (emails compared case-insensitively). */
export function signInKey(headers: Headers, account: string): string {
  return `${clientIp(headers)}|${account.trim().toLowerCase()}`;
}
