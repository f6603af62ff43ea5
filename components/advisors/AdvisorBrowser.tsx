"use client";

import { useEffect, useId, useRef, useState, useTransition } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useConvexAuth, usePaginatedQuery, useQuery } from "convex/react";
import { Search, SearchX, SlidersHorizontal, X } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { CATEGORIES } from "@/lib/categories";
import { centsToDecimalString, tryParseMoneyInput } from "@/lib/money";
import { MAX_RATE_CENTS } from "@/lib/advisors/rules";
import {
  BROWSE_PAGE_SIZE,
  LANGUAGES,
  RATING_OPTIONS,
  SORTS,
  browseArgs,
  filtersFromParams,
  paramsFromFilters,
  type BrowseFilters,
} from "@/lib/advisors/browseParams";
import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { EmptyState, Skeleton } from "@/components/ui/misc";
import { AdvisorCard, type AdvisorCardData } from "./AdvisorCard";
import { FavouriteButton } from "./FavouriteButton";

type Page = { page: (AdvisorCardData & { _id: Id<"advisorProfiles"> })[]; isDone: boolean };

const selectClass =
  "h-10 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30";

/**
 * Search, filters and sort live in the URL. The server renders the first page (`initial`, for the
 * filters in the URL at request time); the live paginated query takes over as soon as it answers.
 */
