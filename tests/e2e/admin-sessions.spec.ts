import { expect, test } from "@playwright/test";
import { advisorOnline, signedInPage } from "./helpers";

// Admin sessions console: a live session appears on the board, ticks, and is force-ended with a reason;
// both participants land on the receipt. The API refuses a client.

test("an admin watches a live session and force-ends it with a reason; both sides land on the receipt", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const admin = await signedInPage(browser, "demo-admin", "/admin/sessions");
  await expect(admin.getByRole("heading", { name: "Live now" })).toBeVisible({ timeout: 60_000 });

  const advisor = await signedInPage(browser, "demo-advisor-2");
  const profileId = await advisorOnline(advisor);
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  await client.getByTestId("start-chat").click();
  await expect(client.getByTestId("ringing")).toBeVisible({ timeout: 30_000 });

  // The request shows on the board as it rings, then as live once accepted.
  const row = admin.getByTestId("admin-live-session").first();
  await expect(row).toHaveAttribute("data-status", "requested", { timeout: 30_000 });
  await expect(advisor.getByTestId("incoming-request")).toBeVisible();
  await advisor.getByTestId("accept-incoming").click();
  await expect(client.getByTestId("session-room")).toHaveAttribute("data-status", "active", { timeout: 30_000 });
  await expect(row).toHaveAttribute("data-status", "active");
  // Elapsed time moves every second without a reload.
  await expect(row.getByTestId("admin-live-elapsed")).not.toHaveText("0:00", { timeout: 15_000 });
  const first = await row.getByTestId("admin-live-elapsed").innerText();
  await expect(row.getByTestId("admin-live-elapsed")).not.toHaveText(first, { timeout: 5_000 });
  await expect(row.getByTestId("admin-live-cost")).toHaveText(/\$\d+\.\d\d/);

  // The API lists the same live session.
  const sessionId = await row.getAttribute("data-session-id");
  const api = await admin.request.get("/api/admin/sessions?status=live&limit=10");
  expect(api.status()).toBe(200);
  const body = (await api.json()) as { sessions: { _id: string; status: string }[] };
  expect(body.sessions.some((s) => s._id === sessionId && s.status === "active")).toBe(true);

  // Detail, then force-end: a reason is required, then a confirmation.
  await row.click();
  await expect(admin.getByTestId("admin-session-detail")).toHaveAttribute("data-status", "active");
  await admin.getByTestId("force-end-open").click();
  await expect(admin.getByText(/Give a reason/)).toBeVisible();
  await admin.getByTestId("force-end-reason").fill("Client reported abusive language");
  await admin.getByTestId("force-end-open").click();
  await admin.getByRole("button", { name: "End session" }).click();
  await expect(admin.getByTestId("admin-session-detail")).toHaveAttribute("data-status", "ended");
  await expect(admin.getByTestId("admin-session-end-reason")).toContainText("An administrator ended the session");
  await expect(admin.getByTestId("admin-session-audit")).toContainText("Client reported abusive language");

  // Both participants are taken to the receipt.
  await expect(client.getByTestId("receipt")).toBeVisible({ timeout: 30_000 });
  await expect(advisor.getByTestId("receipt")).toBeVisible({ timeout: 30_000 });

  // The session has left the live board and is in the history.
  await admin.goto("/admin/sessions");
  await expect(admin.locator(`[data-testid="admin-history-row"][data-session-id="${sessionId}"]`)).toBeVisible();
  await expect(admin.locator(`[data-testid="admin-live-session"][data-session-id="${sessionId}"]`)).toHaveCount(0);
});

test("the sessions API refuses a client (403) and a bad query (400)", async ({ browser }) => {
  const client = await signedInPage(browser, "demo-client");
  const refused = await client.request.get("/api/admin/sessions");
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  const admin = await signedInPage(browser, "demo-admin");
  expect((await admin.request.get("/api/admin/sessions?limit=500")).status()).toBe(400);
  expect((await admin.request.get("/api/admin/sessions?status=bogus")).status()).toBe(400);
  const history = await admin.request.get("/api/admin/sessions?status=history&limit=5");
  expect(history.status()).toBe(200);
  expect(Array.isArray(((await history.json()) as { sessions: unknown[] }).sessions)).toBe(true);
});
