import { expect, test, type Locator } from "@playwright/test";
import { advisorOnline, cents, signedInPage } from "./helpers";

// The admin dashboard's live counts and money figures move while a session runs and ends (no reload);
// clients are refused the page and the API; margin analytics renders and exports CSV.

/** A figure's number from its data attribute (set only once the figure has loaded). */
async function numberOf(figure: Locator, attribute: "data-value" | "data-cents"): Promise<number> {
  await expect(figure).toHaveAttribute(attribute, /^-?\d+$/);
  return Number(await figure.getAttribute(attribute));
}

// The first visits compile the pages and routes in the dev server (E2E_DEV=1); warm them so the timings below are
// the app's.
test.beforeAll(async ({ browser }) => {
  if (process.env.E2E_DEV !== "1") return;
  test.setTimeout(300_000);
  const page = await signedInPage(browser, "demo-client");
  await page.goto("/session/warm-up", { timeout: 170_000 });
  await expect(page.getByTestId("session-error")).toBeVisible({ timeout: 120_000 });
  await page.request.get("/api/admin/stats", { timeout: 120_000 });
  await page.request.get("/api/admin/billing/margin-analytics/csv", { timeout: 120_000 });
  await page.context().close();
});

test("the dashboard's counts and today's gross move live as a session runs and ends", async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await signedInPage(browser, "demo-admin", "/admin/dashboard");
  await expect(admin.getByRole("heading", { level: 1, name: "Admin dashboard" })).toBeVisible();
  await expect(admin.getByRole("heading", { name: "Live now" })).toBeVisible({ timeout: 60_000 });

  const active = admin.getByTestId("stat-active-sessions");
  const gross = admin.getByTestId("stat-today-gross");
  const fees = admin.getByTestId("stat-today-fees");
  const activeBefore = await numberOf(active, "data-value");
  const grossBefore = await numberOf(gross, "data-cents");
  const feesBefore = await numberOf(fees, "data-cents");
  // Every figure links to its list.
  await expect(admin.getByRole("link", { name: /active sessions?: open the list/ })).toHaveAttribute(
    "href",
    "/admin/sessions",
  );
  await expect(admin.getByRole("link", { name: /open disputes?: open the list/ })).toHaveAttribute(
    "href",
    "/admin/disputes",
  );
  await expect(admin.getByRole("link", { name: /payouts? to approve: open the list/ })).toHaveAttribute(
    "href",
    "/admin/payouts",
  );
  await expect(admin.getByRole("link", { name: /^Gross sales today: .*open margin analytics$/ })).toHaveAttribute(
    "href",
    /\/admin\/billing\/margin-analytics\?from=/,
  );
  await expect(admin.getByRole("figure", { name: "Gross sales and net margin, last 30 days" })).toBeVisible();

  // A client rings an advisor, the advisor accepts: the active-session count goes up without a reload.
  const advisor = await signedInPage(browser, "demo-advisor-2");
  const profileId = await advisorOnline(advisor);
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  await client.getByTestId("start-chat").click();
  await expect(client.getByTestId("ringing")).toBeVisible({ timeout: 90_000 });
  await expect(advisor.getByTestId("incoming-request")).toBeVisible({ timeout: 30_000 });
  await advisor.getByTestId("accept-incoming").click();
  await expect(client.getByTestId("session-room")).toHaveAttribute("data-status", "active", { timeout: 60_000 });
  await expect(active).toHaveAttribute("data-value", String(activeBefore + 1), { timeout: 30_000 });

  // A few seconds later (a charge of at least 15 cents, so the platform fee is at least a cent) the client ends it:
  // the count goes back and today's gross and fees grow by the charge.
  await expect.poll(async () => cents(await client.getByTestId("timer-cost").innerText())).toBeGreaterThanOrEqual(15);
  await client.getByTestId("end-session").click();
  await client.getByRole("button", { name: "End session" }).click();
  await expect(client.getByTestId("receipt")).toBeVisible({ timeout: 90_000 });
  const total = cents(await client.getByTestId("receipt-total").innerText());
  expect(total).toBeGreaterThan(0);

  await expect(active).toHaveAttribute("data-value", String(activeBefore), { timeout: 30_000 });
  await expect
    .poll(() => numberOf(gross, "data-cents"), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(grossBefore + total);
  await expect.poll(() => numberOf(fees, "data-cents"), { timeout: 30_000 }).toBeGreaterThan(feesBefore);
  // The month includes today.
  expect(await numberOf(admin.getByTestId("stat-month-gross"), "data-cents")).toBeGreaterThanOrEqual(
    await numberOf(gross, "data-cents"),
  );

  // The API returns the same figures (and keeps the headline overview).
  const stats = await admin.request.get("/api/admin/stats");
  expect(stats.status()).toBe(200);
  const body = (await stats.json()) as {
    overview: { activeSessions: number };
    dashboard: { counts: { activeSessions: number }; daily: unknown[] };
  };
  expect(typeof body.overview.activeSessions).toBe("number");
  expect(body.dashboard.daily).toHaveLength(30);
  expect((await admin.request.get("/api/admin/stats?today=2025-02-30")).status()).toBe(400);
  expect((await admin.request.get("/api/admin/stats?tzOffsetMinutes=abc")).status()).toBe(400);
});

