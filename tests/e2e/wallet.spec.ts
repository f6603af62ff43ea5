import { expect, test, type Page } from "@playwright/test";
import { cents, headerBalance, signInAs } from "./helpers";

// Top-ups through the local Stripe-compatible processor's hosted checkout page.

async function payOnCheckout(page: Page, card: string) {
  await page.waitForURL(/\/pay\/cs_test_/);
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay \$/ }).click();
}

test.describe("wallet top-ups", () => {
  test("top up $50 with 4242: the header and wallet balances change live", async ({ page }) => {
    await signInAs(page, "demo-client", "/user-dashboard/wallet");
    const before = await headerBalance(page);
    await page.getByTestId("topup-preset-50").click();
    await page.getByTestId("topup-continue").click();
    await expect(page.getByText("Add $50.00 to your wallet?")).toBeVisible();
    await page.getByTestId("topup-confirm").click();
    await expect(page.getByTestId("checkout-amount")).toHaveText("$50.00");
    await payOnCheckout(page, "4242 4242 4242 4242");
    await page.waitForURL(/\/user-dashboard\/wallet\?topup=.*checkout=success/);
    await expect(page.getByTestId("checkout-return")).toContainText("$50.00 was added to your wallet.");
    await expect.poll(() => headerBalance(page)).toBe(before + 5000);
    await expect.poll(async () => cents(await page.getByTestId("wallet-balance-card").innerText())).toBe(before + 5000);
    await expect(page.getByTestId("wallet-history").getByText("Top-up").first()).toBeVisible();
  });

  test("a declined card shows the decline and credits nothing", async ({ page }) => {
    await signInAs(page, "demo-client-2", "/user-dashboard/wallet");
    const before = await headerBalance(page);
    await page.getByTestId("topup-custom").fill("4.99");
    await page.getByTestId("topup-continue").click();
    await expect(page.getByRole("alert").filter({ hasText: "The minimum is $5.00." })).toBeVisible();
    await page.getByTestId("topup-custom").fill("20.50");
    await page.getByTestId("topup-continue").click();
    await page.getByTestId("topup-confirm").click();
    await payOnCheckout(page, "4000 0000 0000 0002");
    await expect(page.getByTestId("checkout-error")).toHaveText("Your card was declined.");
    await page.getByTestId("checkout-cancel").click();
    await page.waitForURL(/\/user-dashboard\/wallet\?topup=.*checkout=cancel/);
    await expect(page.getByTestId("checkout-return")).toContainText("failed: Your card was declined.");
    await expect(page.getByTestId("topup-failure").first()).toHaveText("Your card was declined.");
    expect(await headerBalance(page)).toBe(before);
  });
});
