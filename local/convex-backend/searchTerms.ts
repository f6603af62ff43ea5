/**
 * Building blocks of the text search index (searchIndex.ts): Convex's search limits, convex-test's words of a
 * search field, keys of filter values, a chunked sorted set of terms (prefix lookups), posting lists kept as
 * ascending arrays of document sequence numbers, and a lazy k-way union of such lists.
 * Terms compare by UTF-16 code units (the engine's `<`), in which all terms sharing a prefix (`startsWith`)
 * are contiguous.
 */
import type { Value } from "convex/values";
import type { Doc } from "./types";
import { fieldValue } from "./values";

/** Convex's limits on search queries (crates/search/src/constants.rs). */
export const SEARCH_LIMITS = { queryTerms: 16, filterConditions: 8, candidates: 1024 } as const;

export function tooManyCandidates(): Error {
  return new Error(
    `Search query scanned too many documents (fetched ${SEARCH_LIMITS.candidates}). Consider using a smaller ` +
      "limit, paginating the query, or using a filter field to limit the number of documents pulled from the " +
      "search index.",
  );
}

const MAX_CHUNK = 512;

/** First index in `xs` (ascending) whose element is not below `x` (a strict-weak `<` order). */
function lowerBound<T>(xs: readonly T[], x: T): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A set of strings in code-unit order; insert/remove O(log n) plus a move within one chunk. */
export class SortedTerms {
  private chunks: string[][] = [];

  /** Builds from distinct strings in any order. */
  static from(terms: string[]): SortedTerms {
    const s = new SortedTerms();
    terms.sort();
    for (let i = 0; i < terms.length; i += MAX_CHUNK / 2) s.chunks.push(terms.slice(i, i + MAX_CHUNK / 2));
    return s;
  }

  /** The chunk that holds (or would hold) `term`. */
  private chunkOf(term: string): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const ch = chunks[mid]!;
      if (ch[ch.length - 1]! < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(term: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([term]);
      return;
    }
    const c = Math.min(this.chunkOf(term), this.chunks.length - 1);
    const ch = this.chunks[c]!;
    const i = lowerBound(ch, term);
    if (ch[i] === term) return;
    ch.splice(i, 0, term);
    if (ch.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, ch.splice(ch.length >>> 1));
  }

  remove(term: string): void {
    const c = this.chunkOf(term);
    const ch = this.chunks[c];
    if (!ch) return;
    const i = lowerBound(ch, term);
    if (ch[i] !== term) return;
    ch.splice(i, 1);
    if (ch.length === 0) this.chunks.splice(c, 1);
  }

  /** Visits every term that starts with `prefix`, in order. */
  withPrefix(prefix: string, visit: (term: string) => void): void {
    const first = this.chunkOf(prefix);
    for (let c = first; c < this.chunks.length; c++) {
      const ch = this.chunks[c]!;
      for (let i = c === first ? lowerBound(ch, prefix) : 0; i < ch.length; i++) {
        if (!ch[i]!.startsWith(prefix)) return;
        visit(ch[i]!);
      }
    }
  }
}

/** Adds `seq` to an ascending posting list (usually at the end: new documents get the highest number). */
export function addPosting(list: number[], seq: number): void {
  if (list.length === 0 || list[list.length - 1]! < seq) list.push(seq);
  else {
    const i = lowerBound(list, seq);
    if (list[i] !== seq) list.splice(i, 0, seq);
  }
}

/** Removes `seq` from an ascending posting list; returns the list's new length. */
export function removePosting(list: number[], seq: number): number {
  const i = lowerBound(list, seq);
  if (list[i] === seq) list.splice(i, 1);
  return list.length;
}

/**
 * Visits the union of ascending lists in ascending order, each number once, until `visit` returns false.
 * A binary heap of list cursors: O(log k) per number.
 */
export function unionAscending(lists: readonly number[][], visit: (seq: number) => boolean): void {
  if (lists.length === 1) {
    for (const seq of lists[0]!) if (!visit(seq)) return;
    return;
  }
  // heap of [list index, position], ordered by lists[l][p]
  const heapL: number[] = [];
  const heapP: number[] = [];
  const at = (h: number) => lists[heapL[h]!]![heapP[h]!]!;
  const swap = (a: number, b: number) => {
    [heapL[a], heapL[b]] = [heapL[b]!, heapL[a]!];
    [heapP[a], heapP[b]] = [heapP[b]!, heapP[a]!];
  };
  const down = (h: number) => {
    const n = heapL.length;
    for (;;) {
      const l = 2 * h + 1;
      const r = l + 1;
      let m = h;
      if (l < n && at(l) < at(m)) m = l;
      if (r < n && at(r) < at(m)) m = r;
      if (m === h) return;
      swap(h, m);
      h = m;
    }
  };
  for (let l = 0; l < lists.length; l++) {
    if (lists[l]!.length === 0) continue;
    heapL.push(l);
    heapP.push(0);
  }
  for (let h = (heapL.length >>> 1) - 1; h >= 0; h--) down(h);
  let last = -1;
  while (heapL.length > 0) {
    const seq = at(0);
    if (seq !== last) {
      last = seq;
      if (!visit(seq)) return;
    }
    heapP[0]! += 1;
    if (heapP[0]! >= lists[heapL[0]!]!.length) {
      const end = heapL.length - 1;
      swap(0, end);
      heapL.pop();
      heapP.pop();
    }
    down(0);
  }
}

/** A string per value such that values equal under compareValues have the same string. */
export function valueKey(v: Value | undefined): string {
  if (v === undefined) return "u";
  if (v === null) return "n";
  switch (typeof v) {
    case "bigint":
      return `i${v}`;
    case "number": {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, v);
      return `f${view.getBigUint64(0).toString(16)}`;
    }
    case "boolean":
      return v ? "T" : "F";
    case "string":
      return `s${JSON.stringify(v)}`;
  }
  if (v instanceof ArrayBuffer) return `y${new Uint8Array(v).join(",")}`;
  if (Array.isArray(v)) return `a[${v.map(valueKey).join(",")}]`;
  const obj = v as Record<string, Value>;
  return `o{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${valueKey(obj[k])}`)
    .join(",")}}`;
}

/** convex-test's words of a search field (split on whitespace, lowercased), distinct; null: not a string. */
export function wordsOf(doc: Doc, path: string[]): string[] | null {
  const text = fieldValue(doc, path);
  if (typeof text !== "string") return null;
  const words = new Set<string>();
  for (const w of text.split(/\s+/)) if (w.length > 0) words.add(w.toLowerCase());
  return [...words];
}

/** convex-test's terms of a search query (lowercased, split on whitespace); Convex uses the first 16. */
export function queryTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .slice(0, SEARCH_LIMITS.queryTerms);
}

export function textMatch(words: readonly string[], terms: readonly string[]): boolean {
  return terms.some((t) => words.some((w) => w.startsWith(t)));
}
