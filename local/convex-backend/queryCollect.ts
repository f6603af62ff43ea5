/**
 * `collect()` (and so `take`, `first` and `unique`, which end in it) of the app's database in ONE
 * synchronous syscall instead of the Convex runtime's `queryStream` + one `queryStreamNext` per
 * document + `queryCleanup`. A point lookup by index (`.withIndex(...).unique()`) was four syscalls,
 * two of them awaited; it is now one, like a `db.get`.
 *
 * The `convex` npm package's QueryImpl.collect is wrapped once per process; the wrapper only takes the
 * short path inside a call of this backend (callStorage) for a query that has not started, and the
 * backend answers COLLECT_OP only for the app's own database with convex-test's metrics off (otherwise
 * it answers "null" and the original collect runs). Results, order, errors and read tracking are the
 * same: the local engine evaluates a query's whole range when it starts (DocStore.startQuery) anyway.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { SerializedQuery } from "./types";
import { callStorage } from "./watchdog";

export const COLLECT_OP = "local/queryCollect";

type QueryState = { state?: { type: string; query?: SerializedQuery } };
type ConvexSyscalls = { syscall(op: string, json: string): string };

let installed: Promise<void> | null = null;

/** Wraps QueryImpl.prototype.collect of the ESM build the bundled functions import (idempotent). */
export function installFastCollect(): Promise<void> {
  installed ??= (async () => {
    const req = createRequire(import.meta.url);
    const dir = path.dirname(req.resolve("convex/package.json"));
    const mod = (await import(
      pathToFileURL(path.join(dir, "dist", "esm", "server", "impl", "query_impl.js")).href
    )) as {
      QueryImpl?: { prototype: { collect: (this: QueryState) => Promise<Value[]> } };
    };
    const proto = mod.QueryImpl?.prototype;
    if (!proto || typeof proto.collect !== "function")
      throw new Error("convex internals changed: QueryImpl.collect is missing");
    const original = proto.collect;
    proto.collect = async function (this: QueryState): Promise<Value[]> {
      const state = this.state;
      if (
        callStorage.getStore() !== undefined &&
        state?.type === "preparing" &&
        state.query &&
        state.query.source.type !== "Search"
      ) {
        const json = (globalThis as unknown as { Convex: ConvexSyscalls }).Convex.syscall(
          COLLECT_OP,
          JSON.stringify({ query: state.query }),
        );
        if (json !== "null") {
          this.state = { type: "consumed" };
          return (JSON.parse(json) as JSONValue[]).map((doc) => jsonToConvex(doc));
        }
      }
      return original.call(this);
    };
  })();
  return installed;
}
