// Stripe's idempotency rules for POST requests with an `Idempotency-Key` header:
// - keys are scoped per account (`Stripe-Account`) and kept for 24 hours;
// - the first result is saved only when the endpoint began executing: a success, a card decline (402: a
//   charge was attempted) or a refusal on the merits (400 `balance_insufficient`, `amount_too_large`, ...).
//   A request that failed validation (a missing or invalid parameter, an unknown expand path, an object named
//   by a parameter or the URL that does not exist) saves nothing, so a corrected retry with the same key
//   runs; 5xx and injected failures save nothing either;
// - a retry with the same key and parameters replays the saved status and body with `Idempotent-Replayed: true`;
//   other parameters (or another method/path) answer 400 `idempotency_error`;
// - every response to a request that carried a key echoes it in the `Idempotency-Key` header; a replay also
//   names the first request in `Original-Request`.
import type { IdempotencyRecord, Store } from "./state";
import { canonicalParams } from "./form";

export const KEY_TTL_MS = 24 * 3600 * 1000;

export type IdempotencyCheck =
  { kind: "none" } | { kind: "replay"; record: IdempotencyRecord } | { kind: "conflict"; body: string };

export function storeKeyOf(key: string | undefined, accountId: string | null): string | undefined {
  return key === undefined ? undefined : accountId === null ? key : `${accountId}:${key}`;
}

export function checkIdempotency(
  store: Store,
  storeKey: string | undefined,
  key: string | undefined,
  method: string,
  path: string,
  params: unknown,
): IdempotencyCheck {
  if (storeKey === undefined) return { kind: "none" };
  const previous = store.state.idempotency[storeKey];
  // Stripe prunes keys after 24 hours; a key reused later starts a new request.
  if (previous === undefined || Date.now() - previous.createdAt > KEY_TTL_MS) return { kind: "none" };
  if (previous.method !== method || previous.path !== path || previous.params !== canonicalParams(params)) {
    const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${String(key)}' if you meant to execute a different request.`;
    return { kind: "conflict", body: JSON.stringify({ error: { type: "idempotency_error", message } }, null, 2) };
  }
  return { kind: "replay", record: previous };
}

/** Error codes of requests that failed validation, before the endpoint began executing. */
const VALIDATION_CODES = new Set([
  "parameter_missing",
  "parameter_invalid",
  "parameter_unknown",
  "parameter_invalid_integer",
  "parameter_invalid_empty",
  "url_invalid",
  "amount_too_small",
  "resource_missing",
]);

/** Whether a result is saved against its key (see the rules above). */
export function savesResult(status: number, body: string): boolean {
  if ((status >= 200 && status < 300) || status === 402) return true;
  if (status !== 400) return false;
  const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
  return typeof code === "string" && !VALIDATION_CODES.has(code);
}

export function saveResult(
  store: Store,
  storeKey: string | undefined,
  result: { method: string; path: string; params: unknown; status: number; body: string; requestId: string },
): void {
  if (storeKey === undefined || !savesResult(result.status, result.body)) return;
  store.state.idempotency[storeKey] = { ...result, params: canonicalParams(result.params), createdAt: Date.now() };
  store.scheduleFlush();
}

/** Stripe's error fields that every error body carries: `doc_url` for a coded error, `request_log_url`. */
export function documentedError(body: Record<string, unknown>, requestId: string): Record<string, unknown> {
  const code = typeof body.code === "string" ? body.code : null;
  return {
    ...body,
    ...(code !== null && body.doc_url === undefined
      ? { doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}` }
      : {}),
    request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`,
  };
}
