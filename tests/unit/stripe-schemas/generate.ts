// Regenerates the vendored Stripe object schemas in this folder (JSON Schema 2020-12) from the object
// declarations that ship with the pinned `stripe` SDK. Stripe generates those declarations from its published
// OpenAPI spec (the version in node_modules/stripe/OPENAPI_VERSION) for the API version the SDK pins, keeping
// the spec's `required` lists (a field without `?` is always present), its `nullable` (`| null`), its enums and
// its expandable fields (`string | Charge`). Run after upgrading `stripe`:
//   node --import tsx tests/unit/stripe-schemas/generate.ts
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const sdk = path.resolve(here, "../../../node_modules/stripe");
const resources = path.join(sdk, "cjs/resources");

/** Vendored objects: file name (the `object` value, `.` -> `_`) -> [declaration file, exported interface]. */
export const VENDORED: Record<string, [string, string]> = {
  account: ["Accounts.d.ts", "Account"],
  account_link: ["AccountLinks.d.ts", "AccountLink"],
  balance: ["Balance.d.ts", "Balance"],
  balance_transaction: ["BalanceTransactions.d.ts", "BalanceTransaction"],
  bank_account: ["BankAccounts.d.ts", "BankAccount"],
  charge: ["Charges.d.ts", "Charge"],
  checkout_session: ["Checkout/Sessions.d.ts", "Session"],
  customer: ["Customers.d.ts", "Customer"],
  dispute: ["Disputes.d.ts", "Dispute"],
  event: ["Events.d.ts", "EventBase"],
  payment_intent: ["PaymentIntents.d.ts", "PaymentIntent"],
  payment_method: ["PaymentMethods.d.ts", "PaymentMethod"],
  payout: ["Payouts.d.ts", "Payout"],
  person: ["Persons.d.ts", "Person"],
  refund: ["Refunds.d.ts", "Refund"],
  transfer: ["Transfers.d.ts", "Transfer"],
  transfer_reversal: ["TransferReversals.d.ts", "TransferReversal"],
};

type Schema = Record<string, unknown>;

