/**
 * The key range a serialized query source covers in one of its table's indexes: the table, the index's
 * fields and two predicates (`before`/`after` the range) on index keys. Same range semantics as
 * convex-test's (eq* on the leading fields, then at most one lower and one upper bound on the next field).
 */
import { jsonToConvex, type JSONValue, type Value } from "convex/values";
import { compareValue, type Key } from "./sortedIndex";
import type { SerializedQuery } from "./types";
import { hasPendingValues } from "./values";

export const BUILTIN_INDEXES: Record<string, string[]> = {
  by_creation_time: ["_creationTime", "_id"],
  by_id: ["_id"],
};
/** A pending value (commit timestamp placeholder) was found: let convex-test evaluate the query. */
export const FALLBACK = Symbol("fallback");

/** A source's range before its index is looked up: table, index fields and key range. */
export interface RangePlan {
  table: string;
  indexName: string;
  fields: string[];
  sortFields: string[];
  order: "asc" | "desc";
  /** the key sorts before the range */
  before: (k: Key) => boolean;
  /** the key sorts after the range */
  after: (k: Key) => boolean;
}

type RangeFilter = { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: JSONValue };

/** A query bound as convex-test evaluates it (evaluateQueryValue). */
function boundValue(v: JSONValue): Value | undefined | typeof FALLBACK {
  if (typeof v === "object" && v !== null && "$undefined" in v) return undefined;
  const value = jsonToConvex(v);
  return hasPendingValues(value) ? FALLBACK : value;
}

/** The table, index fields and key range of a query source (no index is built). */
export function rangeOf(
  source: SerializedQuery["source"],
  indexFields: (table: string, indexName: string) => string[] | null,
): RangePlan | null {
  if (source.type === "FullTableScan") {
    return {
      table: source.tableName,
      indexName: "by_creation_time",
      fields: BUILTIN_INDEXES.by_creation_time!,
      sortFields: ["_creationTime"],
      order: source.order ?? "asc",
      before: () => false,
      after: () => false,
    };
  }
  if (source.type !== "IndexRange") return null;
  const parts = source.indexName.split(".");
  if (parts.length !== 2) return null;
  const [table, indexName] = parts as [string, string];
  const fields = indexFields(table, indexName);
  if (!fields) return null;
  // Same shape convex-test accepts: eq* on the leading fields, then at most one lower and one upper
  // bound on the next field. Anything else goes to convex-test, which reports the error.
  const eqs: (Value | undefined)[] = [];
  let lower: { v: Value | undefined; strict: boolean } | null = null;
  let upper: { v: Value | undefined; strict: boolean } | null = null;
  for (const f of source.range as RangeFilter[]) {
    const v = boundValue(f.value);
    if (v === FALLBACK) return null;
    if (f.type === "Eq") {
      if (lower || upper || f.fieldPath !== fields[eqs.length]) return null;
      eqs.push(v);
    } else if (f.type === "Gt" || f.type === "Gte") {
      if (lower || f.fieldPath !== fields[eqs.length]) return null;
      lower = { v, strict: f.type === "Gt" };
    } else if (f.type === "Lt" || f.type === "Lte") {
      if (upper || f.fieldPath !== fields[eqs.length]) return null;
      upper = { v, strict: f.type === "Lt" };
    } else {
      return null;
    }
  }
  const m = eqs.length;
  const lo = lower;
  const hi = upper;
  return {
    table,
    indexName,
    fields,
    sortFields: fields,
    order: source.order ?? "asc",
    before: (k) => {
      for (let j = 0; j < m; j++) {
        const c = compareValue(k[j], eqs[j]);
        if (c !== 0) return c < 0;
      }
      if (!lo) return false;
      const c = compareValue(k[m], lo.v);
      return c < 0 || (c === 0 && lo.strict);
    },
    after: (k) => {
      for (let j = 0; j < m; j++) {
        const c = compareValue(k[j], eqs[j]);
        if (c !== 0) return c > 0;
      }
      if (!hi) return false;
      const c = compareValue(k[m], hi.v);
      return c > 0 || (c === 0 && hi.strict);
    },
  };
}
