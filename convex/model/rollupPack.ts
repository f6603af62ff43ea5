// The packed form of a house shard's current-hour bucket (issue 25, rollupBuckets.ts). Every posting on the shard
// reads and rewrites this bucket, so what it costs to store is what each posting pays. The plain form (an
// {n, dr, cr} object per "<type>:<kind>" figure and each owner kind's positive-balance move) made every engine step of
// a posting walk ~25 values: serializing the patch, parsing and validating it, sizing it, logging it, copying it out
// on the next read. Packed, the bucket is ONE string, `"<hourStart>|<sums>|<extras>"`: sums are
// `"<key>=<n>,<dr>,<cr>"` per figure joined by ";" (keys as in Sums, integers in decimal: exact), which every step
// handles as one value. A kind's positive-balance move is not stored: it is the kind's normal-side change less its
// negative-balance move, which `unpackBucket` works out; `extras` holds what that derivation does not give. Every
// stored number is a sum (the derivation is linear), so a posting adds its own packed figures to the row's string key
// by key (`addPacked`) without unpacking the bucket. Exact either way (tests/unit/rollupPack.test.ts).
import { CHART_OF_ACCOUNTS, normalBalance, type AccountKind } from "../../lib/ledger/accounts";
import type { HourBucket, KindExtras, KindSum, Sums } from "./rollupMath";

/**
 * `"<hourStart>|<sums>|<extras>"`. `sums`: `"<key>=<n>,<dr>,<cr>"` per figure, joined by ";". `extras` (empty when
 * none): `"<kind>=<dr>,<cr>,<pos − derived pos>,<neg>,<accounts>"` per kind whose extras are not all derivable.
 */
export type PackedBucket = string;
/** The packed bucket's first form, an object (rows written before the one-string form): read, never written. */
export type PackedBucketObject = { hourStart: number; sums: string; extras?: string };

const EXTRA_FIELDS = ["dr", "cr", "pos", "neg", "accounts"] as const;

/** Journal types and account kinds are lowercase words and "_": they never hold a separator. */
const KEY = /^[a-z_]+(:[a-z_]+)?$/;

function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`packed rollup bucket: "${key}" cannot be a figure's key`);
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

/** "a,b,c" → numbers; anything but safe integers is a corrupt bucket. */
function numbers(text: string, count: number, where: string): number[] {
  const out = text.split(",").map(Number);
  if (out.length !== count || !out.every(Number.isSafeInteger))
    throw new Error(`packed rollup bucket: "${where}" does not hold ${count} whole numbers`);
  return out;
}

/** "<key>=<numbers>;…" → [key, numbers] pairs. */
function entries(text: string, count: number): [string, number[]][] {
  if (text === "") return [];
  return text.split(";").map((entry) => {
    const eq = entry.indexOf("=");
    return [entry.slice(0, eq), numbers(entry.slice(eq + 1), count, entry)];
  });
}

type Figure = [key: string, values: number[]];

/** A bucket's figures as they are packed: its sums, and its extras that are not all zero. Runs in every posting. */
function figuresOf(bucket: Pick<HourBucket, "sums" | "kx">): { sums: Figure[]; extras: Figure[] } {
  const sums: Figure[] = [];
  for (const [key, s] of Object.entries(bucket.sums)) {
    assertKey(key);
    sums.push([key, [s.n, s.dr, s.cr]]);
  }
  const moved = kindMoves(bucket.sums);
  const kx = bucket.kx ?? {};
  const extras: Figure[] = [];
  const addExtra = (kind: string) => {
    const e = kx[kind] ?? {};
    const fields = [
      e.dr ?? 0,
      e.cr ?? 0,
      (e.pos ?? 0) - derivedPos(kind, moved.get(kind), e),
      e.neg ?? 0,
      e.accounts ?? 0,
    ];
    if (fields.some((f) => f !== 0)) {
      assertKey(kind);
      extras.push([kind, fields]);
    }
  };
  for (const kind of moved.keys()) addExtra(kind);
  for (const kind in kx) if (!moved.has(kind)) addExtra(kind);
  return { sums, extras };
}

const joined = (figures: readonly Figure[]) => figures.map(([key, values]) => `${key}=${values.join(",")}`).join(";");

export function packBucket(bucket: HourBucket): PackedBucket {
  const { sums, extras } = figuresOf(bucket);
  return `${bucket.hourStart}|${joined(sums)}|${joined(extras)}`;
}

/** The three parts of a packed bucket (either form). */
function parts(packed: PackedBucket | PackedBucketObject): { hourStart: number; sums: string; extras: string } {
  if (typeof packed !== "string")
    return { hourStart: packed.hourStart, sums: packed.sums, extras: packed.extras ?? "" };
  const bar = packed.indexOf("|");
  const bar2 = packed.indexOf("|", bar + 1);
  const hourStart = Number(packed.slice(0, bar));
  if (bar === -1 || bar2 === -1 || packed.includes("|", bar2 + 1) || !Number.isSafeInteger(hourStart))
    throw new Error(`packed rollup bucket: "${packed.slice(0, 80)}" is not "<hour>|<sums>|<extras>"`);
  return { hourStart, sums: packed.slice(bar + 1, bar2), extras: packed.slice(bar2 + 1) };
}

