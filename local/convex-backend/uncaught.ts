/**
 * An exception thrown asynchronously by an action (a timer callback, an event handler) fails that
 * action, as on a deployment, instead of reaching a process-wide handler and leaving the action
 * waiting for its time limit. Node keeps the AsyncLocalStorage context of the throwing callback,
 * so the error is routed to the call it belongs to. Errors that belong to no call are passed on
 * to the process's own `uncaughtException` listeners (or end the process, as Node would).
 */
import { callStorage } from "./watchdog";

let users = 0;
let installed = false;

function capture(err: unknown): void {
  const ctl = callStorage.getStore();
  if (ctl?.uncaught && !ctl.abandoned) {
    ctl.uncaught(err instanceof Error ? err : new Error(String(err)));
    return;
  }
  if (process.listenerCount("uncaughtException") > 0) {
    (process.emit as (event: string, ...args: unknown[]) => boolean)("uncaughtException", err, "uncaughtException");
    return;
  }
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
}

/** Installs the router while at least one backend runs (unless someone else owns Node's capture callback). */
export function acquireUncaughtRouting(): () => void {
  users += 1;
  if (!installed && !process.hasUncaughtExceptionCaptureCallback()) {
    process.setUncaughtExceptionCaptureCallback(capture);
    installed = true;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users -= 1;
    if (users === 0 && installed) {
      process.setUncaughtExceptionCaptureCallback(null);
      installed = false;
    }
  };
}
