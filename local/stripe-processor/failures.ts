// Failure injection for tests and demos (not part of Stripe's API): make transfers, reversals or payouts
// fail, time out, or (payouts) fail at the bank. Held in memory only: a restart clears every injection.
//
//   always        every request of the operation answers an injected error (nothing is created)
//   fail_times    the next `times` requests answer the injected error, later ones succeed
//   timeout       the request is processed (object created, events sent, result stored against its
//                 Idempotency-Key) but the answer is held: never sent (until the client gives up or the
//                 processor stops), or sent after `holdMs`. A retry with the same key replays the stored
//                 result, so the object exists once: "the processor did it but the answer was lost".
//   payout_fails  payouts only: the request succeeds (status `pending`) and the payout later fails at the
//                 bank (`payout.failed`, failure_code `failureCode`, default `account_closed`); the money
//                 goes back to the connected account's balance.
//   off           clears the operation's injection.
// `times` limits timeout and payout_fails too (default: every request until `off`); it is required for
// fail_times. Injected errors are decided after the idempotency check (a replay is served as usual) and
// are never stored against the Idempotency-Key, so a retry with the same key runs the request for real.
import type { FormValue } from "./form";
export const FAILURE_OPERATIONS = ["transfers", "payouts", "reversals"] as const;
export type FailureOperation = (typeof FAILURE_OPERATIONS)[number];
export const FAILURE_MODES = ["always", "fail_times", "timeout", "payout_fails", "off"] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];
/** api_error: 500 (the SDK's StripeAPIError); rate_limit: 429 (StripeRateLimitError); invalid_request: 400 with an operation-specific code (StripeInvalidRequestError). */
export const FAILURE_ERRORS = ["api_error", "rate_limit", "invalid_request"] as const;
export type FailureError = (typeof FAILURE_ERRORS)[number];
/** Bank failure codes Stripe uses on payouts, with their messages. */
export const PAYOUT_FAILURE_MESSAGES: Record<string, string> = {
  account_closed: "The bank account has been closed.",
  account_frozen: "The bank account has been frozen.",
  bank_account_restricted: "The bank account has restrictions on either the type, or the number, of payouts allowed.",
  could_not_process: "The bank could not process this payout.",
  insufficient_funds: "Your Stripe account has insufficient funds to cover the payout.",
  invalid_account_number: "The routing number seems correct, but the account number is invalid.",
  no_account:
    "The bank account details on file are probably incorrect. No bank account could be located with those details.",
};

export type FailureInjection = {
  mode: FailureMode;
  /** fail_times: how many requests fail (required). timeout / payout_fails: how many are affected (default: all). */
  times?: number;
  /** always / fail_times: which error to answer (default api_error). */
  error?: FailureError;
  /** timeout: answer after this many ms instead of never. */
  holdMs?: number;
  /** payout_fails: the payout's failure_code (default account_closed). */
  failureCode?: string;
};

export type FailureState = Required<Pick<FailureInjection, "mode">> & {
  operation: FailureOperation;
  /** Requests still affected; null = unlimited. */
  remaining: number | null;
  error: FailureError;
  holdMs: number | null;
  failureCode: string;
};

/** What the request should do, decided (and counted) once per non-replayed request. */
export type FailureDecision =
  | { kind: "error"; status: number; body: Record<string, unknown> }
  | { kind: "timeout"; holdMs: number | null }
  | { kind: "payout_fails"; failureCode: string }
  | null;

const INVALID_REQUEST: Record<FailureOperation, { code: string; message: string }> = {
  transfers: {
    code: "transfers_not_allowed",
    message: "Injected failure: transfers are not allowed for this account right now.",
  },
  reversals: {
    code: "balance_insufficient",
    message: "Injected failure: the connected account's balance is insufficient to reverse this transfer.",
  },
  payouts: {
    code: "payouts_not_allowed",
    message: "Injected failure: payouts are not allowed for this account right now.",
  },
};

export function injectedError(
  operation: FailureOperation,
  error: FailureError,
): { status: number; body: Record<string, unknown> } {
  if (error === "rate_limit")
    return {
      status: 429,
      body: {
        type: "invalid_request_error",
        code: "rate_limit",
        message: "Injected failure: too many requests hit the API too quickly.",
      },
    };
  if (error === "invalid_request")
    return { status: 400, body: { type: "invalid_request_error", ...INVALID_REQUEST[operation] } };
  return {
    status: 500,
    body: {
      type: "api_error",
      message: `Injected failure: an error occurred with our connection to Stripe while creating ${operation}.`,
    },
  };
}

export class FailureInjector {
  private readonly states = new Map<FailureOperation, FailureState>();

