import "server-only";
import { NextResponse } from "next/server";
import { appErrorData, httpStatusFor, type ErrorCode } from "@/lib/errors";
import { can, type Permission } from "@/lib/rolePermissions";
import { getViewer, type ServerViewer } from "./server";

/**
 * `{ error: { code, message } }` with the code's HTTP status. With `retryAfterMs` (RATE_LIMITED: 429) the body
 * carries it too and a Retry-After header (whole seconds, rounded up) is set.
 */
export function jsonError(code: ErrorCode, message: string, init?: { headers?: HeadersInit; retryAfterMs?: number }) {
  const retryAfterMs = init?.retryAfterMs;
  const headers = new Headers(init?.headers);
  if (retryAfterMs !== undefined) headers.set("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  const error = retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
  return NextResponse.json({ error }, { status: httpStatusFor(code), headers });
}

// Convex rejects arguments that fail a function's validators before the handler runs (nothing is written).
// A deployment says "ArgumentValidationError: Value does not match validator"; the local backend says "Validator error".
const ARGUMENT_VALIDATION = /ArgumentValidationError|Value does not match validator|Validator error:/;
const ID_VALIDATION = /Expected ID for table|v\.id\(/;

/** True for Convex's own argument-validation failure (a plain Error, not a ConvexError). */
export function isArgumentValidationError(error: unknown): boolean {
  return error instanceof Error && appErrorData(error) === null && ARGUMENT_VALIDATION.test(error.message);
}

/** Maps a thrown ConvexError to its HTTP status with a JSON body (argument-validation failures: 400). */
export function errorResponse(error: unknown) {
  const data = appErrorData(error);
  if (data) {
    return jsonError(
      data.code,
      data.message,
      typeof data.retryAfterMs === "number" ? { retryAfterMs: data.retryAfterMs } : undefined,
    );
  }
  if (isArgumentValidationError(error)) {
    const message = ID_VALIDATION.test((error as Error).message)
      ? "That id is not valid."
      : "The request has a value that is not valid.";
    return jsonError("INVALID_ARGUMENT", message);
  }
  console.error(error);
  return jsonError("INTERNAL", "Something went wrong.");
}

type Handler = (input: { request: Request; viewer: ServerViewer; token: string }) => Promise<Response>;

/**
 * Route-handler guard: 401 without a session, 403 without the permission, 403 SUSPENDED for a suspended
 * user (unless `allowSuspended`: only the viewer's own status, /api/me), JSON errors throughout.
 */
export function withApiAuth(permission: Permission, handler: Handler, options: { allowSuspended?: boolean } = {}) {
  return async (request: Request) => {
    const session = await getViewer();
    if (session === null) return jsonError("UNAUTHENTICATED", "Sign in to use this API.");
    if (!can(session.viewer.role, permission)) return jsonError("FORBIDDEN", "Your role does not allow this.");
    if (session.viewer.status === "suspended" && !options.allowSuspended) {
      return jsonError("SUSPENDED", "Your account is suspended. Contact support if you think this is a mistake.");
    }
    try {
      return await handler({ request, viewer: session.viewer, token: session.token });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
