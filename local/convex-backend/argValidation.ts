/**
 * Argument validation before a function runs, reported as a deployment does
 * (`ArgumentValidationError: …`, a system error, so without the `Uncaught` prefix).
 * The check is the compiled validator also used for schema writes; the wording of the detail
 * line is simpler than Convex's (see README scope table).
 */
import { convexToJson, type Value } from "convex/values";
import { compileValidator } from "./validators";

export class ArgumentValidationError extends Error {
  override name = "ArgumentValidationError";
}

type JsonValidator = { type: string; value?: unknown; tableName?: string; fieldType?: unknown; optional?: boolean };

const compiled = new WeakMap<object, { check: (v: unknown) => boolean; validator: JsonValidator } | null>();

function describe(v: JsonValidator): string {
  switch (v.type) {
    case "object": {
      const fields = Object.entries(
        (v.value ?? {}) as Record<string, { fieldType: JsonValidator; optional: boolean }>,
      ).map(([k, f]) => `${k}: ${f.optional ? `v.optional(${describe(f.fieldType)})` : describe(f.fieldType)}`);
      return `v.object({${fields.join(", ")}})`;
    }
    case "id":
      return `v.id("${v.tableName ?? ""}")`;
    case "array":
      return `v.array(${describe(v.value as JsonValidator)})`;
    case "union":
      return `v.union(${(v.value as JsonValidator[]).map(describe).join(", ")})`;
    case "literal":
      return `v.literal(${JSON.stringify(v.value)})`;
    case "number":
      return "v.float64()";
    case "bigint":
      return "v.int64()";
    default:
      return `v.${v.type}()`;
  }
}

function missingOrExtra(validator: JsonValidator, args: Record<string, Value>): string | null {
  if (validator.type !== "object") return null;
  const shape = (validator.value ?? {}) as Record<string, { optional: boolean }>;
  for (const [k, f] of Object.entries(shape)) {
    if (args[k] === undefined && !f.optional) {
      return `Object is missing the required field \`${k}\`. Consider wrapping the field validator in \`v.optional(...)\` if this is expected.`;
    }
  }
  for (const k of Object.keys(args)) {
    if (shape[k] === undefined) return `Object contains extra field \`${k}\` that is not in the validator.`;
  }
  return null;
}

/**
 * Throws ArgumentValidationError when `args` do not match the function's `args` validator; true when
 * they were checked against one (false: no validator, `v.any()`, or one this module cannot compile).
 */
export function checkArgs(fn: unknown, args: Record<string, Value>): boolean {
  if ((typeof fn !== "function" && typeof fn !== "object") || fn === null) return false;
  let entry = compiled.get(fn);
  if (entry === undefined) {
    entry = null;
    const exportArgs = (fn as { exportArgs?: () => string }).exportArgs;
    if (typeof exportArgs === "function") {
      try {
        const validator = JSON.parse(exportArgs.call(fn)) as JsonValidator | null;
        if (validator && validator.type !== "any") entry = { check: compileValidator(validator as never), validator };
      } catch {
        entry = null;
      }
    }
    compiled.set(fn, entry);
  }
  if (entry === null) return false;
  if (entry.check(args)) return true;
  let shown: string;
  try {
    shown = JSON.stringify(convexToJson(args));
  } catch {
    shown = String(args);
  }
  const detail = missingOrExtra(entry.validator, args) ?? "Value does not match validator.";
  throw new ArgumentValidationError(`${detail}\n\nObject: ${shown}\nValidator: ${describe(entry.validator)}`);
}
