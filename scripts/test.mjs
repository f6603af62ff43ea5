#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure (`npm test -- <step> ...`: only those steps).
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
// The E2E stack (local backend and processor, then a production build of the app) starts with step 1: its build
// runs at a low priority on the CPU the other steps leave idle, and the e2e step waits for it and reuses it.
// At the end: one line per step with its time, then "N passed, M failed". Exits non-zero on any failure.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium, MISSING_BROWSER_HINT } from "./chromium.mjs";
import { E2E_PORT, E2E_READY_URL, e2eStackEnv } from "./e2eStack.mjs";

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

/** @type {{ child: import("node:child_process").ChildProcess, output: string, exitCode: number | null } | null} */
let e2eStack = null;

function startE2eStack() {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "dev.mjs"), "--reset", "--prod"], {
    cwd: ROOT,
    detached: true, // its own process group, stopped as a whole
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...e2eStackEnv(E2E_PORT), NEXT_BUILD_NICENESS: "10", NEXT_BUILD_SKIP_TYPECHECK: "1" },
  });
  const stack = { child, output: "", exitCode: null };
  // Only its last lines matter (printed if it fails to start).
  const keep = (chunk) => (stack.output = (stack.output + chunk).slice(-65_536));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.on("exit", (code) => (stack.exitCode = code ?? 1));
  return stack;
}

function stopE2eStack() {
  if (e2eStack === null || e2eStack.exitCode !== null) return;
  try {
    process.kill(-e2eStack.child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

/** Waits until the stack answers; returns the problem (with the end of its output) if it fails or times out. */
async function waitForE2eStack(timeoutMs) {
  if (e2eStack === null) return "the E2E stack was not started";
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (e2eStack.exitCode !== null) {
      return `the E2E stack exited (code ${e2eStack.exitCode}) before it was ready:\n${e2eStack.output.slice(-4000)}`;
    }
    try {
      if ((await fetch(E2E_READY_URL)).ok) return null;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return `the E2E stack did not answer at ${E2E_READY_URL} within ${timeoutMs / 1000} s:\n${e2eStack.output.slice(-4000)}`;
}

async function prepareBrowser(step) {
  const browser = await findChromium();
  if (browser === null) return MISSING_BROWSER_HINT;
  console.log(`\n== browser: ${browser.path} (${browser.source})`);
  step.env = { ...step.env, CHROMIUM_PATH: browser.path };
  return null;
}

/** @type {Step[]} */
const ALL_STEPS = [
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
    async before() {
      const problem = await prepareBrowser(this);
      if (problem !== null) return problem;
      const stackProblem = await waitForE2eStack(600_000);
      if (stackProblem === null) this.env = { ...this.env, E2E_STACK_STARTED: "1" };
      return stackProblem;
    },
  },
];

// `npm test -- e2e vitest` runs only the named steps (in their usual order); no names: every step.
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !ALL_STEPS.some((step) => step.name === name));
if (unknown.length > 0) {
  console.error(`Unknown step ${unknown.join(", ")}; the steps are: ${ALL_STEPS.map((step) => step.name).join(", ")}.`);
  process.exit(2);
}
const STEPS = wanted.length === 0 ? ALL_STEPS : ALL_STEPS.filter((step) => wanted.includes(step.name));

const running = new Set();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of running) child.kill(signal);
    stopE2eStack();
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
if (existsSync(PLAYWRIGHT_CONFIG) && STEPS.some((step) => step.name === "e2e")) e2eStack = startE2eStack();
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
stopE2eStack();
const passedCount = results.filter((r) => r.status === "passed").length;
const failedCount = results.filter((r) => r.status === "failed").length;
console.log(`${passedCount} passed, ${failedCount} failed`);
process.exit(failedCount === 0 ? 0 : 1);
