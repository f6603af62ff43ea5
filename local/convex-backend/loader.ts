/**
 * Bundles the convex/ directory with esbuild (as a deployment does) into a
 * fresh build directory and imports every module. npm packages stay external
 * and are imported by absolute file URL, so `convex/server` is the very same
 * module instance convex-test uses.
 */
import { build, type Plugin } from "esbuild";
import { isBuiltin } from "node:module";
import { existsSync, promises as fs } from "node:fs";
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
    } else if (r.startsWith("convex.config.")) {
      // The app definition (components) is not a function module; see loadComponents.
      continue;
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

// ---------------------------------------------------------------- components

/** A component installed by convex/convex.config.ts (directly or by another component). */
export interface LoadedComponent {
  /** component path as convex-test names it: "rateLimiter", "rateLimiter/batchWorker" */
  path: string;
  /** directory of the component's convex.config.js (its function modules, schema.js and _generated/) */
  dir: string;
  schema: unknown;
  /** convex-test module map: absolute file path -> lazy import */
  modules: Record<string, () => Promise<unknown>>;
}

interface ComponentDefinitionLike {
  _name?: string;
  _childComponents: [string, { componentDefinitionPath: string }, ...unknown[]][];
}

const CONFIG_IMPORT_RE = /(^|\/)convex\.config(\.[cm]?[jt]s)?$/;

/**
 * The components of convex/convex.config.ts, recursively. As the Convex CLI does, every imported
 * `…/convex.config.js` is replaced by a stub carrying its path (`componentDefinitionPath`) and its
 * `defineComponent` name, so `app.use(...)` works outside the Convex runtime. Components must ship
 * JavaScript (the packages' `dist/component/`); their modules are imported as they are.
 */
export async function loadComponents(convexDir: string, buildDir: string): Promise<LoadedComponent[]> {
  const absDir = path.resolve(convexDir);
  const entry = ["convex.config.ts", "convex.config.js", "convex.config.mjs"]
    .map((f) => path.join(absDir, f))
    .find((f) => existsSync(f));
  if (!entry) return [];
  const definitions = new Map<string, Promise<ComponentDefinitionLike>>();
  let counter = 0;
  const evaluate = (file: string): Promise<ComponentDefinitionLike> => {
    let p = definitions.get(file);
    if (!p) {
      p = evaluateConfig(file);
      definitions.set(file, p);
    }
    return p;
  };
  const stubPlugin: Plugin = {
    name: "local-convex-component-stubs",
    setup(b) {
      b.onResolve({ filter: CONFIG_IMPORT_RE }, async (args) => {
        if (args.kind === "entry-point" || args.pluginData === "inner") return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: "inner",
        });
        if (r.errors.length > 0) return { errors: r.errors };
        return { path: r.path, namespace: "convex-component-stub" };
      });
      b.onLoad({ filter: /.*/, namespace: "convex-component-stub" }, async (args) => {
        const child = await evaluate(args.path);
        const stub = { componentDefinitionPath: args.path, defaultName: child._name };
        return { contents: `export default ${JSON.stringify(stub)};`, loader: "js" };
      });
    },
  };
  async function evaluateConfig(file: string): Promise<ComponentDefinitionLike> {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "silent",
      plugins: [stubPlugin, externalsPlugin],
      nodePaths: ownNodeModules(),
    });
    counter += 1;
    const out = path.join(buildDir, `convex.config.${counter}.mjs`);
    await fs.writeFile(out, result.outputFiles[0]!.text);
    const def = ((await import(pathToFileURL(out).href)) as { default?: ComponentDefinitionLike }).default;
    if (!def || !Array.isArray(def._childComponents))
      throw new Error(`${file}: the default export is not a defineApp()/defineComponent() definition`);
    return def;
  }
  const out: LoadedComponent[] = [];
  const walk = async (def: ComponentDefinitionLike, prefix: string) => {
    for (const [name, imported] of def._childComponents) {
      const file = imported.componentDefinitionPath;
      const componentPath = prefix ? `${prefix}/${name}` : name;
      const dir = path.dirname(file);
      out.push({ path: componentPath, dir, ...(await componentModules(dir, componentPath)) });
      await walk(await evaluate(file), componentPath);
    }
  };
  await walk(await evaluate(entry), "");
  return out;
}

async function componentModules(
  dir: string,
  componentPath: string,
): Promise<Pick<LoadedComponent, "schema" | "modules">> {
  const modules: Record<string, () => Promise<unknown>> = {};
  let hasGenerated = false;
  for (const f of (await fs.readdir(dir, { recursive: true })).map(String).sort()) {
    const rel = f.split(path.sep).join("/");
    if (rel.includes("node_modules/") || !/\.m?js$/.test(rel) || /(^|\/)convex\.config\.m?js$/.test(rel)) continue;
    if (rel.startsWith("_generated/")) hasGenerated = true;
    const abs = path.join(dir, f);
    modules[abs] = () => import(pathToFileURL(abs).href);
  }
  if (!hasGenerated) {
    throw new Error(
      `component "${componentPath}" (${dir}) has no built JavaScript with a _generated/ directory; the local backend loads only built components`,
    );
  }
  const schemaFile = ["schema.js", "schema.mjs"].map((f) => path.join(dir, f)).find((f) => existsSync(f));
  const schema = schemaFile
    ? (((await import(pathToFileURL(schemaFile).href)) as { default?: unknown }).default ?? null)
    : null;
  return { schema, modules };
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
