/**
 * The app database's read syscalls (`1.0/get`, `1.0/queryStream`, `1.0/queryStreamNext`,
 * `1.0/queryCleanup`) answered without going through convex-test's syscall dispatch: same calls on
 * the same DatabaseFake as its handlers (asyncSyscallImpl/syscallImpl), minus the per-call work
 * that dominates point lookups (`db.get`, `.unique()`, `.first()` on an index equality):
 * arguments are parsed once per distinct JSON (parseSyscallArgs: the same account and balance
 * lookups recur on every ledger posting), and a committed document is serialized once.
 * Only when no transaction metrics are collected (convex-test tracks read sizes in its handlers)
 * and only for the app's own database (components keep convex-test's path).
 */
import { convexToJson, type Value } from "convex/values";
import type { DatabaseFake, Doc, EngineInstance, SerializedQuery } from "./types";
import { COLLECT_OP, handOff } from "./queryCollect";
import { parseSyscallArgs } from "./syscalls";
import { DocCache, DOC_CACHE_CAPACITY } from "./docCache";

/** JSON of committed documents. A write never changes a document object in place (it stores a new one). */
const serialized = new DocCache<string>(DOC_CACHE_CAPACITY);

function docJson(db: DatabaseFake, doc: Doc | null): string {
  if (doc === null) return "null";
  const committed = db._documents[doc._id] === doc;
  if (committed) {
    const cached = serialized.get(doc);
    if (cached !== undefined) return cached;
  }
  const json = JSON.stringify(convexToJson(doc as unknown as Value));
  if (committed) serialized.set(doc, json);
  return json;
}

function metricsOff(inst: EngineInstance): boolean {
  return (inst.global.transactionManager._metricsTracker ?? null) === null;
}

/** A synchronous read syscall's result, or null to let convex-test answer it. */
export function pointReadSync(inst: EngineInstance, op: string, json: string): string | null {
  if (op === "1.0/queryCleanup") return "{}"; // convex-test keeps nothing per query to clean up either
  if (op === COLLECT_OP) {
    if (!metricsOff(inst)) return "null"; // queryCollect.ts falls back to the runtime's own collect
    const { query } = parseSyscallArgs<{ query: SerializedQuery }>(json);
    const usage = inst.usage;
    const docs = inst.store.evaluate(query, usage === null ? null : (doc) => usage.read(doc));
    const committed = inst.db._documents;
    return handOff(docs, (doc) => committed[doc._id] === doc);
  }
  if (op !== "1.0/queryStream" || !metricsOff(inst)) return null;
  const { query } = parseSyscallArgs<{ query: SerializedQuery }>(json);
  return `{"queryId":${inst.db.startQuery(query)}}`;
}

/** An asynchronous read syscall's result, or null to let convex-test answer it. */
export function pointReadAsync(inst: EngineInstance, op: string, json: string): string | null {
  if (op === "1.0/queryStreamNext") {
    if (!metricsOff(inst)) return null;
    const { value, done } = inst.db.queryNext((JSON.parse(json) as { queryId: number }).queryId);
    return done ? '{"value":null,"done":true}' : `{"value":${docJson(inst.db, value)},"done":false}`;
  }
  if (op === "1.0/get") {
    if (!metricsOff(inst)) return null;
    const { table, id } = parseSyscallArgs<{ table?: string; id: string }>(json);
    return docJson(inst.db, inst.db.get(table, id));
  }
  return null;
}
