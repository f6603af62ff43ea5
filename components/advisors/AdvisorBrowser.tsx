"use client";

import { memo, useCallback, useMemo, useState, useTransition } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { SlidersHorizontal } from "lucide-react";
import { CATEGORIES, type CategorySlug } from "@/lib/categories";
import { SORTS, filtersFromParams, paramsFromFilters, type BrowseFilters } from "@/lib/advisors/browseParams";
import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/input";
import { Filters, selectClass } from "./AdvisorFilters";
import { SearchBox } from "./AdvisorSearchBox";
import { AdvisorResults, type BrowsePage } from "./AdvisorResults";

type Update = (next: Partial<BrowseFilters>) => void;

/**
 * Search, filters and sort live in the URL. The server renders the first page (`initial`, for the
 * filters in the URL at request time); the live paginated query takes over as soon as it answers.
 * The controls are memoized and `update` is stable per query, so re-renders of the list (the live query's answers)
 * or of this component leave them alone.
 */
export function AdvisorBrowser({ initial, initialQuery }: { initial?: BrowsePage | null; initialQuery?: string }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [, startTransition] = useTransition();
  const urlQuery = paramsFromFilters(filtersFromParams(params));
  // The URL updates in a transition; show the requested filters at once (optimistic) until it does.
  const [pendingQuery, setPendingQuery] = useState<string | null>(null);
  if (pendingQuery !== null && pendingQuery === urlQuery) setPendingQuery(null);
  const query = pendingQuery ?? urlQuery;
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(query)), [query]);

  const update = useCallback<Update>(
    (next) => {
      const qs = paramsFromFilters({ ...filtersFromParams(new URLSearchParams(query)), ...next });
      setPendingQuery(qs);
      startTransition(() => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
    },
    [query, pathname, router],
  );
  const onSearch = useCallback((search: string) => update({ search: search || undefined }), [update]);

  const activeCount = [
    filters.category,
    filters.channel,
    filters.minPriceCents,
    filters.maxPriceCents,
    filters.minRatingTenths,
    filters.onlineOnly,
    filters.language,
  ].filter((v) => v !== undefined).length;
  const [showFilters, setShowFilters] = useState(false);
  const toggleFilters = useCallback(() => setShowFilters((v) => !v), []);

  return (
    <div className="flex flex-col gap-4">
      <Toolbar
        search={filters.search ?? ""}
        sort={filters.sort}
        activeCount={activeCount}
        showFilters={showFilters}
        onSearch={onSearch}
        onToggleFilters={toggleFilters}
        onChange={update}
      />
      <CategoryChips category={filters.category} onChange={update} />
      <div className="grid gap-6 md:grid-cols-[220px_1fr]">
        <MemoFilters
          id="advisor-filters"
          // A plain string, not cn(): the first tailwind-merge call builds its class map (tens of ms on a phone), and
          // here it would land in the same task as loading this module; in a child it gets a task of its own.
          className={showFilters ? undefined : "hidden md:flex"}
          filters={filters}
          onChange={update}
          activeCount={activeCount}
        />
        <AdvisorResults
          filters={filters}
          query={query}
          initial={initial}
          initialQuery={initialQuery}
          onChange={update}
        />
      </div>
    </div>
  );
}

const MemoFilters = memo(Filters);

const Toolbar = memo(function Toolbar({
  search,
  sort,
  activeCount,
  showFilters,
  onSearch,
  onToggleFilters,
  onChange,
}: {
  search: string;
  sort: BrowseFilters["sort"];
  activeCount: number;
  showFilters: boolean;
  onSearch: (search: string) => void;
  onToggleFilters: () => void;
  onChange: Update;
}) {
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <SearchBox value={search} onSearch={onSearch} />
      <div className="flex gap-2">
        <div className="flex flex-1 flex-col gap-1.5 sm:w-48">
          <Label htmlFor="sort">Sort by</Label>
          <select
            id="sort"
            className={selectClass}
            value={sort}
            onChange={(e) => onChange({ sort: e.target.value as BrowseFilters["sort"] })}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <Button
          variant="secondary"
          className="self-end md:hidden"
          aria-expanded={showFilters}
          aria-controls="advisor-filters"
          onClick={onToggleFilters}
        >
          <SlidersHorizontal aria-hidden="true" /> Filters{activeCount ? ` (${activeCount})` : ""}
        </Button>
      </div>
    </div>
  );
});

const CategoryChips = memo(function CategoryChips({
  category,
  onChange,
}: {
  category: CategorySlug | undefined;
  onChange: Update;
}) {
  return (
    <nav aria-label="Categories" className="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1">
      <Chip active={category === undefined} onClick={() => onChange({ category: undefined })} label="All" />
      {CATEGORIES.map((c) => (
        <Chip
          key={c.slug}
          active={category === c.slug}
          onClick={() => onChange({ category: c.slug })}
          label={c.label}
        />
      ))}
    </nav>
  );
});

function Chip({ active, onClick, label }: { active: boolean; onClick: () => void; label: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={active}
      className={cn(
        "shrink-0 rounded-full border px-4 py-1.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
        active
          ? "border-brand-600 bg-brand-600 text-white"
          : "border-slate-200 bg-white text-slate-700 hover:border-brand-300",
      )}
    >
      {label}
    </button>
  );
}
