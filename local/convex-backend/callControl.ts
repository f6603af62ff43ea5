/**
 * Time limits of one function call: a transaction that holds the database too long is abandoned (writes
 * dropped, lock released, see watchdog.ts) and the call fails; actions and HTTP actions also fail after
 * their overall limit. Either way the caller gets a clear error and nothing else waits on the stuck code.
 */
import { setTimeout, clearTimeout } from "node:timers";
import { callStorage, runInRootContext, type CallControl } from "./internals";
import type { FnKind } from "./functionExports";
import type { ReadSet } from "./readset";

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export interface CallLimits {
  /** longest a query or mutation (one transaction, from taking the lock) may run */
  functionTimeoutMs: number;
  /** longest an action or HTTP action may run */
  actionTimeoutMs: number;
}

let lastCallId = 0;

/** Runs `fn` as the call `label` under a CallControl (what it reads goes to `reads`, its log lines to `logLines`). */
export async function runControlled<T>(
  limits: CallLimits,
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
  const limit = seconds(limits.functionTimeoutMs);
  const ctl: CallControl = {
    transactionTimeoutMs: limits.functionTimeoutMs,
    abandoned: null,
    abandon: (e) => reject(e),
    label,
    callId: ++lastCallId,
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
  if (isAction && Number.isFinite(limits.actionTimeoutMs)) {
    timer = runInRootContext(() =>
      setTimeout(() => {
        const e = new Error(
          `${label} timed out: the ${kind === "http" ? "HTTP action" : "action"} ran for longer than ${seconds(limits.actionTimeoutMs)}.`,
        );
        ctl.abandoned = e;
        reject(e);
      }, limits.actionTimeoutMs),
    );
    timer.unref();
  }
  try {
    return await Promise.race([callStorage.run(ctl, fn), abandoned]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
