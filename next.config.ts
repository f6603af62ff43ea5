import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // E2E runs its own `next dev` beside a developer's; Next allows one dev server per dist dir.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // The local backend and processor run on 127.0.0.1; allow the dev overlay from there.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
};

export default nextConfig;
