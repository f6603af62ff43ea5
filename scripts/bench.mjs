#!/usr/bin/env node
// `npm run bench`: runs every bench/*.ts with tsx, one after the other (bench/local-backend.ts
// first), streaming each one's figures. Exits non-zero if any benchmark fails.
//   npm run bench                  all benchmarks
//   npm run bench -- local-backend only those whose file name contains one of the arguments
//   npm run bench -- sessions      live sessions: writes per session-minute, 1,000 concurrent sessions
//   BENCH_SESSIONS=200 npm run bench -- sessions   (fewer concurrent sessions)
//   npm run bench -- scale         scale run: dataset of 1% and 10% of a million users, every page/cron under the limits
//   npm run bench -- scale --fraction=0.05   (SCALE_FRACTION=0.01,0.1 likewise)
//   npm run bench -- load          load run: 1,000 sessions × 10 min + top-ups (≈ 11 min; BENCH_LOAD_* scale it)
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BENCH_DIR = path.join(ROOT, "bench");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const FIRST = "local-backend.ts";

// Arguments starting with "--" (e.g. --fraction=0.1) are passed to the benchmarks, the rest filter them.
const filters = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const passed = process.argv.slice(2).filter((a) => a.startsWith("--"));
const files = readdirSync(BENCH_DIR)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .filter((f) => filters.length === 0 || filters.some((needle) => f.includes(needle)))
  .sort((a, b) => (a === FIRST ? -1 : b === FIRST ? 1 : a.localeCompare(b)));

if (files.length === 0) {
  console.error(filters.length ? `No bench/*.ts matches ${filters.join(", ")}` : "No benchmarks in bench/");
  process.exit(1);
}

let current = null;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (current !== null) current.kill(signal);
    process.exit(130);
  });
}

function run(file) {
  const [command, args] = existsSync(TSX)
    ? [TSX, [path.join("bench", file), ...passed]]
    : ["npx", ["tsx", path.join("bench", file), ...passed]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit" });
    current = child;
    child.on("error", (error) => {
      current = null;
      console.error(`could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const results = [];
for (const file of files) {
  console.log(`\n== bench/${file}`);
  const started = Date.now();
  const code = await run(file);
  results.push({ file, code, ms: Date.now() - started });
}

console.log("\n== summary");
for (const r of results) {
  console.log(`bench/${r.file}  ${(r.ms / 1000).toFixed(1)}s  ${r.code === 0 ? "ok" : `failed (exit code ${r.code})`}`);
}
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
