import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { advisorOnline, gotoUnlessThere, signInAs, signedInPage } from "./helpers";

// axe (WCAG 2 A + AA) on every main page; serious and critical violations fail the test.

async function expectAccessible(page: Page, label: string) {
  // Let live data (Convex subscriptions) render before scanning.
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await expect(page.locator("main").first()).toBeVisible();
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = blocking
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 8)
          .map((n) => `    ${n.target.join(" ")}\n      ${n.failureSummary?.replace(/\n/g, "\n      ") ?? ""}`)
          .join("\n"),
    )
    .join("\n");
  expect
    .soft(
      blocking.map((v) => v.id),
      `${label} (${page.url()}) has accessibility violations:\n${report}`,
    )
    .toEqual([]);
}

async function check(page: Page, paths: string[]) {
  for (const path of paths) {
    await test.step(path, async () => {
      // A page the sign-in just opened is scanned as it is.
      await gotoUnlessThere(page, path);
      await expectAccessible(page, path);
    });
  }
}

test("public pages", async ({ page }) => {
  await check(page, ["/", "/sign-in"]);
});

test("client pages", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, "demo-client");
  await check(page, ["/advisors"]);
  const profile = page.locator('a[href^="/advisors/"]').first();
  await expect(profile).toBeVisible();
  const href = await profile.getAttribute("href");
  await check(page, [href!, "/user-dashboard/wallet", "/user-dashboard/sessions", "/notifications"]);
});

test("advisor pages", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, "demo-advisor-1");
  await check(page, ["/advisor-dashboard", "/advisor-dashboard/earnings", "/advisor-dashboard/payouts"]);
});

test("admin pages", async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, "demo-admin");
  await check(page, [
    "/admin/dashboard",
    "/admin/users",
    "/admin/sessions",
    "/admin/disputes",
    "/admin/billing",
    "/admin/billing/ledger",
    "/admin/billing/reserve-monitoring",
    "/admin/alerts",
    "/admin/audit",
  ]);
});

/** Presses Tab until `match` (run in the page) holds for the focused element (keyboard only: no clicks). */
async function tabTo(page: Page, match: () => boolean, what: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(match)) return;
  }
  throw new Error(`${what} not reachable with Tab within ${max} presses`);
}

test("session room works with the keyboard alone", async ({ browser }) => {
  test.setTimeout(150_000);
  const advisor = await signedInPage(browser, "demo-advisor-2");
  const profileId = await advisorOnline(advisor);
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  await client.getByTestId("start-chat").click();
  await expect(advisor.getByTestId("incoming-request")).toBeVisible({ timeout: 30_000 });
  await advisor.getByTestId("accept-incoming").click();
  await expect(client.getByTestId("session-room")).toHaveAttribute("data-status", "active");
  await expect(client.getByTestId("chat-input")).toBeEnabled();

  // Start from the top of the page, then Tab to the message box, type, Enter sends.
  await client.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await client.locator("body").focus();
  await tabTo(client, () => document.activeElement?.getAttribute("data-testid") === "chat-input", "message box");
  await client.keyboard.type("Typed with the keyboard only.");
  await client.keyboard.press("Enter");
  await expect(advisor.getByTestId("chat-message").filter({ hasText: "Typed with the keyboard only." })).toBeVisible();
  await expect(client.getByTestId("chat-input")).toHaveValue("");

  // Tab to End, Enter opens the confirmation; Tab to "End session", Enter confirms.
  await tabTo(client, () => document.activeElement?.getAttribute("data-testid") === "end-session", "End button");
  await client.keyboard.press("Enter");
  const dialog = client.getByRole("alertdialog").or(client.getByRole("dialog"));
  await expect(dialog).toBeVisible();
  await tabTo(
    client,
    () => document.activeElement?.tagName === "BUTTON" && document.activeElement.textContent?.trim() === "End session",
    "End session confirmation",
    10,
  );
  await client.keyboard.press("Enter");
  await expect(client.getByTestId("receipt")).toBeVisible({ timeout: 30_000 });
  await advisor.context().close();
  await client.context().close();
});
