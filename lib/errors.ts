// Stable error codes shared by Convex functions, API routes and the UI.
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "INVALID_ARGUMENT",
  "CONFLICT",
  "INSUFFICIENT_FUNDS",
  "RATE_LIMITED",
  "SUSPENDED",
  "UNAVAILABLE",
  "INTERNAL",
  "SESSION_NOT_ACTIVE",
  "RATE_CHANGED",
  "GONE",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type AppErrorData = { code: ErrorCode; message: string; retryAfterMs?: number };

const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  CONFLICT: 409,
  INSUFFICIENT_FUNDS: 402,
  RATE_LIMITED: 429,
  SUSPENDED: 403,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  SESSION_NOT_ACTIVE: 409,
  RATE_CHANGED: 409,
  GONE: 410,
};

export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** Extracts `{code, message}` from a ConvexError-like value, or null. */
export function appErrorData(error: unknown): AppErrorData | null {
  if (typeof error !== "object" || error === null || !("data" in error)) return null;
  const data = (error as { data: unknown }).data;
  if (typeof data !== "object" || data === null) return null;
  const { code, message } = data as { code?: unknown; message?: unknown };
  if (!isErrorCode(code) || typeof message !== "string") return null;
  return data as AppErrorData;
}

/** A message a person can read, whatever was thrown. */
export function userMessage(error: unknown): string {
  const data = appErrorData(error);
  if (data) return data.message;
  return "Something went wrong. Please try again.";
}
