/**
 * Functions in flight on the loaded code, so a reload can swap the code between them: new calls wait
 * while a swap is in progress, and the swap waits (a bounded time) for running ones to finish.
 */
import { setTimeout } from "node:timers";

export class InFlight {
  private count = 0;
  private drainWaiters: (() => void)[] = [];
  private swapping: Promise<void> | null = null;

  /** Waits for a swap in progress, then counts one more call in flight. */
  async enter(): Promise<void> {
    while (this.swapping) await this.swapping;
    this.count += 1;
  }

  exit(): void {
    this.count -= 1;
    if (this.count === 0) {
      const w = this.drainWaiters;
      this.drainWaiters = [];
      for (const f of w) f();
    }
  }

  /** Waits until nothing is in flight or `timeoutMs` passed; answers how many calls are still running. */
  async drain(timeoutMs: number): Promise<number> {
    if (this.count === 0) return 0;
    await Promise.race([
      new Promise<void>((r) => this.drainWaiters.push(r)),
      new Promise<void>((r) => setTimeout(r, timeoutMs).unref()),
    ]);
    return this.count;
  }

  /** Runs `swap` with new calls held back until it settles. */
  async exclusive<T>(swap: () => Promise<T>): Promise<T> {
    let release!: () => void;
    this.swapping = new Promise<void>((r) => (release = r));
    try {
      return await swap();
    } finally {
      this.swapping = null;
      release();
    }
  }
}
