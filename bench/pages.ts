/**
 * `npm run bench -- pages`: Lighthouse (pinned, mobile preset: Moto G Power viewport, simulated slow 4G and 4×
 * CPU slowdown) against a production build of the local stack, for /, /advisors, an advisor's profile and
 * /sign-in. Each page runs BENCH_PAGES_RUNS times (default 3; the machine's CPU is shared, so figures are noisy)
 * and the median run (by performance score) is printed: score, LCP, TBT, CLS and transferred KiB.
 *   BENCH_URL=http://localhost:3000 npm run bench -- pages   against a stack you already started (`npm run dev -- --prod`)
 *   BENCH_PAGES_PORT=3330                                    port of the stack this bench starts (default 3330)
 * Chromium comes from CHROMIUM_PATH, else scripts/chromium.mjs findChromium().
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
// @ts-expect-error -- a plain .mjs script shared with playwright.config.ts (no type declarations)
import { findChromium, MISSING_BROWSER_HINT } from "../scripts/chromium.mjs";
import { ROOT } from "./support";

const RUNS = Math.max(1, Number(process.env.BENCH_PAGES_RUNS ?? 3));
const PORT = Number(process.env.BENCH_PAGES_PORT ?? 3330);

type Figures = { score: number; lcpMs: number; tbtMs: number; cls: number; kib: number };

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function startStack(): Promise<{ base: string; child: ChildProcess | null }> {
  if (process.env.BENCH_URL) return { base: process.env.BENCH_URL.replace(/\/$/, ""), child: null };
  console.log(`building and starting the local stack (production build) on port ${PORT}…`);
  const child = spawn(process.execPath, ["scripts/dev.mjs", "--reset", "--prod"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      LOCAL_CONVEX_PORT: String(PORT + 210),
      LOCAL_DATA_DIR: ".local-data/bench-pages",
      NEXT_DIST_DIR: ".next-bench-pages",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  // Stopped early (Ctrl-C, a timeout): take the stack down with us.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
      process.exit(130);
    });
  }
  const base = `http://localhost:${PORT}`;
  await waitFor(`${base}/sign-in`, 900_000);
  return { base, child };
}

function median(values: Figures[]): Figures {
  const sorted = [...values].sort((a, b) => a.score - b.score);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main() {
  const browser = (await findChromium()) as { path: string } | null;
  if (browser === null) throw new Error(MISSING_BROWSER_HINT);
  const { base, child } = await startStack();
  try {
    const html = await (await fetch(`${base}/advisors`)).text();
    const profile = /href="(\/advisors\/[^"?#/]+)"/.exec(html)?.[1];
    const paths = ["/", "/advisors", profile ?? "/advisors", "/sign-in"];
    // Warm every page once (the first request of a route compiles nothing in a production build, but fills caches).
    for (const p of paths) await fetch(`${base}${p}`);
    const chrome = await chromeLauncher.launch({
      chromePath: browser.path,
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    const rows: [string, Figures, Figures[]][] = [];
    try {
      for (const p of paths) {
        const runs: Figures[] = [];
        for (let i = 0; i < RUNS; i++) {
          const result = await lighthouse(`${base}${p}`, {
            port: chrome.port,
            output: "json",
            logLevel: "error",
            onlyCategories: ["performance"],
          });
          const lhr = result!.lhr;
          runs.push({
            score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
            lcpMs: lhr.audits["largest-contentful-paint"]?.numericValue ?? NaN,
            tbtMs: lhr.audits["total-blocking-time"]?.numericValue ?? NaN,
            cls: lhr.audits["cumulative-layout-shift"]?.numericValue ?? NaN,
            kib: (lhr.audits["total-byte-weight"]?.numericValue ?? NaN) / 1024,
          });
        }
        rows.push([p, median(runs), runs]);
        const m = median(runs);
        console.log(
          `${p.padEnd(28)} perf ${String(m.score).padStart(3)}  LCP ${(m.lcpMs / 1000).toFixed(2)} s  TBT ${Math.round(m.tbtMs)} ms  CLS ${m.cls.toFixed(3)}  ${Math.round(m.kib)} KiB   (runs: ${runs.map((r) => r.score).join(", ")})`,
        );
      }
    } finally {
      await chrome.kill();
    }
    const failing = rows.filter(([, m]) => m.score < 90 || m.lcpMs >= 2_500 || m.tbtMs >= 200);
    console.log(
      failing.length === 0
        ? "goal met on every page: performance ≥ 90, LCP < 2.5 s, TBT < 200 ms"
        : `goal (≥ 90, LCP < 2.5 s, TBT < 200 ms) not met on: ${failing.map(([p]) => p).join(", ")}`,
    );
  } finally {
    if (child?.pid !== undefined) process.kill(-child.pid, "SIGTERM");
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
