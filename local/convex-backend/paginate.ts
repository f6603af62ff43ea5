/**
 * convex-test's `paginate` for the document store (docStore.ts): reads lazily from the cursor's position in
 * the index instead of materializing the whole range and skipping up to the cursor. Same loop, same results
 * (cursors, split cursors, page status); anything it cannot plan goes to convex-test's own paginate.
 */
import { getDocumentSize, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { DocStore } from "./docStore";
import { FALLBACK } from "./queryRange";
import { compareValue, type Key } from "./sortedIndex";
import type { DatabaseFake, Doc, PageResult, PaginateArgs } from "./types";
import { keyOf } from "./values";

/**
 * convex-test's paginate, reading lazily from the cursor's position in the
 * index instead of materializing the whole range and skipping up to the
 * cursor. Same loop, same results (cursors, split cursors, page status).
 */
export function paginateIndexed(store: DocStore, db: DatabaseFake, args: PaginateArgs): PageResult {
  const plan = store.fastPath ? store.plan(args.query.source) : null;
  if (!plan) return store.convexTestPage(args);
  const cursorFields = plan.sortFields.includes("_id") ? plan.sortFields : [...plan.sortFields, "_id"];
  // The index key must be exactly the cursor's fields (true for every source we plan).
  if (cursorFields.length !== plan.st.fields.length || cursorFields.some((f, i) => f !== plan.st.fields[i])) {
    return store.convexTestPage(args);
  }
  const { cursor, endCursor, pageSize, maximumRowsRead, maximumBytesRead } = args;
  const parse = (c: string | null | undefined): (Value | undefined)[] | null => {
    if (!c) return null;
    return (JSON.parse(c) as (string | null)[]).map((k) =>
      k === null ? undefined : jsonToConvex(JSON.parse(k) as JSONValue),
    );
  };
  let cursorKeys: (Value | undefined)[] | null;
  let endCursorKeys: (Value | undefined)[] | null;
  const hasEndBoundary = !!endCursor && endCursor !== "_end_cursor";
  try {
    cursorKeys = cursor !== "_end_cursor" ? parse(cursor) : null;
    endCursorKeys = hasEndBoundary ? parse(endCursor) : null;
  } catch {
    return store.convexTestPage(args); // reports the malformed cursor
  }
  if (cursor === "_end_cursor") {
    return { page: [], isDone: true, continueCursor: "_end_cursor", splitCursor: null, pageStatus: null };
  }
  if (cursor !== null && cursorKeys === null) return store.convexTestPage(args);
  const order = plan.order;
  const mult = order === "asc" ? 1 : -1;
  const n = cursorFields.length;
  /** convex-test's _docIsAfterCursor, on index keys */
  const afterCursor = (key: Key, keys: (Value | undefined)[]): number => {
    for (let i = 0; i < n; i++) {
      const c = compareValue(key[i], keys[i]);
      if (c !== 0) return c * mult;
    }
    return 0;
  };
  let seekPlan = plan;
  if (cursorKeys !== null) {
    const ck = cursorKeys;
    // Start right after the cursor in query order.
    seekPlan =
      order === "asc"
        ? { ...plan, before: (k) => plan.before(k) || afterCursor(k, ck) <= 0 }
        : { ...plan, after: (k) => plan.after(k) || afterCursor(k, ck) <= 0 };
  }
  const { filterFn } = store.operators(args.query);
  const page: Doc[] = [];
  let continueCursor = "_end_cursor";
  let splitCursor: string | null = null;
  let pageStatus: PageResult["pageStatus"] = null;
  let rowsRead = 0;
  let bytesRead = 0;
  const readDocCursors: string[] = [];
  const encode = (doc: Doc) => db._encodeCursor(doc, cursorFields);
  const keyOfDoc = (doc: Doc) => keyOf(doc, plan.st.paths);
  /** One step of convex-test's loop; false = break. */
  const step = (doc: Doc, isLastDoc: boolean): boolean => {
    if (hasEndBoundary && endCursorKeys) {
      const cmp = afterCursor(keyOfDoc(doc), endCursorKeys);
      if (cmp >= 0) {
        if (cmp === 0) {
          store.onRead?.(doc);
          rowsRead += 1;
          bytesRead += getDocumentSize(doc as Value as never);
          readDocCursors.push(encode(doc));
          if (!filterFn || filterFn(doc)) page.push(doc);
          continueCursor = encode(doc);
        }
        return false;
      }
    }
    store.onRead?.(doc);
    rowsRead += 1;
    bytesRead += getDocumentSize(doc as Value as never);
    readDocCursors.push(encode(doc));
    const hitLimit =
      (!!maximumRowsRead && rowsRead >= maximumRowsRead) || (!!maximumBytesRead && bytesRead >= maximumBytesRead);
    if (!filterFn || filterFn(doc)) page.push(doc);
    if (hitLimit) {
      pageStatus = "SplitRequired";
      continueCursor = encode(doc);
      return false;
    }
    if (!endCursor && page.length >= pageSize) {
      if (!isLastDoc) continueCursor = encode(doc);
      return false;
    }
    return true;
  };
  // One document of lookahead to know whether the current one is the last.
  let pending: Doc | null = null;
  let stopped = false;
  const r = store.scan(seekPlan, (doc) => {
    if (pending !== null && !step(pending, false)) {
      stopped = true;
      return false;
    }
    pending = doc;
    return true;
  });
  if (r === FALLBACK) return store.convexTestPage(args);
  if (!stopped && pending !== null) step(pending, true);
  const isDone = continueCursor === "_end_cursor";
  if (pageStatus === "SplitRequired" && readDocCursors.length >= 2) {
    splitCursor = readDocCursors[Math.floor((readDocCursors.length - 1) / 2)]!;
  } else if (pageStatus === null && rowsRead > pageSize + 1 && readDocCursors.length >= 2) {
    pageStatus = "SplitRecommended";
    splitCursor = readDocCursors[Math.floor((readDocCursors.length - 1) / 2)]!;
  }
  return { page, isDone, continueCursor, splitCursor, pageStatus };
}