function main(): void {
  const files = Object.values(VENDORED).map(([file]) => path.join(resources, file));
  const program = ts.createProgram(files, { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const targets = new Map<ts.Symbol, string>();
  for (const [name, [file, exported]] of Object.entries(VENDORED)) {
    const source = program.getSourceFile(path.join(resources, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    const symbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === exported);
    if (!symbol) throw new Error(`${exported} not found in ${file}`);
    targets.set(symbol, name);
  }
  const apiVersion = /ApiVersion = '([^']+)'/.exec(readFileSync(path.join(sdk, "cjs/apiVersion.js"), "utf8"))![1]!;
  const sdkVersion = (JSON.parse(readFileSync(path.join(sdk, "package.json"), "utf8")) as { version: string }).version;
  const openapi = readFileSync(path.join(sdk, "OPENAPI_VERSION"), "utf8").trim();

  for (const [symbol, name] of targets) {
    const defs: Record<string, Schema> = {};
    const defName = (s: ts.Symbol) => checker.getFullyQualifiedName(s).replace(/^"[^"]*"\./, "");

    const isTopLevel = (s: ts.Symbol) => (s.declarations ?? []).some((d) => ts.isSourceFile(d.parent));
    const hasObjectLiteral = (t: ts.Type) => {
      const object = t.getProperty("object");
      return object !== undefined && (checker.getTypeOfSymbol(object).flags & ts.TypeFlags.StringLiteral) !== 0;
    };

    const convert = (type: ts.Type): Schema => {
      if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
      if (type.flags & ts.TypeFlags.String) return { type: "string" };
      if (type.flags & ts.TypeFlags.Number) return { type: "number" };
      if (type.flags & ts.TypeFlags.Boolean) return { type: "boolean" };
      if (type.flags & ts.TypeFlags.StringLiteral) return { type: "string", enum: [(type as ts.StringLiteralType).value] };
      if (type.flags & ts.TypeFlags.NumberLiteral) return { type: "number", enum: [(type as ts.NumberLiteralType).value] };
      if (type.flags & ts.TypeFlags.BooleanLiteral) return { type: "boolean", enum: [checker.typeToString(type) === "true"] };
      if (type.flags & ts.TypeFlags.Null) return { type: "null" };
      if (type.isUnion()) {
        const members = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
        const nullable = members.some((t) => t.flags & ts.TypeFlags.Null);
        const rest = members.filter((t) => !(t.flags & ts.TypeFlags.Null));
        const booleans = rest.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
        const others = rest.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral));
        const parts: Schema[] = [];
        if (booleans.length === 2) parts.push({ type: "boolean" });
        else for (const b of booleans) parts.push(convert(b));
        if (others.length > 0 && others.every((t) => t.flags & ts.TypeFlags.StringLiteral)) {
          parts.push({ type: "string", enum: others.map((t) => (t as ts.StringLiteralType).value).sort() });
        } else for (const t of others) parts.push(convert(t));
        const schema: Schema = parts.length === 1 ? parts[0]! : { anyOf: parts };
        return nullable ? { anyOf: [schema, { type: "null" }] } : schema;
      }
      if (checker.isArrayType(type)) return { type: "array", items: convert(checker.getTypeArguments(type as ts.TypeReference)[0]!) };
      if (type.isIntersection()) return {};
      if (!(type.flags & ts.TypeFlags.Object)) return {};
      if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return {};
      const symbol = type.aliasSymbol ?? type.getSymbol();
      const generic = ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0 && checker.getTypeArguments(type as ts.TypeReference).length > 0;
      if (symbol && !generic && symbol.name !== "__type") {
        const target = targets.get(symbol);
        if (target !== undefined) return target === name ? { $ref: "#" } : { $ref: `${target}.json` };
        if (isTopLevel(symbol) && hasObjectLiteral(type)) return { description: `${symbol.name}: not vendored (any object)` };
        const key = defName(symbol);
        if (!(key in defs)) {
          defs[key] = {};
          defs[key] = objectSchema(type);
        }
        return { $ref: `#/$defs/${key}` };
      }
      return objectSchema(type);
    };

    const objectSchema = (type: ts.Type): Schema => {
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      for (const prop of checker.getPropertiesOfType(type)) {
        const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
        properties[prop.name] = convert(checker.getTypeOfSymbol(prop));
        if (!optional) required.push(prop.name);
      }
      const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
      // An empty declaration (Event.Data.Object) stands for "any object".
      if (required.length === 0 && Object.keys(properties).length === 0 && !index) return { type: "object" };
      return {
        type: "object",
        properties,
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: index ? convert(index) : false,
      };
    };

    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    const root = objectSchema(declared);
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: `${name}.json`,
      title: name,
      $comment: `Stripe OpenAPI ${openapi}, API version ${apiVersion}, from the declarations of stripe@${sdkVersion} (${VENDORED[name]!.join(" ")}). Regenerate with generate.ts.`,
      ...root,
      $defs: defs,
    };
    writeFileSync(path.join(here, `${name}.json`), `${JSON.stringify(schema)}\n`);
    console.log(`${name}.json: ${Object.keys(defs).length} definitions`);
  }
  writeFileSync(
    path.join(here, "SOURCE.json"),
    `${JSON.stringify({ source: "Stripe's OpenAPI specification (repository stripe/openapi), as compiled into the object declarations of the official stripe SDK", openapiVersion: openapi, apiVersion, sdk: `stripe@${sdkVersion}`, generator: "tests/unit/stripe-schemas/generate.ts", objects: VENDORED, notes: ["Objects referenced but not vendored are permissive (any object).", "error.json is written by hand from the spec's `error` / `api_errors` schemas (the SDK declares no response type for it)."] }, null, 2)}\n`,
  );
}

main();
