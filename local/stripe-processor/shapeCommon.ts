// Helpers shared by the object shapes (./shapes.ts, ./connectShapes.ts).
export type Obj = Record<string, unknown>;

export const ADDRESS_NULL = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };
export const BILLING_NULL = { address: ADDRESS_NULL, email: null, name: null, phone: null, tax_id: null };

export const str = (v: unknown): string => String(v ?? "");
/** Deterministic suffix for ids of sub-objects that are derived from their parent (stable across reads). */
export const suffixOf = (id: unknown): string => str(id).replace(/^[a-z]+_(test_)?/, "");
