#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure.
//   1. tsc --noEmit                (types)
//   2. eslint --max-warnings=0 .   (lint: rules, layers, file size; see eslint.config.mjs)
//   3. knip                        (dead code: unused files, exports, types, dependencies; knip.jsonc)
//   4. prettier --check .          (formatting; .prettierrc.json, .prettierignore)
//   5. vitest run                  (projects lib, convex, local)
//   6. playwright test             (browser E2E against the dev stack; the browser comes from
//                                   scripts/chromium.mjs, which prints which one it uses)
// Before any step, package.json and package-lock.json must agree (a one-line failure otherwise).
// Steps 1-4 are single-threaded, so they run side by side (each one's output is printed whole when it ends);
// vitest and playwright then run one after the other, their output streamed as it runs.
// At the end: one line per step with its time, then "N passed, M failed". Exits non-zero on any failure.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium, MISSING_BROWSER_HINT } from "./chromium.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const PLAYWRIGHT_CONFIG = path.join(ROOT, "playwright.config.ts");

/** @typedef {{ name: string, command: string, args: string[], parallel?: boolean, before?: () => Promise<string | null> | string | null, skip?: () => string | null, env?: Record<string, string> }} Step */

/**
 * The lockfile must pin exactly what package.json asks for (every dependency is an exact version), so a
 * package.json edit without `npm install` fails here in a second instead of as drift in CI.
 * @returns {string | null} the problem, in one line
 */
function lockfileProblem() {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
  const root = lock.packages?.[""] ?? {};
  for (const field of ["dependencies", "devDependencies"]) {
    const wanted = manifest[field] ?? {};
    const locked = root[field] ?? {};
    const names = new Set([...Object.keys(wanted), ...Object.keys(locked)]);
    for (const name of names) {
      const version = lock.packages?.[`node_modules/${name}`]?.version;
      if (wanted[name] !== locked[name] || version !== wanted[name]) {
        return `package-lock.json is out of sync with package.json (${field} ${name}: package.json ${wanted[name] ?? "-"}, lockfile ${locked[name] ?? "-"} / ${version ?? "not locked"}): run \`npm install\` and commit package-lock.json`;
      }
    }
  }
  return null;
}

async function prepareBrowser(step) {
  const browser = await findChromium();
  if (browser === null) return MISSING_BROWSER_HINT;
  console.log(`\n== browser: ${browser.path} (${browser.source})`);
  step.env = { ...step.env, CHROMIUM_PATH: browser.path };
  return null;
}

/** @type {Step[]} */
const STEPS = [
  { name: "typecheck", command: "tsc", args: ["--noEmit"], parallel: true },
  { name: "lint", command: "eslint", args: ["--max-warnings=0", "."], parallel: true },
  { name: "knip", command: "knip", args: ["--no-progress"], parallel: true },
  { name: "format", command: "prettier", args: ["--check", "."], parallel: true },
  { name: "vitest", command: "vitest", args: ["run"] },
  {
    name: "e2e",
    command: "playwright",
    args: ["test"],
    skip: () => (existsSync(PLAYWRIGHT_CONFIG) ? null : "no playwright.config.ts yet"),
    before() {
      return prepareBrowser(this);
    },
  },
];

const running = new Set();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of running) child.kill(signal);
    process.exit(130);
  });
}

/**
 * Runs a step; resolves its exit code and, when `capture` is set, its combined output (printed by the caller).
 * @returns {Promise<{ code: number, output: string }>}
 */
function run(step, capture = false) {
  const bin = path.join(BIN, step.command);
  const command = existsSync(bin) ? bin : step.command;
  return new Promise((resolve) => {
    const child = spawn(command, step.args, {
      cwd: ROOT,
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, ...step.env, ...(capture ? { FORCE_COLOR: "1" } : {}) },
    });
    running.add(child);
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => {
      running.delete(child);
      resolve({ code: 1, output: `${output}\n${step.name}: could not start ${command}: ${error.message}\n` });
    });
    child.on("close", (code, signal) => {
      running.delete(child);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** @type {{ step: Step, status: "passed" | "failed" | "skipped" | "not run", ms: number, note?: string }[]} */
const results = [];
let failed = false;
const lockProblem = lockfileProblem();
if (lockProblem !== null) {
  console.error(`== lockfile: ${lockProblem}`);
  process.exit(1);
}
/** Runs one step (its `before`, then the command); records and returns whether it passed. */
async function runStep(step, capture) {
  const label = [step.command, ...step.args].join(" ");
  const started = Date.now();
  const problem = (await step.before?.()) ?? null;
  if (problem !== null) {
    console.error(`\n== ${step.name}: ${problem}`);
    results.push({ step, status: "failed", ms: Date.now() - started, note: problem });
    return false;
  }
  if (!capture) console.log(`\n== ${step.name}: ${label}`);
  const { code, output } = await run(step, capture);
  const ms = Date.now() - started;
  if (capture) process.stdout.write(`\n== ${step.name}: ${label}  (${seconds(ms)})\n${output}`);
  results.push({
    step,
    status: code === 0 ? "passed" : "failed",
    ms,
    note: code === 0 ? undefined : `exit code ${code}`,
  });
  return code === 0;
}

for (let i = 0; i < STEPS.length;) {
  // A run of consecutive `parallel` steps starts together; the next step waits for all of them.
  const batch = [STEPS[i]];
  while (STEPS[i].parallel && STEPS[i + batch.length]?.parallel) batch.push(STEPS[i + batch.length]);
  i += batch.length;
  const runnable = [];
  for (const step of batch) {
    if (failed) {
      results.push({ step, status: "not run", ms: 0 });
      continue;
    }
    const skipReason = step.skip?.() ?? null;
    if (skipReason !== null) {
      console.log(`\n== ${step.name}: skipped (${skipReason})`);
      results.push({ step, status: "skipped", ms: 0, note: skipReason });
      continue;
    }
    runnable.push(step);
  }
  if (runnable.length > 1) console.log(`\n== ${runnable.map((step) => step.name).join(", ")}: side by side`);
  const passed = await Promise.all(runnable.map((step) => runStep(step, runnable.length > 1)));
  if (passed.includes(false)) failed = true;
}
// Steps that ran side by side finish out of order: report them in the order of STEPS.
results.sort((a, b) => STEPS.indexOf(a.step) - STEPS.indexOf(b.step));

const width = Math.max(...results.map((r) => [r.step.command, ...r.step.args].join(" ").length));
console.log("\n== summary");
for (const r of results) {
  const label = [r.step.command, ...r.step.args].join(" ").padEnd(width);
  const time = r.status === "passed" || r.status === "failed" ? seconds(r.ms) : "-";
  console.log(`${r.step.name.padEnd(10)} ${label}  ${time.padStart(7)}  ${r.status}${r.note ? ` (${r.note})` : ""}`);
}
const passedCount = results.filter((r) => r.status === "passed").length;
const failedCount = results.filter((r) => r.status === "failed").length;
console.log(`${passedCount} passed, ${failedCount} failed`);
process.exit(failedCount === 0 ? 0 : 1);
