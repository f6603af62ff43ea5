"use client";

import { useId, useState } from "react";
import { X } from "lucide-react";
import { centsToDecimalString, tryParseMoneyInput } from "@/lib/money";
import { MAX_RATE_CENTS } from "@/lib/advisors/rules";
import { LANGUAGES, RATING_OPTIONS, type BrowseFilters } from "@/lib/advisors/browseParams";
import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";

// The advisor browser's filter panel (online, channel, language, price, rating), all held in the URL by the caller.

/** Every filter cleared (the search and the sort are kept). */
export const NO_FILTERS: Partial<BrowseFilters> = {
  category: undefined,
  channel: undefined,
  minPriceCents: undefined,
  maxPriceCents: undefined,
  minRatingTenths: undefined,
  onlineOnly: undefined,
  language: undefined,
};

export const selectClass =
  "h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30";

/** The filter panel; `onChange` gets the filters to change (undefined clears one). */
export function Filters({
  id,
  className,
  filters,
  onChange,
  activeCount,
}: {
  id: string;
  className?: string;
  filters: BrowseFilters;
  onChange: (next: Partial<BrowseFilters>) => void;
  activeCount: number;
}) {
  const uid = useId();
  return (
    <aside
      id={id}
      aria-label="Filters"
      className={cn("flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 md:self-start", className)}
    >
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input
          type="checkbox"
          className="size-4 accent-brand-600"
          checked={filters.onlineOnly === true}
          onChange={(e) => onChange({ onlineOnly: e.target.checked || undefined })}
        />
        Online now
      </label>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-800">Channel</legend>
        {(
          [
            [undefined, "Any"],
            ["chat", "Chat"],
            ["video", "Video"],
          ] as const
        ).map(([value, label]) => (
          <label key={label} className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="radio"
              name={`${uid}-channel`}
              className="size-4 accent-brand-600"
              checked={filters.channel === value}
              onChange={() => onChange({ channel: value })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${uid}-language`}>Language</Label>
        <select
          id={`${uid}-language`}
          className={selectClass}
          value={filters.language ?? ""}
          onChange={(e) => onChange({ language: e.target.value || undefined })}
          data-testid="language-filter"
        >
          <option value="">Any language</option>
          {filters.language !== undefined && !(LANGUAGES as readonly string[]).includes(filters.language) ? (
            <option value={filters.language}>{filters.language}</option>
          ) : null}
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <PriceRange filters={filters} onChange={onChange} />
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${uid}-rating`}>Minimum rating</Label>
        <select
          id={`${uid}-rating`}
          className={selectClass}
          value={filters.minRatingTenths ?? 0}
          onChange={(e) => onChange({ minRatingTenths: Number(e.target.value) || undefined })}
        >
          {RATING_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      {activeCount > 0 ? (
        <Button variant="ghost" size="sm" onClick={() => onChange(NO_FILTERS)}>
          <X aria-hidden="true" /> Clear filters
        </Button>
      ) : null}
    </aside>
  );
}

function PriceRange({
  filters,
  onChange,
}: {
  filters: BrowseFilters;
  onChange: (next: Partial<BrowseFilters>) => void;
}) {
  const toText = (c?: number) => (c === undefined ? "" : centsToDecimalString(c));
  const [min, setMin] = useState(toText(filters.minPriceCents));
  const [max, setMax] = useState(toText(filters.maxPriceCents));
  const [error, setError] = useState<string | null>(null);
  function apply(e: React.FormEvent) {
    e.preventDefault();
    const parse = (text: string, label: string) => {
      if (text.trim() === "") return undefined;
      const r = tryParseMoneyInput(text, { allowZero: true, maxCents: MAX_RATE_CENTS });
      if (!r.ok) throw new Error(`${label}: ${r.error}`);
      return r.cents;
    };
    try {
      const minPriceCents = parse(min, "Min");
      const maxPriceCents = parse(max, "Max");
      if (minPriceCents !== undefined && maxPriceCents !== undefined && minPriceCents > maxPriceCents)
        throw new Error("The minimum is above the maximum.");
      setError(null);
      onChange({ minPriceCents, maxPriceCents });
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <form className="flex flex-col gap-2" onSubmit={apply} aria-describedby="price-hint">
      <p className="text-sm font-medium text-slate-800">Price per minute ($)</p>
      <p id="price-hint" className="sr-only">
        Rates in dollars per minute; press Apply.
      </p>
      <div className="flex items-center gap-2">
        <Label htmlFor="price-min" className="sr-only">
          Minimum price per minute
        </Label>
        <Input
          id="price-min"
          inputMode="decimal"
          placeholder="Min"
          value={min}
          onChange={(e) => setMin(e.target.value)}
          aria-invalid={error ? true : undefined}
        />
        <span aria-hidden="true">–</span>
        <Label htmlFor="price-max" className="sr-only">
          Maximum price per minute
        </Label>
        <Input
          id="price-max"
          inputMode="decimal"
          placeholder="Max"
          value={max}
          onChange={(e) => setMax(e.target.value)}
          aria-invalid={error ? true : undefined}
        />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="secondary" size="sm">
        Apply price
      </Button>
    </form>
  );
}
