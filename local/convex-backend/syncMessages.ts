/** Pieces of Convex's sync protocol messages (convex/src/browser/sync/protocol.ts) shared by WebSocket and HTTP. */
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { describeError } from "./errors";

/** A commit timestamp as the protocol sends it: u64 little-endian, base64. */
export function encodeTs(ts: bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, ts));
  return b.toString("base64");
}

/** A function's arguments from a message (`[args]` or `args`), as Convex values. */
export function parseArgs(raw: unknown): Record<string, Value> {
  const first = Array.isArray(raw) ? (raw[0] ?? {}) : (raw ?? {});
  const v = jsonToConvex(first as JSONValue);
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new Error("The arguments to a Convex function must be an object.");
  }
  return v as Record<string, Value>;
}

/**
 * A MutationResponse or ActionResponse: `outcome` is the function's value, or the error it failed with
 * (`ts`: the mutation's commit timestamp, for a successful mutation).
 */
export function callResponse(
  type: "MutationResponse" | "ActionResponse",
  requestId: unknown,
  outcome: { value: Value; ts?: bigint } | { error: unknown },
  logLines: string[],
): Record<string, unknown> {
  if ("value" in outcome) {
    const ts = outcome.ts === undefined ? {} : { ts: encodeTs(outcome.ts) };
    return { type, requestId, success: true, result: convexToJson(outcome.value), ...ts, logLines };
  }
  const d = describeError(outcome.error);
  return {
    type,
    requestId,
    success: false,
    result: d.message,
    logLines,
    ...(d.errorData !== undefined ? { errorData: d.errorData } : {}),
  };
}
