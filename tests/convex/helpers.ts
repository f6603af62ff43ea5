/// <reference types="vite/client" />
import { convexTest } from "convex-test";
import rateLimiter from "@convex-dev/rate-limiter/test";
import type { UserIdentity } from "convex/server";
import schema from "../../convex/schema";
import { LOCAL_AUTH_ISSUER, localTokenIdentifier } from "../../lib/localAuth";
import type { ErrorCode } from "../../lib/errors";
import type { Id } from "../../convex/_generated/dataModel";

/** Every module of convex/, as convex-test expects (lazy imports keyed by path). */
export const modules = import.meta.glob("../../convex/**/*.ts");

/** A convex-test instance with convex/ and the components of convex/convex.config.ts registered. */
export function newTest(extraModules: Record<string, () => Promise<unknown>> = {}) {
  const t = convexTest(schema, { ...modules, ...extraModules });
  rateLimiter.register(t, "rateLimiter");
  return t;
}

export type Test = ReturnType<typeof newTest>;

/** An identity as the local sign-in issues it (issuer|subject token identifier). */
export function localIdentity(subject: string, extra: { name?: string; email?: string } = {}): Partial<UserIdentity> {
  return {
    tokenIdentifier: localTokenIdentifier(subject),
    subject,
    issuer: LOCAL_AUTH_ISSUER,
    name: extra.name ?? `User ${subject}`,
    email: extra.email ?? `${subject}@example.test`,
  };
}

/** Inserts a user row directly, the way seed/ensureViewer would, and returns its id. */
export async function insertUser(
  t: Test,
  subject: string,
  role: "client" | "advisor" | "admin",
  extra: { status?: "active" | "suspended" } = {},
) {
  return await t.run(async (ctx) =>
    ctx.db.insert("users", {
      tokenIdentifier: localTokenIdentifier(subject),
      name: `User ${subject}`,
      email: `${subject}@example.test`,
      role,
      status: extra.status ?? "active",
      createdAt: Date.now(),
    }),
  );
}

/** Asserts that `promise` rejects with a ConvexError carrying `code`. */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error(`expected a ConvexError with code ${code}, but the call succeeded`);
  const data = (caught as { data?: unknown }).data;
  const parsed = typeof data === "string" ? (JSON.parse(data) as unknown) : data;
  if (typeof parsed !== "object" || parsed === null || (parsed as { code?: unknown }).code !== code) {
    throw new Error(`expected a ConvexError with code ${code}, got: ${String(caught)} (data: ${JSON.stringify(data)})`);
  }
  const message = (parsed as { message?: unknown }).message;
  if (typeof message !== "string" || message.length === 0) {
    throw new Error(`ConvexError ${code} has no readable message`);
  }
}

/** sessions.request arguments with the rate the client sees now (the request must carry it: RATE_CHANGED otherwise). */
export async function withRate<A extends { advisorProfileId: Id<"advisorProfiles">; kind: "chat" | "video" }>(
  t: Test,
  args: A,
): Promise<A & { rateCentsPerMinute: number }> {
  const profile = await t.run(async (ctx) => ctx.db.get("advisorProfiles", args.advisorProfileId));
  const rate = args.kind === "chat" ? profile?.chatRateCentsPerMinute : profile?.videoRateCentsPerMinute;
  return { ...args, rateCentsPerMinute: rate ?? 1 };
}
