/**
 * Bundles the convex/ directory with esbuild (as a deployment does) into a
 * fresh build directory and imports every module. npm packages stay external
 * and are imported by absolute file URL, so `convex/server` is the very same
 * module instance convex-test uses.
 */
import { build, type Plugin } from "esbuild";
import { isBuiltin } from "node:module";
import { promises as fs } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/** node_modules that holds the `convex` package this backend runs with (fallback for convex dirs outside the project). */
function ownNodeModules(): string[] {
  try {
    const req = createRequire(import.meta.url);
    return [path.dirname(path.dirname(req.resolve("convex/package.json")))];
  } catch {
    return [];
  }
}

export interface LoadedModules {
  /** module path without extension ("users", "model/ledger") -> module namespace */
  modules: Map<string, Record<string, unknown>>;
  buildDir: string;
  /** the bundled code mentions getTransactionMetrics (so convex-test's metrics tracking must stay on) */
  usesTransactionMetrics: boolean;
}

const SOURCE_RE = /\.(ts|tsx|js|jsx|mjs|mts)$/;

async function listSources(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (r === "_generated") continue;
      out.push(...(await listSources(dir, r)));
    } else if (
      SOURCE_RE.test(e.name) &&
      !e.name.endsWith(".d.ts") &&
      !/\.(test|spec)\.[a-z]+$/.test(e.name) &&
      !e.name.includes(" ")
    ) {
      out.push(r);
    }
  }
  return out.sort();
}

const externalsPlugin: Plugin = {
  name: "local-convex-externals",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === "inner") return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      if (path.isAbsolute(args.path)) return undefined;
      const r = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "inner",
      });
      if (r.errors.length > 0) return { errors: r.errors };
      if (r.external) return { path: r.path, external: true };
      if (r.path.split(path.sep).includes("node_modules")) {
        return { path: pathToFileURL(r.path).href, external: true };
      }
      return { path: r.path };
    });
  },
};

let buildCounter = 0;

export async function bundleAndLoad(convexDir: string, buildRoot: string): Promise<LoadedModules> {
  const absDir = path.resolve(convexDir);
  const sources = await listSources(absDir);
  buildCounter += 1;
  const buildDir = path.join(buildRoot, `b${Date.now().toString(36)}-${process.pid}-${buildCounter}`);
  await fs.mkdir(buildDir, { recursive: true });
  const entryPoints: Record<string, string> = {};
  for (const rel of sources) {
    entryPoints[rel.replace(SOURCE_RE, "")] = path.join(absDir, rel);
  }
  if (sources.length > 0) {
    await build({
      entryPoints,
      outdir: buildDir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outExtension: { ".js": ".mjs" },
      sourcemap: "inline",
      logLevel: "silent",
      plugins: [externalsPlugin],
      nodePaths: ownNodeModules(),
      define: { "import.meta.vitest": "undefined" },
    });
  }
  let usesTransactionMetrics = false;
  for (const f of await fs.readdir(buildDir, { recursive: true })) {
    if (!String(f).endsWith(".mjs")) continue;
    if ((await fs.readFile(path.join(buildDir, String(f)), "utf8")).includes("getTransactionMetrics")) {
      usesTransactionMetrics = true;
      break;
    }
  }
  const modules = new Map<string, Record<string, unknown>>();
  for (const name of Object.keys(entryPoints)) {
    const file = path.join(buildDir, `${name}.mjs`);
    const ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    modules.set(name, ns);
  }
  return { modules, buildDir, usesTransactionMetrics };
}

/** Removes older build directories, keeping `keep`. */
export async function cleanBuilds(buildRoot: string, keep: string[]): Promise<void> {
  let names: string[] = [];
  try {
    names = await fs.readdir(buildRoot);
  } catch {
    return;
  }
  await Promise.all(
    names
      .filter((n) => !keep.includes(path.join(buildRoot, n)))
      .map((n) => fs.rm(path.join(buildRoot, n), { recursive: true, force: true })),
  );
}
