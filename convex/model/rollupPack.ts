// The packed form of a house shard's current-hour bucket (issue 25, rollupBuckets.ts). Every posting on the shard
// reads and rewrites this bucket, so its size is what each posting pays: the plain form (a "<type>:<kind>" key and an
// {n, dr, cr} object per figure, and each owner kind's positive-balance move) made a settlement's balance writes 40%
// bigger. Packed, each journal type is one array of numbers, and a kind's positive-balance move is not stored: it is
// the kind's normal-side change less its negative-balance move, which `unpackBucket` works out. Exact either way:
// packing stores whatever differs from that derivation, and unpack(pack(b)) === b (tests/convex/rollupPack.test.ts).
import { CHART_OF_ACCOUNTS, normalBalance, type AccountKind } from "../../lib/ledger/accounts";
import type { HourBucket, KindExtras, KindSum, Sums } from "./rollupMath";

/** A stable number per account kind (stored in packed buckets: never renumber, only add). */
export const KIND_CODES: Readonly<Record<AccountKind, number>> = {
  processor_cash: 1,
  platform_fees: 2,
  promotions: 3,
  processor_fees: 4,
  chargeback_losses: 5,
  forgiven_clawbacks: 6,
  client_wallet: 7,
  advisor_pending: 8,
  advisor_available: 9,
  advisor_in_transit: 10,
  advisor_receivable: 11,
  client_held: 12,
};
const KIND_OF_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as AccountKind]));

/** Numbers per figure: a type's [n, dr, cr], then per kind [code, n, dr, cr]; an extra [code, dr, cr, pos adjustment, neg, accounts]. */
const TYPE_WIDTH = 3;
const KIND_WIDTH = 4;
const EXTRA_WIDTH = 6;

/**
 * `t`: per journal type, [n, dr, cr] of the type, then [kind code, n, dr, cr] per kind its journals moved.
 * `x` (left out when empty): per kind whose extras are not all derivable, [code, dr, cr, pos − derived pos, neg, accounts].
 */
export type PackedBucket = { hourStart: number; t: Record<string, number[]>; x?: number[] };

function kindOfCode(code: number): AccountKind {
  const kind = KIND_OF_CODE.get(code);
  if (kind === undefined) throw new Error(`packed rollup bucket: unknown account kind code ${code}`);
  return kind;
}

/** Kind totals from the sums alone (debits and credits per kind, over every type). */
function kindMoves(sums: Sums): Map<string, { dr: number; cr: number }> {
  const out = new Map<string, { dr: number; cr: number }>();
  for (const [key, s] of Object.entries(sums)) {
    const colon = key.indexOf(":");
    if (colon === -1) continue;
    const kind = key.slice(colon + 1);
    const cur = out.get(kind) ?? { dr: 0, cr: 0 };
    out.set(kind, { dr: cur.dr + s.dr, cr: cur.cr + s.cr });
  }
  return out;
}

/**
 * The positive-balance move a kind's sums and extras imply: for an owner kind every balance moves by its normal-side
 * change, so pos + neg = that change (an account counted for the first time brings its earlier debits and credits as
 * extras, and its whole balance as the move); sharded house kinds track no balances (0).
 */
function derivedPos(kind: string, moved: { dr: number; cr: number } | undefined, extra: Partial<KindSum>): number {
  const spec = CHART_OF_ACCOUNTS[kind as AccountKind];
  if (spec === undefined || spec.sharded) return 0;
  const dr = (moved?.dr ?? 0) + (extra.dr ?? 0);
  const cr = (moved?.cr ?? 0) + (extra.cr ?? 0);
  return normalBalance(kind as AccountKind, dr, cr) - (extra.neg ?? 0);
}

export function packBucket(bucket: HourBucket): PackedBucket {
  const t: Record<string, number[]> = {};
  const kindsOf = new Map<string, number[]>();
  for (const [key, s] of Object.entries(bucket.sums)) {
    const colon = key.indexOf(":");
    if (colon === -1) {
      const row = (t[key] ??= [0, 0, 0]);
      row[0] = s.n;
      row[1] = s.dr;
      row[2] = s.cr;
      continue;
    }
    const type = key.slice(0, colon);
    const code = KIND_CODES[key.slice(colon + 1) as AccountKind];
    if (code === undefined) throw new Error(`packed rollup bucket: no code for the figure ${key}`);
    t[type] ??= [0, 0, 0];
    const kinds = kindsOf.get(type) ?? [];
    kinds.push(code, s.n, s.dr, s.cr);
    kindsOf.set(type, kinds);
  }
  for (const [type, kinds] of kindsOf) t[type]!.push(...kinds);

  const moved = kindMoves(bucket.sums);
  const byCode = (a: string, b: string) => KIND_CODES[a as AccountKind] - KIND_CODES[b as AccountKind];
  const kinds = [...new Set([...moved.keys(), ...Object.keys(bucket.kx ?? {})])].sort(byCode);
  const x: number[] = [];
  for (const kind of kinds) {
    const e = bucket.kx?.[kind] ?? {};
    const posAdjustment = (e.pos ?? 0) - derivedPos(kind, moved.get(kind), e);
    const fields = [e.dr ?? 0, e.cr ?? 0, posAdjustment, e.neg ?? 0, e.accounts ?? 0];
    if (fields.some((f) => f !== 0)) x.push(KIND_CODES[kind as AccountKind], ...fields);
  }
  return { hourStart: bucket.hourStart, t, ...(x.length > 0 ? { x } : {}) };
}

export function unpackBucket(packed: PackedBucket): HourBucket {
  const sums: Sums = {};
  for (const [type, row] of Object.entries(packed.t)) {
    // A type's figure exists only with its journals (n > 0); a type row holding only kind figures had none.
    if (row[0]! !== 0 || row[1]! !== 0 || row[2]! !== 0) sums[type] = { n: row[0]!, dr: row[1]!, cr: row[2]! };
    for (let i = TYPE_WIDTH; i < row.length; i += KIND_WIDTH)
      sums[`${type}:${kindOfCode(row[i]!)}`] = { n: row[i + 1]!, dr: row[i + 2]!, cr: row[i + 3]! };
  }
  const extras = new Map<string, Partial<KindSum>>();
  const x = packed.x ?? [];
  for (let i = 0; i < x.length; i += EXTRA_WIDTH) {
    const [dr, cr, posAdjustment, neg, accounts] = x.slice(i + 1, i + EXTRA_WIDTH) as [
      number,
      number,
      number,
      number,
      number,
    ];
    extras.set(kindOfCode(x[i]!), { dr, cr, pos: posAdjustment, neg, accounts });
  }
  const moved = kindMoves(sums);
  const kx: KindExtras = {};
  for (const kind of new Set([...moved.keys(), ...extras.keys()])) {
    const stored = extras.get(kind) ?? {};
    const e: Partial<KindSum> = {};
    if (stored.dr) e.dr = stored.dr;
    if (stored.cr) e.cr = stored.cr;
    if (stored.neg) e.neg = stored.neg;
    if (stored.accounts) e.accounts = stored.accounts;
    const pos = derivedPos(kind, moved.get(kind), e) + (stored.pos ?? 0);
    if (pos !== 0) e.pos = pos;
    if (Object.keys(e).length > 0) kx[kind] = e;
  }
  return { hourStart: packed.hourStart, sums, ...(Object.keys(kx).length > 0 ? { kx } : {}) };
}
