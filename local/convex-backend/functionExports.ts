/**
 * The app's exported functions as the engine sees them: how a udfPath names one, and the adjustments made
 * once per loaded function so convex-test runs them as a deployment would (validators exported once,
 * nested-call errors and unverifiable credentials reported as a deployment reports them).
 */
import { currentCall } from "./internals";
import { FunctionNotFound, nestedCallError } from "./errors";

export type FnKind = "query" | "mutation" | "action";

export interface RegisteredFn {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
}

export function normalizeUdfPath(udfPath: string): { module: string; fn: string; canonical: string } {
  const idx = udfPath.lastIndexOf(":");
  let module = idx < 0 ? udfPath : udfPath.slice(0, idx);
  const fn = idx < 0 ? "default" : udfPath.slice(idx + 1);
  module = module.replace(/\.(js|ts|mjs|tsx|jsx)$/, "");
  return { module, fn, canonical: `${module}:${fn}` };
}

/** The loaded code's functions by udfPath, as a deployment finds (or does not find) them. */
export class FunctionTable {
  /** lookups per udfPath as called (a new table comes with new code) */
  private resolved = new Map<string, { f: RegisteredFn | undefined; kind: FnKind | null; canonical: string }>();

  constructor(private readonly modules: Map<string, Record<string, unknown>>) {}

  resolve(
    udfPath: string,
    opts: { allowInternal: boolean; expected?: FnKind },
  ): { kind: FnKind; canonical: string; f: RegisteredFn } {
    let r = this.resolved.get(udfPath);
    if (r === undefined) {
      const { module, fn, canonical } = normalizeUdfPath(udfPath);
      const f = this.modules.get(module)?.[fn] as RegisteredFn | undefined;
      const kind: FnKind | null = f?.isQuery ? "query" : f?.isMutation ? "mutation" : f?.isAction ? "action" : null;
      r = { f, kind, canonical };
      if (this.resolved.size >= 10_000) this.resolved.clear();
      this.resolved.set(udfPath, r);
    }
    const { f, kind, canonical } = r;
    if (!f || kind === null || (!opts.allowInternal && !f.isPublic)) {
      throw new FunctionNotFound(
        `Could not find public function for '${canonical}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`,
      );
    }
    if (opts.expected && opts.expected !== kind) {
      const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
      throw new FunctionNotFound(
        `Trying to execute ${canonical} as ${cap(opts.expected)}, but it is defined as ${cap(kind)}.`,
      );
    }
    return { kind, canonical, f };
  }
}

/**
 * convex-test re-serializes a function's argument and return validators
 * (`exportArgs()` / `exportReturns()`) on every call; validators are immutable,
 * so remember the first result.
 */
const ANY_ARGS = JSON.stringify({ type: "any" });

export function memoizeExports(fn: unknown): void {
  if (typeof fn !== "function" && (typeof fn !== "object" || fn === null)) return;
  const f = fn as Record<string, unknown>;
  for (const key of ["exportArgs", "exportReturns"]) {
    const original = f[key];
    if (typeof original !== "function") continue;
    let cached: unknown;
    let done = false;
    try {
      f[key] = () => {
        if (key === "exportArgs") {
          // Arguments of a top-level call were already checked by checkArgs (same rules): convex-test's
          // own pass, the first read of the validator in this call, sees `v.any()` once.
          const ctl = currentCall();
          if (ctl !== undefined && ctl.argsChecked === fn) {
            ctl.argsChecked = undefined;
            return ANY_ARGS;
          }
        }
        if (!done) {
          cached = (original as () => unknown).call(fn);
          done = true;
        }
        return cached;
      };
    } catch {
      // read-only export: leave it
    }
  }
}

type NestedCalls = Record<"runQuery" | "runMutation" | "runAction", (ref: unknown, args?: unknown) => Promise<unknown>>;

/** `ctx` with runQuery/runMutation/runAction failing as a deployment's do (errors.ts, nestedCallError). */
export function withNestedCallErrors<C>(ctx: C): C {
  const c = ctx as unknown as NestedCalls;
  const wrap =
    (call: NestedCalls[keyof NestedCalls]) =>
    async (ref: unknown, args?: unknown): Promise<unknown> => {
      try {
        return await call(ref, args);
      } catch (e) {
        throw nestedCallError(e);
      }
    };
  return {
    ...c,
    runQuery: wrap(c.runQuery),
    runMutation: wrap(c.runMutation),
    runAction: wrap(c.runAction),
  } as unknown as C;
}

const nestedErrorsWrapped = Symbol("nestedCallErrors");

/** Makes an exported action's handler see deployment-shaped nested-call errors (once per function). */
export function wrapActionHandler(fn: unknown): void {
  if (typeof fn !== "function") return;
  const f = fn as unknown as Record<string | symbol, unknown>;
  const handler = f._handler;
  if (f.isAction !== true || typeof handler !== "function" || f[nestedErrorsWrapped] === true) return;
  try {
    f._handler = (ctx: unknown, args: unknown) =>
      (handler as (c: unknown, a: unknown) => unknown)(withNestedCallErrors(ctx), args);
    f[nestedErrorsWrapped] = true;
  } catch {
    // read-only export: leave it
  }
}
