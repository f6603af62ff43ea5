import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

export const SELECT_CLASS =
  "h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30";

export type SelectOption<Value extends string> = { value: Value; label: string };

/** Options for a fixed list of values with a label for each. */
export function optionsOf<Value extends string>(
  values: readonly Value[],
  labelOf: (value: Value) => string,
): SelectOption<Value>[] {
  return values.map((value) => ({ value, label: labelOf(value) }));
}

/**
 * A native select over a fixed list of values. With `allLabel` the first option is "" (no filter). The value handed
 * to onValueChange is always one of the options (or ""), so callers need no casts.
 */
export function Select<Value extends string>({
  options,
  allLabel,
  value,
  onValueChange,
  className,
  ...props
}: Omit<ComponentProps<"select">, "value" | "onChange" | "children"> & {
  options: readonly SelectOption<Value>[];
  allLabel?: string;
  value: Value | "";
  onValueChange: (value: Value | "") => void;
}) {
  return (
    <select
      {...props}
      className={cn(SELECT_CLASS, className)}
      value={value}
      onChange={(e) => onValueChange(options.find((o) => o.value === e.target.value)?.value ?? "")}
    >
      {allLabel === undefined ? null : <option value="">{allLabel}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
