// The packed current-hour bucket (convex/model/rollupPack.ts): unpacking gives back the same journal sums and the
// same kind changes (as hotRowKinds reads them) for any bucket postings can build, including accounts counted for
// the first time, balances crossing zero and figures that cancel out; a settlement's bucket is one string, and a
// posting's figures added to that string (without unpacking it) give what merging and packing would.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACCOUNT_KINDS, CHART_OF_ACCOUNTS, normalBalance, type AccountKind } from "../../lib/ledger/accounts";
import { JOURNAL_TYPES } from "../../lib/ledger/legs";
import {
  addExtras,
  hotRowKinds,
  kindExtras,
  mergeSums,
  type AccountMove,
  type HourBucket,
} from "../../convex/model/rollupMath";
import { journalSums } from "../../convex/model/rollups";
import { addPacked, packBucket, packEarning, unpackBucket, unpackEarning } from "../../convex/model/rollupPack";

const moveArb: fc.Arbitrary<RawMove> = fc.record({
  kind: fc.constantFrom(...ACCOUNT_KINDS),
  owned: fc.boolean(),
  debitsCents: fc.nat(100_000),
  creditsCents: fc.nat(100_000),
  beforeDr: fc.nat(1_000_000),
  beforeCr: fc.nat(1_000_000),
  counted: fc.boolean(),
});

/** A journal's moves as postJournal builds them: sharded house kinds carry no balance before the posting. */
type RawMove = {
  kind: AccountKind;
  owned: boolean;
  debitsCents: number;
  creditsCents: number;
  beforeDr: number;
  beforeCr: number;
  counted: boolean;
};
type RawJournal = { type: (typeof JOURNAL_TYPES)[number]; amountCents: number; moves: RawMove[] };

function toMoves(raw: RawMove[]): AccountMove[] {
  return raw.map((m) => {
    const sharded = CHART_OF_ACCOUNTS[m.kind].sharded;
    const balance = normalBalance(m.kind, m.beforeDr, m.beforeCr);
    return {
      kind: m.kind,
      ownerId: (m.owned ? "user1" : null) as AccountMove["ownerId"],
      debitsCents: m.debitsCents,
      creditsCents: m.creditsCents,
      beforeDr: sharded ? 0 : m.beforeDr,
      beforeCr: sharded ? 0 : m.beforeCr,
      beforeCents: sharded ? null : balance,
      counted: sharded ? true : m.counted,
    };
  });
}

const journalArb: fc.Arbitrary<RawJournal> = fc.record({
  type: fc.constantFrom(...JOURNAL_TYPES),
  amountCents: fc.integer({ min: 1, max: 100_000 }),
  moves: fc.array(moveArb, { minLength: 1, maxLength: 4 }),
});

/** A bucket as postings build it: each journal's sums and kind extras added in turn. */
function bucketOf(journals: RawJournal[]): HourBucket {
  const bucket: HourBucket = { hourStart: 1_765_000_800_000, sums: {}, kx: {} };
  for (const j of journals) {
    const moves = toMoves(j.moves);
    mergeSums(bucket.sums, journalSums({ type: j.type, amountCents: j.amountCents, moves }));
    addExtras(bucket.kx!, kindExtras(moves));
  }
  return bucket;
}

