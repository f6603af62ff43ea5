/**
 * One build of convex/: bundled and imported (loader.ts), exports adjusted (functionExports.ts), components
 * loaded, and a fresh convex-test instance for them with Convex's limits. Start and reload both use it.
 */
import { setTimeout, clearTimeout } from "node:timers";
import { createInstance, type EngineInstance } from "./internals";
import { bundleAndLoad, loadComponents } from "./loader";
import { installFastCollect } from "./queryCollect";
import { CONVEX_LIMITS, type FunctionLimits } from "./limits";
import { stagedIndexNames } from "./syscalls";
import { memoizeExports, wrapActionHandler } from "./functionExports";
import { seconds } from "./callControl";

export interface BuiltCode {
  inst: EngineInstance;
  modules: Map<string, Record<string, unknown>>;
  buildDir: string;
  /** indexes declared `staged: true` */
  staged: Set<string>;
}

export async function buildCode(
  convexDir: string,
  buildRoot: string,
  limits: Partial<FunctionLimits> | undefined,
): Promise<BuiltCode> {
  const loaded = await bundleAndLoad(convexDir, buildRoot);
  const moduleMap: Record<string, () => Promise<unknown>> = {
    "../convex/_generated/__local_backend_marker.js": async () => ({}),
  };
  for (const [name, ns] of loaded.modules) {
    moduleMap[`../convex/${name}.js`] = async () => ns;
    for (const value of Object.values(ns)) {
      memoizeExports(value);
      wrapActionHandler(value);
    }
  }
  const schema = loaded.modules.get("schema")?.default ?? undefined;
  const components = await loadComponents(convexDir, loaded.buildDir);
  await installFastCollect();
  const inst = await createInstance(schema, moduleMap, components);
  inst.trackMetrics = loaded.usesTransactionMetrics;
  inst.limits = { ...CONVEX_LIMITS, ...limits };
  return { inst, modules: loaded.modules, buildDir: loaded.buildDir, staged: stagedIndexNames(schema) };
}

/** buildCode, given up after `limitMs` (a module that never finishes importing must not stall a reload). */
export async function buildCodeWithin(limitMs: number, ...args: Parameters<typeof buildCode>): Promise<BuiltCode> {
  let timer: NodeJS.Timeout | null = null;
  try {
    return await Promise.race([
      buildCode(...args),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `loading the new code took longer than ${seconds(limitMs)} (a module that never finishes importing?)`,
              ),
            ),
          limitMs,
        );
        timer.unref();
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
