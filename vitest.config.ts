// Vitest projects:
//   lib     framework-free domain code (tests/unit), Node
//   convex  Convex functions on convex-test (tests/convex), edge-runtime like a deployment
//   local   the embedded local Convex backend (tests/local-backend), Node, real sockets
// Run one with `vitest run --project <name>`.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [{ find: /^@\//, replacement: `${root}` }],
  },
  test: {
    // Vitest's default is one worker fewer than the cores (1 on a 2-core machine); most files wait on sockets,
    // timers and module loading rather than the CPU, so a worker per core finishes sooner.
    maxWorkers: availableParallelism(),
    projects: [
      {
        extends: true,
        test: {
          name: "lib",
          environment: "node",
          include: ["tests/unit/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "convex",
          environment: "edge-runtime",
          include: ["tests/convex/**/*.test.ts"],
          server: { deps: { inline: ["convex-test"] } },
        },
      },
      {
        extends: true,
        test: {
          name: "local",
          environment: "node",
          include: ["tests/local-backend/**/*.test.ts"],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