test("a client is refused the dashboard, the stats API and the margin CSV", async ({ browser }) => {
  test.setTimeout(120_000);
  const client = await signedInPage(browser, "demo-client", "/admin/dashboard");
  await expect(client.getByTestId("not-allowed")).toBeVisible();
  await expect(client.getByTestId("stat-active-sessions")).toHaveCount(0);
  const stats = await client.request.get("/api/admin/stats");
  expect(stats.status()).toBe(403);
  expect(((await stats.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  expect((await client.request.get("/api/admin/billing/margin-analytics/csv")).status()).toBe(403);
});

test("margin analytics shows totals, refuses a range over 92 days and exports CSV", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await signedInPage(browser, "demo-admin", "/admin/billing/margin-analytics");
  await expect(admin.getByRole("heading", { level: 1, name: "Margin analytics" })).toBeVisible();
  for (const id of ["gross", "fees", "refunds", "promotions", "chargebacks", "net"]) {
    await expect(admin.getByTestId(`margin-total-${id}`)).toHaveText(/^-?\$[\d,]+\.\d\d$/, { timeout: 30_000 });
  }
  await expect(admin.getByRole("heading", { name: "By advisor" })).toBeVisible();
  await expect(admin.getByTestId("margin-by-category")).toBeVisible();

  // More than 92 days: a plain-words error, and the report keeps the previous range.
  await admin.getByTestId("margin-from").fill("2025-01-01");
  await admin.getByTestId("margin-to").fill("2025-06-30");
  await admin.getByTestId("margin-apply").click();
  await expect(admin.getByText(/Choose at most 92 days/)).toBeVisible();

  // The CSV link carries the range; the file is text/csv with a header row.
  const href = await admin.getByTestId("margin-csv").getAttribute("href");
  expect(href).toMatch(/^\/api\/admin\/billing\/margin-analytics\/csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
  const csv = await admin.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe(
    "section,label,advisor_id,category,sessions,gross,platform_fees,refunds,refunded_fees,promotions,chargebacks,processor_fees,net_margin",
  );
  expect(lines[1]).toMatch(/^total,/);

  // Bad parameters: 400 JSON with a plain message.
  const tooLong = await admin.request.get("/api/admin/billing/margin-analytics/csv?from=2025-01-01&to=2025-06-30");
  expect(tooLong.status()).toBe(400);
  expect(((await tooLong.json()) as { error: { message: string } }).error.message).toContain("Choose at most 92 days");
  expect((await admin.request.get("/api/admin/billing/margin-analytics/csv?from=yesterday")).status()).toBe(400);
});
