import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The local backend and processor run on 127.0.0.1; allow the dev overlay from there.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
};

export default nextConfig;
