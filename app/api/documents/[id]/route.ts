import { withApiAuth } from "@/server/auth/api";
import { proxyConvexFile } from "@/server/convexFile";

/**
 * Streams one private verification document (owner or admin). No storage URL ever reaches the browser:
 * Convex's HTTP action checks the viewer's role and status on each request, so access ends with the role.
 */
export const GET = withApiAuth("documents:read", async ({ request, token }) => {
  const id = decodeURIComponent(new URL(request.url).pathname.split("/").pop() ?? "");
  return await proxyConvexFile(`/documents/file?id=${encodeURIComponent(id)}`, token, "document");
});
