import { randomBytes } from "node:crypto";
import { ConvexError, convexToJson, type JSONValue, type Value } from "convex/values";

/** A call to a function that does not exist (or is internal): reported without `Uncaught`. */
export class FunctionNotFound extends Error {}

export function newRequestId(): string {
  return randomBytes(8).toString("hex");
}

function isConvexError(e: unknown): e is Error & { data: Value } {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[Symbol.for("ConvexError")] === true;
}

/**
 * The error line a deployment reports for a thrown error: `Uncaught <Name>: <message>` for an
 * exception of the function's code, without `Uncaught` for errors the backend raises itself.
 */
function errorLine(e: unknown): string {
  if (e instanceof FunctionNotFound) return e.message;
  // Raised by the backend before the function runs: not an exception of the function's code.
  if (e instanceof Error && e.name === "ArgumentValidationError") return `ArgumentValidationError: ${e.message}`;
  if (isConvexError(e)) {
    // A subclass keeps its own name (`class PaymentError extends ConvexError { name = "PaymentError" }`).
    const name = e.name && e.name !== "Error" ? e.name : "ConvexError";
    return `Uncaught ${name}: ${e.message}`;
  }
  const name = e instanceof Error ? e.name || "Error" : "Error";
  const msg = e instanceof Error ? e.message : String(e);
  return `Uncaught ${name}: ${msg}`;
}

/** Shapes a thrown error like a (dev) deployment reports it. */
export function describeError(e: unknown): { message: string; errorData?: JSONValue } {
  const message = `[Request ID: ${newRequestId()}] Server Error\n${errorLine(e)}`;
  if (!isConvexError(e)) return { message };
  let errorData: JSONValue;
  try {
    errorData = convexToJson(e.data ?? null);
  } catch {
    errorData = String(e.data);
  }
  return { message, errorData };
}

/**
 * What `ctx.runQuery`/`runMutation`/`runAction` rejects with in an action when the called function
 * fails. A deployment hands the callee's error line to the caller's runtime, which rethrows it
 * (convex/src/server/impl/syscall.ts, performAsyncSyscall): `new Error(line)`, or for a ConvexError
 * `new ConvexError(line)` carrying the callee's data unchanged. Left uncaught, the caller's own
 * failure then reads `Uncaught Error: Uncaught Error: …` / `Uncaught ConvexError: Uncaught ConvexError: …`.
 * (A deployment also appends the callee's source-mapped stack to the line; we do not.)
 */
export function nestedCallError(e: unknown): Error {
  const line = errorLine(e);
  if (!isConvexError(e)) return new Error(line);
  const rethrown = new ConvexError<Value>(line);
  rethrown.data = e.data;
  return rethrown;
}

/**
 * The same for `ctx.runQuery`/`runMutation` inside a query or mutation (and calls into components),
 * which go through the `1.0/runUdf` syscall: what the syscall throws, for the runtime's
 * performAsyncSyscall to rethrow (it reads `message` and, for a ConvexError, the JSON `data`).
 */
export function nestedSyscallError(e: unknown): Error {
  const err = new Error(errorLine(e)) as Error & { data?: JSONValue };
  if (isConvexError(e)) {
    try {
      err.data = convexToJson(e.data ?? null);
    } catch {
      err.data = String(e.data);
    }
  }
  return err;
}

/**
 * The response of an HTTP action that threw: status 500 with a JSON body, `{code, data}` for a
 * ConvexError (so HTTP callers keep the error's data) and `{code}` otherwise, where `code` is the
 * error as a deployment words it (`Uncaught ConvexError: …`, `Uncaught Error: …`).
 */
export function httpActionErrorResponse(e: unknown): Response {
  const d = describeError(e);
  const code = d.message.replace(/^\[Request ID: [0-9a-f]+\] Server Error\n/, "");
  const body: Record<string, JSONValue> = { code };
  if (d.errorData !== undefined) body.data = d.errorData;
  return new Response(JSON.stringify(body), { status: 500, headers: { "Content-Type": "application/json" } });
}
