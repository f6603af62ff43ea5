// Shared fixture and function enumeration for authorization.test.ts and badInput.test.ts.
import { makeFunctionReference } from "convex/server";
import { api, internal } from "../../convex/_generated/api";
import type { Id, TableNames } from "../../convex/_generated/dataModel";
import schema from "../../convex/schema";
import { addAdvisor } from "./advisorHelpers";
import { insertUser, localIdentity, newTest, type Test } from "./helpers";
import { endedSessionDoc } from "./sessionFixtures";

export type Registered = {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isHttp?: boolean;
  isPublic?: boolean;
  exportArgs?: () => string;
};
export type Kind = "query" | "mutation" | "action";

// convex.config.ts is the app definition (components), not a function module (as for Convex itself).
const moduleLoaders = import.meta.glob<Record<string, unknown>>([
  "../../convex/*.ts",
  "!../../convex/convex.config.ts",
]);

/** Every public query, mutation and action exported by convex/*.ts, as "module:export". */
export async function publicFunctions(): Promise<{ name: string; kind: Kind; fn: Registered }[]> {
  const found: { name: string; kind: Kind; fn: Registered }[] = [];
  for (const [path, load] of Object.entries(moduleLoaders)) {
    const moduleName = path.replace("../../convex/", "").replace(/\.ts$/, "");
    for (const [exportName, value] of Object.entries(await load())) {
      if (typeof value !== "function" && (typeof value !== "object" || value === null)) continue;
      const fn = value as Registered;
      if (fn.isPublic !== true) continue;
      const kind: Kind | null = fn.isQuery ? "query" : fn.isMutation ? "mutation" : fn.isAction ? "action" : null;
      if (kind !== null) found.push({ name: `${moduleName}:${exportName}`, kind, fn });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

export const callers = {
  client: localIdentity("client1"),
  client2: localIdentity("client2"),
  advisor: localIdentity("advisor1"),
  advisor2: localIdentity("advisor2"),
  admin: localIdentity("admin1"),
} as const;
export type Caller = keyof typeof callers | "anonymous";

/** An id of `table` that names no document (convex-test's id format: zero-padded counter + table name). */
export function missingId<T extends TableNames | "_storage">(table: T): Id<T> {
  return `${"9".repeat(Math.max(1, 32 - table.length))}${table}` as Id<T>;
}

export type Fixture = Awaited<ReturnType<typeof seedFixture>>;

/** Two clients, two approved advisors, an admin; a funded client; an ended session of client1 with advisor1. */
export async function seedFixture() {
  const t = newTest();
  const clientId = await insertUser(t, "client1", "client");
  const client2Id = await insertUser(t, "client2", "client");
  const adminId = await insertUser(t, "admin1", "admin");
  const profileId = await addAdvisor(t, "advisor1", {
    displayName: "Ada",
    categories: ["tarot"],
    status: "approved",
    online: true,
  });
  const profile2Id = await addAdvisor(t, "advisor2", {
    displayName: "Bea",
    categories: ["tarot"],
    status: "approved",
    online: true,
  });
  const { advisorId, advisor2Id } = await t.run(async (ctx) => ({
    advisorId: (await ctx.db.get("advisorProfiles", profileId))!.userId,
    advisor2Id: (await ctx.db.get("advisorProfiles", profile2Id))!.userId,
  }));
  await t.mutation(internal.ledger.postEvent, {
    event: { kind: "top_up", clientId, amountCents: 100_00 },
    idempotencyKey: "fixture:topup",
  });
  const endedAt = Date.now() - 60_000;
  const sessionId = await t.run(async (ctx) =>
    ctx.db.insert(
      "sessions",
      endedSessionDoc({ clientId, advisorId }, { endedAt, rateCentsPerMinute: 100, costCents: 1000 }),
    ),
  );
  // advisor1: an enabled payout account and released earnings; client1: a dispute on the session, a notification.
  await t.run(async (ctx) => {
    const now = Date.now();
    await ctx.db.insert("payoutAccounts", {
      userId: advisorId,
      accountId: "acct_fixture",
      status: "enabled",
      chargesEnabled: true,
      payoutsEnabled: true,
      detailsSubmitted: true,
      createdAt: now,
      updatedAt: now,
    });
  });
  await t.mutation(internal.ledger.postEvents, {
    items: [
      {
        event: { kind: "session_settled", clientId, advisorId, costCents: 1000, feeCents: 100 },
        idempotencyKey: "fixture:settle",
        refs: { sessionId },
      },
      { event: { kind: "earnings_released", advisorId, amountCents: 900 }, idempotencyKey: "fixture:release" },
    ],
  });
  const { disputeId } = await t.withIdentity(localIdentity("client1")).mutation(api.disputes.file, {
    sessionId,
    category: "other",
    description: "The advisor stopped answering.",
    requestedRefundCents: 500,
  });
  const notificationId = await t.run(async (ctx) =>
    ctx.db.insert("notifications", {
      userId: clientId,
      kind: "session_ended",
      title: "Session ended",
      body: "Your session ended.",
      createdAt: Date.now(),
    }),
  );
  // Issue 24: a review of the session, and a held $5.00 offline message of client1 to advisor1.
  const reviewId = await t.run(async (ctx) =>
    ctx.db.insert("reviews", { sessionId, clientId, advisorId, rating: 4, comment: "Helpful", createdAt: Date.now() }),
  );
  await t.withIdentity(localIdentity("advisor1")).mutation(api.offlineMessages.setPrice, { priceCents: 500 });
  const { messageId: offlineMessageId } = await t
    .withIdentity(localIdentity("client1"))
    .mutation(api.offlineMessages.send, {
      advisorProfileId: profileId,
      body: "A question for later.",
      priceCents: 500,
      requestKey: "fixture-send-1",
    });
  // A finished margin export (resuming it is refused with CONFLICT: the admin passes the role check).
  const exportId = await t.run(async (ctx) =>
    ctx.db.insert("marginExports", {
      requestedBy: adminId,
      from: "2026-11-01",
      to: "2026-11-21",
      status: "done",
      cursor: null,
      rowsRead: 0,
      pages: 1,
      advisors: 0,
      jobId: "",
      createdAt: Date.now(),
      finishedAt: Date.now(),
    }),
  );
  return {
    t,
    exportId,
    clientId,
    client2Id,
    advisorId,
    advisor2Id,
    adminId,
    profileId,
    profile2Id,
    sessionId,
    disputeId,
    notificationId,
    reviewId,
    offlineMessageId,
  };
}

export async function call(
  t: Test,
  kind: Kind,
  name: string,
  caller: Caller,
  args: Record<string, unknown>,
): Promise<unknown> {
  const as = caller === "anonymous" ? t : t.withIdentity(callers[caller]);
  if (kind === "query") return await as.query(makeFunctionReference<"query">(name), args);
  if (kind === "mutation") return await as.mutation(makeFunctionReference<"mutation">(name), args);
  return await as.action(makeFunctionReference<"action">(name), args);
}

/** The ConvexError code of a failure, "allow" when it succeeded, or "ERROR: <message>" for other errors. */
export async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "allow";
  } catch (error) {
    const data = (error as { data?: unknown }).data;
    const parsed = typeof data === "string" ? (JSON.parse(data) as unknown) : data;
    const code = typeof parsed === "object" && parsed !== null ? (parsed as { code?: unknown }).code : undefined;
    return typeof code === "string" ? code : `ERROR: ${String(error).slice(0, 200)}`;
  }
}

export const tableNames = Object.keys(schema.tables) as TableNames[];

export async function tableCounts(t: Test): Promise<Record<string, number>> {
  return await t.run(async (ctx) => {
    const counts: Record<string, number> = {};
    for (const table of tableNames) counts[table] = (await ctx.db.query(table).collect()).length;
    return counts;
  });
}
