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
// Each step's output is streamed as it runs. At the end: one line per step with its time,
// then "N passed, M failed". Exits non-zero on any failure.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium, MISSING_BROWSER_HINT } from "./chromium.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const PLAYWRIGHT_CONFIG = path.join(ROOT, "playwright.config.ts");

/** @typedef {{ name: string, command: string, args: string[], before?: () => Promise<string | null> | string | null, skip?: () => string | null, env?: Record<string, string> }} Step */

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
  { name: "typecheck", command: "tsc", args: ["--noEmit"] },
  { name: "lint", command: "eslint", args: ["--max-warnings=0", "."] },
  { name: "knip", command: "knip", args: ["--no-progress"] },
  { name: "format", command: "prettier", args: ["--check", "."] },
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

let current = null;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (current !== null) current.kill(signal);
    process.exit(130);
  });
}

function run(step) {
  const bin = path.join(BIN, step.command);
  const command = existsSync(bin) ? bin : step.command;
  return new Promise((resolve) => {
    const child = spawn(command, step.args, {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, ...step.env },
    });
    current = child;
    child.on("error", (error) => {
      current = null;
      console.error(`\n${step.name}: could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
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
for (const step of STEPS) {
  const label = [step.command, ...step.args].join(" ");
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
  const started = Date.now();
  const problem = (await step.before?.()) ?? null;
  if (problem !== null) {
    console.error(`\n== ${step.name}: ${problem}`);
    results.push({ step, status: "failed", ms: Date.now() - started, note: problem });
    failed = true;
    continue;
  }
  console.log(`\n== ${step.name}: ${label}`);
  const code = await run(step);
  const ms = Date.now() - started;
  results.push({
    step,
    status: code === 0 ? "passed" : "failed",
    ms,
    note: code === 0 ? undefined : `exit code ${code}`,
  });
  if (code !== 0) failed = true;
}

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