export function AdvisorBrowser({ initial, initialQuery }: { initial?: Page | null; initialQuery?: string }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [, startTransition] = useTransition();
  const urlQuery = paramsFromFilters(filtersFromParams(params));
  // The URL updates in a transition; show the requested filters at once (optimistic) until it does.
  const [pendingQuery, setPendingQuery] = useState<string | null>(null);
  if (pendingQuery !== null && pendingQuery === urlQuery) setPendingQuery(null);
  const query = pendingQuery ?? urlQuery;
  const filters = filtersFromParams(new URLSearchParams(query));
  const { isAuthenticated } = useConvexAuth();
  const favouriteIds = useQuery(api.favourites.myIds, isAuthenticated ? {} : "skip");
  const { results, status, loadMore } = usePaginatedQuery(api.advisorProfiles.browse, browseArgs(filters), {
    initialNumItems: BROWSE_PAGE_SIZE,
  });

  const useInitial = status === "LoadingFirstPage" && initial && initialQuery === query;
  const advisors = useInitial ? initial.page : results;
  const loading = status === "LoadingFirstPage" && !useInitial;

  function update(next: Partial<BrowseFilters>) {
    const qs = paramsFromFilters({ ...filters, ...next });
    setPendingQuery(qs);
    startTransition(() => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  }

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

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <SearchBox value={filters.search ?? ""} onSearch={(search) => update({ search: search || undefined })} />
        <div className="flex gap-2">
          <div className="flex flex-1 flex-col gap-1.5 sm:w-48">
            <Label htmlFor="sort">Sort by</Label>
            <select
              id="sort"
              className={selectClass}
              value={filters.sort}
              onChange={(e) => update({ sort: e.target.value as BrowseFilters["sort"] })}
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
            onClick={() => setShowFilters((v) => !v)}
          >
            <SlidersHorizontal aria-hidden="true" /> Filters{activeCount ? ` (${activeCount})` : ""}
          </Button>
        </div>
      </div>

      <nav aria-label="Categories" className="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1">
        <Chip active={filters.category === undefined} onClick={() => update({ category: undefined })} label="All" />
        {CATEGORIES.map((c) => (
          <Chip
            key={c.slug}
            active={filters.category === c.slug}
            onClick={() => update({ category: c.slug })}
            label={c.label}
          />
        ))}
      </nav>

      <div className="grid gap-6 md:grid-cols-[220px_1fr]">
        <Filters
          id="advisor-filters"
          className={cn(!showFilters && "hidden md:flex")}
          filters={filters}
          onChange={update}
          activeCount={activeCount}
        />
        <section aria-label="Advisors" aria-busy={loading} className="min-w-0">
          {loading ? (
            <div role="status" aria-label="Loading advisors" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
              {Array.from({ length: 6 }, (_, i) => (
                <Skeleton key={i} className="h-44" />
              ))}
            </div>
          ) : advisors.length === 0 && status !== "LoadingMore" ? (
            status === "CanLoadMore" ? (
              <AutoLoad onLoad={() => loadMore(BROWSE_PAGE_SIZE)} />
            ) : (
              <EmptyState icon={<SearchX />} title="No advisors match">
                Try a different search or remove some filters.
                {query ? (
                  <Button
                    variant="link"
                    className="mt-2"
                    onClick={() =>
                      update({
                        search: undefined,
                        category: undefined,
                        channel: undefined,
                        minPriceCents: undefined,
                        maxPriceCents: undefined,
                        minRatingTenths: undefined,
                        onlineOnly: undefined,
                        language: undefined,
                      })
                    }
                  >
                    Clear search and filters
                  </Button>
                ) : null}
              </EmptyState>
            )
          ) : (
            <>
              <p className="mb-3 text-sm text-slate-600" aria-live="polite" data-testid="results-summary">
                {advisors.filter((a) => a.availability === "online").length} online now · showing {advisors.length}
                {status === "Exhausted" || (useInitial && initial.isDone) ? "" : "+"} advisors
              </p>
              <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
                {advisors.map((advisor) => (
                  <li key={advisor._id} className="flex">
                    <div className="flex w-full [&>article]:w-full">
                      <AdvisorCard
                        advisor={advisor}
                        action={
                          isAuthenticated && favouriteIds !== undefined ? (
                            <FavouriteButton
                              profileId={advisor._id}
                              name={advisor.displayName}
                              isFavourite={favouriteIds.includes(advisor._id)}
                            />
                          ) : undefined
                        }
                      />
                    </div>
                  </li>
                ))}
              </ul>
              {status === "CanLoadMore" ? (
                <div className="mt-6 flex justify-center">
                  <Button variant="secondary" onClick={() => loadMore(BROWSE_PAGE_SIZE)}>
                    Show more advisors
                  </Button>
                </div>
              ) : status === "LoadingMore" ? (
                <p role="status" className="mt-6 text-center text-sm text-slate-500">
                  Loading more…
                </p>
              ) : null}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

/** A filtered page can come back empty while more remain: fetch on. */
function AutoLoad({ onLoad }: { onLoad: () => void }) {
  useEffect(() => onLoad(), [onLoad]);
  return (
    <p role="status" className="text-sm text-slate-500">
      Searching…
    </p>
  );
}

function SearchBox({ value, onSearch }: { value: string; onSearch: (value: string) => void }) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // Text typed into the server-rendered box before hydration fires no onChange: pick it up once hydrated.
  useEffect(() => {
    if (input.current !== null && input.current.value !== value) setText(input.current.value);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- only the value typed before hydration
  if (value !== synced) {
    setSynced(value);
    setText(value);
  }
  useEffect(() => {
    if (text.trim() === value) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      onSearch(text.trim());
    }, 300);
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [text, value, onSearch]);
  // A click on a link (an advisor card) while the search is still debouncing: drop the pending search, so its
  // late URL update does not cancel the navigation the click started.
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (timer.current === null || !(e.target instanceof Element)) return;
      const link = e.target.closest("a[href]");
      if (link === null) return;
      clearTimeout(timer.current);
      timer.current = null;
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, []);
  return (
    <form
      role="search"
      className="flex flex-1 flex-col gap-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <Label htmlFor="advisor-search">Search advisors</Label>
      <div className="relative">
        <Search
          className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-slate-400"
          aria-hidden="true"
        />
        <Input
          ref={input}
          id="advisor-search"
          type="search"
          value={text}
          maxLength={200}
          placeholder="Name, topic or tag, e.g. tarot, salary"
          className="pl-9"
          onChange={(e) => setText(e.target.value)}
        />
      </div>
    </form>
  );
}

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

function Filters({
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
        <Button
          variant="ghost"
          size="sm"
          onClick={() =>
            onChange({
              category: undefined,
              channel: undefined,
              minPriceCents: undefined,
              maxPriceCents: undefined,
              minRatingTenths: undefined,
              onlineOnly: undefined,
              language: undefined,
            })
          }
        >
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
