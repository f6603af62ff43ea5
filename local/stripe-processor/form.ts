// Stripe's request encoding: application/x-www-form-urlencoded with bracket nesting
// (`metadata[topupId]=x`, `line_items[0][price_data][unit_amount]=500`, `expand[]=a`).
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  if (body.trim() === "") return root;
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const first = rawKey.indexOf("[");
    const head = first === -1 ? rawKey : rawKey.slice(0, first);
    const path = [
      head,
      ...[...rawKey.slice(first === -1 ? rawKey.length : first).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!),
    ];
    let node: Record<string, FormValue> | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]!);
      if (Array.isArray(node)) {
        const index = key === "" ? node.length : Number(key);
        if (last) node[index] = value;
        else node = (node[index] ??= nextIsIndex ? [] : {}) as Record<string, FormValue> | FormValue[];
      } else {
        if (last) node[key] = value;
        else node = (node[key] ??= nextIsIndex ? [] : {}) as Record<string, FormValue> | FormValue[];
      }
    }
  }
  return root;
}

/** Canonical text of parsed params, for idempotency comparison. */
export function canonicalParams(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalParams).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalParams((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
