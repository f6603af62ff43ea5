import type { NextConfig } from "next";
import { securityHeaders } from "./lib/securityHeaders";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // E2E runs its own `next dev` beside a developer's; Next allows one dev server per dist dir.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // The local backend and processor run on 127.0.0.1; allow the dev overlay from there.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  // CSP, framing, referrer, sniffing, permissions and (production) HSTS; see lib/securityHeaders.ts.
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env) }];
  },
};

export default nextConfig;
