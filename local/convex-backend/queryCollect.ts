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
 * The answer is not JSON: the syscall hands the documents over (handOff) and the wrapper returns copies
 * equal to what the JSON round trip gives (keys sorted, bytes copied; see cloneCanonical), without
 * serializing and parsing every document on every lookup.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import type { Doc, SerializedQuery } from "./types";
import { callStorage } from "./watchdog";
import { DocCache, DOC_CACHE_CAPACITY } from "./docCache";

export const COLLECT_OP = "local/queryCollect";

type QueryState = { state?: { type: string; query?: SerializedQuery } };
type ConvexSyscalls = { syscall(op: string, json: string): string };

let installed: Promise<void> | null = null;

/** The syscall's answer when it handed the documents over instead of serializing them. */
const HANDED_OFF = "local/handedOff";
let handedOff: { docs: Doc[]; isCommitted: (doc: Doc) => boolean } | null = null;

/**
 * Called by the COLLECT_OP syscall (synchronously, inside collect()): the wrapper takes `docs` next.
 * `isCommitted` tells a committed document (never changed in place) from a pending write.
 */
export function handOff(docs: Doc[], isCommitted: (doc: Doc) => boolean): string {
  handedOff = { docs, isCommitted };
  return HANDED_OFF;
}

/**
 * Documents as a function receives them (jsonToConvex(convexToJson(doc)): fields sorted by name, fresh
 * objects). Committed documents never change in place, so theirs is worked out once.
 */
const canonicalOf = new DocCache<Value>(DOC_CACHE_CAPACITY);

function canonical(doc: Doc, committed: boolean): Value {
  let c = committed ? canonicalOf.get(doc) : undefined;
  if (c === undefined) {
    c = canonicalValue(doc as unknown as Value);
    if (committed) canonicalOf.set(doc, c);
  }
  return c;
}

/** convex/values' isSimpleObject: a plain object, also one made in another realm (the functions' vm context). */
function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  return proto === null || proto === Object.prototype || proto.constructor?.name === "Object";
}

/**
 * jsonToConvex(convexToJson(v)) without the JSON: the same value with every object's fields sorted by name (fields
 * holding undefined dropped), fresh objects and arrays, ArrayBuffers copied; numbers (NaN, -0 and infinities too),
 * bigints, strings and booleans come back as they are. Anything else (a commit-time placeholder, a value Convex
 * refuses) takes the round trip, with its errors. A hot document (a balance row every posting rewrites) is a fresh
 * document at nearly every read, and convexToJson builds a path string for every field and array element.
 */
export function canonicalValue(v: Value): Value {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(canonicalValue);
  if (v instanceof ArrayBuffer) return v.slice(0);
  if (!isPlainObject(v)) return jsonToConvex(convexToJson(v));
  const record = v as Record<string, Value | undefined>;
  const out: Record<string, Value> = {};
  for (const k of Object.keys(record).sort()) {
    const field = record[k];
    if (field !== undefined) out[k] = canonicalValue(field);
  }
  return out;
}

/** A deep copy of a canonical value (same key order; ArrayBuffers copied; primitives and bigints shared). */
function cloneCanonical(v: Value): Value {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneCanonical);
  if (v instanceof ArrayBuffer) return v.slice(0);
  const out: Record<string, Value> = {};
  for (const k in v) out[k] = cloneCanonical((v as Record<string, Value>)[k]!);
  return out;
}

/** What collect() returns for handed-over documents (`isCommitted`: the document is the committed version). */
function copies(docs: Doc[], isCommitted: (doc: Doc) => boolean): Value[] {
  const out = new Array<Value>(docs.length);
  for (let i = 0; i < docs.length; i++) out[i] = cloneCanonical(canonical(docs[i]!, isCommitted(docs[i]!)));
  return out;
}

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
      if (callStorage.getStore() !== undefined && state?.type === "preparing" && state.query) {
        const json = (globalThis as unknown as { Convex: ConvexSyscalls }).Convex.syscall(
          COLLECT_OP,
          JSON.stringify({ query: state.query }),
        );
        if (json === HANDED_OFF && handedOff !== null) {
          const { docs, isCommitted } = handedOff;
          handedOff = null;
          this.state = { type: "consumed" };
          return copies(docs, isCommitted);
        }
      }
      return original.call(this);
    };
  })();
  return installed;
}
