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
  if (e instanceof FunctionNotFound) return { message: e.message };
  if (isConvexError(e)) {
    let errorData: JSONValue;
    try {
      errorData = convexToJson(e.data ?? null);
    } catch {
      errorData = String(e.data);
    }
    return { message: `[Request ID: ${rid}] Server Error\nUncaught ConvexError: ${e.message}`, errorData };
  }
  const name = e instanceof Error ? e.name || "Error" : "Error";
  const msg = e instanceof Error ? e.message : String(e);
  return { message: `[Request ID: ${rid}] Server Error\nUncaught ${name}: ${msg}` };
}
