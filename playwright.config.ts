import { defineConfig } from "@playwright/test";
// @ts-expect-error -- a plain .mjs script shared with scripts/test.mjs (no type declarations)
import { findChromium, MISSING_BROWSER_HINT } from "./scripts/chromium.mjs";
// @ts-expect-error -- a plain .mjs script shared with scripts/test.mjs (no type declarations)
import { E2E_PORT, E2E_READY_URL, e2eStackEnv } from "./scripts/e2eStack.mjs";

// E2E runs against the real dev stack (local Convex backend + Next) on its own ports and data dir.
const PORT = E2E_PORT as number;
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
    // A failed test keeps its trace (actions, DOM snapshots, network), without the screencast: on a 2-core machine
    // its frames took about a third of the suite's CPU (Chromium's GPU and browser processes). The failure screenshot
    // is still taken.
    trace: { mode: "retain-on-failure", screenshots: false },
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
    url: E2E_READY_URL as string,
    timeout: 420_000,
    // `npm test` starts the stack itself while the static checks and vitest run, and waits until it answers.
    reuseExistingServer: process.env.E2E_STACK_STARTED === "1",
    stdout: "ignore",
    stderr: "pipe",
    env: e2eStackEnv(PORT) as Record<string, string>,
  },
});
