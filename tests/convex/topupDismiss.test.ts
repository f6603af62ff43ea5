// A failed top-up can be dismissed from the wallet's list by its owner; nothing else can be.
import { describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { expectAppError, insertUser, localIdentity, newTest, type Test } from "./helpers";

async function topup(t: Test, userId: Id<"users">, status: "failed" | "succeeded") {
  return await t.run(async (ctx) =>
    ctx.db.insert("topups", {
      userId,
      kind: "checkout",
      amountCents: 5_000,
      currency: "USD",
      status,
      saveCard: false,
      refundedCents: 0,
      createdAt: Date.now(),
      updatedAt: Date.now(),
      ...(status === "failed" ? { failureReason: "Your card was declined." } : {}),
    }),
  );
}

describe("dismissing failed top-ups", () => {
  it("the owner hides a failed one; succeeded ones and other people's stay", async () => {
    const t = newTest();
    const clientId = await insertUser(t, "client1", "client");
    const otherId = await insertUser(t, "client2", "client");
    const failed = await topup(t, clientId, "failed");
    const ok = await topup(t, clientId, "succeeded");
    const others = await topup(t, otherId, "failed");
    const me = t.withIdentity(localIdentity("client1"));
    expect((await me.query(api.topups.listMine, {})).find((x) => x._id === failed)?.dismissed).toBe(false);
    await expectAppError(me.mutation(api.topups.dismissFailed, { topupId: ok }), "CONFLICT");
    await expectAppError(me.mutation(api.topups.dismissFailed, { topupId: others }), "NOT_FOUND");
    await me.mutation(api.topups.dismissFailed, { topupId: failed });
    await me.mutation(api.topups.dismissFailed, { topupId: failed });
    const mine = await me.query(api.topups.listMine, {});
    expect(mine.find((x) => x._id === failed)).toMatchObject({ status: "failed", dismissed: true });
    expect((await t.withIdentity(localIdentity("client2")).query(api.topups.listMine, {}))[0]).toMatchObject({
      dismissed: false,
    });
  });
});
