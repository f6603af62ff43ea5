// The wrapped builders of convex/functions.ts: the viewer is resolved and the role checked
// before any handler runs, and a refused call writes nothing.
import { describe, expect, it } from "vitest";
import { makeFunctionReference } from "convex/server";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { expectAppError, insertUser, localIdentity, newTest } from "./helpers";

const guards = { "../../convex/testGuards.ts": () => import("./fixtures/guardedFunctions") };
const adminOnlyQuery = makeFunctionReference<"query", Record<string, never>, { viewerId: Id<"users">; role: string }>(
  "testGuards:adminOnlyQuery",
);
const advisorOnlyMutation = makeFunctionReference<"mutation", { note: string }, Id<"users">>(
  "testGuards:advisorOnlyMutation",
);
const adminOnlyAction = makeFunctionReference<"action", Record<string, never>, { viewerId: Id<"users">; role: string }>(
  "testGuards:adminOnlyAction",
);
const firstPage = { paginationOpts: { numItems: 10, cursor: null } };

describe("query (authenticated builder)", () => {
  it("refuses anonymous callers with UNAUTHENTICATED (sessions.listMine)", async () => {
    const t = newTest();
    await expectAppError(t.query(api.sessions.listMine, firstPage), "UNAUTHENTICATED");
  });

  it("refuses a verified identity without a user row with UNAUTHENTICATED", async () => {
    const t = newTest();
    await expectAppError(
      t.withIdentity(localIdentity("ghost")).query(api.sessions.listMine, firstPage),
      "UNAUTHENTICATED",
    );
  });

  it("serves a signed-in user with the permission (sessions.listMine)", async () => {
    const t = newTest();
    const clientId = await insertUser(t, "client-a", "client");
    const advisorId = await insertUser(t, "advisor-a", "advisor");
    const otherClientId = await insertUser(t, "client-b", "client");
    await t.run(async (ctx) => {
      for (const [owner, requestedAt] of [
        [clientId, 1_000],
        [clientId, 2_000],
        [otherClientId, 3_000],
      ] as const) {
        await ctx.db.insert("sessions", {
          clientId: owner,
          advisorId,
          kind: "chat",
          status: "ended",
          rateCentsPerMinute: 150,
          feeBps: 1000,
          requestedAt,
          expiresAt: requestedAt + 60_000,
          freeSeconds: 0,
          segments: [],
          provider: "builtin",
        });
      }
    });
    const result = await t.withIdentity(localIdentity("client-a")).query(api.sessions.listMine, firstPage);
    expect(result.isDone).toBe(true);
    expect(result.page.map((s) => s.requestedAt)).toEqual([2_000, 1_000]);
    expect(result.page[0]).toMatchObject({
      counterpartName: "User advisor-a",
      rateCentsPerMinute: 150,
      amountCents: null,
    });
  });

  it("refuses the wrong role with FORBIDDEN and the right role gets ctx.viewer", async () => {
    const t = newTest(guards);
    const adminId = await insertUser(t, "admin-a", "admin");
    await insertUser(t, "client-a", "client");
    await insertUser(t, "advisor-a", "advisor");
    await expectAppError(t.query(adminOnlyQuery, {}), "UNAUTHENTICATED");
    await expectAppError(t.withIdentity(localIdentity("client-a")).query(adminOnlyQuery, {}), "FORBIDDEN");
    await expectAppError(t.withIdentity(localIdentity("advisor-a")).query(adminOnlyQuery, {}), "FORBIDDEN");
    expect(await t.withIdentity(localIdentity("admin-a")).query(adminOnlyQuery, {})).toEqual({
      viewerId: adminId,
      role: "admin",
    });
  });
});

describe("mutation (authenticated builder)", () => {
  it("checks the role before the handler writes anything", async () => {
    const t = newTest(guards);
    const advisorId = await insertUser(t, "advisor-a", "advisor");
    await insertUser(t, "client-a", "client");
    await insertUser(t, "admin-a", "admin");
    const auditRows = () => t.run(async (ctx) => ctx.db.query("auditLog").collect());

    await expectAppError(t.mutation(advisorOnlyMutation, { note: "x" }), "UNAUTHENTICATED");
    await expectAppError(
      t.withIdentity(localIdentity("client-a")).mutation(advisorOnlyMutation, { note: "x" }),
      "FORBIDDEN",
    );
    await expectAppError(
      t.withIdentity(localIdentity("admin-a")).mutation(advisorOnlyMutation, { note: "x" }),
      "FORBIDDEN",
    );
    expect(await auditRows()).toHaveLength(0);

    expect(await t.withIdentity(localIdentity("advisor-a")).mutation(advisorOnlyMutation, { note: "ok" })).toBe(
      advisorId,
    );
    expect((await auditRows()).map((r) => r.details)).toEqual(["ok"]);
  });
});

describe("suspended users", () => {
  // Issue 20: a suspended user (a suspended admin above all) is refused reads too; only their own status
  // (users:viewer) stays readable.
  it("cannot read, run mutations or actions, and nothing is written", async () => {
    const t = newTest(guards);
    await insertUser(t, "advisor-s", "advisor", { status: "suspended" });
    await insertUser(t, "admin-s", "admin", { status: "suspended" });
    const advisor = t.withIdentity(localIdentity("advisor-s"));
    await expectAppError(advisor.mutation(advisorOnlyMutation, { note: "blocked" }), "SUSPENDED");
    await expectAppError(t.withIdentity(localIdentity("admin-s")).action(adminOnlyAction, {}), "SUSPENDED");
    const notes = await t.run(async (ctx) => ctx.db.query("auditLog").collect());
    expect(notes).toHaveLength(0);
    await expectAppError(advisor.query(api.sessions.listMine, firstPage), "SUSPENDED");
    const admin = t.withIdentity(localIdentity("admin-s"));
    await expectAppError(admin.query(api.adminUsers.list, { paginationOpts: firstPage.paginationOpts }), "SUSPENDED");
    expect(await admin.query(api.users.viewer, {})).toMatchObject({ status: "suspended", role: "admin" });
  });
});

describe("action (authenticated builder)", () => {
  it("resolves the viewer through users:viewerForAction and checks the role", async () => {
    const t = newTest(guards);
    const adminId = await insertUser(t, "admin-a", "admin");
    await insertUser(t, "advisor-a", "advisor");
    await expectAppError(t.action(adminOnlyAction, {}), "UNAUTHENTICATED");
    await expectAppError(t.withIdentity(localIdentity("advisor-a")).action(adminOnlyAction, {}), "FORBIDDEN");
    expect(await t.withIdentity(localIdentity("admin-a")).action(adminOnlyAction, {})).toEqual({
      viewerId: adminId,
      role: "admin",
    });
  });
});

describe("publicQuery", () => {
  it("works signed out (advisorProfiles.listApproved, users.viewer)", async () => {
    const t = newTest();
    expect(await t.query(api.advisorProfiles.listApproved, {})).toEqual([]);
    expect(await t.query(api.users.viewer, {})).toBeNull();
  });

  it("gives the handler the viewer when signed in", async () => {
    const t = newTest();
    const id = await insertUser(t, "client-a", "client");
    expect(await t.withIdentity(localIdentity("client-a")).query(api.users.viewer, {})).toMatchObject({ _id: id });
  });
});
