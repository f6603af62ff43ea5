import { expect, test, type Page } from "@playwright/test";
import { cents, headerBalance, signedInPage } from "./helpers";

// Issue 19: the ledger closes against the (local) processor. After a $50.00 card top-up the processor keeps
// $48.25 (2.9% + 30¢); the app books the $1.75 fee from the balance transaction, so the admin's reconciliation
// shows $0.00 drift and margin analytics show the processor fee.

test("after a top-up the admin sees the fee in margin analytics and reconciliation at $0.00 drift", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const client = await signedInPage(browser, "demo-client", "/user-dashboard/wallet");
  // The admin signs in after the top-up, straight onto margin analytics.
  const pages: Page[] = [client];
  try {
    const before = await headerBalance(client);
    await client.getByTestId("topup-preset-50").click();
    await client.getByTestId("topup-continue").click();
    await client.getByTestId("topup-confirm").click();
    await client.waitForURL(/\/pay\/cs_test_/);
    await client.getByLabel("Card number").fill("4242 4242 4242 4242");
    await client.getByLabel("Expiry (MM / YY)").fill("12 / 34");
    await client.getByLabel("CVC").fill("123");
    await client.getByRole("button", { name: /^Pay \$/ }).click();
    await client.waitForURL(/\/user-dashboard\/wallet\?topup=.*checkout=success/);
    // The wallet gets the full $50.00; the fee is the platform's cost.
    await expect.poll(() => headerBalance(client), { timeout: 30_000 }).toBe(before + 5000);

    const admin = await signedInPage(browser, "demo-admin", "/admin/billing/margin-analytics");
    pages.push(admin);
    await expect
      .poll(async () => cents(await admin.getByTestId("margin-total-processor-fees").innerText()), { timeout: 60_000 })
      .toBe(175);

    await admin.goto("/admin/billing/reserve-monitoring", { timeout: 90_000 });
    const result = admin.getByTestId("reconcile-result");
    // The fee journal follows the credit within moments (the fee reader runs after the webhook): reconcile until it has.
    await expect(async () => {
      await admin.getByTestId("reconcile-now").click();
      await expect(result).toContainText("Reconciled: drift $0.00", { timeout: 10_000 });
    }).toPass({ timeout: 90_000 });
  } finally {
    for (const page of pages) await page.context().close();
  }
});
