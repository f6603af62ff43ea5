import { expect } from "vitest";
import type { Id } from "../../convex/_generated/dataModel";
import { balanceOf, checkLedger } from "../../convex/model/ledger";
import { accountRef, type AccountKind } from "../../lib/ledger/accounts";
import type { Test } from "./helpers";

/** The balance of one ledger account (house accounts: ownerId null), in cents. */
export async function balance(t: Test, kind: AccountKind, ownerId: Id<"users"> | null = null): Promise<number> {
  return await t.run(async (ctx) => (await balanceOf(ctx, accountRef(kind, ownerId))).balanceCents);
}

/** The ledger checker finds nothing wrong: journals balance, balances equal their entries, floors hold. */
export async function expectChecker(t: Test) {
  const result = await t.run(async (ctx) => await checkLedger(ctx));
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
  return result;
}
