import { describe, expect, it } from "vitest";
import {
  SIGN_IN_ATTEMPTS_PER_MINUTE,
  SIGN_IN_WINDOW_MS,
  SlidingWindowLimiter,
  clientIp,
  signInKey,
} from "../../lib/slidingWindowLimiter";

function limiterAt(start = 1_000_000) {
  let now = start;
  // The mechanism with 10 per window (the production sign-in limit is checked below).
  const limiter = new SlidingWindowLimiter(10, SIGN_IN_WINDOW_MS, () => now);
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe("sign-in sliding-window limiter", () => {
  it("local sign-in allows 30 attempts a minute per IP + account", () => {
    expect(SIGN_IN_ATTEMPTS_PER_MINUTE).toBe(30);
    expect(SIGN_IN_WINDOW_MS).toBe(60_000);
  });

  it("allows 10 attempts a minute per key, refuses the 11th with the wait, and frees slots as they slide out", () => {
    const { limiter, advance } = limiterAt();
    for (let i = 0; i < 10; i++) {
      expect(limiter.hit("1.2.3.4|demo-client").ok).toBe(true);
      advance(1_000);
    }
    // First attempt at t=0, now t=10 s: it leaves the window at t=60 s.
    expect(limiter.hit("1.2.3.4|demo-client")).toEqual({ ok: false, retryAfterMs: 50_000 });
    // A refused attempt is not recorded, and other keys are unaffected.
    expect(limiter.hit("1.2.3.4|demo-client-2").ok).toBe(true);
    expect(limiter.hit("5.6.7.8|demo-client").ok).toBe(true);
    advance(49_999);
    expect(limiter.hit("1.2.3.4|demo-client").ok).toBe(false);
    advance(1);
    expect(limiter.hit("1.2.3.4|demo-client").ok).toBe(true); // one slot freed
    expect(limiter.hit("1.2.3.4|demo-client")).toEqual({ ok: false, retryAfterMs: 1_000 });
    advance(SIGN_IN_WINDOW_MS);
    for (let i = 0; i < 10; i++) expect(limiter.hit("1.2.3.4|demo-client").ok).toBe(true);
  });

  it("keeps at most maxKeys keys (oldest dropped)", () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(1, 60_000, () => now, 2);
    expect(limiter.hit("a").ok).toBe(true);
    expect(limiter.hit("b").ok).toBe(true);
    expect(limiter.hit("c").ok).toBe(true); // drops "a"
    expect(limiter.hit("a").ok).toBe(true);
    expect(limiter.hit("c").ok).toBe(false);
    now += 60_000;
    expect(limiter.hit("c").ok).toBe(true);
  });

  it("keys on the client IP and the account, case-insensitively", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "9.9.9.9, 10.0.0.1" }))).toBe("9.9.9.9");
    expect(clientIp(new Headers({ "x-real-ip": "8.8.8.8" }))).toBe("8.8.8.8");
    expect(clientIp(new Headers())).toBe("unknown");
    expect(signInKey(new Headers({ "x-forwarded-for": "9.9.9.9" }), " Ada@Example.test ")).toBe(
      "9.9.9.9|ada@example.test",
    );
  });
});
