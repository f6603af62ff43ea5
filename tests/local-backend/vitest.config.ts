// Standalone config for running only the local backend protocol tests:
//   npx vitest run --config tests/local-backend/vitest.config.ts
// The root vitest.config.ts (project "local") includes the same files.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/local-backend/**/*.test.ts"],
    environment: "node",
    root: new URL("../..", import.meta.url).pathname,
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
