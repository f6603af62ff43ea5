// The local backend's per-document caches (local/convex-backend/docCache.ts) stay bounded however many documents
// are read, and keep the ones read over and over.
import { describe, expect, it } from "vitest";
import { DocCache } from "../../local/convex-backend/docCache";
import type { Doc } from "../../local/convex-backend/types";

const doc = (i: number) => ({ _id: `${i}docs`, _creationTime: i }) as unknown as Doc;

describe("DocCache", () => {
  it("holds at most two generations, keeps a document read in every generation, and forgets one-off reads", () => {
    const cache = new DocCache<number>(100);
    const hot = doc(-1);
    cache.set(hot, 42);
    for (let i = 0; i < 10_000; i++) {
      const d = doc(i);
      expect(cache.get(d)).toBeUndefined();
      cache.set(d, i);
      expect(cache.get(d)).toBe(i);
      if (i % 50 === 0) expect(cache.get(hot)).toBe(42); // read again within each generation
      expect(cache.size).toBeLessThanOrEqual(200);
    }
    expect(cache.get(hot)).toBe(42);
    expect(cache.get(doc(0))).toBeUndefined(); // read once, long ago
  });

  it("refuses a capacity below one", () => {
    expect(() => new DocCache(0)).toThrow(/capacity/);
  });
});
