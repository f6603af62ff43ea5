#!/usr/bin/env node
// Regenerates convex/_generated without a Convex deployment.
// `convex codegen` writes the generated files first and only then asks the
// deployment for its config; we point it at a throwaway local stub that
// answers "unavailable", keep the files and ignore that last step.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const stub = createServer((_req, res) => {
  res.writeHead(503, { "content-type": "application/json" });
  res.end('{"code":"LocalCodegenOnly"}');
});
await new Promise((resolve) => stub.listen(0, "127.0.0.1", resolve));
const port = stub.address().port;
const run = spawnSync("npx", ["convex", "codegen", "--typecheck", "disable"], {
  env: {
    ...process.env,
    CONVEX_DEPLOYMENT: "",
    CONVEX_SELF_HOSTED_URL: `http://127.0.0.1:${port}`,
    CONVEX_SELF_HOSTED_ADMIN_KEY: "local-codegen",
  },
  encoding: "utf8",
  timeout: 120_000,
});
stub.close();
if (safeMtime("convex/_generated/dataModel.d.ts") === 0 || safeMtime("convex/_generated/server.js") === 0) {
  process.stderr.write(run.stdout + run.stderr);
  console.error("codegen: convex/_generated was not regenerated");
  process.exit(1);
}
// Without a deployment the CLI leaves api.d.ts untyped (AnyApi); write the typed
// api with the CLI's own template over the same module list a deployment would use.
const { apiCodegen } = await import("convex/dist/esm/cli/codegen_templates/api.js").catch(
  () => import(new URL("../node_modules/convex/dist/esm/cli/codegen_templates/api.js", import.meta.url).href),
);
const modulePaths = listModules("convex").sort();
const { DTS, JS } = apiCodegen(modulePaths, { useTypeScript: false });
// `components`: one entry per `app.use(...)` in convex/convex.config.ts, typed with the component
// package's own generated ComponentApi (as the CLI does with a deployment).
const appComponents = listComponents("convex/convex.config.ts");
const componentsDTS = appComponents.length
  ? `export declare const components: {\n${appComponents
      .map(
        ({ name, pkg }) =>
          `  ${JSON.stringify(name)}: import(${JSON.stringify(`${pkg}/_generated/component.js`)}).ComponentApi<${JSON.stringify(name)}>;\n`,
      )
      .join("")}};\n`
  : "export declare const components: {};\n";
writeFileSync("convex/_generated/api.d.ts", DTS.replace(/^  /gm, "") + "\n" + componentsDTS);
writeFileSync(
  "convex/_generated/api.js",
  JS.replace(/^  /gm, "").replace(
    'import { anyApi } from "convex/server";',
    'import { anyApi, componentsGeneric } from "convex/server";',
  ) + "export const components = componentsGeneric();\n",
);
console.log(
  `codegen: convex/_generated updated (${modulePaths.length} modules, components: ${appComponents.map((c) => c.name).join(", ") || "none"})`,
);

/**
 * The components convex.config.ts installs: `import x from "<pkg>/convex.config(.js)"` plus `app.use(x)` or
 * `app.use(x, { name: "..." })`. The default name is the one the package's own convex.config passes to
 * `defineComponent`.
 */
function listComponents(configFile) {
  let source;
  try {
    source = readFileSync(configFile, "utf8");
  } catch {
    return [];
  }
  const imports = new Map();
  for (const m of source.matchAll(/import\s+(\w+)\s+from\s+["']([^"']+)\/convex\.config(?:\.js)?["']/g))
    imports.set(m[1], m[2]);
  const out = [];
  for (const m of source.matchAll(/\.use\(\s*(\w+)\s*(?:,\s*\{[^}]*?name:\s*["']([^"']+)["'][^}]*\})?\s*\)/g)) {
    const pkg = imports.get(m[1]);
    if (!pkg)
      throw new Error(`codegen: ${configFile}: app.use(${m[1]}) does not use an imported "<package>/convex.config.js"`);
    let name = m[2];
    if (!name) {
      const file = createRequire(new URL(`../${configFile}`, import.meta.url)).resolve(`${pkg}/convex.config.js`);
      const def = /defineComponent\(\s*["']([^"']+)["']/.exec(readFileSync(file, "utf8"));
      if (!def) throw new Error(`codegen: no defineComponent("<name>") in ${file}`);
      name = def[1];
    }
    out.push({ name, pkg });
  }
  return out;
}

function listModules(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
      out.push(...listModules(`${dir}/${entry.name}`, rel));
      continue;
    }
    const match = /^([^.]+)\.(ts|tsx|js|jsx)$/.exec(entry.name);
    if (!match) continue; // skips foo.test.ts, .d.ts and other multi-dot names, as Convex does
    if (prefix === "" && match[1] === "schema") continue;
    out.push(rel.replace(/\.(ts|tsx|js|jsx)$/, ""));
  }
  return out;
}

function safeMtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
