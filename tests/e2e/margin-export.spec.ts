import { expect, test } from "@playwright/test";
import { signInAs, signedInPage } from "./helpers";

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

/** Rewrites every export in a sync message as one whose step failed (the browser's view only). */
function asFailed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asFailed);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if ("fileName" in record && "phase" in record)
    return { ...record, status: "failed", phase: "rows", resumable: true, error: "Function execution timed out" };
  return Object.fromEntries(Object.entries(record).map(([key, v]) => [key, asFailed(v)]));
}

// The page's Resume button: shown for an export whose step failed, it calls marginExports:resume, and the server
// answers in plain words. The failed state is simulated in the browser (the sync socket's answer is rewritten), so
// the server, which sees a finished export, refuses; resuming a real failure is tested in
// tests/convex/marginExports.test.ts.
test("a failed export offers Resume, and the server refuses to resume one that did not fail", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await (await browser.newContext()).newPage();
  await page.routeWebSocket(/\/sync$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => ws.send(JSON.stringify(asFailed(JSON.parse(String(message))))));
    ws.onMessage((message) => server.send(message));
  });
  await signInAs(page, "demo-admin", "/admin/billing/margin-analytics");
  await expect(page.getByTestId("margin-total-gross")).toHaveText(/\$/, { timeout: 60_000 });
  if ((await page.getByTestId("margin-export").count()) === 0) await page.getByTestId("margin-export-start").click();
  const resume = page.getByTestId("margin-export-resume").first();
  await expect(resume).toBeVisible({ timeout: 30_000 });
  await expect(resume).toHaveAccessibleName(/^Resume the export of \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
  await resume.click();
  await expect(page.getByTestId("margin-exports").getByRole("alert")).toHaveText(
    /Only an export whose step failed can be resumed|This export is still running/,
  );
});
