"use client";

import { memo, useEffect, useState, useTransition } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useConvexAuth, usePaginatedQuery, useQuery } from "convex/react";
import { SearchX, SlidersHorizontal } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { CATEGORIES } from "@/lib/categories";
import {
  BROWSE_PAGE_SIZE,
  SORTS,
  browseArgs,
  filtersFromParams,
  paramsFromFilters,
  type BrowseFilters,
} from "@/lib/advisors/browseParams";
import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/input";
import { EmptyState, Skeleton } from "@/components/ui/misc";
import { AdvisorCard, type AdvisorCardData } from "./AdvisorCard";
import { FavouriteButton } from "./FavouriteButton";
import { Filters, NO_FILTERS, selectClass } from "./AdvisorFilters";
import { SearchBox } from "./AdvisorSearchBox";

/** Same content, field by field (the live query returns new objects, and arrays, for unchanged advisors). */
function sameCard(a: AdvisorCardData, b: AdvisorCardData): boolean {
  const keys = Object.keys(a) as (keyof AdvisorCardData)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const x = a[key];
    const y = b[key];
    return Array.isArray(x) && Array.isArray(y) ? x.length === y.length && x.every((v, i) => v === y[i]) : x === y;
  });
}

// When the live query takes over from the server-rendered page, unchanged cards are not rendered again (main-thread
// time on a phone while the page loads). Signed in, `action` is a new element each render, so those cards re-render.
const LiveAdvisorCard = memo(
  AdvisorCard,
  (prev, next) => prev.action === next.action && sameCard(prev.advisor, next.advisor),
);

type Page = { page: (AdvisorCardData & { _id: Id<"advisorProfiles"> })[]; isDone: boolean };

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
                  <Button variant="link" className="mt-2" onClick={() => update({ search: undefined, ...NO_FILTERS })}>
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
                      <LiveAdvisorCard
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
