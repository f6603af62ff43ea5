/**
 * Values worked out once per committed document (its JSON, its canonical copy, its size): a write stores a new
 * document object, never changes one in place, so a document object is a safe key. Bounded: two generations of at
 * most `capacity` entries; a hit in the older one moves the entry to the newer, and when the newer is full it becomes
 * the older (the oldest generation is dropped). The documents read over and over (balance rows, accounts) stay; a
 * walk over the whole database (the ledger checker) no longer keeps a copy of every document it read: with a WeakMap
 * per cache it did, and at 10% scale (4.2 million documents read) that grew the heap by gigabytes, and with it the
 * garbage collector's work charged to transactions.
 */
import type { Doc } from "./types";

export class DocCache<V> {
  private newer = new Map<Doc, V>();
  private older = new Map<Doc, V>();

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error("DocCache: capacity must be at least 1");
  }

  get(doc: Doc): V | undefined {
    const hit = this.newer.get(doc);
    if (hit !== undefined) return hit;
    const old = this.older.get(doc);
    if (old !== undefined) this.set(doc, old);
    return old;
  }

  set(doc: Doc, value: V): void {
    this.newer.set(doc, value);
    if (this.newer.size >= this.capacity) {
      this.older = this.newer;
      this.newer = new Map();
    }
  }

  /** Entries held (at most 2 × capacity). */
  get size(): number {
    return this.newer.size + this.older.size;
  }
}

/** Entries per generation of each document cache: far more than the documents one busy page or posting reads. */
export const DOC_CACHE_CAPACITY = 50_000;
