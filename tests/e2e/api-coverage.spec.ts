import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse, type Browser } from "@playwright/test";
import fc from "fast-check";
import { ConvexHttpClient } from "convex/browser";
import { api } from "../../convex/_generated/api";
import { signInAs } from "./helpers";

// Every route handler in app/api: who may call it (anonymous, client, advisor, admin), and what generated
// invalid input gets (a 4xx JSON error with a code, never a 5xx, and nothing written). A route file that is
// not in ROUTES fails the first test, so a new route cannot ship uncovered.

const PORT = Number(process.env.E2E_PORT ?? 3100);
const CONVEX_URL = `http://127.0.0.1:${PORT + 210}`;

type Role = "anonymous" | "client" | "advisor" | "admin";
type Call = { method: "GET" | "POST" | "PUT"; path: string; data?: unknown };
/** Expected HTTP status per role for a well-formed call that is allowed to fail on business rules (any 2xx/4xx not 401/403 counts as "allowed"). */
type Expect = Record<Role, 401 | 403 | "allowed">;

const ALL_SIGNED_IN: Expect = { anonymous: 401, client: "allowed", advisor: "allowed", admin: "allowed" };
const ADMIN_ONLY: Expect = { anonymous: 401, client: 403, advisor: 403, admin: "allowed" };
const ADVISOR_ONLY: Expect = { anonymous: 401, client: 403, advisor: "allowed", admin: 403 };

/** Route file (relative to app/api) → the calls that exercise it and who may make them. */
const ROUTES: Record<string, { calls: Call[]; expect: Expect }> = {
  "[...unknown]/route.ts": {
    calls: [{ method: "GET", path: "/api/no-such-route" }],
    expect: { anonymous: "allowed", client: "allowed", advisor: "allowed", admin: "allowed" },
  },
  "admin/billing/margin-analytics/csv/route.ts": {
    calls: [{ method: "GET", path: "/api/admin/billing/margin-analytics/csv" }],
    expect: ADMIN_ONLY,
  },
  "admin/billing/margin-analytics/exports/[id]/route.ts": {
    calls: [{ method: "GET", path: "/api/admin/billing/margin-analytics/exports/notarealid" }],
    expect: ADMIN_ONLY,
  },
  "admin/disputes/route.ts": { calls: [{ method: "GET", path: "/api/admin/disputes" }], expect: ADMIN_ONLY },
  "admin/sessions/route.ts": { calls: [{ method: "GET", path: "/api/admin/sessions" }], expect: ADMIN_ONLY },
  "admin/stats/route.ts": { calls: [{ method: "GET", path: "/api/admin/stats" }], expect: ADMIN_ONLY },
  "admin/payouts/health/route.ts": {
    calls: [{ method: "GET", path: "/api/admin/payouts/health" }],
    expect: ADMIN_ONLY,
  },
  "advisor/earnings/route.ts": { calls: [{ method: "GET", path: "/api/advisor/earnings" }], expect: ADVISOR_ONLY },
  "advisor/payouts/route.ts": {
    calls: [
      { method: "GET", path: "/api/advisor/payouts" },
      // Refused by validation (400) once past the role check: nothing is requested.
      { method: "POST", path: "/api/advisor/payouts", data: { amountCents: 1.5 } },
    ],
    expect: ADVISOR_ONLY,
  },
  "advisor/profile/route.ts": {
    calls: [
      { method: "GET", path: "/api/advisor/profile" },
      { method: "PUT", path: "/api/advisor/profile", data: { tagline: 7 } },
    ],
    // Anyone signed in may apply to become an advisor (lib/rolePermissions "advisor_application:manage_own").
    expect: ALL_SIGNED_IN,
  },
  "auth/local/sign-in/route.ts": {
    calls: [{ method: "POST", path: "/api/auth/local/sign-in", data: { subject: "no-such-demo" } }],
    expect: { anonymous: "allowed", client: "allowed", advisor: "allowed", admin: "allowed" },
  },
  "auth/local/sign-out/route.ts": {
    calls: [],
    expect: { anonymous: "allowed", client: "allowed", advisor: "allowed", admin: "allowed" },
  },
  "auth/local/token/route.ts": { calls: [{ method: "GET", path: "/api/auth/local/token" }], expect: ALL_SIGNED_IN },
  // A private verification document (owner or admin); an unknown id is a 404 past the role check.
  "documents/[id]/route.ts": { calls: [{ method: "GET", path: "/api/documents/notarealid" }], expect: ALL_SIGNED_IN },
  "me/route.ts": { calls: [{ method: "GET", path: "/api/me" }], expect: ALL_SIGNED_IN },
  "sessions/end/route.ts": {
    calls: [{ method: "POST", path: "/api/sessions/end", data: { sessionId: "notarealid" } }],
    expect: ALL_SIGNED_IN,
  },
  "sessions/pause/route.ts": {
    calls: [{ method: "POST", path: "/api/sessions/pause", data: { sessionId: "notarealid", action: "pause" } }],
    expect: ALL_SIGNED_IN,
  },
  // Anyone signed in may ring an advisor (advisors consult advisors; lib/rolePermissions "sessions:request").
  // A real, offline advisor: callers get past the role check and are refused on business rules (409); nothing rings.
  "sessions/start/route.ts": {
    calls: [
      {
        method: "POST",
        path: "/api/sessions/start",
        data: { advisorProfileId: "$OFFLINE_ADVISOR", kind: "chat", rateCentsPerMinute: 100 },
      },
    ],
    expect: ALL_SIGNED_IN,
  },
  "stream/token/route.ts": {
    calls: [{ method: "POST", path: "/api/stream/token", data: { sessionId: "notarealid" } }],
    expect: ALL_SIGNED_IN,
  },
};

