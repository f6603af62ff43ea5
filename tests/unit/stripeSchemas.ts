// Validates objects against the vendored Stripe object schemas (tests/unit/stripe-schemas, generated from
// Stripe's OpenAPI spec for the API version the SDK pins). `additionalProperties: false` everywhere except
// maps, so an unknown or internal field fails as a missing always-present one does.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "stripe-schemas");

const ajv = new Ajv2020({ allErrors: true, strict: false });
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "SOURCE.json")) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(dir, file), "utf8")) as object);
}

const cache = new Map<string, ValidateFunction>();

/** Schema name for a Stripe `object` value (`checkout.session` -> `checkout_session`). */
export function schemaFor(object: string): string {
  return object.replace(/\./g, "_");
}

export function hasSchema(name: string): boolean {
  return ajv.getSchema(`${name}.json`) !== undefined;
}

/** Problems of `value` against schema `name` (empty when valid), each as `path: message`. */
export function validateAgainst(name: string, value: unknown): string[] {
  let validate = cache.get(name);
  if (validate === undefined) {
    validate = ajv.getSchema(`${name}.json`);
    if (validate === undefined) return [`no vendored schema "${name}"`];
    cache.set(name, validate);
  }
  if (validate(value)) return [];
  // anyOf branches multiply messages; keep the distinct ones that name a field.
  const lines = new Set<string>();
  for (const e of validate.errors ?? []) {
    if (e.keyword === "anyOf") continue;
    const extra =
      e.keyword === "additionalProperties"
        ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})`
        : "";
    lines.add(`${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra}`);
  }
  return [...lines];
}

/** Keys starting with `_` anywhere in `value` (internal fields must never leave the processor). */
export function internalKeys(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => internalKeys(v, `${at}/${i}`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k.startsWith("_") ? [`${at}/${k}`] : []),
    ...internalKeys(v, `${at}/${k}`),
  ]);
}
