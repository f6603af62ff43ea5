// Finds the Chromium the browser tests drive, without root, in this order:
//   1. CHROMIUM_PATH                       (an explicit choice always wins)
//   2. a browser Playwright installed      (`npx playwright install chromium`, where downloads work)
//   3. @sparticuz/chromium on Linux        (a pinned devDependency: a headless Chromium shipped through npm,
//                                           so `npm install` is all a fresh machine needs)
//   4. /usr/bin/chromium                   (Debian's package)
// Returns { path, source }, or null when none exists. Used by scripts/test.mjs and playwright.config.ts.
import { accessSync, constants, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";
// @sparticuz/chromium unpacks into os.tmpdir(); a shared /tmp/chromium left by another user would be
// unreadable (mode 700), so each checkout unpacks into its own cache folder instead.
const NPM_CHROMIUM_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules/.cache/chromium");
export const MISSING_BROWSER_HINT =
  "no Chromium found: run `npm install` (it ships one for Linux through @sparticuz/chromium), or `npx playwright install chromium`, or set CHROMIUM_PATH";

function executable(file) {
  if (!file) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function playwrightChromium() {
  try {
    const { chromium } = await import("@playwright/test");
    return chromium.executablePath();
  } catch {
    return null;
  }
}

async function npmChromium() {
  if (process.platform !== "linux") return null;
  try {
    const { default: chromium } = await import("@sparticuz/chromium");
    mkdirSync(NPM_CHROMIUM_DIR, { recursive: true });
    // Unpacks the brotli-packed build (about 3 s) into os.tmpdir() once; later calls reuse it.
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = NPM_CHROMIUM_DIR;
    try {
      return await chromium.executablePath();
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  } catch {
    return null;
  }
}

/** @returns {Promise<{ path: string, source: string } | null>} */
export async function findChromium() {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return executable(explicit) ? { path: explicit, source: "CHROMIUM_PATH" } : null;
  const installed = await playwrightChromium();
  if (executable(installed)) return { path: installed, source: "Playwright's installed browser" };
  const shipped = await npmChromium();
  if (executable(shipped)) return { path: shipped, source: "@sparticuz/chromium (npm)" };
  if (executable(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: "system package" };
  return null;
}
