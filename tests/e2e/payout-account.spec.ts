import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

// Payout account onboarding (Stripe Connect Express) through the local processor's hosted onboarding page.
test.describe("payout account", () => {
  test("an advisor connects a payout account and sees payouts enabled live", async ({ page }) => {
    await signInAs(page, "demo-advisor-1", "/advisor/setup");
    const card = page.getByTestId("payout-card");
    await expect(card.getByTestId("payout-card-status")).toHaveText("Not connected");
    await card.getByRole("button", { name: "Connect payout account" }).click();

    await page.waitForURL(/\/connect\/onboarding\//);
    await expect(page.getByRole("heading", { name: "Set up your payout account" })).toBeVisible();
    // Bad input is refused with field errors.
    await page.getByRole("button", { name: "Agree and submit" }).click();
    await expect(page.getByTestId("onboarding-error")).toBeVisible();
    await expect(page.getByText("Enter your full legal name.")).toBeVisible();
    await page.getByLabel("Legal name").fill("Luna Ortiz");
    await page.getByLabel("Routing number").fill("110000000");
    await page.getByLabel("Account number").fill("000123456789");
    await page.getByRole("button", { name: "Agree and submit" }).click();

    await page.waitForURL(/\/advisor\/setup\?payouts=return/);
    // The account.updated webhook updates the status without a reload.
    await expect(page.getByTestId("payout-card-status")).toHaveText("Payouts enabled");
    await expect(page.getByRole("button", { name: /Connect payout account|Finish setup/ })).toHaveCount(0);
  });

  test("leaving the onboarding early shows Finish setup", async ({ page }) => {
    await signInAs(page, "demo-advisor-2", "/advisor/setup");
    await page.getByTestId("payout-card").getByRole("button", { name: "Connect payout account" }).click();
    await page.waitForURL(/\/connect\/onboarding\//);
    await page.getByTestId("onboarding-exit").click();
    await page.waitForURL(/\/advisor\/setup\?payouts=return/);
    await expect(page.getByTestId("payout-card-status")).toHaveText("Setup not finished");
    await expect(page.getByRole("button", { name: "Finish setup" })).toBeVisible();
  });
});
