#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure.
//   1. tsc --noEmit                (types)
//   2. eslint --max-warnings=0 .   (lint)
//   3. vitest run                  (projects lib, convex, local)
//   4. playwright test             (browser E2E against the dev stack, system Chromium)
// Each step's output is streamed as it runs. At the end: one line per step with its time,
// then "N passed, M failed". Exits non-zero on any failure.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const PLAYWRIGHT_CONFIG = path.join(ROOT, "playwright.config.ts");

/** @typedef {{ name: string, command: string, args: string[], before?: () => string | null, skip?: () => string | null, env?: Record<string, string> }} Step */

function chromiumPath() {
  return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

function checkChromium() {
  const browser = chromiumPath();
  try {
    accessSync(browser, constants.X_OK);
    return null;
  } catch {
    return `Chromium not found at ${browser}: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`;
  }
}

/** @type {Step[]} */
const STEPS = [
  { name: "typecheck", command: "tsc", args: ["--noEmit"] },
  { name: "lint", command: "eslint", args: ["--max-warnings=0", "."] },
  { name: "vitest", command: "vitest", args: ["run"] },
  {
    name: "e2e",
    command: "playwright",
    args: ["test"],
    skip: () => (existsSync(PLAYWRIGHT_CONFIG) ? null : "no playwright.config.ts yet"),
    before: checkChromium,
    env: { CHROMIUM_PATH: chromiumPath() },
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
  const problem = step.before?.() ?? null;
  if (problem !== null) {
    console.error(`\n== ${step.name}: ${problem}`);
    results.push({ step, status: "failed", ms: Date.now() - started, note: problem });
    failed = true;
    continue;
  }
  console.log(`\n== ${step.name}: ${label}`);
  const code = await run(step);
  const ms = Date.now() - started;
  results.push({ step, status: code === 0 ? "passed" : "failed", ms, note: code === 0 ? undefined : `exit code ${code}` });
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
