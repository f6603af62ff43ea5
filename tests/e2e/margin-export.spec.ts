import { expect, test } from "@playwright/test";
import { signedInPage } from "./helpers";

// Issue 25: an admin starts a background margin export, follows it to "done" and downloads the file through the
// admin-only route; it holds the same CSV as the direct download of the same range; a client is refused the file.
test("an admin exports margin analytics in the background and downloads the CSV", async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await signedInPage(browser, "demo-admin", "/admin/billing/margin-analytics");
  await expect(admin.getByTestId("margin-total-gross")).toHaveText(/\$/, { timeout: 60_000 });
  const exports = admin.getByTestId("margin-export");
  const before = await exports.count();
  await admin.getByTestId("margin-export-start").click();
  await expect(exports).toHaveCount(before + 1, { timeout: 30_000 });
  const latest = exports.first();
  await expect(latest).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  const href = await latest.getByTestId("margin-export-download").getAttribute("href");
  expect(href).toMatch(/^\/api\/admin\/billing\/margin-analytics\/exports\/[\w-]+$/);

  const file = await admin.request.get(href!);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-type"]).toContain("text/csv");
  expect(file.headers()["content-disposition"]).toMatch(/^attachment; filename="margin-\d{4}-\d{2}-\d{2}-to-/);
  const direct = await admin.request.get((await admin.getByTestId("margin-csv").getAttribute("href"))!);
  expect(await file.text()).toBe(await direct.text());

  const client = await signedInPage(browser, "demo-client");
  expect((await client.request.get(href!)).status()).toBe(403);
});
