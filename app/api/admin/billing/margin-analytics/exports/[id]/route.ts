import { withApiAuth } from "@/server/auth/api";
import { proxyConvexFile } from "@/server/convexFile";

/**
 * A finished background margin export as text/csv (`GET /api/admin/billing/margin-analytics/exports/<exportId>`),
 * admins only: Convex's HTTP action (GET /exports/margin) checks the role on each request; 404 while unfinished, 410 GONE once expired (7 days after it finished).
 */
export const GET = withApiAuth("admin:billing", async ({ request, token }) => {
  const id = decodeURIComponent(new URL(request.url).pathname.split("/").pop() ?? "");
  return await proxyConvexFile(`/exports/margin?id=${encodeURIComponent(id)}`, token, "export");
});
