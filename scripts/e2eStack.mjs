// Where the E2E stack runs (ports, data and build dirs), shared by playwright.config.ts and scripts/test.mjs, so
// `npm test` can start the stack early and playwright can reuse it.
/** @param {number} port the app's port (E2E_PORT, default 3100) */
export function e2eStackEnv(port) {
  return {
    PORT: String(port),
    LOCAL_CONVEX_PORT: String(port + 210),
    // Per-port data and build dirs, so two E2E runs (e.g. E2E_PORT=3400) can run side by side.
    LOCAL_DATA_DIR: port === 3100 ? ".local-data/e2e" : `.local-data/e2e-${port}`,
    NEXT_DIST_DIR: port === 3100 ? ".next-e2e" : `.next-e2e-${port}`,
  };
}

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
/** The page whose answer means the stack is up. */
export const E2E_READY_URL = `http://localhost:${E2E_PORT}/sign-in`;
