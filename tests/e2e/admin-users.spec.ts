import { expect, test, type Page } from "@playwright/test";
import { gotoUnlessThere, signInAs, signedInPage, switchUser } from "./helpers";

// Admin users console: search, suspend with a reason (shown on the row, the detail page and the audit log),
// reinstate; clients and advisors are refused; credit limits are set with a reason. Every change is undone at
// the end, since other specs share the seeded database.

const CLIENT_EMAIL = "casey@demo.test";
const CLIENT_2_EMAIL = "jordan@demo.test";

/** Reinstates the demo client if a failed run left them suspended. */
async function ensureReinstated(admin: Page) {
  await admin.goto(`/admin/users?q=${encodeURIComponent(CLIENT_EMAIL)}`);
  const row = admin.locator(`[data-testid="user-row"][data-email="${CLIENT_EMAIL}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  if ((await row.getAttribute("data-status")) !== "suspended") return;
  await row.getByTestId("user-reinstate").click();
  await admin.getByTestId("user-action-reason").fill("E2E cleanup");
  await admin.getByTestId("user-action-submit").click();
  await expect(row).toHaveAttribute("data-status", "active");
}

test("an admin suspends the demo client with a reason, sees it in the audit log, and reinstates them", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const admin = await signedInPage(browser, "demo-admin", "/admin/users");
  const reason = `E2E suspension check ${Date.now()}`;
  try {
    // Search by name; the filters live in the URL.
    await expect(admin.getByRole("heading", { name: "Users" })).toBeVisible({ timeout: 60_000 });
    await admin.getByTestId("user-search").fill("Casey");
    await expect(admin).toHaveURL(/q=Casey/);
    const row = admin.locator(`[data-testid="user-row"][data-email="${CLIENT_EMAIL}"]`);
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute("data-status", "active");

    // Suspend: a reason is required before confirming.
    await row.getByTestId("user-suspend").click();
    await admin.getByTestId("user-action-submit").click();
    await expect(admin.getByText(/Give a reason/)).toBeVisible();
    await admin.getByTestId("user-action-reason").fill(reason);
    await admin.getByTestId("user-action-submit").click();
    await expect(row).toHaveAttribute("data-status", "suspended");
    await expect(row.getByTestId("user-status-reason")).toContainText(reason);

    // The status filter from a link shows them.
    await admin.goto("/admin/users?role=client&status=suspended");
    await expect(admin.getByTestId("user-role-filter")).toHaveValue("client");
    await expect(admin.getByTestId("user-status-filter")).toHaveValue("suspended");
    await expect(admin.locator(`[data-testid="user-row"][data-email="${CLIENT_EMAIL}"]`)).toBeVisible();

    // The detail page shows the suspension and its audit trail, and links to the wallet.
    await admin.locator(`[data-testid="user-row"][data-email="${CLIENT_EMAIL}"]`).getByTestId("user-link").click();
    const detail = admin.getByTestId("admin-user-detail");
    // First visit compiles the page in dev: allow for it.
    await expect(detail).toHaveAttribute("data-status", "suspended", { timeout: 90_000 });
    await expect(admin.getByTestId("admin-user-audit")).toContainText(reason);
    await expect(admin.getByTestId("admin-user-wallet-link")).toHaveAttribute(
      "href",
      /\/admin\/users\/[a-z0-9]+\/wallet$/,
    );
    const detailUrl = admin.url();

    // The audit log shows the action with actor and reason.
    await admin.goto("/admin/audit?action=user.suspended");
    await expect(admin.getByTestId("audit-action-filter")).toHaveValue("user.suspended", { timeout: 90_000 });
    const entry = admin.getByTestId("audit-row").filter({ hasText: reason });
    await expect(entry).toBeVisible();
    await expect(entry.getByTestId("audit-actor")).not.toHaveText("System");
    await expect(entry.getByTestId("audit-changes")).toContainText("suspended");
    // Append-only: no edit or delete controls.
    await expect(entry.getByRole("button")).toHaveCount(0);

    // Reinstate from the detail page.
    await admin.goto(detailUrl);
    await admin.getByTestId("user-reinstate").click();
    await admin.getByTestId("user-action-reason").fill("E2E check finished");
    await admin.getByTestId("user-action-submit").click();
    await expect(detail).toHaveAttribute("data-status", "active");
    await expect(admin.getByTestId("admin-user-audit")).toContainText("E2E check finished");
  } finally {
    await ensureReinstated(admin);
  }
});

test("a client and an advisor are refused the users, audit and credit-limit pages", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, "demo-client", "/admin/users");
  for (const path of ["/admin/users", "/admin/audit"]) {
    await gotoUnlessThere(page, path);
    await expect(page.getByTestId("not-allowed")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  }
  await switchUser(page, "demo-advisor-2", "/admin/users");
  for (const path of ["/admin/users", "/admin/audit", "/admin/billing/credit-limits"]) {
    await gotoUnlessThere(page, path);
    await expect(page.getByTestId("not-allowed")).toBeVisible();
  }
});

test("an admin sets a credit limit for a client and changes it back", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await signedInPage(browser, "demo-admin", "/admin/billing/credit-limits");
  await expect(admin.getByRole("heading", { name: "Credit limits" })).toBeVisible({ timeout: 60_000 });
  await expect(admin.getByTestId("credit-limit-totals")).toBeVisible();
  const row = admin.locator(`[data-testid="credit-limit-row"][data-email="${CLIENT_2_EMAIL}"]`);
  // What the limit was before (none unless a previous run left one), to restore it at the end.
  const before =
    (await row.count()) > 0 ? (await row.getByTestId("credit-limit-value").innerText()).replace(/[$,]/g, "") : "0";

  try {
    await admin.getByTestId("credit-limit-search").fill("Jordan");
    const result = admin.locator(`[data-testid="credit-limit-search-row"][data-email="${CLIENT_2_EMAIL}"]`);
    await result.getByTestId("credit-limit-change").click();
    // A bad amount is refused in plain words before anything is saved.
    await admin.getByTestId("credit-limit-amount").fill("1e3");
    await admin.getByTestId("credit-limit-reason").fill("E2E credit check");
    await admin.getByTestId("credit-limit-submit").click();
    await expect(admin.getByText(/no exponents/)).toBeVisible();
    await admin.getByTestId("credit-limit-amount").fill("25.00");
    await admin.getByTestId("credit-limit-submit").click();
    await expect(row).toBeVisible();
    await expect(row.getByTestId("credit-limit-value")).toHaveText("$25.00");
    await expect(row).toHaveAttribute("data-state", /ok|near|over/);

    // The change is in the audit log with before/after and the reason.
    await admin.goto("/admin/audit?action=wallet.");
    const entry = admin.getByTestId("audit-row").filter({ hasText: "E2E credit check" }).first();
    await expect(entry).toBeVisible();
    await expect(entry.getByTestId("audit-changes")).toContainText("$25.00");
  } finally {
    // Put the limit back as it was.
    await admin.goto("/admin/billing/credit-limits");
    await expect(admin.getByTestId("credit-limit-totals")).toBeVisible({ timeout: 30_000 });
    if (
      (await row.count()) > 0 &&
      before !== (await row.getByTestId("credit-limit-value").innerText()).replace(/[$,]/g, "")
    ) {
      await row.getByTestId("credit-limit-change").click();
      await admin.getByTestId("credit-limit-amount").fill(before);
      await admin.getByTestId("credit-limit-reason").fill("E2E cleanup");
      await admin.getByTestId("credit-limit-submit").click();
      if (Number(before) === 0) await expect(row).toHaveCount(0);
      else await expect(row.getByTestId("credit-limit-value")).toHaveText(`$${before}`);
    }
  }
});
