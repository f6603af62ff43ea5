import { formatMoney, isCurrency, type Currency } from "@/lib/money";

/** An amount in the ledger explorer, in its account's currency (USD when the row names an unknown one). */
export function money(cents: number, currency: string): string {
  return formatMoney(cents, isCurrency(currency) ? (currency as Currency) : "USD");
}
