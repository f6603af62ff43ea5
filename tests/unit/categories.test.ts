import { describe, expect, it } from "vitest";
import { CATEGORIES, CATEGORY_SLUGS, categoryLabel, isCategorySlug } from "@/lib/categories";
import { categoryValidator } from "@/convex/schema";

describe("categories", () => {
  it("has unique slugs and labels", () => {
    expect(new Set(CATEGORY_SLUGS).size).toBe(CATEGORIES.length);
    expect(new Set(CATEGORIES.map((c) => c.label)).size).toBe(CATEGORIES.length);
    for (const { slug, label } of CATEGORIES) {
      expect(slug).toMatch(/^[a-z][a-z-]*$/);
      expect(label.trim()).not.toBe("");
    }
  });

  it("matches the category validator of the Convex schema", () => {
    const schemaSlugs = categoryValidator.members.map((m) => m.value);
    expect([...schemaSlugs].sort()).toEqual([...CATEGORY_SLUGS].sort());
  });

  it("labels known slugs and passes unknown ones through", () => {
    expect(categoryLabel("tarot")).toBe("Tarot");
    expect(categoryLabel("tech")).toBe("Tech");
    expect(categoryLabel("knitting")).toBe("knitting");
  });

  it("recognises slugs exactly", () => {
    for (const slug of CATEGORY_SLUGS) expect(isCategorySlug(slug)).toBe(true);
    for (const value of ["Tarot", "TAROT", "", " tarot", "knitting"]) expect(isCategorySlug(value)).toBe(false);
  });
});
