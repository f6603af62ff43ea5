/**
 * Syscall checks and additions that make convex-test's database behave like a deployment's
 * (crates/isolate/src/environment/udf/async_syscall.rs in the Convex backend):
 * - system tables are read-only through `ctx.db` (insert/patch/replace/delete fail),
 * - `db.get` refuses a system-table id and `db.system.get` a user-table id,
 * - `ctx.storage.getMetadata` works, and deleting a missing file fails with Convex's message.
 */
import { tableNameFromId } from "./values";

type AsyncSyscall = (op: string, json: string) => Promise<string>;

/** Distinct argument strings kept; one-off arguments (a new idempotency key) only pass through `recent`. */
const RECENT_LIMIT = 2_000;
const RECURRING_LIMIT = 20_000;
let recent = new Map<string, unknown>();
const recurring = new Map<string, unknown>();

/**
 * JSON.parse of syscall arguments, remembered: hot paths repeat the same `db.get` and point-query
 * arguments (the same accounts on every ledger posting), and the result is only read, never changed.
 * Arguments seen once stay in a small `recent` map that is dropped whole when full, so one-off
 * queries do not fill the long-lived map (and the old generation of the heap) with garbage.
 */
export function parseSyscallArgs<T>(json: string): T {
  let v = recurring.get(json);
  if (v !== undefined) return v as T;
  v = recent.get(json);
  if (v !== undefined) {
    if (recurring.size >= RECURRING_LIMIT) recurring.clear();
    recurring.set(json, v);
    return v as T;
  }
  v = JSON.parse(json) as unknown;
  if (recent.size >= RECENT_LIMIT) recent = new Map();
  recent.set(json, v);
  return v as T;
}

/** Thrown by a syscall; the function sees it as `Error: <message>`, as from a deployment. */
export class SyscallError extends Error {}

function systemTableGuard(table: string, expectSystem: boolean): void {
  const isSystem = table.startsWith("_");
  if (expectSystem && !isSystem) throw new SyscallError("User tables cannot be accessed with db.system.");
  if (!expectSystem && isSystem) throw new SyscallError("System tables can only be accessed with db.system.");
}

/**
 * The string value of `key` when it is the first field of the JSON object `json` (as the Convex runtime
 * serializes `{table, value}` / `{id, value, table}`), or null if it is not there or needs unescaping.
 */
export function leadingString(json: string, key: string): string | null {
  const prefix = `{"${key}":"`;
  if (!json.startsWith(prefix)) return null;
  const end = json.indexOf('"', prefix.length);
  if (end < 0) return null;
  const v = json.slice(prefix.length, end);
  return v.includes("\\") ? null : v;
}

function idTable(args: { id?: unknown; table?: unknown }): string | null {
  if (typeof args.id === "string") {
    const t = tableNameFromId(args.id);
    if (t !== null) return t;
  }
  return typeof args.table === "string" ? args.table : null;
}

/** Convex's checks on a database syscall of the app (throws SyscallError); synchronous, so cheap on hot paths. */
export function checkSyscall(op: string, json: string, stagedIndexes?: ReadonlySet<string>): void {
  switch (op) {
    case "1.0/queryPage":
      checkStagedIndex(op, json, stagedIndexes);
      return;
    case "1.0/get": {
      const a = parseSyscallArgs<{ id?: unknown; table?: unknown; isSystem?: boolean }>(json);
      const t = idTable(a);
      if (t !== null) systemTableGuard(t, a.isSystem === true);
      return;
    }
    case "1.0/insert": {
      const table = leadingString(json, "table") ?? (JSON.parse(json) as { table?: unknown }).table;
      if (typeof table === "string") systemTableGuard(table, false);
      return;
    }
    case "1.0/shallowMerge":
    case "1.0/replace":
    case "1.0/remove": {
      // Writes carry a whole document or patch: read the id from the front instead of parsing it all
      // (convex-test parses it again anyway).
      const id = leadingString(json, "id");
      const t =
        (id !== null ? tableNameFromId(id) : null) ?? idTable(JSON.parse(json) as { id?: unknown; table?: unknown });
      if (t !== null) systemTableGuard(t, false);
      return;
    }
  }
}

/** The storage syscalls this backend answers itself (conformStorageSyscall). */
export function isStorageSyscall(op: string): boolean {
  return op === "1.0/storageGetMetadata" || op === "1.0/storageDelete";
}

/**
 * Handles a storage syscall that needs Convex's behaviour or is missing from convex-test; returns null to let
 * the original syscall run. `orig` is convex-test's async syscall (transaction-consistent reads).
 */
export async function conformStorageSyscall(op: string, json: string, orig: AsyncSyscall): Promise<string | null> {
  switch (op) {
    case "1.0/storageGetMetadata": {
      const { storageId } = JSON.parse(json) as { storageId: string };
      const doc = await storageDoc(storageId, orig);
      if (doc === null) return "null";
      // A deployment reports the digest in hex here (unlike the base64 `_storage.sha256` field).
      return JSON.stringify({
        storageId,
        sha256: Buffer.from(String(doc.sha256), "base64").toString("hex"),
        size: doc.size,
        contentType: doc.contentType ?? null,
      });
    }
    case "1.0/storageDelete": {
      const { storageId } = JSON.parse(json) as { storageId: string };
      if ((await storageDoc(storageId, orig)) === null) throw new SyscallError(`storage id ${storageId} not found`);
      return null;
    }
    default:
      return null;
  }
}

async function storageDoc(storageId: string, orig: AsyncSyscall): Promise<Record<string, unknown> | null> {
  if (tableNameFromId(storageId) !== "_storage") return null;
  const res = JSON.parse(
    await orig("1.0/get", JSON.stringify({ id: storageId, table: "_storage", isSystem: true })),
  ) as unknown;
  return res !== null && typeof res === "object" ? (res as Record<string, unknown>) : null;
}

/** "table.index" of every index the schema declares with `staged: true` (they exist, but cannot be queried). */
export function stagedIndexNames(schema: unknown): Set<string> {
  const out = new Set<string>();
  const tables = (schema as { tables?: Record<string, unknown> } | undefined)?.tables ?? {};
  for (const [table, def] of Object.entries(tables)) {
    const staged = (def as { stagedDbIndexes?: { indexDescriptor?: string }[] }).stagedDbIndexes ?? [];
    for (const idx of staged) if (typeof idx.indexDescriptor === "string") out.add(`${table}.${idx.indexDescriptor}`);
  }
  return out;
}

/** Refuses a query on a staged index (queryStream is a synchronous syscall, queryPage an async one). */
export function checkStagedIndex(op: string, json: string, stagedIndexes: ReadonlySet<string> | undefined): void {
  if (stagedIndexes === undefined || stagedIndexes.size === 0) return;
  if (op !== "1.0/queryStream" && op !== "1.0/queryPage") return;
  const a = JSON.parse(json) as { query?: { source?: { type?: string; indexName?: string } } };
  const indexName = a.query?.source?.indexName;
  if (typeof indexName === "string" && stagedIndexes.has(indexName)) {
    const dot = indexName.indexOf(".");
    throw new SyscallError(
      `Index "${indexName.slice(dot + 1)}" on table "${indexName.slice(0, dot)}" is staged (\`staged: true\`): ` +
        "a staged index is not available to queries until the flag is removed and the index is backfilled.",
    );
  }
}