/** The hour a packed bucket holds (cheap: the bucket's figures are not read). */
export function packedHour(packed: PackedBucket): number {
  return Number(packed.slice(0, packed.indexOf("|")));
}

/** Where the figure `key` starts in `packed` ("<key>=<numbers>;…"), or -1. */
function figureAt(packed: string, key: string): number {
  const search = key + "=";
  let at = packed.indexOf(search);
  while (at > 0 && packed.charCodeAt(at - 1) !== SEMICOLON) at = packed.indexOf(search, at + 1);
  return at;
}
const SEMICOLON = 59;

/**
 * `add`'s figures added to those in `packed`, key by key; a figure that comes to all zeros goes. Only the figures
 * `add` names are read (a posting touches a handful of the bucket's many), with plain string steps: this runs in
 * every posting.
 */
function addFigures(packed: string, add: readonly Figure[]): string {
  let out = packed;
  for (const [key, more] of add) {
    const at = figureAt(out, key);
    if (at === -1) {
      out = (out === "" ? "" : out + ";") + key + "=" + more.join(",");
      continue;
    }
    const from = at + key.length + 1;
    const semicolon = out.indexOf(";", from);
    const to = semicolon === -1 ? out.length : semicolon;
    let text = "";
    let zero = true;
    let start = from;
    for (let i = 0; i < more.length; i++) {
      const comma = i === more.length - 1 ? to : out.indexOf(",", start);
      const value = Number(out.slice(start, comma)) + more[i]!;
      if (comma === -1 || comma > to || !Number.isSafeInteger(value))
        throw new Error(`packed rollup bucket: "${key}" does not hold ${more.length} whole numbers`);
      if (value !== 0) zero = false;
      text += (i === 0 ? "" : ",") + value;
      start = comma + 1;
    }
    if (!zero) out = out.slice(0, from) + text + out.slice(to);
    else out = at === 0 ? out.slice(semicolon === -1 ? to : to + 1) : out.slice(0, at - 1) + out.slice(to);
  }
  return out;
}

/**
 * A packed bucket with a posting's figures added (its own sums and kind changes), keeping the bucket's hour: what
 * packing the two merged holds (keys may come in another order). Every stored number is a sum, so nothing else of
 * the bucket is unpacked.
 */
export function addPacked(into: PackedBucket, add: Pick<HourBucket, "sums" | "kx">): PackedBucket {
  const a = parts(into);
  const { sums, extras } = figuresOf(add);
  return `${a.hourStart}|${addFigures(a.sums, sums)}|${addFigures(a.extras, extras)}`;
}

export function unpackBucket(bucket: PackedBucket | PackedBucketObject): HourBucket {
  const packed = parts(bucket);
  const sums: Sums = {};
  for (const [key, [n, dr, cr]] of entries(packed.sums, 3)) sums[key] = { n: n!, dr: dr!, cr: cr! };
  const stored = new Map<string, Partial<KindSum>>();
  for (const [kind, values] of entries(packed.extras, EXTRA_FIELDS.length))
    stored.set(kind, Object.fromEntries(EXTRA_FIELDS.map((field, i) => [field, values[i]!])));
  const moved = kindMoves(sums);
  const kx: KindExtras = {};
  for (const kind of new Set([...moved.keys(), ...stored.keys()])) {
    const s = stored.get(kind) ?? {};
    const e: Partial<KindSum> = {};
    for (const field of ["dr", "cr", "neg", "accounts"] as const) if (s[field]) e[field] = s[field];
    const pos = derivedPos(kind, moved.get(kind), e) + (s.pos ?? 0);
    if (pos !== 0) e.pos = pos;
    if (Object.keys(e).length > 0) kx[kind] = e;
  }
  return { hourStart: packed.hourStart, sums, ...(Object.keys(kx).length > 0 ? { kx } : {}) };
}

/** An advisor's current-hour earning (rollupBuckets.ts); on the balance row as `"<hourStart>,<keptCents>,<sessions>"`. */
export type EarningBucket = { hourStart: number; keptCents: number; sessions: number };

export function packEarning(bucket: EarningBucket): string {
  return `${bucket.hourStart},${bucket.keptCents},${bucket.sessions}`;
}

/** Either form: the string postings write, or the object rows written before it hold. */
export function unpackEarning(packed: string | EarningBucket): EarningBucket {
  if (typeof packed !== "string") return packed;
  const [hourStart, keptCents, sessions] = numbers(packed, 3, packed);
  return { hourStart: hourStart!, keptCents: keptCents!, sessions: sessions! };
}
