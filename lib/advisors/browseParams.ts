// URL search params <-> browse filters. Shared by the server page (first page) and the client browser.
import { isCategorySlug, type CategorySlug } from "../categories";
import { centsToDecimalString, tryParseMoneyInput } from "../money";
import { MAX_RATE_CENTS } from "./rules";

export const SORTS = [
  { value: "recommended", label: "Recommended" },
  { value: "rating", label: "Rating" },
  { value: "price", label: "Price: low to high" },
] as const;
export type Sort = (typeof SORTS)[number]["value"];

export const RATING_OPTIONS = [
  { value: 0, label: "Any rating" },
  { value: 30, label: "3.0+" },
  { value: 40, label: "4.0+" },
  { value: 45, label: "4.5+" },
] as const;

/** Languages offered in the filter (profiles store free text; matching ignores case). */
export const LANGUAGES = [
  "Arabic",
  "English",
  "French",
  "German",
  "Hindi",
  "Italian",
  "Japanese",
  "Korean",
  "Mandarin",
  "Portuguese",
  "Spanish",
  "Swedish",
  "Urdu",
] as const;

export type BrowseFilters = {
  search?: string;
  category?: CategorySlug;
  channel?: "chat" | "video";
  minPriceCents?: number;
  maxPriceCents?: number;
  minRatingTenths?: number;
  onlineOnly?: boolean;
  /** One language the advisor speaks (URL `lang`). */
  language?: string;
  sort: Sort;
};

type Params = { get(name: string): string | null };

function price(text: string | null): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const parsed = tryParseMoneyInput(text, { allowZero: true, maxCents: MAX_RATE_CENTS });
  return parsed.ok ? parsed.cents : undefined;
}

/** Reads filters from URL params; anything invalid is ignored (the UI shows the field error). */
export function filtersFromParams(params: Params): BrowseFilters {
  const q = params.get("q")?.trim().slice(0, 200);
  const category = params.get("category");
  const channel = params.get("channel");
  const rating = Number.parseInt(params.get("rating") ?? "", 10);
  const sort = params.get("sort");
  const lang = params.get("lang")?.trim();
  let minPriceCents = price(params.get("min"));
  let maxPriceCents = price(params.get("max"));
  if (minPriceCents !== undefined && maxPriceCents !== undefined && minPriceCents > maxPriceCents) {
    minPriceCents = undefined;
    maxPriceCents = undefined;
  }
  return {
    search: q ? q : undefined,
    category: category && isCategorySlug(category) ? category : undefined,
    channel: channel === "chat" || channel === "video" ? channel : undefined,
    minPriceCents,
    maxPriceCents,
    minRatingTenths: RATING_OPTIONS.some((o) => o.value === rating && rating > 0) ? rating : undefined,
    onlineOnly: params.get("online") === "1" ? true : undefined,
    language: lang && lang.length >= 2 && lang.length <= 30 ? lang : undefined,
    sort: sort === "rating" || sort === "price" ? sort : "recommended",
  };
}

/** Filters -> query string (stable order, defaults omitted). */
export function paramsFromFilters(f: BrowseFilters): string {
  const out = new URLSearchParams();
  if (f.search) out.set("q", f.search);
  if (f.category) out.set("category", f.category);
  if (f.channel) out.set("channel", f.channel);
  if (f.minPriceCents !== undefined) out.set("min", centsToDecimalString(f.minPriceCents));
  if (f.maxPriceCents !== undefined) out.set("max", centsToDecimalString(f.maxPriceCents));
  if (f.minRatingTenths) out.set("rating", String(f.minRatingTenths));
  if (f.onlineOnly) out.set("online", "1");
  if (f.language) out.set("lang", f.language);
  if (f.sort !== "recommended") out.set("sort", f.sort);
  return out.toString();
}

/** The browse query's args (everything but pagination). */
export function browseArgs(f: BrowseFilters) {
  const { sort, ...rest } = f;
  const args: Record<string, unknown> = { sort };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) args[k] = v;
  return args as Omit<BrowseFilters, "sort"> & { sort: Sort };
}

export const BROWSE_PAGE_SIZE = 12;
