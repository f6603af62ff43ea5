import { expect, test } from "@playwright/test";
import { mainNavLabels, signInAs, switchUser } from "./helpers";

test.describe("sign in and role-aware navigation", () => {
  const cases = [
    { subject: "demo-client", home: "/advisors", nav: ["Advisors", "Wallet", "Sessions", "Messages"], role: "Client" },
    {
      subject: "demo-advisor-1",
      home: "/advisor-dashboard",
      nav: ["Dashboard", "Earnings", "Payouts", "Profile", "Messages", "Reviews"],
      role: "Advisor",
    },
    {
      subject: "demo-admin",
      home: "/admin/dashboard",
      nav: ["Dashboard", "Disputes", "Sessions", "Users", "Billing", "Alerts", "Moderation"],
      role: "Admin",
    },
  ];
  for (const { subject, home, nav, role } of cases) {
    test(`${subject} lands on ${home} with the ${role} navigation`, async ({ page }) => {
      // The demo button itself (other specs sign in through the same API without loading /sign-in).
      await page.goto("/sign-in");
      await page.getByTestId(`demo-${subject}`).click();
      await expect(page).toHaveURL(new RegExp(`${home}$`));
      await expect(page.getByTestId("user-menu")).toBeVisible();
      expect(await mainNavLabels(page)).toEqual(nav);
      await page.getByTestId("user-menu").click();
      await expect(page.getByTestId("viewer-role")).toHaveText(role);
    });
  }
});

test("a client is refused an admin page with a clear message", async ({ page }) => {
  await signInAs(page, "demo-client", "/admin/dashboard");
  await expect(page.getByTestId("not-allowed")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});

test("an advisor is refused the admin area and a client the advisor area", async ({ page }) => {
  await signInAs(page, "demo-advisor-2", "/admin/users");
  await expect(page.getByTestId("not-allowed")).toBeVisible();
  await switchUser(page, "demo-client-2", "/advisor-dashboard/earnings");
  await expect(page.getByTestId("not-allowed")).toBeVisible();
});

test("sign out ends the session", async ({ page }) => {
  await signInAs(page, "demo-client");
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: /sign out/i }).click();
  await page.waitForURL("/");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/sessions");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsessions/);
});

test("signed-out visitors of protected pages are sent to sign-in and back", async ({ page }) => {
  await page.goto("/sessions");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsessions/);
  await page.getByTestId("demo-demo-client").click();
  await page.waitForURL("**/sessions");
  await expect(page.getByRole("heading", { name: "Your sessions" })).toBeVisible();
  await expect(page.getByTestId("session-row").first()).toBeVisible();
});

test("creating an account signs in a new client", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name (at least 2 characters).")).toBeVisible();
  await page.getByLabel("Name").fill("Robin Tester");
  await page.getByLabel("Email").fill(`robin+${Date.now()}@example.test`);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/advisors");
  expect(await mainNavLabels(page)).toEqual(["Advisors", "Wallet", "Sessions", "Messages"]);
});

test("a tampered auth cookie signs the user out cleanly", async ({ page, context }) => {
  await signInAs(page, "demo-client");
  const cookie = (await context.cookies()).find((c) => c.name === "am_session");
  expect(cookie).toBeDefined();
  // Leave the app first: an in-flight token refresh from the open page could otherwise re-mint a valid cookie.
  await page.goto("about:blank");
  await context.addCookies([{ ...cookie!, value: `${cookie!.value.slice(0, -4)}AAAA` }]);
  await page.goto("/sessions");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsessions&reason=expired/);
  await expect(page.getByText("Your session ended. Please sign in again.")).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === "am_session")).toBeUndefined();
});

test("when a background request clears a bad cookie first, the next page still explains", async ({ page, context }) => {
  await signInAs(page, "demo-client");
  const cookie = (await context.cookies()).find((c) => c.name === "am_session");
  await page.goto("about:blank");
  await context.addCookies([{ ...cookie!, value: `${cookie!.value.slice(0, -4)}AAAA` }]);
  // What a token refresh or a link prefetch does in the background before the user navigates.
  const token = await page.request.get("/api/auth/local/token");
  expect(token.status()).toBe(401);
  expect((await context.cookies()).find((c) => c.name === "am_session")).toBeUndefined();
  await page.goto("/sessions");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsessions&reason=expired/);
  await expect(page.getByText("Your session ended. Please sign in again.")).toBeVisible();
  // Signing in again forgets it: a later sign-out is an ordinary one.
  await signInAs(page, "demo-client");
  expect((await context.cookies()).find((c) => c.name === "am_session_ended")).toBeUndefined();
});

test("unknown pages get a real 404", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
});

test("API routes answer 401, 403 and 404 with JSON errors", async ({ page, request }) => {
  const anonymous = await request.get("/api/me");
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("UNAUTHENTICATED");

  const unknown = await request.get("/api/does-not-exist");
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe("NOT_FOUND");

  await signInAs(page, "demo-client");
  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).user.role).toBe("client");
  const forbidden = await page.request.get("/api/admin/stats");
  expect(forbidden.status()).toBe(403);
  expect((await forbidden.json()).error.code).toBe("FORBIDDEN");

  const badSignIn = await page.request.post("/api/auth/local/sign-in", { data: { email: "nope" } });
  expect(badSignIn.status()).toBe(400);
  expect((await badSignIn.json()).error.code).toBe("INVALID_ARGUMENT");
});

test("admins can read the admin API", async ({ page }) => {
  await signInAs(page, "demo-admin");
  const stats = await page.request.get("/api/admin/stats");
  expect(stats.status()).toBe(200);
  // At least the 20 seeded advisors (other specs may have approved more on the same data).
  const { overview } = await stats.json();
  expect(overview.advisors).toBeGreaterThanOrEqual(20);
  expect(overview.clients).toBeGreaterThanOrEqual(2);
});

test("local sign-in is rate limited per client and account: 429 with Retry-After and a plain message", async ({
  request,
}) => {
  const email = `limit+${Date.now()}@example.test`;
  const statuses: number[] = [];
  let limited: Awaited<ReturnType<typeof request.post>> | null = null;
  for (let attempt = 0; attempt < 31 && limited === null; attempt++) {
    const response = await request.post("/api/auth/local/sign-in", { data: { name: "Rate Limit", email } });
    statuses.push(response.status());
    if (response.status() === 429) limited = response;
  }
  expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
  expect(limited).not.toBeNull();
  expect(Number(limited!.headers()["retry-after"])).toBeGreaterThan(0);
  const { error } = (await limited!.json()) as { error: { code: string; message: string; retryAfterMs: number } };
  expect(error.code).toBe("RATE_LIMITED");
  expect(error.retryAfterMs).toBeGreaterThan(0);
  expect(error.message).toMatch(/try again/i);
});
