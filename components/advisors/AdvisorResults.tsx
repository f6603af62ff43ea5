"use client";

import { memo, useEffect } from "react";
import { useConvexAuth, usePaginatedQuery, useQuery } from "convex/react";
import { SearchX } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { BROWSE_PAGE_SIZE, browseArgs, type BrowseFilters } from "@/lib/advisors/browseParams";
import { Button } from "@/components/ui/button";
import { EmptyState, Skeleton } from "@/components/ui/misc";
import { AdvisorCard, type AdvisorCardData } from "./AdvisorCard";
import { FavouriteButton } from "./FavouriteButton";
import { NO_FILTERS } from "./AdvisorFilters";

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

type CardAdvisor = AdvisorCardData & { _id: Id<"advisorProfiles"> };

// When the live query takes over from the server-rendered page, unchanged cards are not rendered again (main-thread
// time on a phone while the page loads). `favourite` is undefined when no star is shown (signed out, or loading).
const LiveAdvisorCard = memo(
  function LiveAdvisorCard({ advisor, favourite }: { advisor: CardAdvisor; favourite: boolean | undefined }) {
    return (
      <AdvisorCard
        advisor={advisor}
        action={
          favourite === undefined ? undefined : (
            <FavouriteButton profileId={advisor._id} name={advisor.displayName} isFavourite={favourite} />
          )
        }
      />
    );
  },
  (prev, next) => prev.favourite === next.favourite && sameCard(prev.advisor, next.advisor),
);

export type BrowsePage = { page: CardAdvisor[]; isDone: boolean };

/**
 * The list for the current filters. Its own component so that the live query's answers (and the favourites) re-render
 * only the list, not the search box and filters above it (each a synchronous render on a phone while the page loads).
 */
export function AdvisorResults({
  filters,
  query,
  initial,
  initialQuery,
  onChange,
}: {
  filters: BrowseFilters;
  query: string;
  initial?: BrowsePage | null;
  initialQuery?: string;
  onChange: (next: Partial<BrowseFilters>) => void;
}) {
  const { isAuthenticated } = useConvexAuth();
  const favouriteIds = useQuery(api.favourites.myIds, isAuthenticated ? {} : "skip");
  const { results, status, loadMore } = usePaginatedQuery(api.advisorProfiles.browse, browseArgs(filters), {
    initialNumItems: BROWSE_PAGE_SIZE,
  });

  const useInitial = status === "LoadingFirstPage" && initial && initialQuery === query;
  const advisors = useInitial ? initial.page : results;
  const loading = status === "LoadingFirstPage" && !useInitial;
  const showFavourites = isAuthenticated && favouriteIds !== undefined;

  return (
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
              <Button variant="link" className="mt-2" onClick={() => onChange({ search: undefined, ...NO_FILTERS })}>
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
                    favourite={showFavourites ? favouriteIds.includes(advisor._id) : undefined}
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
