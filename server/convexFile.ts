import { jsonError } from "@/server/auth/api";
import { convexSiteUrl, readConfig } from "@/lib/config";
import type { ErrorCode } from "@/lib/errors";

/** The HTTP action's refusals as the app's codes (410: an expired export's deleted file). */
const UPSTREAM_CODES: Record<number, ErrorCode> = {
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  410: "GONE",
};

/**
 * Streams a private file from a Convex HTTP action (`path` on the deployment's site URL) that checks the caller's
 * role on every request: the caller's token goes along, no storage URL ever reaches the browser. Its refusals come
 * back as the app's JSON errors.
 */
export async function proxyConvexFile(path: string, token: string, what: string): Promise<Response> {
  const site = convexSiteUrl(readConfig());
  if (site === null) return jsonError("UNAVAILABLE", "File storage is not configured.");
  const upstream = await fetch(`${site}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    cache: "no-store",
  });
  if (!upstream.ok) {
    const code = UPSTREAM_CODES[upstream.status] ?? "INTERNAL";
    return jsonError(code, code === "INTERNAL" ? `The ${what} could not be loaded.` : await upstream.text());
  }
  const headers = new Headers({ "cache-control": "private, no-store", "x-content-type-options": "nosniff" });
  for (const name of ["content-type", "content-length", "content-disposition"]) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(upstream.body, { status: 200, headers });
}
