import { expect, test, type Browser, type Page } from "@playwright/test";
import { cents, gotoUnlessThere, signInAs } from "./helpers";

// Advisor withdrawals end to end: payout account → request → confirm → paid by the processor's webhook, live.
// demo-advisor-3 (Priya): payout-account.spec connects -1 and -2, so this file owns -3's payout account and
// withdrawals; session.spec only runs sessions with her (their earnings stay pending, not available).
const ADVISOR = "demo-advisor-3";

async function available(page: Page): Promise<number> {
  const card = page.getByTestId("balance-available");
  await expect(card).toHaveText(/\$/);
  return cents(await card.innerText());
}

/**
 * Transfers to advisors come out of the platform's processor balance, which only real card charges fill
 * (the seed's wallet top-ups are ledger-only). A demo client tops up $50 through the local checkout first
 * (wallet.spec only compares demo-client-2's balance before and after its own steps).
 */
async function fundPlatform(browser: Browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signInAs(page, "demo-client-2", "/user-dashboard/wallet");
    await expect(page.getByTestId("wallet-balance-card")).toHaveText(/\$/);
    await page.getByTestId("topup-preset-50").click();
    await page.getByTestId("topup-continue").click();
    await page.getByTestId("topup-confirm").click();
    await page.waitForURL(/\/pay\/cs_test_/);
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry (MM / YY)").fill("12 / 34");
    await page.getByLabel("CVC").fill("123");
    await page.getByRole("button", { name: /^Pay \$/ }).click();
    await page.waitForURL(/\/user-dashboard\/wallet\?topup=.*checkout=success/);
    await expect(page.getByTestId("checkout-return")).toContainText("$50.00 was added to your wallet.");
  } finally {
    await context.close();
  }
}

