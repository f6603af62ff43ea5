// Shared by the processor's resource modules: Stripe's error shape, parameter readers and constants.
import type { FormValue } from "./form";

export const API_VERSION = "2026-10-28.endive";
export const DISPUTE_FEE_CENTS = 1500;

export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

export function invalid(message: string, param?: string, code = "parameter_invalid"): never {
  throw new StripeError(400, { type: "invalid_request_error", code, message, ...(param ? { param } : {}) });
}

export function missing(kind: string, id: string): never {
  throw new StripeError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param: "id",
  });
}

export const now = () => Math.floor(Date.now() / 1000);

export function str(value: FormValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function int(value: FormValue | undefined, param: string, required = false): number | undefined {
  if (value === undefined) {
    if (required) invalid(`Missing required param: ${param}.`, param, "parameter_missing");
    return undefined;
  }
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    invalid(`Invalid integer: ${String(value)}`, param);
  return Number(value);
}

export function metadataOf(value: FormValue | undefined): Record<string, string> {
  if (value === undefined || value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) invalid("Invalid metadata.", "metadata");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Connect's reading of metadata: anything but a hash of strings is ignored (no error). */
export function metadataOrEmpty(value: FormValue | undefined): Record<string, string> {
  if (value === undefined || value === "" || typeof value !== "object" || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Timers and in-flight work of one processor: nothing new starts once it is stopped. */
export class Scheduler {
  stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();

  /** Runs `fn` after `ms` unless the processor stopped first. */
  later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.idle();
    this.timers.clear();
  }
}