function routeFiles(dir = path.join(process.cwd(), "app/api"), prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...routeFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`));
    else if (entry.name === "route.ts") out.push(`${prefix}route.ts`);
  }
  return out.sort();
}

async function send(
  request: APIRequestContext,
  call: Call,
  placeholders: Record<string, string>,
): Promise<APIResponse> {
  if (call.method === "GET") return await request.get(call.path);
  const data = JSON.parse(
    JSON.stringify(call.data ?? null, (_key, value: unknown) =>
      typeof value === "string" && value in placeholders ? placeholders[value] : value,
    ),
  ) as unknown;
  const options = { data, failOnStatusCode: false };
  return call.method === "POST" ? await request.post(call.path, options) : await request.put(call.path, options);
}

async function requestAs(
  browser: Browser,
  role: Role,
): Promise<{ request: APIRequestContext; close: () => Promise<void> }> {
  const context = await browser.newContext();
  if (role !== "anonymous") {
    const page = await context.newPage();
    await signInAs(page, role === "client" ? "demo-client" : role === "advisor" ? "demo-advisor-1" : "demo-admin");
  }
  return { request: context.request, close: () => context.close() };
}

test("every route file is in the coverage table, and every table entry is a real route", () => {
  expect(routeFiles()).toEqual(Object.keys(ROUTES).sort());
});

test("each route allows and refuses exactly the roles it should", async ({ browser }) => {
  test.setTimeout(180_000);
  const advisors = await new ConvexHttpClient(CONVEX_URL, { skipConvexDeploymentUrlCheck: true }).query(
    api.advisorProfiles.listApproved,
    {},
  );
  const offline = advisors.find((a) => !a.online);
  expect(offline, "the seed has offline advisors").toBeDefined();
  const placeholders = { $OFFLINE_ADVISOR: offline!._id };
  for (const role of ["anonymous", "client", "advisor", "admin"] as const) {
    const { request, close } = await requestAs(browser, role);
    try {
      for (const [file, { calls, expect: expected }] of Object.entries(ROUTES)) {
        for (const call of calls) {
          const response = await send(request, call, placeholders);
          const label = `${role} ${call.method} ${call.path} (${file})`;
          expect(response.status(), label).toBeLessThan(500);
          const want = expected[role];
          if (want === "allowed") expect([401, 403], label).not.toContain(response.status());
          else expect(response.status(), label).toBe(want);
          if (response.status() >= 400 && !call.path.endsWith("/csv")) {
            const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
            expect(typeof body.error?.code, label).toBe("string");
            expect(typeof body.error?.message, label).toBe("string");
          }
        }
      }
    } finally {
      await close();
    }
  }
});

/** Invalid JSON values for a field: wrong types, negative, zero, non-integer, huge, long strings, wrong-table ids. */
const badValue = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    -1,
    0,
    0.5,
    -0.01,
    1e21,
    Number.MAX_SAFE_INTEGER + 2,
    "",
    " ",
    "x".repeat(10_000),
    "../../etc",
    "NaN",
    [],
    {},
  ),
  fc.string({ maxLength: 40 }),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 2 }),
);

test("generated invalid bodies get a 4xx JSON error with a code and write nothing", async ({ browser }) => {
  test.setTimeout(240_000);
  const client = await requestAs(browser, "client");
  const advisor = await requestAs(browser, "advisor");
  try {
    const tokenOf = async (request: APIRequestContext) =>
      ((await (await request.get("/api/auth/local/token")).json()) as { token: string }).token;
    const convex = new ConvexHttpClient(CONVEX_URL, { skipConvexDeploymentUrlCheck: true });
    const snapshot = async () => {
      convex.setAuth(await tokenOf(client.request));
      const wallet = await convex.query(api.wallet.getMyWallet, {});
      const sessions = await convex.query(api.sessions.listMine, { paginationOpts: { numItems: 100, cursor: null } });
      const payouts = (await (await advisor.request.get("/api/advisor/payouts")).json()) as unknown;
      return JSON.stringify({ wallet, sessions: sessions.page.map((s) => [s._id, s.status]), payouts });
    };
    const before = await snapshot();
    const targets: { request: APIRequestContext; path: string; fields: string[] }[] = [
      {
        request: client.request,
        path: "/api/sessions/start",
        fields: ["advisorProfileId", "kind", "rateCentsPerMinute"],
      },
      { request: client.request, path: "/api/sessions/end", fields: ["sessionId"] },
      { request: client.request, path: "/api/sessions/pause", fields: ["sessionId", "action"] },
      { request: client.request, path: "/api/stream/token", fields: ["sessionId"] },
      { request: advisor.request, path: "/api/advisor/payouts", fields: ["amountCents"] },
    ];
    for (const target of targets) {
      await fc.assert(
        fc.asyncProperty(fc.record(Object.fromEntries(target.fields.map((f) => [f, badValue]))), async (body) => {
          const response = await target.request.post(target.path, { data: body });
          const status = response.status();
          expect(status, `${target.path} ${JSON.stringify(body).slice(0, 120)}`).toBeGreaterThanOrEqual(400);
          expect(status, `${target.path} ${JSON.stringify(body).slice(0, 120)}`).toBeLessThan(500);
          const error = ((await response.json()) as { error?: { code?: unknown } }).error;
          expect(typeof error?.code).toBe("string");
        }),
        { numRuns: 12, seed: 20261121 },
      );
    }
    // Bodies that are not JSON objects at all.
    for (const target of targets) {
      for (const raw of ["", "{", "[]", "null", "42", '"text"']) {
        const response = await target.request.post(target.path, {
          headers: { "content-type": "application/json" },
          data: Buffer.from(raw),
        });
        // Without Stream keys the token route answers 404 before reading the body (documented).
        const expected = target.path === "/api/stream/token" ? [400, 404] : [400];
        expect(expected, `${target.path} ${raw}`).toContain(response.status());
      }
    }
    expect(await snapshot()).toBe(before);
  } finally {
    await client.close();
    await advisor.close();
  }
});
