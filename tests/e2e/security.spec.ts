import { expect, test, type Page } from "@playwright/test";
import { signedInPage } from "./helpers";

// Issue 20: a suspended user loses the app and the API (their status stays readable) and their local sign-in
// token is no longer renewed; the sign-in redirect only follows same-origin paths.

async function createAccount(page: Page, name: string, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/advisors");
}

test("a suspended user sees only their status; the API refuses them and their token is not renewed", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const stamp = Date.now().toString(36);
  const email = `sam+${stamp}@example.test`;
  const user = await (await browser.newContext()).newPage();
  await createAccount(user, `Sam Suspend ${stamp}`, email);
  expect((await user.request.get("/api/advisor/profile")).status()).toBe(200);

  const admin = await signedInPage(browser, "demo-admin", `/admin/users?q=${encodeURIComponent(email)}`);
  const row = admin.locator(`[data-testid="user-row"][data-email="${email}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.getByTestId("user-suspend").click();
  await admin.getByTestId("user-action-reason").fill("E2E suspension of a throwaway account");
  await admin.getByTestId("user-action-submit").click();
  await expect(row).toHaveAttribute("data-status", "suspended");

  // Every page shows the status instead of the app.
  await user.goto("/wallet");
  await expect(user.getByTestId("account-suspended")).toBeVisible();
  await expect(user.getByRole("heading", { name: "Your account is suspended" })).toBeVisible();
  // The API: their own status yes, anything else SUSPENDED.
  const me = await user.request.get("/api/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).user.status).toBe("suspended");
  const profile = await user.request.get("/api/advisor/profile");
  expect(profile.status()).toBe(403);
  expect((await profile.json()).error.code).toBe("SUSPENDED");
  // The token is not renewed, even when asked to: it ends with its lifetime.
  const cookie = (await user.context().cookies()).find((c) => c.name === "am_session")!;
  const refreshed = await user.request.get("/api/auth/local/token?refresh=1");
  expect(refreshed.status()).toBe(200);
  expect((await refreshed.json()).token).toBe(cookie.value);
});

test("the sign-in redirect follows only same-origin paths", async ({ page }) => {
  for (const next of [
    "/\\evil.example",
    "//evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/%09/evil.example",
  ]) {
    await page.context().clearCookies();
    await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByTestId("demo-demo-client").click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    expect(new URL(page.url()).hostname, next).toBe("localhost");
  }
});
