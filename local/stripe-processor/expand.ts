// `expand[]` (Stripe's expanding responses) and the `created` filter of list endpoints.
// Expandable fields per object type map to the type they expand into; a path is dot-separated
// (`payment_intent.latest_charge`), and on a list it starts with `data.`. An unknown path is refused before
// the request runs (400, nothing created, nothing saved against an Idempotency-Key), as Stripe refuses it.
import type { FormValue } from "./form";

const EXPANDABLE: Record<string, Record<string, string>> = {
  "checkout.session": { customer: "customer", payment_intent: "payment_intent" },
  payment_intent: { customer: "customer", latest_charge: "charge", payment_method: "payment_method" },
  charge: { balance_transaction: "balance_transaction", customer: "customer", payment_intent: "payment_intent" },
  refund: { balance_transaction: "balance_transaction", charge: "charge", payment_intent: "payment_intent" },
  dispute: { charge: "charge", payment_intent: "payment_intent" },
  payment_method: { customer: "customer" },
  transfer: { balance_transaction: "balance_transaction", destination: "account" },
  transfer_reversal: { balance_transaction: "balance_transaction", transfer: "transfer" },
  payout: { balance_transaction: "balance_transaction", destination: "bank_account" },
  customer: {},
  account: {},
  event: {},
  balance: {},
};

/** The object type a route answers with, and whether it is a list (`data.` paths). */
export function resourceOf(method: string, pathname: string): { object: string; list: boolean } | null {
  const parts = pathname.replace(/^\/v1\//, "").split("/");
  const byCollection: Record<string, string> = {
    customers: "customer",
    payment_intents: "payment_intent",
    payment_methods: "payment_method",
    charges: "charge",
    refunds: "refund",
    disputes: "dispute",
    transfers: "transfer",
    payouts: "payout",
    accounts: "account",
    events: "event",
    balance: "balance",
  };
  if (parts[0] === "checkout" && parts[1] === "sessions")
    return { object: "checkout.session", list: parts.length === 2 && method === "GET" };
  if (parts[0] === "customers" && parts[2] === "payment_methods") return { object: "payment_method", list: true };
  if (parts[0] === "transfers" && parts[2] === "reversals")
    return { object: "transfer_reversal", list: parts.length === 3 && method === "GET" };
  const object = byCollection[parts[0] ?? ""];
  if (object === undefined) return null;
  return { object, list: parts.length === 1 && method === "GET" && object !== "balance" };
}

/** The `expand` parameter (`expand[]=a&expand[]=b`, `expand[0]=a`, or a single `expand=a`). */
export function expandPaths(params: Record<string, FormValue>): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  if (typeof value === "string") return [value];
  const values = Array.isArray(value) ? value : Object.values(value);
  return values.filter((v): v is string => typeof v === "string");
}

/** The first path that cannot be expanded on `object` (null when all can). */
export function invalidExpandPath(resource: { object: string; list: boolean }, paths: string[]): string | null {
  for (const path of paths) {
    let segments = path.split(".");
    if (resource.list) {
      if (segments[0] !== "data") return path;
      segments = segments.slice(1);
    }
    let type: string | undefined = resource.object;
    for (const segment of segments) {
      type = type === undefined ? undefined : EXPANDABLE[type]?.[segment];
      if (type === undefined) return segments.join(".");
    }
  }
  return null;
}

/** Replaces ids by their objects along each path (a missing object keeps its id; null stays null). */
export function applyExpand(
  value: unknown,
  paths: string[],
  lookup: (id: string) => Record<string, unknown> | null,
): unknown {
  let out = value;
  for (const path of paths) out = expandOne(out, path.split("."), lookup);
  return out;
}

function expandOne(
  value: unknown,
  segments: string[],
  lookup: (id: string) => Record<string, unknown> | null,
): unknown {
  if (segments.length === 0 || value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const [head, ...rest] = segments as [string, ...string[]];
  if (obj.object === "list" && head === "data" && Array.isArray(obj.data)) {
    return { ...obj, data: obj.data.map((item) => expandOne(item, rest, lookup)) };
  }
  let field = obj[head];
  if (typeof field === "string") field = lookup(field) ?? field;
  return { ...obj, [head]: expandOne(field, rest, lookup) };
}

/** Stripe's `created` filter: `created=<unix>` or `created[gt|gte|lt|lte]=<unix>`. */
export function createdMatcher(query: Record<string, FormValue>): (obj: Record<string, unknown>) => boolean {
  const created = query.created;
  if (created === undefined) return () => true;
  const bounds: Record<string, number> = typeof created === "string" ? { eq: Number(created) } : {};
  if (typeof created === "object" && !Array.isArray(created)) {
    for (const op of ["gt", "gte", "lt", "lte"]) if (typeof created[op] === "string") bounds[op] = Number(created[op]);
  }
  return (obj) => {
    const t = Number(obj.created);
    return (
      (bounds.eq === undefined || t === bounds.eq) &&
      (bounds.gt === undefined || t > bounds.gt) &&
      (bounds.gte === undefined || t >= bounds.gte) &&
      (bounds.lt === undefined || t < bounds.lt) &&
      (bounds.lte === undefined || t <= bounds.lte)
    );
  };
}
