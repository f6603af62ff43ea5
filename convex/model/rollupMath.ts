// The arithmetic of the maintained totals (issue 25; see rollups.ts): sums per journal type and account kind, the kind
// totals a posting moves, and the compact form of a hot row (its kind changes beyond its own sums).
import type { Doc, Id } from "../_generated/dataModel";
import { normalBalance, type AccountKind } from "../../lib/ledger/accounts";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Sum = { n: number; dr: number; cr: number };
export type Sums = Record<string, Sum>;
export type KindSum = { dr: number; cr: number; pos: number; neg: number; accounts: number };
export type KindExtras = Record<string, Partial<KindSum>>;
/** One hour's journal sums and kind changes (a house shard's current-hour bucket, unpacked: rollupPack.ts). */
export type HourBucket = { hourStart: number; sums: Sums; kx?: KindExtras };

export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
export const utcDayOf = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

export function addSum(into: Sums, key: string, s: Sum): void {
  const cur = into[key] ?? { n: 0, dr: 0, cr: 0 };
  into[key] = { n: cur.n + s.n, dr: cur.dr + s.dr, cr: cur.cr + s.cr };
}

export function mergeSums(into: Sums, from: Sums): Sums {
  for (const [key, s] of Object.entries(from)) addSum(into, key, s);
  return into;
}

/** One account's move in a posting: its net debits/credits and its state before (see `counted`). */
export type AccountMove = {
  kind: AccountKind;
  ownerId: Id<"users"> | null;
  debitsCents: number;
  creditsCents: number;
  /** Debits and credits of the account before this posting (all shards). Only read when `counted` is false. */
  beforeDr: number;
  beforeCr: number;
  /** Normal-side balance before the posting; null for sharded house accounts (their total is not read per posting). */
  beforeCents: number | null;
  /** Already in ledgerKindTotals: add only this posting's change. False: add the whole account (first time counted). */
  counted: boolean;
};

/**
 * The kind totals a set of moves adds. A counted account adds its change (positive and negative balances move by
 * the difference); an account counted for the first time adds everything it holds (what it had + the change).
 */
export function kindDeltas(moves: readonly AccountMove[]): Record<string, KindSum> {
  const out: Record<string, KindSum> = {};
  for (const m of moves) {
    const cur = out[m.kind] ?? { dr: 0, cr: 0, pos: 0, neg: 0, accounts: 0 };
    cur.dr += m.debitsCents + (m.counted ? 0 : m.beforeDr);
    cur.cr += m.creditsCents + (m.counted ? 0 : m.beforeCr);
    if (m.beforeCents !== null) {
      const after = m.beforeCents + normalBalance(m.kind, m.debitsCents, m.creditsCents);
      const before = m.counted ? m.beforeCents : 0;
      cur.pos += Math.max(0, after) - Math.max(0, before);
      cur.neg += Math.min(0, after) - Math.min(0, before);
    }
    if (!m.counted) cur.accounts += 1;
    out[m.kind] = cur;
  }
  return out;
}

export function addKinds(into: Record<string, KindSum>, from: Record<string, KindSum>): Record<string, KindSum> {
  for (const [kind, d] of Object.entries(from)) {
    const cur = into[kind] ?? { dr: 0, cr: 0, pos: 0, neg: 0, accounts: 0 };
    into[kind] = {
      dr: cur.dr + d.dr,
      cr: cur.cr + d.cr,
      pos: cur.pos + d.pos,
      neg: cur.neg + d.neg,
      accounts: cur.accounts + d.accounts,
    };
  }
  return into;
}

/**
 * The part of kindDeltas that a hot row's "<type>:<kind>" sums do not already hold: the debits and credits an account
 * had before it was first counted, the moves of positive and negative balances, the accounts counted. Zeros are left
 * out, so a settlement usually adds one number per owner account (the hot row is rewritten by every posting: its size
 * is what each posting pays to read and write).
 */
export function kindExtras(moves: readonly AccountMove[]): KindExtras {
  const whole = kindDeltas(moves);
  const out: KindExtras = {};
  for (const m of moves) {
    const d = whole[m.kind]!;
    const fromSums = moves.filter((x) => x.kind === m.kind);
    const extra: Partial<KindSum> = {};
    const dr = d.dr - fromSums.reduce((n, x) => n + x.debitsCents, 0);
    const cr = d.cr - fromSums.reduce((n, x) => n + x.creditsCents, 0);
    if (dr !== 0) extra.dr = dr;
    if (cr !== 0) extra.cr = cr;
    if (d.pos !== 0) extra.pos = d.pos;
    if (d.neg !== 0) extra.neg = d.neg;
    if (d.accounts !== 0) extra.accounts = d.accounts;
    if (Object.keys(extra).length > 0) out[m.kind] = extra;
  }
  return out;
}

export function addExtras(into: KindExtras, from: KindExtras): KindExtras {
  for (const [kind, d] of Object.entries(from)) {
    const cur = { ...into[kind] };
    for (const field of ["dr", "cr", "pos", "neg", "accounts"] as const)
      if (d[field] !== undefined) cur[field] = (cur[field] ?? 0) + d[field];
    into[kind] = cur;
  }
  return into;
}

/** A hot row's changes to the kind totals: its "<type>:<kind>" sums plus its extras (older rows: their `kinds`). */
export function hotRowKinds(row: Pick<Doc<"ledgerRollupShards">, "sums" | "kinds" | "kx">): Record<string, KindSum> {
  if (row.kinds !== undefined) return row.kinds;
  const out: Record<string, KindSum> = {};
  const at = (kind: string) => (out[kind] ??= { dr: 0, cr: 0, pos: 0, neg: 0, accounts: 0 });
  for (const [key, s] of Object.entries(row.sums)) {
    const colon = key.indexOf(":");
    if (colon === -1) continue;
    const k = at(key.slice(colon + 1));
    k.dr += s.dr;
    k.cr += s.cr;
  }
  for (const [kind, d] of Object.entries(row.kx ?? {})) {
    const k = at(kind);
    k.dr += d.dr ?? 0;
    k.cr += d.cr ?? 0;
    k.pos += d.pos ?? 0;
    k.neg += d.neg ?? 0;
    k.accounts += d.accounts ?? 0;
  }
  return out;
}

/** A hot row's journal sums: the postings' and the backfill's. */
export function hotRowSums(row: Pick<Doc<"ledgerRollupShards">, "sums" | "bs">): Sums {
  return row.bs === undefined ? row.sums : mergeSums({ ...row.sums }, row.bs);
}
