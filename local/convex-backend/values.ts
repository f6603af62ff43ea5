/**
 * Small helpers on documents and values shared by the document store, the validator compiler and the
 * engine: table names from ids and convex-test's own field-path evaluation.
 */
import { CommitTsPlaceholder, type Value } from "convex/values";
import type { Key } from "./sortedIndex";
import type { Doc } from "./types";

/** The table of a convex-test id ("<counter><table>"), or null for anything else. */
export function tableNameFromId(id: string): string | null {
  const match = /^[0-9]+/.exec(id);
  if (!match || match[0].length === id.length) return null;
  return id.slice(match[0].length);
}

/**
 * The tables a commit wrote: those of the written ids, plus the component tables ("<component>/<table>")
 * it wrote, whose queries are invalidated the same way (component state is in memory only).
 */
export function writtenTables(ids: Iterable<string>, componentTables: Iterable<string>): Set<string> {
  const tables = new Set<string>(componentTables);
  for (const id of ids) {
    const t = tableNameFromId(id);
    if (t) tables.add(t);
  }
  return tables;
}

/** convex-test's isSimpleObject (for field path evaluation). */
export function isSimpleObject(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return prototype === null || prototype === Object.prototype || prototype?.constructor?.name === "Object";
}

export function hasPendingValues(value: unknown): boolean {
  if (value instanceof CommitTsPlaceholder) return true;
  if (Array.isArray(value)) return value.some(hasPendingValues);
  if (value !== null && value !== undefined && isSimpleObject(value))
    return Object.values(value as object).some(hasPendingValues);
  return false;
}

/** convex-test's evaluateFieldPath for committed documents (which hold no pending values). */
export function fieldValue(doc: Doc, parts: string[]): Value | undefined {
  let r: unknown = doc;
  for (const p of parts) {
    r = r !== undefined && r !== null && isSimpleObject(r) ? (r as Record<string, unknown>)[p] : undefined;
  }
  return r as Value | undefined;
}

export function keyOf(doc: Doc, paths: string[][]): Key {
  const key: Key = new Array(paths.length);
  for (let i = 0; i < paths.length; i++) key[i] = fieldValue(doc, paths[i]!);
  return key;
}
