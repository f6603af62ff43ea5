// Every public Convex function must be built by the wrapped builders of convex/functions.ts,
// which resolve the viewer and check the role. Two independent checks:
//  1. at runtime: the raw builders are instrumented, and each public function exported by a
//     convex/*.ts module must have been built through convex-helpers' custom builders;
//  2. by source: no module other than convex/functions.ts imports a raw builder.
import { describe, expect, it, vi } from "vitest";

const built = vi.hoisted(() => ({ viaWrapper: new WeakSet<object>(), raw: new WeakSet<object>() }));

vi.mock("../../convex/_generated/server", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../convex/_generated/server")>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wraps the three builders generically
  const track = <B extends (...args: any[]) => object>(builder: B): B =>
    ((...args: Parameters<B>) => {
      const fn = builder(...args);
      const stack = new Error().stack ?? "";
      const fromWrapper = /convex-helpers[\\/]server[\\/]customFunctions/.test(stack);
      (fromWrapper ? built.viaWrapper : built.raw).add(fn);
      return fn;
    }) as B;
  return {
    ...original,
    query: track(original.query),
    mutation: track(original.mutation),
    action: track(original.action),
  };
});

type Registered = {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isHttp?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
};

// convex.config.ts is the app definition (components), not a function module (as for Convex itself).
const moduleLoaders = import.meta.glob<Record<string, unknown>>([
  "../../convex/*.ts",
  "!../../convex/convex.config.ts",
]);
const sources = import.meta.glob<string>(["../../convex/**/*.ts", "!../../convex/_generated/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

function isRegistered(value: unknown): value is Registered {
  if (typeof value !== "function" && (typeof value !== "object" || value === null)) return false;
  const v = value as Registered;
  return v.isQuery === true || v.isMutation === true || v.isAction === true || v.isHttp === true;
}

async function registeredFunctions() {
  const found: { name: string; fn: Registered }[] = [];
  for (const [path, load] of Object.entries(moduleLoaders)) {
    const moduleName = path.replace("../../convex/", "").replace(/\.ts$/, "");
    const exports = await load();
    for (const [exportName, value] of Object.entries(exports)) {
      if (isRegistered(value)) found.push({ name: `${moduleName}:${exportName}`, fn: value });
    }
  }
  return found;
}

describe("public Convex functions", () => {
  it("the detector flags a raw builder (fixture)", async () => {
    const { rawPublicQuery } = await import("./fixtures/rawBuilder");
    expect((rawPublicQuery as Registered).isPublic).toBe(true);
    expect(built.raw.has(rawPublicQuery)).toBe(true);
    expect(built.viaWrapper.has(rawPublicQuery)).toBe(false);
  });

  it("finds the app's functions", async () => {
    const names = (await registeredFunctions()).map((f) => f.name);
    for (const expected of [
      "users:viewer",
      "users:ensureViewer",
      "users:viewerForAction",
      "sessions:listMine",
      "advisorProfiles:listApproved",
      "seed:seedDemo",
    ]) {
      expect(names).toContain(expected);
    }
  });

  it("each exported function is exactly one of public or internal", async () => {
    for (const { name, fn } of await registeredFunctions()) {
      expect(Boolean(fn.isPublic) !== Boolean(fn.isInternal), name).toBe(true);
    }
  });

  it("each public function was built by a wrapped builder", async () => {
    const publicFns = (await registeredFunctions()).filter(({ fn }) => fn.isPublic === true);
    expect(publicFns.length).toBeGreaterThan(0);
    const offenders = publicFns.filter(({ fn }) => !built.viaWrapper.has(fn)).map(({ name }) => name);
    expect(offenders, "public functions built without convex/functions.ts").toEqual([]);
  });

  it("no module but convex/functions.ts imports a raw builder", () => {
    const rawImport = /import\s*\{([^}]*)\}\s*from\s*["'](?:\.\.?\/)+_generated\/server(?:\.js)?["']/g;
    const offenders: string[] = [];
    const checked = Object.keys(sources).filter((path) => !path.endsWith("/convex/functions.ts"));
    expect(checked.length).toBeGreaterThan(3);
    for (const path of checked) {
      for (const match of sources[path]!.matchAll(rawImport)) {
        const names = match[1]!
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "" && !s.startsWith("type "))
          .map((s) => s.split(/\s+as\s+/)[0]!.trim());
        if (!/^import\s+type\b/.test(match[0]) && names.some((n) => ["query", "mutation", "action"].includes(n))) {
          offenders.push(path);
        }
      }
      if (/import\s+\*\s+as\s+\w+\s+from\s*["'](?:\.\.?\/)+_generated\/server/.test(sources[path]!))
        offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });
});