/** Connects the advisor's payout account through the local onboarding page unless it is already enabled. */
async function ensurePayoutAccount(page: Page) {
  await gotoUnlessThere(page, "/advisor-dashboard/payouts");
  const form = page.getByTestId("payout-amount");
  const connectFirst = page.getByTestId("payouts-connect-first");
  await expect(form.or(connectFirst)).toBeVisible();
  if (await form.isVisible()) return;
  await connectFirst.getByRole("button", { name: /Connect payout account|Finish setup/ }).click();
  await page.waitForURL(/\/connect\/onboarding\//);
  await page.getByLabel("Legal name").fill("Priya Nair");
  await page.getByLabel("Routing number").fill("110000000");
  await page.getByLabel("Account number").fill("000123456789");
  await page.getByRole("button", { name: "Agree and submit" }).click();
  await page.waitForURL(/\/advisor\/setup\?payouts=return/);
  await expect(page.getByTestId("payout-card-status")).toHaveText("Payouts enabled");
  await page.goto("/advisor-dashboard/payouts");
  await expect(form).toBeVisible();
}

test.describe("advisor payouts", () => {
  test.describe.configure({ mode: "serial" });

  test("an advisor withdraws $25.00, confirms, and sees it paid live", async ({ page, browser }) => {
    test.setTimeout(180_000);
    await fundPlatform(browser);
    await signInAs(page, ADVISOR, "/advisor-dashboard/payouts");
    await ensurePayoutAccount(page);

    const before = await available(page);
    expect(before).toBeGreaterThanOrEqual(2500);
    const inTransitBefore = cents(await page.getByTestId("balance-in-transit").innerText());

    // Client-side checks give instant feedback and never open the confirmation.
    await page.getByTestId("payout-amount").fill("10");
    await expect(page.getByRole("alert").filter({ hasText: "The minimum withdrawal is $25.00." })).toBeVisible();
    await page.getByTestId("payout-submit").click();
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
    await page.getByTestId("payout-amount").fill("12.345");
    await expect(page.getByRole("alert").filter({ hasText: "Use at most 2 decimal places" })).toBeVisible();

    await page.getByTestId("payout-amount").fill("25");
    await page.getByTestId("payout-submit").click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("$25.00 moves from your available balance");
    await dialog.getByRole("button", { name: "Withdraw $25.00" }).click();
    await expect(page.getByTestId("payout-done")).toContainText("Withdrawal of $25.00 requested: it is on its way");

    // The balance moves at once; the local processor pays out after ~1 s and says so by webhook.
    await expect.poll(() => available(page)).toBe(before - 2500);
    const row = page.getByTestId("payout-row").first();
    await expect(row).toContainText("$25.00");
    await expect(row.getByTestId("payout-status")).toHaveText("Paid", { timeout: 30_000 });
    await expect(row).toContainText(/paid \d/);
    await expect
      .poll(async () => cents(await page.getByTestId("balance-in-transit").innerText()))
      .toBe(inTransitBefore);
  });

  test("the payouts API validates amounts: 400 for non-integer cents, 402 above the balance", async ({
    page,
    playwright,
    baseURL,
  }) => {
    await signInAs(page, ADVISOR, "/advisor-dashboard/payouts");
    await ensurePayoutAccount(page);

    const list = await page.request.get("/api/advisor/payouts");
    expect(list.status()).toBe(200);
    const { payouts, summary } = (await list.json()) as {
      payouts: { amountCents: number; status: string }[];
      summary: { availableCents: number; minCents: number; payoutAccountStatus: string };
    };
    expect(summary.payoutAccountStatus).toBe("enabled");
    expect(summary.minCents).toBe(2500);
    expect(payouts.some((p) => p.amountCents === 2500 && p.status === "paid")).toBe(true);

    for (const data of [{ amountCents: 2500.5 }, { amountCents: "2500" }, {}, [2500]]) {
      const response = await page.request.post("/api/advisor/payouts", { data });
      expect(response.status(), JSON.stringify(data)).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("INVALID_ARGUMENT");
    }
    const belowMinimum = await page.request.post("/api/advisor/payouts", { data: { amountCents: 100 } });
    expect(belowMinimum.status()).toBe(400);

    const tooMuch = await page.request.post("/api/advisor/payouts", {
      data: { amountCents: summary.availableCents + 100 },
    });
    expect(tooMuch.status()).toBe(402);
    const body = (await tooMuch.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("INSUFFICIENT_FUNDS");
    expect(body.error.message).toMatch(/You can withdraw up to \$/);

    // Nothing moved.
    const after = (await (await page.request.get("/api/advisor/payouts")).json()) as {
      summary: { availableCents: number };
    };
    expect(after.summary.availableCents).toBe(summary.availableCents);

    const anonymous = await playwright.request.newContext({ baseURL });
    try {
      expect((await anonymous.post("/api/advisor/payouts", { data: { amountCents: 2500 } })).status()).toBe(401);
      expect((await anonymous.get("/api/advisor/earnings")).status()).toBe(401);
    } finally {
      await anonymous.dispose();
    }
  });

  test("the earnings page shows the chart and sessions, and the CSV downloads", async ({ page }) => {
    await signInAs(page, ADVISOR, "/advisor-dashboard/earnings");
    const chart = page.getByTestId("earnings-chart");
    await expect(chart).toBeVisible();
    await expect(chart.locator("figcaption")).toContainText("net from");
    await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
    await expect(page.getByTestId("earning-row").first()).toContainText("(10%)");
    await expect(page.getByTestId("earning-row").first().getByRole("link")).toHaveAttribute(
      "href",
      /^\/session\/[^/]+\/receipt$/,
    );

    const downloadPromise = page.waitForEvent("download");
    await page.getByTestId("earnings-csv").click();
    expect((await downloadPromise).suggestedFilename()).toMatch(/^earnings-\d{4}-\d{2}-\d{2}\.csv$/);

    const csv = await page.request.get("/api/advisor/earnings?format=csv");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="earnings-/);
    const lines = (await csv.text()).trim().split(/\r\n/);
    expect(lines[0]).toBe("date,session_id,client,channel,billable_seconds,gross,fee,fee_percent,net,status");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[1]).toMatch(
      /^\d{4}-\d{2}-\d{2}T[\d:.]+Z,\w+,.+,(chat|video),\d+,\d+\.\d\d,\d+\.\d\d,10%,\d+\.\d\d,(pending|available|refunded|clawed_back)$/,
    );

    const summary = await page.request.get("/api/advisor/earnings?tzOffsetMinutes=60");
    expect(summary.status()).toBe(200);
    const json = (await summary.json()) as { daily: unknown[]; availableCents: number };
    expect(json.daily).toHaveLength(30);
    expect(Number.isSafeInteger(json.availableCents)).toBe(true);
    expect((await page.request.get("/api/advisor/earnings?tzOffsetMinutes=1.5")).status()).toBe(400);
  });
});
