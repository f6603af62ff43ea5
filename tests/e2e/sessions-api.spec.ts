import { expect, test, type APIResponse, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ConvexHttpClient } from "convex/browser";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { signInAs } from "./helpers";

// The session API routes (/api/sessions/start|end|pause) against the real stack. There is no accept route
// (the advisor answers in the app), so the advisor's side is driven the way the advisor's browser does it:
// the Convex client with the advisor's own access token.

const PORT = Number(process.env.E2E_PORT ?? 3100);
const CONVEX_URL = `http://127.0.0.1:${PORT + 210}`;
const ADVISOR = "demo-advisor-2";

type ErrorBody = { error: { code: string; message: string } };

async function errorOf(response: APIResponse): Promise<ErrorBody["error"]> {
  return ((await response.json()) as ErrorBody).error;
}

/** The Convex client a signed-in page's browser uses (same token the API routes forward). */
async function convexAs(page: Page): Promise<ConvexHttpClient> {
  const response = await page.request.get("/api/auth/local/token");
  expect(response.status()).toBe(200);
  const { token } = (await response.json()) as { token: string };
  const client = new ConvexHttpClient(CONVEX_URL, { skipConvexDeploymentUrlCheck: true });
  client.setAuth(token);
  return client;
}

type Advisor = {
  context: BrowserContext;
  page: Page;
  profileId: string;
  rateCentsPerMinute: number;
  convex: ConvexHttpClient;
};

/** Signs the advisor in (second browser), makes sure they are online, and returns their profile id. */
async function onlineAdvisor(browser: Browser): Promise<Advisor> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, ADVISOR);
  const toggle = page.getByTestId("availability-toggle");
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute("data-availability")) !== "online") {
    await toggle.click();
    await page.getByRole("menuitemradio", { name: /Online/ }).click();
    await expect(toggle).toHaveAttribute("data-availability", "online");
  }
  const profile = await page.request.get("/api/advisor/profile");
  expect(profile.status()).toBe(200);
  const { profile: mine } = (await profile.json()) as { profile: { _id: string; chatRateCentsPerMinute: number } };
  return {
    context,
    page,
    profileId: mine._id,
    rateCentsPerMinute: mine.chatRateCentsPerMinute,
    convex: await convexAs(page),
  };
}

/** A brand-new client account (empty wallet), signed in on `page`. */
async function newClient(page: Page, label: string) {
  const response = await page.request.post("/api/auth/local/sign-in", {
    data: { name: `Sessions ${label}`, email: `sessions-${label}+${Date.now()}@example.test` },
  });
  expect(response.status()).toBe(200);
}

test("signed out: every session route answers 401 as JSON", async ({ request }) => {
  for (const [path, data] of [
    ["/api/sessions/start", { advisorProfileId: "x", kind: "chat" }],
    ["/api/sessions/end", { sessionId: "x" }],
    ["/api/sessions/pause", { sessionId: "x" }],
  ] as const) {
    const response = await request.post(path, { data });
    expect(response.status(), path).toBe(401);
    expect((await errorOf(response)).code).toBe("UNAUTHENTICATED");
  }
});

