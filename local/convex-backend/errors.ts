import { randomBytes } from "node:crypto";
import { convexToJson, type JSONValue, type Value } from "convex/values";
import { FunctionNotFound } from "./engine";

export function newRequestId(): string {
  return randomBytes(8).toString("hex");
}

function isConvexError(e: unknown): e is Error & { data: Value } {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as Record<symbol, unknown>)[Symbol.for("ConvexError")] === true
  );
}

/** Shapes a thrown error like a (dev) deployment reports it. */
export function describeError(e: unknown): { message: string; errorData?: JSONValue } {
  const rid = newRequestId();
  if (e instanceof FunctionNotFound) return { message: `[Request ID: ${rid}] Server Error\n${e.message}` };
  // Raised by the backend before the function runs: not an exception of the function's code.
  if (e instanceof Error && e.name === "ArgumentValidationError") {
    return { message: `[Request ID: ${rid}] Server Error\nArgumentValidationError: ${e.message}` };
  }
  if (isConvexError(e)) {
    let errorData: JSONValue;
    try {
      errorData = convexToJson(e.data ?? null);
    } catch {
      errorData = String(e.data);
    }
    // A subclass keeps its own name (`class PaymentError extends ConvexError { name = "PaymentError" }`).
    const name = e.name && e.name !== "Error" ? e.name : "ConvexError";
    return { message: `[Request ID: ${rid}] Server Error\nUncaught ${name}: ${e.message}`, errorData };
  }
  const name = e instanceof Error ? e.name || "Error" : "Error";
  const msg = e instanceof Error ? e.message : String(e);
  return { message: `[Request ID: ${rid}] Server Error\nUncaught ${name}: ${msg}` };
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
