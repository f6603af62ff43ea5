// The fixed advisor taxonomy. One module; onboarding, browsing and analytics read it.
export const CATEGORIES = [
  { slug: "tarot", label: "Tarot" },
  { slug: "astrology", label: "Astrology" },
  { slug: "career", label: "Career" },
  { slug: "relationships", label: "Relationships" },
  { slug: "wellness", label: "Wellness" },
  { slug: "finance", label: "Finance" },
  { slug: "tech", label: "Tech" },
] as const;

export type CategorySlug = (typeof CATEGORIES)[number]["slug"];

export const CATEGORY_SLUGS = CATEGORIES.map((c) => c.slug) as readonly CategorySlug[];

export function categoryLabel(slug: string): string {
  return CATEGORIES.find((c) => c.slug === slug)?.label ?? slug;
}

export function isCategorySlug(value: string): value is CategorySlug {
  return (CATEGORY_SLUGS as readonly string[]).includes(value);
}