test("bad bodies are 400 with a plain message and write nothing; unknown and other people's sessions are 404", async ({
  page,
  browser,
}) => {
  await signInAs(page, "demo-client");
  const before = await (
    await convexAs(page)
  ).query(api.sessions.listMine, { paginationOpts: { numItems: 50, cursor: null } });

  const notJson = await page.request.post("/api/sessions/start", {
    headers: { "content-type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(notJson.status()).toBe(400);
  expect(await errorOf(notJson)).toEqual({ code: "INVALID_ARGUMENT", message: "Send a JSON body." });

  const notObject = await page.request.post("/api/sessions/end", { data: ["sessionId"] });
  expect(notObject.status()).toBe(400);
  expect(await errorOf(notObject)).toEqual({ code: "INVALID_ARGUMENT", message: "Send a JSON object." });

  const missing = await page.request.post("/api/sessions/start", { data: { kind: "chat" } });
  expect(missing.status()).toBe(400);
  expect((await errorOf(missing)).message).toBe("advisorProfileId is required.");

  const badKind = await page.request.post("/api/sessions/start", { data: { advisorProfileId: "abc", kind: "phone" } });
  expect(badKind.status()).toBe(400);
  expect((await errorOf(badKind)).message).toBe('kind must be "chat" or "video".');

  const badAction = await page.request.post("/api/sessions/pause", { data: { sessionId: "abc", action: "stop" } });
  expect(badAction.status()).toBe(400);
  expect((await errorOf(badAction)).message).toBe('action must be "pause" or "resume".');

  const punctuation = await page.request.post("/api/sessions/end", { data: { sessionId: "../../x" } });
  expect(punctuation.status()).toBe(400);
  expect((await errorOf(punctuation)).message).toBe("sessionId is not a valid id.");

  // Well-formed strings that Convex's validators refuse (not an id of that table): 400, not 500.
  for (const [path, data] of [
    ["/api/sessions/start", { advisorProfileId: "notarealid", kind: "chat", rateCentsPerMinute: 100 }],
    ["/api/sessions/end", { sessionId: "notarealid" }],
    ["/api/sessions/pause", { sessionId: "notarealid", action: "resume" }],
  ] as const) {
    const response = await page.request.post(path, { data });
    expect(response.status(), path).toBe(400);
    expect(await errorOf(response)).toEqual({ code: "INVALID_ARGUMENT", message: "That id is not valid." });
  }

  // An id of the wrong table is refused the same way: a session id is not an advisor profile id.
  const advisor = await onlineAdvisor(browser);
  try {
    const wrongTable = await page.request.post("/api/sessions/end", { data: { sessionId: advisor.profileId } });
    expect(wrongTable.status()).toBe(400);
    expect((await errorOf(wrongTable)).code).toBe("INVALID_ARGUMENT");

    // Someone else's session: a second client rings the advisor; demo-client cannot see, end or pause it.
    const otherContext = await browser.newContext();
    try {
      const other = await otherContext.newPage();
      await signInAs(other, "demo-client-2");
      const started = await other.request.post("/api/sessions/start", {
        data: { advisorProfileId: advisor.profileId, kind: "chat", rateCentsPerMinute: advisor.rateCentsPerMinute },
      });
      // demo-client-2 has $8.00: enough for 3 minutes at the advisor's $2.50/min.
      expect(started.status()).toBe(201);
      const { sessionId } = (await started.json()) as { sessionId: string };
      try {
        for (const path of ["/api/sessions/end", "/api/sessions/pause"]) {
          const response = await page.request.post(path, { data: { sessionId } });
          expect(response.status(), path).toBe(404);
          expect((await errorOf(response)).code).toBe("NOT_FOUND");
        }
        // A well-formed session id that names no session (the local backend's ids are <counter><table>).
        const unknown = sessionId.replace(/^\d+/, (digits) => "9".repeat(digits.length));
        if (unknown !== sessionId) {
          const response = await page.request.post("/api/sessions/end", { data: { sessionId: unknown } });
          expect(response.status()).toBe(404);
          expect((await errorOf(response)).code).toBe("NOT_FOUND");
        }
      } finally {
        await (await convexAs(other)).mutation(api.sessions.cancel, { sessionId: sessionId as Id<"sessions"> });
      }
    } finally {
      await otherContext.close();
    }
  } finally {
    await advisor.context.close();
  }

  // Nothing above wrote a session for demo-client.
  const after = await (
    await convexAs(page)
  ).query(api.sessions.listMine, { paginationOpts: { numItems: 50, cursor: null } });
  expect(after.page.map((s) => s._id)).toEqual(before.page.map((s) => s._id));
});

test("a new client with an empty wallet gets 402 INSUFFICIENT_FUNDS", async ({ page, browser }) => {
  const advisor = await onlineAdvisor(browser);
  try {
    await newClient(page, "empty");
    const response = await page.request.post("/api/sessions/start", {
      data: { advisorProfileId: advisor.profileId, kind: "chat", rateCentsPerMinute: advisor.rateCentsPerMinute },
    });
    expect(response.status()).toBe(402);
    const error = await errorOf(response);
    expect(error.code).toBe("INSUFFICIENT_FUNDS");
    expect(error.message).toMatch(/You need at least \$\d+\.\d{2} \(3 minutes at this rate\) to start/);
    const mine = await (await convexAs(page)).query(api.sessions.current, {});
    expect(mine).toBeNull();
  } finally {
    await advisor.context.close();
  }
});

test("start → 409 while ringing → advisor accepts → pause/resume → end, and ending again returns the same numbers", async ({
  page,
  browser,
}) => {
  const advisor = await onlineAdvisor(browser);
  let sessionId: string | null = null;
  try {
    await signInAs(page, "demo-client");
    const start = await page.request.post("/api/sessions/start", {
      data: { advisorProfileId: advisor.profileId, kind: "chat", rateCentsPerMinute: advisor.rateCentsPerMinute },
    });
    expect(start.status()).toBe(201);
    const started = (await start.json()) as { sessionId: string; status: string };
    sessionId = started.sessionId;
    expect(started.status).toBe("requested");
    expect(sessionId).toMatch(/^[A-Za-z0-9_]+$/);

    // A second start while one is open: 409.
    const again = await page.request.post("/api/sessions/start", {
      data: { advisorProfileId: advisor.profileId, kind: "chat", rateCentsPerMinute: advisor.rateCentsPerMinute },
    });
    expect(again.status()).toBe(409);
    expect((await errorOf(again)).code).toBe("CONFLICT");

    // Still ringing: nothing to end or pause yet.
    const endRinging = await page.request.post("/api/sessions/end", { data: { sessionId } });
    expect(endRinging.status()).toBe(409);
    expect(await errorOf(endRinging)).toEqual({
      code: "CONFLICT",
      message: "This session has not started yet. Cancel or decline the request instead.",
    });
    const pauseRinging = await page.request.post("/api/sessions/pause", { data: { sessionId } });
    expect(pauseRinging.status()).toBe(409);
    expect((await errorOf(pauseRinging)).code).toBe("CONFLICT");

    // The advisor answers (their app calls sessions:accept).
    await advisor.convex.mutation(api.sessions.accept, { sessionId: sessionId as Id<"sessions"> });

    const pause = await page.request.post("/api/sessions/pause", { data: { sessionId } });
    expect(pause.status()).toBe(200);
    expect(await pause.json()).toEqual({ sessionId, status: "paused" });
    const pauseTwice = await page.request.post("/api/sessions/pause", { data: { sessionId } });
    expect(pauseTwice.status()).toBe(409);

    // Resume needs both sides present: the advisor's room heart-beats.
    await advisor.convex.mutation(api.sessions.heartbeat, { sessionId: sessionId as Id<"sessions"> });
    const resume = await page.request.post("/api/sessions/pause", { data: { sessionId, action: "resume" } });
    expect(resume.status()).toBe(200);
    expect(await resume.json()).toEqual({ sessionId, status: "active" });

    await page.waitForTimeout(2_200);
    const end = await page.request.post("/api/sessions/end", { data: { sessionId } });
    expect(end.status()).toBe(200);
    const settled = (await end.json()) as { sessionId: string; billableSeconds: number; costCents: number };
    expect(settled.sessionId).toBe(sessionId);
    expect(settled.billableSeconds).toBeGreaterThanOrEqual(2);
    expect(Number.isInteger(settled.costCents)).toBe(true);
    const receipt = await (
      await convexAs(page)
    ).query(api.sessions.receipt, { sessionId: sessionId as Id<"sessions"> });
    expect({ billableSeconds: receipt.billableSeconds, costCents: receipt.costCents }).toEqual({
      billableSeconds: settled.billableSeconds,
      costCents: settled.costCents,
    });

    // Idempotent: ending again (either side) returns the same settlement, not an error.
    await page.waitForTimeout(1_100);
    const endAgain = await page.request.post("/api/sessions/end", { data: { sessionId } });
    expect(endAgain.status()).toBe(200);
    expect(await endAgain.json()).toEqual(settled);
    const advisorEnd = await advisor.page.request.post("/api/sessions/end", { data: { sessionId } });
    expect(advisorEnd.status()).toBe(200);
    expect(await advisorEnd.json()).toEqual(settled);

    // Ended: pause and resume are conflicts now.
    const pauseEnded = await page.request.post("/api/sessions/pause", { data: { sessionId } });
    expect(pauseEnded.status()).toBe(409);
    sessionId = null;
  } finally {
    // Leave nothing ringing or running for other specs.
    if (sessionId !== null) {
      const client = await convexAs(page);
      const room = await client.query(api.sessions.room, { sessionId: sessionId as Id<"sessions"> }).catch(() => null);
      if (room?.status === "requested")
        await client.mutation(api.sessions.cancel, { sessionId: sessionId as Id<"sessions"> });
      else if (room?.status === "active" || room?.status === "paused")
        await client.mutation(api.sessions.end, { sessionId: sessionId as Id<"sessions"> });
    }
    await advisor.context.close();
  }
});

test("the 11th session request within a minute is 429 RATE_LIMITED with Retry-After, and writes nothing", async ({
  page,
  browser,
}) => {
  const advisor = await onlineAdvisor(browser);
  try {
    // A new client, funded through the real top-up path (checkout → hosted pay page → webhook), so the demo
    // accounts' request budget stays untouched for other specs.
    await newClient(page, "limit");
    const convex = await convexAs(page);
    const { url: payUrl } = await convex.action(api.stripeNode.createTopUpCheckout, { amount: "20.00" });
    const paid = await page.request.post(payUrl, {
      form: { number: "4242 4242 4242 4242", expiry: "12 / 34", cvc: "123", name: "Rate Limit" },
      maxRedirects: 0,
    });
    expect(paid.status()).toBe(303);
    await expect
      .poll(async () => (await convex.query(api.wallet.getMyWallet, {})).balanceCents, { timeout: 20_000 })
      .toBe(2000);

    // Ten requests in a row are fine (each declined by the advisor while ringing, so the next one may start; the
    // client's own repeated cancels to one advisor would hit the busy-lock cooldown first).
    for (let i = 0; i < 10; i++) {
      const start = await page.request.post("/api/sessions/start", {
        data: { advisorProfileId: advisor.profileId, kind: "chat", rateCentsPerMinute: advisor.rateCentsPerMinute },
      });
      expect(start.status(), `request ${i + 1}`).toBe(201);
      const { sessionId } = (await start.json()) as { sessionId: string };
      await advisor.convex.mutation(api.sessions.decline, { sessionId: sessionId as Id<"sessions"> });
    }
    const before = await convex.query(api.sessions.listMine, { paginationOpts: { numItems: 50, cursor: null } });
    expect(before.page).toHaveLength(10);

    const limited = await page.request.post("/api/sessions/start", {
      data: { advisorProfileId: advisor.profileId, kind: "chat", rateCentsPerMinute: advisor.rateCentsPerMinute },
    });
    expect(limited.status()).toBe(429);
    const retryAfterSeconds = Number(limited.headers()["retry-after"]);
    expect(Number.isInteger(retryAfterSeconds)).toBe(true);
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    const body = (await limited.json()) as { error: { code: string; message: string; retryAfterMs: number } };
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(body.error.message).toMatch(/^Too many session requests in a short time\. Try again in \d+ seconds?\.$/);
    expect(Math.ceil(body.error.retryAfterMs / 1000)).toBe(retryAfterSeconds);

    // Refused before anything was written: no new session, the wallet untouched.
    const after = await convex.query(api.sessions.listMine, { paginationOpts: { numItems: 50, cursor: null } });
    expect(after.page.map((s) => s._id)).toEqual(before.page.map((s) => s._id));
    expect((await convex.query(api.wallet.getMyWallet, {})).balanceCents).toBe(2000);
    expect(await convex.query(api.sessions.current, {})).toBeNull();
  } finally {
    await advisor.context.close();
  }
});
