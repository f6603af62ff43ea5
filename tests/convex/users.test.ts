import { describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import { localTokenIdentifier } from "../../lib/localAuth";
import { expectAppError, localIdentity, newTest } from "./helpers";

describe("users.viewer", () => {
  it("is null when signed out", async () => {
    const t = newTest();
    expect(await t.query(api.users.viewer, {})).toBeNull();
  });

  it("is null when signed in but the user row does not exist yet", async () => {
    const t = newTest();
    expect(await t.withIdentity(localIdentity("newcomer")).query(api.users.viewer, {})).toBeNull();
  });

  it("returns the signed-in user's public fields only", async () => {
    const t = newTest();
    const userId = await t.run(async (ctx) =>
      ctx.db.insert("users", {
        tokenIdentifier: localTokenIdentifier("advisor-a"),
        name: "Ada Advisor",
        email: "ada@example.test",
        role: "advisor",
        status: "active",
        avatarUrl: "/avatars/advisor-01.svg",
        createdAt: 1,
      }),
    );
    const viewer = await t.withIdentity(localIdentity("advisor-a")).query(api.users.viewer, {});
    expect(viewer).toEqual({
      _id: userId,
      name: "Ada Advisor",
      email: "ada@example.test",
      role: "advisor",
      status: "active",
      avatarUrl: "/avatars/advisor-01.svg",
    });
  });

  it("does not return another user's row", async () => {
    const t = newTest();
    await t.withIdentity(localIdentity("alice")).mutation(api.users.ensureViewer, {});
    const bob = await t.withIdentity(localIdentity("bob")).query(api.users.viewer, {});
    expect(bob).toBeNull();
  });
});

describe("users.ensureViewer", () => {
  it("refuses without an identity", async () => {
    const t = newTest();
    await expectAppError(t.mutation(api.users.ensureViewer, {}), "UNAUTHENTICATED");
    expect(await t.run(async (ctx) => ctx.db.query("users").collect())).toHaveLength(0);
  });

  it("creates an active client on first sign-in", async () => {
    const t = newTest();
    const as = t.withIdentity(localIdentity("first", { name: "First Person", email: "first@example.test" }));
    const created = await as.mutation(api.users.ensureViewer, {});
    expect(created).toMatchObject({
      name: "First Person",
      email: "first@example.test",
      role: "client",
      status: "active",
    });
    const rows = await t.run(async (ctx) => ctx.db.query("users").collect());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tokenIdentifier: localTokenIdentifier("first"), role: "client" });
    expect(await as.query(api.users.viewer, {})).toEqual(created);
  });

  it("is idempotent", async () => {
    const t = newTest();
    const as = t.withIdentity(localIdentity("repeat"));
    const first = await as.mutation(api.users.ensureViewer, {});
    const second = await as.mutation(api.users.ensureViewer, {});
    expect(second).toEqual(first);
    expect(await t.run(async (ctx) => ctx.db.query("users").collect())).toHaveLength(1);
  });

  it("refreshes name and email but keeps role and status", async () => {
    const t = newTest();
    const first = await t
      .withIdentity(localIdentity("mover", { name: "Old Name", email: "old@example.test" }))
      .mutation(api.users.ensureViewer, {});
    await t.run(async (ctx) => ctx.db.patch(first._id, { role: "advisor" }));
    const updated = await t
      .withIdentity(localIdentity("mover", { name: "New Name", email: "new@example.test" }))
      .mutation(api.users.ensureViewer, {});
    expect(updated).toMatchObject({ _id: first._id, name: "New Name", email: "new@example.test", role: "advisor" });
    expect(await t.run(async (ctx) => ctx.db.query("users").collect())).toHaveLength(1);
  });

  it("falls back to a readable name when the identity has none", async () => {
    const t = newTest();
    const created = await t
      .withIdentity({ tokenIdentifier: localTokenIdentifier("anon"), subject: "anon", issuer: "x" })
      .mutation(api.users.ensureViewer, {});
    expect(created.name).toBe("New user");
    expect(created.email).toBe("");
  });
});