describe("packed rollup bucket", () => {
  it("unpacks to the same sums and kind changes", () => {
    fc.assert(
      fc.property(fc.array(journalArb, { minLength: 1, maxLength: 30 }), (journals) => {
        const bucket = bucketOf(journals);
        const round = unpackBucket(packBucket(bucket));
        expect(round.hourStart).toBe(bucket.hourStart);
        expect(round.sums).toEqual(bucket.sums);
        expect(hotRowKinds(round)).toEqual(hotRowKinds(bucket));
        // Packing again gives the same packed form (the bucket is rewritten by every posting).
        expect(packBucket(round)).toEqual(packBucket(bucket));
      }),
      { numRuns: 300 },
    );
  });

  it("stores a settlement's figures as one string and its positive-balance moves as nothing", () => {
    const moves = toMoves([
      {
        kind: "client_wallet",
        owned: true,
        debitsCents: 100,
        creditsCents: 0,
        beforeDr: 0,
        beforeCr: 5_000,
        counted: true,
      },
      {
        kind: "advisor_pending",
        owned: true,
        debitsCents: 0,
        creditsCents: 90,
        beforeDr: 0,
        beforeCr: 500,
        counted: true,
      },
      {
        kind: "platform_fees",
        owned: false,
        debitsCents: 0,
        creditsCents: 10,
        beforeDr: 0,
        beforeCr: 0,
        counted: true,
      },
    ]);
    const bucket: HourBucket = {
      hourStart: 1_765_000_800_000,
      sums: journalSums({ type: "session_settled", amountCents: 100, moves }),
      kx: kindExtras(moves),
    };
    expect(packBucket(bucket)).toBe(
      "1765000800000|session_settled=1,100,0;session_settled:client_wallet=1,100,0;session_settled:advisor_pending=1,0,90;session_settled:platform_fees=1,0,10|",
    );
  });

  it("adds a posting's packed figures to a bucket string as merging the buckets and packing them would", () => {
    fc.assert(
      fc.property(
        fc.array(journalArb, { minLength: 1, maxLength: 20 }),
        fc.array(journalArb, { minLength: 1, maxLength: 3 }),
        (earlier, posting) => {
          const into = bucketOf(earlier);
          const add = bucketOf(posting);
          const both = bucketOf([...earlier, ...posting]);
          const sum = unpackBucket(addPacked(packBucket(into), add));
          expect(sum.hourStart).toBe(both.hourStart);
          expect(sum.sums).toEqual(both.sums);
          expect(hotRowKinds(sum)).toEqual(hotRowKinds(both));
          // The same figures as packing the merged bucket (the order of keys aside).
          const sorted = (p: string) => p.split("|").map((part) => part.split(";").sort().join(";"));
          expect(sorted(addPacked(packBucket(into), add))).toEqual(sorted(packBucket(both)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("drops a figure that comes to all zeros, wherever it stands, and appends a new one", () => {
    const into = "7|top_up=1,5,0|client_wallet=0,0,0,0,1;advisor_pending=1,2,3,4,5;payout_fees=0,0,0,0,2";
    const uncount = (kind: string, accounts: number) => ({ [kind]: { accounts } });
    const sums = { top_up: { n: 1, dr: 1, cr: 0 } };
    expect(addPacked(into, { sums, kx: uncount("client_wallet", -1) })).toBe(
      "7|top_up=2,6,0|advisor_pending=1,2,3,4,5;payout_fees=0,0,0,0,2",
    );
    expect(addPacked(into, { sums, kx: uncount("payout_fees", -2) })).toBe(
      "7|top_up=2,6,0|client_wallet=0,0,0,0,1;advisor_pending=1,2,3,4,5",
    );
    expect(addPacked("7|top_up=1,5,0|client_wallet=0,0,0,0,1", { sums, kx: uncount("client_wallet", -1) })).toBe(
      "7|top_up=2,6,0|",
    );
    expect(addPacked("7|top_up=1,5,0|", { sums: { refund: { n: 1, dr: 9, cr: 0 } } })).toBe(
      "7|top_up=1,5,0;refund=1,9,0|",
    );
  });

  it("reads the first packed form (an object) and earning buckets in either form", () => {
    const bucket = { hourStart: 7_200_000, sums: "top_up=2,500,0;top_up:client_wallet=2,0,500" };
    expect(unpackBucket(bucket)).toEqual(unpackBucket("7200000|top_up=2,500,0;top_up:client_wallet=2,0,500|"));
    expect(unpackBucket(bucket).sums.top_up).toEqual({ n: 2, dr: 500, cr: 0 });
    const earning = { hourStart: 3_600_000, keptCents: -250, sessions: 2 };
    expect(packEarning(earning)).toBe("3600000,-250,2");
    expect(unpackEarning(packEarning(earning))).toEqual(earning);
    expect(unpackEarning(earning)).toEqual(earning);
  });

  it("refuses a bucket that does not hold whole numbers, and keys that would break the format", () => {
    expect(() => unpackBucket({ hourStart: 0, sums: "top_up=1,5" })).toThrow(/does not hold 3 whole numbers/);
    expect(() => unpackBucket("0|top_up=1,5,0")).toThrow(/is not "<hour>\|<sums>\|<extras>"/);
    expect(() => unpackEarning("0,1")).toThrow(/does not hold 3 whole numbers/);
    const topUp = { sums: { top_up: { n: 1, dr: 5, cr: 0 } } };
    expect(() => addPacked("0|top_up=1,5|", topUp)).toThrow(/"top_up" does not hold 3 whole numbers/);
    expect(() => addPacked("0|top_up=1,5,0,7|", topUp)).toThrow(/does not hold 3 whole numbers/);
    expect(() => addPacked("0|top_up=1,5,x|", topUp)).toThrow(/does not hold 3 whole numbers/);
    expect(() => unpackBucket({ hourStart: 0, sums: "top_up=1,5,0.5" })).toThrow(/whole numbers/);
    expect(() => packBucket({ hourStart: 0, sums: { "top;up": { n: 1, dr: 5, cr: 0 } } })).toThrow(
      /cannot be a figure's key/,
    );
  });
});
