import "server-only";
import { NextResponse } from "next/server";
import { appErrorData, httpStatusFor, type ErrorCode } from "../errors";
import { can, type Permission } from "../rolePermissions";
import { getViewer, type ServerViewer } from "./server";

export function jsonError(code: ErrorCode, message: string, init?: { headers?: HeadersInit }) {
  return NextResponse.json({ error: { code, message } }, { status: httpStatusFor(code), headers: init?.headers });
}

/** Maps a thrown ConvexError to its HTTP status with a JSON body. */
export function errorResponse(error: unknown) {
  const data = appErrorData(error);
  if (data) {
    const headers = data.retryAfterMs ? { "retry-after": String(Math.ceil(data.retryAfterMs / 1000)) } : undefined;
    return jsonError(data.code, data.message, { headers });
  }
  console.error(error);
  return jsonError("INTERNAL", "Something went wrong.");
}

type Handler = (input: { request: Request; viewer: ServerViewer; token: string }) => Promise<Response>;

/** Route-handler guard: 401 without a session, 403 without the permission, JSON errors throughout. */
export function withApiAuth(permission: Permission, handler: Handler) {
  return async (request: Request) => {
    const session = await getViewer();
    if (session === null) return jsonError("UNAUTHENTICATED", "Sign in to use this API.");
    if (!can(session.viewer.role, permission)) return jsonError("FORBIDDEN", "Your role does not allow this.");
    try {
      return await handler({ request, viewer: session.viewer, token: session.token });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
