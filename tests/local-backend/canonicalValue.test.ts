// The local backend hands queried documents to functions as the JSON round trip would give them
// (local/convex-backend/queryCollect.ts): canonicalValue must equal jsonToConvex(convexToJson(v)) exactly, field
// order included, for every value a document can hold, and return fresh objects.
import fc from "fast-check";
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import { describe, expect, it } from "vitest";
import { canonicalValue } from "../../local/convex-backend/queryCollect";

const field = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,6}$/);
const leaf: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(), // NaN, -0, infinities included
  fc.integer(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.string(),
  fc.uint8Array({ maxLength: 8 }).map((a) => a.buffer.slice(0) as ArrayBuffer),
);
const { value } = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(field, tie("value"), { maxKeys: 5 }),
  ),
}));

const roundTrip = (v: Value) => jsonToConvex(convexToJson(v));

describe("canonicalValue", () => {
  it("equals the JSON round trip, field order included", () => {
    fc.assert(
      fc.property(value, (v) => {
        const fast = canonicalValue(v);
        const slow = roundTrip(v);
        expect(fast).toStrictEqual(slow);
        // Same field order: JSON text of the two (bytes and bigints through convexToJson) is identical.
        expect(JSON.stringify(convexToJson(fast))).toBe(JSON.stringify(convexToJson(slow)));
      }),
      { numRuns: 500 },
    );
  });

  it("sorts fields, drops undefined ones and copies objects, arrays and bytes", () => {
    const bytes = new Uint8Array([1, 2]).buffer;
    const doc = { b: 1, a: { d: [1, { z: 1, y: 2 }], c: bytes }, u: undefined } as unknown as Value;
    const out = canonicalValue(doc) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["a", "b"]);
    expect(Object.keys((out.a as { d: unknown[] }).d[1] as object)).toEqual(["y", "z"]);
    expect(out.a).not.toBe((doc as Record<string, unknown>).a);
    expect((out.a as { c: ArrayBuffer }).c).not.toBe(bytes);
    expect(new Uint8Array((out.a as { c: ArrayBuffer }).c)).toEqual(new Uint8Array([1, 2]));
  });
});
