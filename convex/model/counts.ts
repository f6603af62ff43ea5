// Maintained counts (issue 25): the admin's live counts (users by role, advisors online, live sessions, open
// disputes, payouts awaiting approval, unresolved alerts) are kept as rows change, not counted by capped scans.
// Every mutation's ctx.db is wrapped (convex/functions.ts): a write to a counted table that changes which counters a
// document belongs to moves those counters by ±1, in the same transaction (exact at any volume). Counters are split
// into shard rows by document id, so concurrent changes rarely touch the same row.
// Existing rows are counted once by a backfill that walks each table in creation order; until it has passed a row,
// changes to that row are left to it (the backfill counts the row as it then is), so nothing is counted twice.
// Readers use a counter only once its table's backfill is done (before that: the old capped scan).
import type { Doc, TableNames } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";

export const COUNTER_SHARDS = 8;

type Counted = {
  /** Fields whose change can move a counter: a patch touching none of them is passed through untouched. */
  fields: readonly string[];
  /** The counters a document belongs to. */
  counters: (doc: Record<string, unknown>) => string[];
};

export const COUNTED = {
  users: { fields: ["role"], counters: (d) => [`users.role.${String(d.role)}`] },
  advisorProfiles: {
    fields: ["status", "online"],
    counters: (d) => [
      `advisors.status.${String(d.status)}`,
      ...(d.status === "approved" && d.online === true ? ["advisors.online"] : []),
    ],
  },
  sessions: {
    fields: ["status"],
    counters: (d) => (d.status === "active" || d.status === "paused" ? [`sessions.${d.status}`] : []),
  },
  sessionDisputes: { fields: ["status"], counters: (d) => (d.status === "open" ? ["disputes.open"] : []) },
  payouts: {
    fields: ["status"],
    counters: (d) => (d.status === "awaiting_approval" ? ["payouts.awaiting_approval"] : []),
  },
  alerts: {
    fields: ["resolvedAt", "severity"],
    counters: (d) =>
      d.resolvedAt !== undefined
        ? []
        : d.severity === "critical"
          ? ["alerts.unresolved", "alerts.unresolved.critical"]
          : ["alerts.unresolved"],
  },
} satisfies Partial<Record<TableNames, Counted>>;

export type CountedTable = keyof typeof COUNTED;
export const COUNTED_TABLES = Object.keys(COUNTED) as CountedTable[];
const isCounted = (table: string): table is CountedTable => Object.hasOwn(COUNTED, table);

function shardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % COUNTER_SHARDS;
}

type Db = MutationCtx["db"];

async function bump(db: Db, name: string, shard: number, delta: number): Promise<void> {
  const row = await db
    .query("counters")
    .withIndex("by_name_shard", (q) => q.eq("name", name).eq("shard", shard))
    .unique();
  if (row === null) await db.insert("counters", { name, shard, n: delta });
  else await db.patch("counters", row._id, { n: row.n + delta });
}

async function backfillState(db: QueryCtx["db"], table: CountedTable) {
  return await db
    .query("counterBackfills")
    .withIndex("by_table", (q) => q.eq("table", table))
    .unique();
}

