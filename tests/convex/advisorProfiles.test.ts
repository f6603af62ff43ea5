import { describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import { newTest } from "./helpers";
import { addAdvisor } from "./advisorHelpers";

describe("advisorProfiles.listApproved", () => {
  it("lists approved advisors only, online ones first", async () => {
    const t = newTest();
    await addAdvisor(t, "a", { displayName: "Offline A", categories: ["tarot"], status: "approved", online: false });
    await addAdvisor(t, "b", { displayName: "Online B", categories: ["career"], status: "approved", online: true });
    await addAdvisor(t, "c", { displayName: "Offline C", categories: ["tech"], status: "approved", online: false });
    await addAdvisor(t, "d", { displayName: "Online D", categories: ["tarot"], status: "approved", online: true });
    await addAdvisor(t, "e", { displayName: "Submitted", categories: ["tarot"], status: "submitted", online: true });
    await addAdvisor(t, "f", { displayName: "Suspended", categories: ["tarot"], status: "suspended", online: true });
    await addAdvisor(t, "g", { displayName: "Rejected", categories: ["tarot"], status: "rejected", online: false });

    const listed = await t.query(api.advisorProfiles.listApproved, {});
    expect(listed.map((p) => p.displayName).sort()).toEqual(["Offline A", "Offline C", "Online B", "Online D"]);
    const onlineFlags = listed.map((p) => p.online);
    expect(onlineFlags).toEqual([true, true, false, false]);
  });

  it("filters by category", async () => {
    const t = newTest();
    await addAdvisor(t, "a", { displayName: "Tarot only", categories: ["tarot"], status: "approved", online: false });
    await addAdvisor(t, "b", {
      displayName: "Tarot+Career",
      categories: ["career", "tarot"],
      status: "approved",
      online: true,
    });
    await addAdvisor(t, "c", { displayName: "Tech", categories: ["tech"], status: "approved", online: true });
    await addAdvisor(t, "d", {
      displayName: "Tarot pending",
      categories: ["tarot"],
      status: "submitted",
      online: true,
    });

    const tarot = await t.query(api.advisorProfiles.listApproved, { category: "tarot" });
    expect(tarot.map((p) => p.displayName)).toEqual(["Tarot+Career", "Tarot only"]);
    expect((await t.query(api.advisorProfiles.listApproved, { category: "tech" })).map((p) => p.displayName)).toEqual([
      "Tech",
    ]);
    expect(await t.query(api.advisorProfiles.listApproved, { category: "finance" })).toEqual([]);
  });

  it("rejects an unknown category", async () => {
    const t = newTest();
    await expect(t.query(api.advisorProfiles.listApproved, { category: "knitting" as "tarot" })).rejects.toThrow(
      /Validator|validator|category/,
    );
  });

  it("exposes public fields only, with the rating in tenths", async () => {
    const t = newTest();
    await addAdvisor(t, "rated", {
      displayName: "Rated",
      categories: ["wellness"],
      status: "approved",
      online: true,
      ratingSum: 14,
      ratingCount: 3,
    });
    await addAdvisor(t, "new", { displayName: "New", categories: ["wellness"], status: "approved", online: false });
    const [rated, fresh] = await t.query(api.advisorProfiles.listApproved, {});
    expect(rated!.ratingTenths).toBe(47);
    expect(fresh!.ratingTenths).toBeNull();
    expect(Object.keys(rated!)).not.toContain("status");
    expect(Object.keys(rated!)).not.toContain("ratingSum");
  });
});

describe("advisorProfiles.getApproved", () => {
  it("returns an approved profile and hides others", async () => {
    const t = newTest();
    const approved = await addAdvisor(t, "a", {
      displayName: "Yes",
      categories: ["tarot"],
      status: "approved",
      online: true,
    });
    const pending = await addAdvisor(t, "b", {
      displayName: "No",
      categories: ["tarot"],
      status: "submitted",
      online: true,
    });
    expect(await t.query(api.advisorProfiles.getApproved, { profileId: approved })).toMatchObject({
      displayName: "Yes",
    });
    expect(await t.query(api.advisorProfiles.getApproved, { profileId: pending })).toBeNull();
  });
});
