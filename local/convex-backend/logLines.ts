/**
 * `console.*` inside a function becomes a log line of that call, delivered to the client as a
 * deployment does (`logLines` in the sync and HTTP responses; the stock client prints them as
 * `[CONVEX Q(name)] [LOG] …`). Lines are also still printed by the backend process.
 * Calls are told apart by the AsyncLocalStorage context the engine runs each function in.
 */
import { inspect } from "node:util";
import { callStorage } from "./watchdog";

const LEVELS = { log: "LOG", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG" } as const;
/** A deployment truncates a function's logs too; keep the client messages bounded. */
const MAX_LINES = 256;
const MAX_LINE_CHARS = 32_768;

function format(args: unknown[]): string {
  // Strings quoted, other values inspected, as the Convex dashboard and client show them.
  return args
    .map((a) => (typeof a === "string" ? `'${a}'` : inspect(a, { depth: 4, breakLength: Infinity })))
    .join(" ")
    .slice(0, MAX_LINE_CHARS);
}

let installed = false;

export function installConsoleCapture(): void {
  if (installed) return;
  installed = true;
  for (const [method, level] of Object.entries(LEVELS) as [keyof typeof LEVELS, string][]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const lines = callStorage.getStore()?.logLines;
      if (lines !== undefined && lines.length < MAX_LINES) lines.push(`[${level}] ${format(args)}`);
      original(...args);
    };
  }
}