/** Moves the counters of one document change (old → new), unless the backfill has not reached the document yet. */
async function applyChange(
  db: Db,
  table: CountedTable,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<void> {
  const spec: Counted = COUNTED[table];
  const delta = new Map<string, number>();
  for (const name of before === null ? [] : spec.counters(before)) delta.set(name, (delta.get(name) ?? 0) - 1);
  for (const name of after === null ? [] : spec.counters(after)) delta.set(name, (delta.get(name) ?? 0) + 1);
  const moves = [...delta].filter(([, d]) => d !== 0);
  if (moves.length === 0) return;
  const doc = (after ?? before)!;
  const state = await backfillState(db, table);
  if (state === null || (!state.done && (doc._creationTime as number) > state.scannedThrough)) return;
  const shard = shardOf(String(doc._id));
  for (const [name, d] of moves) await bump(db, name, shard, d);
}

/** ctx.db with counted writes: what every mutation gets (convex/functions.ts). Other tables pass straight through. */
export function countedDb(db: Db): Db {
  const tableOf = (id: string): CountedTable | null =>
    COUNTED_TABLES.find((t) => db.normalizeId(t, id) !== null) ?? null;
  /** A write to a counted table: the counters move from what the document was to what it is. */
  const write = async (table: CountedTable, id: string, op: () => Promise<void>, deleted = false): Promise<void> => {
    const before = (await db.get(table, id as Doc<typeof table>["_id"])) as Record<string, unknown> | null;
    await op();
    const after = deleted
      ? null
      : ((await db.get(table, id as Doc<typeof table>["_id"])) as Record<string, unknown> | null);
    await applyChange(db, table, before, after);
  };
  const touches = (table: CountedTable, value: unknown) =>
    (COUNTED[table] as Counted).fields.some((f) => Object.hasOwn(value as object, f));
  // A write to a table that is not counted returns the engine's own promise (no extra async step: every posting
  // makes several such writes).
  const wrapped = {
    insert: (table: string, value: Record<string, unknown>): Promise<string> => {
      const insert = (db.insert as (t: string, v: unknown) => Promise<string>)(table, value);
      if (!isCounted(table) || (COUNTED[table] as Counted).counters(value).length === 0) return insert;
      return insert.then(async (id) => {
        await applyChange(db, table, null, (await db.get(table, id as never)) as Record<string, unknown> | null);
        return id;
      });
    },
    patch: (...args: unknown[]): Promise<void> => {
      const [table, id, value] =
        args.length === 3 ? (args as [string, string, object]) : [null, args[0] as string, args[1] as object];
      const counted = table === null ? tableOf(id) : isCounted(table) ? table : null;
      const patch = () => (db.patch as (...a: unknown[]) => Promise<void>)(...args);
      return counted !== null && touches(counted, value) ? write(counted, id, patch) : patch();
    },
    replace: (...args: unknown[]): Promise<void> => {
      const [table, id] = args.length === 3 ? (args as [string, string]) : [null, args[0] as string];
      const counted = table === null ? tableOf(id) : isCounted(table) ? table : null;
      const replace = () => (db.replace as (...a: unknown[]) => Promise<void>)(...args);
      return counted === null ? replace() : write(counted, id, replace);
    },
    delete: (...args: unknown[]): Promise<void> => {
      const [table, id] = args.length === 2 ? (args as [string, string]) : [null, args[0] as string];
      const counted = table === null ? tableOf(id) : isCounted(table) ? table : null;
      const remove = () => (db.delete as (...a: unknown[]) => Promise<void>)(...args);
      return counted === null ? remove() : write(counted, id, remove, true);
    },
  };
  return new Proxy(db, {
    get: (target, prop, receiver) =>
      Object.hasOwn(wrapped, prop) ? wrapped[prop as keyof typeof wrapped] : Reflect.get(target, prop, receiver),
  });
}

/** A counter's value, or null while its table's backfill is not done (callers fall back to a capped scan). */
export async function maintainedCount(ctx: QueryCtx, table: CountedTable, name: string): Promise<number | null> {
  const state = await backfillState(ctx.db, table);
  if (state === null || !state.done) return null;
  const rows = await ctx.db
    .query("counters")
    .withIndex("by_name_shard", (q) => q.eq("name", name))
    .take(COUNTER_SHARDS);
  return rows.reduce((n, r) => n + r.n, 0);
}

/** A counter's value, or (until its table's backfill is done) the length of a capped scan. */
export async function countOrScan(
  ctx: QueryCtx,
  table: CountedTable,
  name: string,
  scan: () => Promise<unknown[]>,
): Promise<number> {
  return (await maintainedCount(ctx, table, name)) ?? (await scan()).length;
}

/**
 * One backfill step: counts the next `batch` rows (creation order) of the first counted table not done yet, with
 * every row sharing the last one's creation time (so the "counted up to" mark is exact). Returns whether work remains.
 */
export async function backfillCountsStep(ctx: MutationCtx, batch: number): Promise<boolean> {
  for (const table of COUNTED_TABLES) {
    const state = await backfillState(ctx.db, table);
    if (state?.done === true) continue;
    const from = state?.scannedThrough ?? -Infinity;
    const page = (await ctx.db
      .query(table)
      .withIndex("by_creation_time", (q) => q.gt("_creationTime", from))
      .take(batch)) as Record<string, unknown>[];
    let through = from;
    if (page.length > 0) {
      through = page.at(-1)!._creationTime as number;
      const seen = new Set(page.map((d) => d._id));
      const ties = (await ctx.db
        .query(table)
        .withIndex("by_creation_time", (q) => q.eq("_creationTime", through))
        .collect()) as Record<string, unknown>[]; // documents created at the same instant: a handful at most
      for (const doc of ties) if (!seen.has(doc._id)) page.push(doc);
    }
    for (const doc of page)
      for (const name of (COUNTED[table] as Counted).counters(doc))
        await bump(ctx.db, name, shardOf(String(doc._id)), 1);
    const done = page.length < batch;
    const row = { table, scannedThrough: Number.isFinite(through) ? through : 0, done, updatedAt: Date.now() };
    if (state === null) await ctx.db.insert("counterBackfills", row);
    else await ctx.db.replace("counterBackfills", state._id, row);
    return !done || COUNTED_TABLES.at(-1) !== table;
  }
  return false;
}
