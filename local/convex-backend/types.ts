/**
 * Types of the convex-test internals this backend uses (internals.ts) and of an engine instance.
 * convex-test is pinned at exactly 0.0.60; upgrading it means re-checking these shapes.
 */
import type { AsyncLocalStorage } from "node:async_hooks";
import type { JSONValue, Value } from "convex/values";
import type { DocStore } from "./docStore";
import type { FunctionLimits, TxUsage } from "./limits";

export type Doc = Record<string, Value | undefined> & { _id: string; _creationTime: number };

/** A query as the Convex runtime serializes it for `1.0/queryStream` / `1.0/queryPage`. */
export interface SerializedQuery {
  source:
    | { type: "FullTableScan"; tableName: string; order: "asc" | "desc" | null }
    | {
        type: "IndexRange";
        indexName: string;
        range: { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: JSONValue }[];
        order: "asc" | "desc" | null;
      }
    | { type: "Search"; indexName: string; filters: unknown[] };
  operators: ({ filter: unknown } | { limit: number })[];
}

export interface ResolvedSource {
  sortedDocs: Doc[];
  filterFn: (doc: Doc) => boolean;
  limit: number | null;
  fieldPathsToSortBy: string[];
  order: "asc" | "desc";
}

export interface DatabaseFake {
  _documents: Record<string, Doc>;
  _nextDocId: number;
  _lastCreationTime: number;
  _nextQueryId: number;
  _queryResults: Record<number, unknown>;
  _writes: Record<string, Doc | null>[];
  _schema: {
    schemaValidation: boolean;
    tables: Map<
      string,
      {
        documentType: unknown;
        indexes?: { indexDescriptor: string; fields: string[] }[];
        searchIndexes?: { indexDescriptor: string; searchField: string; filterFields: string[] }[];
      }
    >;
  } | null;
  get(table: string | undefined, id: string): Doc | null;
  insert(table: string, value: Record<string, Value | undefined>): string;
  patch(table: string, id: string, value: Record<string, JSONValue>): void;
  delete(table: string, id: string): void;
  commit(commitTs: bigint | null): void;
  startTransaction(): void;
  startQuery(query: SerializedQuery): number;
  queryNext(queryId: number): { value: Doc | null; done: boolean };
  _validate(table: string, doc: Record<string, unknown>): void;
  _iterateDocs(table: string, callback: (doc: Doc) => void): void;
  _resolveQuerySource(query: SerializedQuery): ResolvedSource;
  _evaluateQuery(query: SerializedQuery): Doc[];
  _encodeCursor(doc: Doc, fieldPaths: string[]): string;
  paginate(args: PaginateArgs): PageResult;
}

export interface PaginateArgs {
  query: SerializedQuery;
  cursor: string | null;
  endCursor?: string | null;
  pageSize: number;
  maximumRowsRead?: number | null;
  maximumBytesRead?: number | null;
}

export interface PageResult {
  page: Doc[];
  isDone: boolean;
  continueCursor: string;
  splitCursor: string | null;
  pageStatus: "SplitRequired" | "SplitRecommended" | null;
}

export interface TransactionManager {
  _lastCommitTs: bigint;
  _waitOnCurrentFunction: Promise<void> | null;
  _markTransactionDone: (() => void) | null;
  _metricsTracker: unknown;
  begin(isNested: boolean, transactionLimits?: unknown): Promise<void>;
  commit(isNested: boolean): bigint | null;
  rollback(isNested: boolean): void;
}

export type AsyncSyscall = (op: string, jsonArgs: string) => Promise<string>;
export type JsSyscall = (op: string, args: Record<string, unknown>) => Promise<unknown>;

export interface ConvexGlobal {
  components: Record<string, { db: DatabaseFake }>;
  transactionManager: TransactionManager;
  syscall: (op: string, jsonArgs: string) => string;
  asyncSyscall: AsyncSyscall;
  jsSyscall: JsSyscall;
}

/** The subset of the convex-test accessor API we use (typed loosely on purpose). */
export interface TestAccessor {
  query(ref: unknown, args?: unknown): Promise<unknown>;
  mutation(ref: unknown, args?: unknown): Promise<unknown>;
  action(ref: unknown, args?: unknown): Promise<unknown>;
  run<T>(fn: (ctx: unknown) => Promise<T>): Promise<T>;
  withIdentity(identity: Record<string, unknown>): TestAccessor;
  registerComponent(path: string, schema: unknown, modules: Record<string, () => Promise<unknown>>): void;
}

export interface EngineInstance {
  t: TestAccessor;
  global: ConvexGlobal;
  db: DatabaseFake;
  store: DocStore;
  /** convex-test's storage of the running function's context (component path) */
  executionContext: AsyncLocalStorage<{ componentPath?: string }>;
  /** component tables ("<path>/<table>") written by the top-level transaction being committed */
  componentWrites: Set<string>;
  /**
   * Keep convex-test's per-transaction metrics (document sizes of every read
   * and write). They enforce nothing in this mode and only serve
   * ctx.meta.getTransactionMetrics(), so the engine turns them off when the
   * code never calls it.
   */
  trackMetrics: boolean;
  /** Convex's per-function limits this instance enforces (limits.ts) */
  limits: FunctionLimits;
  /** what the running top-level query or mutation used so far (null outside one) */
  usage: TxUsage | null;
}

/** A component to register on an instance (see loader.ts loadComponents). */
export interface ComponentSpec {
  path: string;
  schema: unknown;
  modules: Record<string, () => Promise<unknown>>;
}

/** Documents a top-level commit wrote (id -> committed document, or null when deleted). */
export type CommitChanges = Map<string, Doc | null>;
