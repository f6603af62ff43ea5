import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

// Billing operations (issue 10): reserve monitoring, "Reconcile now" and the alerts centre, through the real
// reconciliation action against the local processor's own balance (GET /v1/balance).
// The drift alert is made the way an admin could: the expected processor/ledger difference is set $12.34 off
// what it really is, a reconciliation raises a critical drift alert, then the setting is put back as it was
// (and a clean reconciliation run recorded), so later specs see the same settings.
const ADMIN = "demo-admin";

function decimal(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? "-" : ""}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

function money(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? "-" : ""}$${Math.trunc(abs / 100).toLocaleString("en-US")}.${String(abs % 100).padStart(2, "0")}`;
}

/** Clicks "Reconcile now", waits for the result and a new run at the top of the history; returns that run. */
async function reconcileNow(page: Page) {
  const runs = page.getByTestId("reconciliation-run");
  const before = await runs.count();
  await page.getByTestId("reconcile-now").click();
  await expect(page.getByTestId("reconcile-result").locator("p[data-tone]")).toBeVisible({ timeout: 30_000 });
  await expect(runs).toHaveCount(before + 1);
  const top = runs.first();
  return {
    ledgerCents: Number(await top.getAttribute("data-ledger-cents")),
    processorCents: Number(await top.getAttribute("data-processor-cents")),
    driftCents: Number(await top.getAttribute("data-drift-cents")),
  };
}

async function setExpectedDifference(page: Page, cents: number, reason: string) {
  await page.getByTestId("reserve-expected-input").fill(decimal(cents));
  await page.getByTestId("reserve-settings-save").click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`expected difference`);
  await dialog.getByTestId("reserve-settings-reason").fill(reason);
  await dialog.getByTestId("reserve-settings-confirm").click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("reserve-settings-save")).toBeDisabled();
}

test.describe("billing operations", () => {
  test.describe.configure({ mode: "serial" });

  test("reserve monitoring shows a status and Reconcile now records a run", async ({ page }) => {
    test.setTimeout(300_000); // the first pages compile on demand under `next dev`
    await signInAs(page, ADMIN, "/admin/billing/reserve-monitoring");
    const status = page.getByTestId("reserve-status");
    await expect(status).toHaveAttribute("data-status", /^(healthy|warning|critical)$/);
    await expect(status).toHaveText(/Healthy|Warning|Critical/);
    await expect(page.getByTestId("reserve-processor-cash")).toHaveText(/\$/);
    await expect(page.getByTestId("reserve-owed")).toHaveText(/\$/);

    const run = await reconcileNow(page);
    expect(Number.isSafeInteger(run.ledgerCents)).toBe(true);
    expect(Number.isSafeInteger(run.processorCents)).toBe(true);
    await expect(page.getByTestId("reconciliation-run").first()).toContainText(money(run.ledgerCents));
    // The run recorded today's snapshot: the history chart has at least one day.
    await expect(page.getByTestId("reserve-history").locator("table tbody tr")).not.toHaveCount(0);

    // The billing landing shows each tool's status.
    await page.goto("/admin/billing");
    await expect(page.getByTestId("billing-status-reserve")).toHaveText(/Healthy|Warning|Critical/);
    await expect(page.getByTestId("billing-status-reconciliation")).toHaveText(/OK|Drift/);
    await expect(page.getByTestId("billing-status-alerts")).toHaveText(/open/i);
    await expect(page.getByTestId("billing-tool-alerts")).toHaveAttribute("href", "/admin/alerts");
  });

  test("a reconciliation drift raises an alert; the admin acknowledges it with a note", async ({ page }) => {
    test.setTimeout(240_000);
    await signInAs(page, ADMIN, "/admin/billing/reserve-monitoring");
    const expectedInput = page.getByTestId("reserve-expected-input");
    await expect(expectedInput).toBeVisible();
    const original = await expectedInput.inputValue();
    const originalCents = Math.round(Number(original) * 100);

    // What the difference really is now, then an expected difference $12.34 above it.
    const first = await reconcileNow(page);
    const actualDifference = first.processorCents - first.ledgerCents;
    const skewed = actualDifference + 1234;
    await setExpectedDifference(page, skewed, "E2E: skew the expected difference to raise a drift alert");
    const drifted = await reconcileNow(page);
    expect(drifted.driftCents).toBe(-1234);
    await expect(page.getByTestId("reconcile-result")).toContainText("-$12.34");
    await expect(page.getByTestId("reconcile-result")).toContainText("an alert was raised");

    // Put the setting back as it was and record a clean run.
    await setExpectedDifference(page, originalCents, "E2E: restore the expected difference");

    await page.goto("/admin/alerts");
    await expect(page.getByTestId("alerts-view-open")).toHaveAttribute("aria-pressed", "true");
    const row = page
      .getByTestId("alert-row")
      .filter({ hasText: `by -$12.34 (after the expected difference of ${money(skewed)})` })
      .first();
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute("data-kind", "reconciliation_drift");
    await expect(row).toHaveAttribute("data-status", "open");
    await expect(row.getByTestId("alert-severity")).toHaveText("Critical");
    await expect(row.getByTestId("alert-link")).toHaveAttribute(
      "href",
      "/admin/billing/reserve-monitoring#reconciliation",
    );
    const message = await row.getByTestId("alert-message").innerText();

    // Acknowledge with a note: too short first, then a real note.
    await row.getByTestId("alert-acknowledge").click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await dialog.getByTestId("alert-ack-note").fill("ok");
    await dialog.getByTestId("alert-ack-submit").click();
    await expect(dialog.getByText("Write a note of at least 3 characters.")).toBeVisible();
    const note = "Checked: the E2E skewed the expected difference on purpose; restored.";
    await dialog.getByTestId("alert-ack-note").fill(note);
    await dialog.getByTestId("alert-ack-submit").click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId("alert-row").filter({ hasText: message })).toHaveCount(0);

    // It moved to Acknowledged, with the note and who acknowledged it.
    await page.getByTestId("alerts-view-resolved").click();
    const acked = page.getByTestId("alert-row").filter({ hasText: message }).first();
    await expect(acked).toHaveAttribute("data-status", "acknowledged");
    await expect(acked.getByTestId("alert-ack")).toContainText(note);
    await expect(acked.getByTestId("alert-ack")).toContainText("Acknowledged by");

    // The setting really is back: a new reconciliation reports the same drift as the very first run.
    await page.goto("/admin/billing/reserve-monitoring");
    await expect(page.getByTestId("reserve-expected-input")).toHaveValue(decimal(originalCents));
    const after = await reconcileNow(page);
    expect(after.driftCents).toBe(after.processorCents - after.ledgerCents - originalCents);
  });

  test("a client is refused the alerts centre", async ({ page }) => {
    test.setTimeout(120_000);
    await signInAs(page, "demo-client", "/admin/alerts");
    await expect(page.getByTestId("not-allowed")).toBeVisible();
    await expect(page.getByTestId("alerts-list")).toHaveCount(0);
  });
});
