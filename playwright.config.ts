import { defineConfig } from "@playwright/test";
// @ts-expect-error -- a plain .mjs script shared with scripts/test.mjs (no type declarations)
import { findChromium, MISSING_BROWSER_HINT } from "./scripts/chromium.mjs";

// E2E runs against the real dev stack (local Convex backend + Next) on its own ports and data dir.
const PORT = Number(process.env.E2E_PORT ?? 3100);
// `npm test` resolves the browser and passes it as CHROMIUM_PATH; a direct `playwright test` finds it here.
const browser = (await findChromium()) as { path: string; source: string } | null;
if (browser === null) throw new Error(MISSING_BROWSER_HINT);
const chromiumPath = browser.path;
// Tests run against a production build of the same stack `npm run dev` starts (next build + start: pages are
// compiled once, so runs are faster and steadier than under next dev). E2E_DEV=1 runs them against next dev.
const serverMode = process.env.E2E_DEV === "1" ? "" : " --prod";

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
      ],
    },
  },
  webServer: {
    command: `node scripts/dev.mjs --reset${serverMode}`,
    url: `http://localhost:${PORT}/sign-in`,
    timeout: 420_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      LOCAL_CONVEX_PORT: String(PORT + 210),
      // Per-port data and build dirs, so two E2E runs (e.g. E2E_PORT=3400) can run side by side.
      LOCAL_DATA_DIR: PORT === 3100 ? ".local-data/e2e" : `.local-data/e2e-${PORT}`,
      NEXT_DIST_DIR: PORT === 3100 ? ".next-e2e" : `.next-e2e-${PORT}`,
    },
  },
});
