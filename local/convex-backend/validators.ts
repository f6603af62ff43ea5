/**
 * Schema validation, faster: a boolean twin of convex-test's validator check compiled per table and put in
 * front of DatabaseFake._validate (valid documents skip the exception-driven original; anything else still
 * goes through it, so error messages are unchanged). Also used for function arguments (argValidation.ts).
 */
import { CommitTsPlaceholder } from "convex/values";
import type { DatabaseFake } from "./types";
import { hasPendingValues, isSimpleObject, tableNameFromId } from "./values";

type JsonValidator = { type: string; value?: unknown; tableName?: string };

/**
 * A boolean twin of convex-test's validateValidator: true exactly when it
 * would not throw. Used to skip the exception-driven original on valid
 * documents; anything else still goes through the original, so error
 * messages are unchanged.
 */
export function compileValidator(validator: JsonValidator): (value: unknown) => boolean {
  switch (validator.type) {
    case "null":
      return (x) => x === null;
    case "number":
      return (x) => typeof x === "number";
    case "bigint":
      return (x) => typeof x === "bigint";
    case "commitTs":
      return (x) => typeof x === "bigint" || x instanceof CommitTsPlaceholder;
    case "boolean":
      return (x) => typeof x === "boolean";
    case "string":
      return (x) => typeof x === "string";
    case "bytes":
      return (x) => x instanceof ArrayBuffer;
    case "any":
      return () => true;
    case "literal": {
      const lit = validator.value;
      return (x) => x === lit;
    }
    case "id": {
      const table = validator.tableName;
      return (x) => typeof x === "string" && tableNameFromId(x) === table;
    }
    case "array": {
      const item = compileValidator(validator.value as JsonValidator);
      return (x) => {
        if (!Array.isArray(x)) return false;
        for (const el of x) if (!item(el)) return false;
        return true;
      };
    }
    case "union": {
      const members = (validator.value as JsonValidator[]).map(compileValidator);
      return (x) => {
        for (const m of members) if (m(x)) return true;
        return false;
      };
    }
    case "object": {
      const shape = validator.value as Record<string, { fieldType: JsonValidator; optional: boolean }>;
      const fields = Object.entries(shape).map(([k, f]) => ({
        k,
        optional: f.optional,
        check: compileValidator(f.fieldType),
      }));
      return (x) => {
        if (typeof x !== "object" || x === null || !isSimpleObject(x)) return false;
        const o = x as Record<string, unknown>;
        for (const f of fields) {
          const fv = o[f.k];
          if (fv === undefined) {
            if (!f.optional) return false;
          } else if (!f.check(fv)) {
            return false;
          }
        }
        for (const k of Object.keys(o)) {
          // same lookup as convex-test (inherited properties count as declared)
          if (shape[k] === undefined) return false;
        }
        return true;
      };
    }
    default:
      // convex-test accepts validator types it does not know (e.g. "record")
      return () => true;
  }
}

/** Puts a compiled pre-check in front of DatabaseFake._validate. */
export function installFastValidation(db: DatabaseFake): void {
  if (typeof db._validate !== "function") return;
  const original = db._validate.bind(db);
  const compiled = new Map<string, ((value: unknown) => boolean) | null>();
  db._validate = (tableName, doc) => {
    const schema = db._schema;
    if (schema === null || !schema.schemaValidation) return original(tableName, doc);
    let check = compiled.get(tableName);
    if (check === undefined) {
      const validator = schema.tables.get(tableName)?.documentType as JsonValidator | undefined;
      check = validator === undefined ? null : compileValidator(validator);
      compiled.set(tableName, check);
    }
    if (check !== null && !hasPendingValues(doc) && check(doc)) return;
    original(tableName, doc);
  };
}
