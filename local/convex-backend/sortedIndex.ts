/**
 * In-memory ordered index used by the local backend's query path (see
 * internals.ts): a chunked sorted list of (key, doc) entries ordered by
 * Convex's value order (`compareValues` from convex/values), compared field by
 * field. Keys end with `_id`, so they are unique per document.
 *
 * Insert, delete and seek are O(log n) plus a memmove inside one chunk
 * (at most MAX_CHUNK entries); iterating a range is O(k).
 */
import { compareValues, type Value } from "convex/values";

export type Key = (Value | undefined)[];

export interface Entry<D> {
  key: Key;
  doc: D;
}

/** Code units whose UTF-16 order can differ from code point order (surrogates and what sorts after them). */
const MAY_REORDER = /[\uD800-\uFFFF]/;

/**
 * `compareValues` with fast paths for the common cases (two strings without
 * surrogates, two ordinary numbers). Only the sign of the result is meaningful.
 */
export function compareValue(a: Value | undefined, b: Value | undefined): number {
  const ta = typeof a;
  if (ta === "string" && typeof b === "string") {
    if (a === b) return 0;
    // Without surrogates or code units above them, UTF-16 code unit order (the engine's native `<`) is code
    // point order, i.e. UTF-8 byte order; ids share long zero-padded prefixes, which a JS loop walks slowly.
    if (!MAY_REORDER.test(a as string) && !MAY_REORDER.test(b)) return (a as string) < b ? -1 : 1;
    return Math.sign(compareValues(a as string, b));
  }
  if (ta === "number" && typeof b === "number") {
    const x = a as number;
    // NaN and signed zeros have their own order in Convex; leave them to compareValues.
    if (x === x && b === b && x !== 0 && b !== 0) return x < b ? -1 : x > b ? 1 : 0;
  }
  return Math.sign(compareValues(a as Value, b as Value));
}

/** Lexicographic comparison of two keys (a shorter key that is a prefix sorts first). */
export function compareKeys(a: Key, b: Key): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const c = compareValue(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

const MAX_CHUNK = 512;

/** Position of an entry: chunk number and offset within the chunk. */
export interface Pos {
  c: number;
  i: number;
}

export class SortedIndex<D> {
  private chunks: Entry<D>[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Builds from entries in any order. */
  static from<D>(entries: Entry<D>[]): SortedIndex<D> {
    const idx = new SortedIndex<D>();
    entries.sort((x, y) => compareKeys(x.key, y.key));
    for (let s = 0; s < entries.length; s += MAX_CHUNK / 2) {
      idx.chunks.push(entries.slice(s, s + MAX_CHUNK / 2));
    }
    idx.count = entries.length;
    return idx;
  }

  /**
   * First position whose entry is not `before` (a predicate that is true for a
   * prefix of the order and false after it). Returns {c: chunks.length, i: 0} at the end.
   */
  seek(before: (key: Key) => boolean): Pos {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    // first chunk whose last entry is not before
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const ch = chunks[mid]!;
      if (before(ch[ch.length - 1]!.key)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === chunks.length) return { c: lo, i: 0 };
    const ch = chunks[lo]!;
    let a = 0;
    let b = ch.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (before(ch[mid]!.key)) a = mid + 1;
      else b = mid;
    }
    return { c: lo, i: a };
  }

  private seekKey(key: Key): Pos {
    return this.seek((k) => compareKeys(k, key) < 0);
  }

  insert(key: Key, doc: D): void {
    const entry = { key, doc };
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
      this.count = 1;
      return;
    }
    let { c, i } = this.seekKey(key);
    if (c === this.chunks.length) {
      c -= 1;
      i = this.chunks[c]!.length;
    }
    const ch = this.chunks[c]!;
    if (i === ch.length) ch.push(entry);
    else ch.splice(i, 0, entry);
    this.count += 1;
    if (ch.length > MAX_CHUNK) {
      const tail = ch.splice(ch.length >>> 1);
      this.chunks.splice(c + 1, 0, tail);
    }
  }

  /** Removes the entry with exactly this key; returns whether it existed. */
  remove(key: Key): boolean {
    const { c, i } = this.seekKey(key);
    const ch = this.chunks[c];
    if (!ch || i >= ch.length || compareKeys(ch[i]!.key, key) !== 0) return false;
    if (i === ch.length - 1) ch.pop();
    else ch.splice(i, 1);
    this.count -= 1;
    if (ch.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** Replaces the document of the entry with exactly this key; returns whether it existed. */
  replace(key: Key, doc: D): boolean {
    const { c, i } = this.seekKey(key);
    const ch = this.chunks[c];
    if (!ch || i >= ch.length || compareKeys(ch[i]!.key, key) !== 0) return false;
    ch[i] = { key, doc };
    return true;
  }

  /**
   * Visits entries in [from, to) ascending, or descending (starting just
   * before `to`) when `reverse`. Stops when `visit` returns false.
   */
  scan(from: Pos, to: Pos, reverse: boolean, visit: (e: Entry<D>) => boolean): void {
    const chunks = this.chunks;
    if (!reverse) {
      let { c, i } = from;
      while (c < to.c || (c === to.c && i < to.i)) {
        const ch = chunks[c]!;
        if (i >= ch.length) {
          c += 1;
          i = 0;
          continue;
        }
        if (!visit(ch[i]!)) return;
        i += 1;
      }
    } else {
      let c = to.c;
      let i = to.i - 1;
      for (;;) {
        if (i < 0) {
          c -= 1;
          if (c < 0) return;
          i = chunks[c]!.length - 1;
          continue;
        }
        if (c < from.c || (c === from.c && i < from.i)) return;
        if (!visit(chunks[c]![i]!)) return;
        i -= 1;
      }
    }
  }

  /** Start and end positions. */
  start(): Pos {
    return { c: 0, i: 0 };
  }

  end(): Pos {
    return { c: this.chunks.length, i: 0 };
  }
}
