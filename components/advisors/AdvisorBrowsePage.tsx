import { fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { BROWSE_PAGE_SIZE, browseArgs, filtersFromParams, paramsFromFilters } from "@/lib/advisors/browseParams";
import { VisitorConvexProvider } from "@/components/providers/VisitorConvexProvider";
import { AdvisorBrowser } from "./AdvisorBrowser";

type SearchParams = Record<string, string | string[] | undefined>;

/** Server part of browsing: renders the first page for the URL's filters, then the live browser. */
export async function AdvisorBrowsePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string") params.set(k, v);
  const filters = filtersFromParams(params);
  const initial = await fetchQuery(api.advisorProfiles.browse, {
    ...browseArgs(filters),
    paginationOpts: { numItems: BROWSE_PAGE_SIZE, cursor: null },
  }).catch(() => null);
  // No <Suspense> here: the page is dynamic (it reads searchParams), so useSearchParams needs no boundary, and a
  // boundary let React stream the list after the first paint, which pushed the footer down (CLS 0.079 on a phone).
  return (
    <VisitorConvexProvider>
      <AdvisorBrowser initial={initial} initialQuery={paramsFromFilters(filters)} />
    </VisitorConvexProvider>
  );
}
