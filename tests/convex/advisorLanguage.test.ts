// Language filter (issue 24): browse by one language (case-insensitive), with "online now", and the URL keeps both.
import { describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import { filtersFromParams, paramsFromFilters } from "../../lib/advisors/browseParams";
import { expectAppError, newTest } from "./helpers";
import { addAdvisor } from "./advisorHelpers";

const page = { numItems: 20, cursor: null };
const names = (r: { page: { displayName: string }[] }) => r.page.map((p) => p.displayName);

describe("browse by language", () => {
  it("filters by language (any case), combines with online now and search, and rejects bad names", async () => {
    const t = newTest();
    await addAdvisor(t, "a", {
      displayName: "Luna",
      categories: ["tarot"],
      status: "approved",
      online: true,
      languages: ["English", "Spanish"],
    });
    await addAdvisor(t, "b", {
      displayName: "Mateo",
      categories: ["wellness"],
      status: "approved",
      online: false,
      languages: ["spanish"],
    });
    await addAdvisor(t, "c", {
      displayName: "Hana",
      categories: ["tarot"],
      status: "approved",
      online: true,
      languages: ["Japanese"],
    });
    expect(names(await t.query(api.advisorProfiles.browse, { language: "Spanish", paginationOpts: page }))).toEqual([
      "Luna",
      "Mateo",
    ]);
    expect(
      names(await t.query(api.advisorProfiles.browse, { language: "spanish", onlineOnly: true, paginationOpts: page })),
    ).toEqual(["Luna"]);
    expect(
      names(await t.query(api.advisorProfiles.browse, { language: "Japanese", search: "luna", paginationOpts: page })),
    ).toEqual([]);
    expect(names(await t.query(api.advisorProfiles.browse, { language: "Korean", paginationOpts: page }))).toEqual([]);
    await expectAppError(
      t.query(api.advisorProfiles.browse, { language: "x".repeat(31), paginationOpts: page }),
      "INVALID_ARGUMENT",
    );
  });

  it("keeps online now and the language in the URL", () => {
    const filters = filtersFromParams(new URLSearchParams("online=1&lang=Spanish"));
    expect(filters).toMatchObject({ onlineOnly: true, language: "Spanish" });
    expect(paramsFromFilters(filters)).toBe("online=1&lang=Spanish");
    expect(filtersFromParams(new URLSearchParams(`lang=${"x".repeat(40)}`)).language).toBeUndefined();
  });
});