  /** Validates and installs an injection (mode `off` clears it). Throws a plain Error with a message on bad input. */
  set(operation: FailureOperation, injection: FailureInjection): FailureState | null {
    if (!FAILURE_OPERATIONS.includes(operation))
      throw new Error(`operation must be one of ${FAILURE_OPERATIONS.join(", ")}.`);
    const { mode } = injection;
    if (!FAILURE_MODES.includes(mode)) throw new Error(`mode must be one of ${FAILURE_MODES.join(", ")}.`);
    if (mode === "off") {
      this.states.delete(operation);
      return null;
    }
    if (mode === "payout_fails" && operation !== "payouts")
      throw new Error("mode payout_fails applies to operation payouts only.");
    const times = injection.times;
    if (times !== undefined && (!Number.isSafeInteger(times) || times < 1))
      throw new Error("times must be a positive integer.");
    if (mode === "fail_times" && times === undefined) throw new Error("mode fail_times needs times.");
    const error = injection.error ?? "api_error";
    if (!FAILURE_ERRORS.includes(error)) throw new Error(`error must be one of ${FAILURE_ERRORS.join(", ")}.`);
    const holdMs = injection.holdMs ?? null;
    if (holdMs !== null && (!Number.isSafeInteger(holdMs) || holdMs < 0))
      throw new Error("hold_ms must be a non-negative integer.");
    const failureCode = injection.failureCode ?? "account_closed";
    if (!(failureCode in PAYOUT_FAILURE_MESSAGES))
      throw new Error(`failure_code must be one of ${Object.keys(PAYOUT_FAILURE_MESSAGES).join(", ")}.`);
    const state: FailureState = {
      operation,
      mode,
      remaining: mode === "always" ? null : (times ?? null),
      error,
      holdMs,
      failureCode,
    };
    this.states.set(operation, state);
    return { ...state };
  }

  get(operation: FailureOperation): FailureState | null {
    const state = this.states.get(operation);
    return state === undefined ? null : { ...state };
  }

  list(): FailureState[] {
    return [...this.states.values()].map((s) => ({ ...s }));
  }

  clear(): void {
    this.states.clear();
  }

  /** Consumes one use of the operation's injection and says what to do with this request. */
  take(operation: FailureOperation): FailureDecision {
    const state = this.states.get(operation);
    if (state === undefined) return null;
    if (state.remaining !== null) {
      state.remaining -= 1;
      if (state.remaining <= 0) this.states.delete(operation);
    }
    switch (state.mode) {
      case "always":
      case "fail_times":
        return { kind: "error", ...injectedError(operation, state.error) };
      case "timeout":
        return { kind: "timeout", holdMs: state.holdMs };
      case "payout_fails":
        return { kind: "payout_fails", failureCode: state.failureCode };
      default:
        return null;
    }
  }
}

/** `POST /v1/test_helpers/failures`: sets (or with `mode=off` and no operation, clears) an injection. */
export function setFailureFromParams(
  failures: FailureInjector,
  params: Record<string, FormValue>,
  invalid: (message: string, param?: string, code?: string) => never,
): Record<string, unknown> {
  const str = (v: FormValue | undefined) => (typeof v === "string" ? v : undefined);
  const int = (v: FormValue | undefined, param: string) => {
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
      invalid(`Invalid integer: ${String(v)}`, param);
    return Number(v);
  };
  const mode = str(params.mode) ?? invalid("Missing required param: mode.", "mode", "parameter_missing");
  const operation = str(params.operation);
  if (operation === undefined) {
    if (mode !== "off") invalid("Missing required param: operation.", "operation", "parameter_missing");
    failures.clear();
    return { object: "list", url: "/v1/test_helpers/failures", has_more: false, data: [] };
  }
  const times = int(params.times, "times");
  const holdMs = int(params.hold_ms, "hold_ms");
  const error = str(params.error_type) ?? str(params.error);
  try {
    const state = failures.set(operation as FailureOperation, {
      mode: mode as FailureInjection["mode"],
      ...(times !== undefined ? { times } : {}),
      ...(error !== undefined ? { error: error as FailureInjection["error"] } : {}),
      ...(holdMs !== undefined ? { holdMs } : {}),
      ...(str(params.failure_code) !== undefined ? { failureCode: str(params.failure_code) } : {}),
    });
    return failureView(
      state ?? {
        operation: operation as FailureOperation,
        mode: "off",
        remaining: null,
        error: "api_error",
        holdMs: null,
        failureCode: "account_closed",
      },
    );
  } catch (e) {
    return invalid((e as Error).message);
  }
}

export function failureView(state: FailureState): Record<string, unknown> {
  return {
    object: "local.failure_injection",
    operation: state.operation,
    mode: state.mode,
    remaining: state.remaining,
    error_type: state.error,
    hold_ms: state.holdMs,
    failure_code: state.failureCode,
  };
}
