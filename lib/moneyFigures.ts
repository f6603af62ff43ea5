// The money figures of a dashboard day or a margin range (definitions: BILLING_SYSTEM_DOCS.md, "Admin dashboard and
// margin analytics: definitions"). Every figure is a sum, so figures of parts add up field by field.

export type MoneyFigures = {
  grossCents: number;
  feesCents: number;
  refundsCents: number;
  refundFeesCents: number;
  promotionsCents: number;
  chargebacksCents: number;
  processorFeesCents: number;
  netMarginCents: number;
  sessions: number;
};

export const FIGURE_KEYS = [
  "grossCents",
  "feesCents",
  "refundsCents",
  "refundFeesCents",
  "promotionsCents",
  "chargebacksCents",
  "processorFeesCents",
  "netMarginCents",
  "sessions",
] as const satisfies readonly (keyof MoneyFigures)[];

export const ZERO_FIGURES: MoneyFigures = Object.freeze(
  Object.fromEntries(FIGURE_KEYS.map((key) => [key, 0])) as MoneyFigures,
);

/** Adds `f` into `into`, field by field. */
export function addFigures(into: MoneyFigures, f: MoneyFigures): void {
  for (const key of FIGURE_KEYS) into[key] += f[key];
}
