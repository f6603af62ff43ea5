import { jsonError, withApiAuth } from "@/server/auth/api";
import { convexSiteUrl, readConfig } from "@/lib/config";

/**
 * Streams one private verification document (owner or admin). No storage URL ever reaches the browser:
 * Convex's HTTP action checks the viewer's role and status on each request, so access ends with the role.
 */
export const GET = withApiAuth("documents:read", async ({ request, token }) => {
  const id = decodeURIComponent(new URL(request.url).pathname.split("/").pop() ?? "");
  const site = convexSiteUrl(readConfig());
  if (site === null) return jsonError("UNAVAILABLE", "Document storage is not configured.");
  const upstream = await fetch(`${site}/documents/file?id=${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${token}` },
    cache: "no-store",
  });
  if (!upstream.ok) {
    const code =
      upstream.status === 404
        ? "NOT_FOUND"
        : upstream.status === 401
          ? "UNAUTHENTICATED"
          : upstream.status === 403
            ? "FORBIDDEN"
            : "INTERNAL";
    return jsonError(code, code === "INTERNAL" ? "The document could not be loaded." : await upstream.text());
  }
  const headers = new Headers({ "cache-control": "private, no-store", "x-content-type-options": "nosniff" });
  for (const name of ["content-type", "content-length", "content-disposition"]) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(upstream.body, { status: 200, headers });
});
