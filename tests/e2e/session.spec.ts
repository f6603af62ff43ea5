import { expect, test, type Page } from "@playwright/test";
import { advisorOnline, cents, gotoUnlessThere, headerBalance, signedInPage } from "./helpers";

// Two browser contexts, one client and one advisor, through the real stack (local Convex backend, Next).

// The first visit to the room compiles it in the dev server (E2E_DEV=1); warm it so timings below are the app's.
test.beforeAll(async ({ browser }) => {
  if (process.env.E2E_DEV !== "1") return;
  test.setTimeout(180_000);
  const page = await signedInPage(browser, "demo-client");
  await page.goto("/session/warm-up", { timeout: 170_000 });
  await expect(page.getByTestId("session-error")).toBeVisible({ timeout: 120_000 });
  await page.context().close();
});

/** The client rings, the advisor accepts from the incoming card; both land in the live room. */
async function connect(client: Page, advisor: Page, profileId: string, kind: "chat" | "video") {
  await gotoUnlessThere(client, `/advisors/${profileId}`);
  await client.getByTestId(`start-${kind}`).click();
  await expect(client.getByTestId("ringing")).toContainText("Calling", { timeout: 30_000 });
  await expect(advisor.getByTestId("incoming-request")).toContainText(`Incoming ${kind} request`);
  await advisor.getByTestId("accept-incoming").click();
  await expect(advisor.getByTestId("session-room")).toHaveAttribute("data-status", "active");
  await expect(client.getByTestId("session-room")).toHaveAttribute("data-status", "active");
}

test("chat session: request, accept, chat for about 20 s, end; the receipt and the wallet agree to the cent", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const advisor = await signedInPage(browser, "demo-advisor-3");
  const profileId = await advisorOnline(advisor);
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  const before = await headerBalance(client);
  await connect(client, advisor, profileId, "chat");

  await client.getByTestId("chat-input").fill("Hello, I would like a reading.");
  await client.getByTestId("chat-send").click();
  await expect(advisor.getByTestId("chat-message").filter({ hasText: "I would like a reading" })).toBeVisible();
  await advisor.getByTestId("chat-input").fill("Welcome! Let us begin.");
  await advisor.getByTestId("chat-send").click();
  await expect(client.getByTestId("chat-message").filter({ hasText: "Let us begin" })).toHaveAttribute(
    "data-own",
    "false",
  );

  // The timer runs in both rooms from the server's numbers.
  await expect(client.getByTestId("timer-elapsed")).not.toHaveText("0:00");
  await client.waitForTimeout(18_000);
  await expect(advisor.getByTestId("timer-elapsed")).toHaveText(/^0:(1[89]|2\d)$/);

  await client.getByTestId("end-session").click();
  await client.getByRole("button", { name: "End session" }).click();
  await expect(client.getByTestId("receipt")).toBeVisible();
  const total = cents(await client.getByTestId("receipt-total").innerText());
  expect(total).toBeGreaterThan(0);
  await expect.poll(() => headerBalance(client)).toBe(before - total);
  // The advisor's receipt shows the split, which sums to the charge.
  await expect(advisor.getByTestId("receipt")).toBeVisible();
  const share = cents(await advisor.getByTestId("receipt-share").innerText());
  const fee = cents(await advisor.getByTestId("receipt-fee").innerText());
  expect(share + fee).toBe(total);
  // The wallet history lists the session at the same amount, and the session history links the receipt.
  await client.goto("/user-dashboard/sessions");
  await expect(client.getByTestId("session-row").first()).toContainText("Ended");
  await client.getByTestId("session-row").first().getByRole("link").click();
  await expect(client.getByTestId("receipt-total")).toHaveText(`$${(total / 100).toFixed(2)}`);
});

test("video session with fake media devices connects both sides", async ({ browser }) => {
  test.setTimeout(120_000);
  const advisor = await signedInPage(browser, "demo-advisor-1");
  const profileId = await advisorOnline(advisor);
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  await connect(client, advisor, profileId, "video");
  await expect(client.getByTestId("remote-video")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await expect(advisor.getByTestId("remote-video")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await advisor.getByTestId("end-session").click();
  await advisor.getByRole("button", { name: "End session" }).click();
  await expect(advisor.getByTestId("receipt")).toBeVisible();
  await expect(client.getByTestId("receipt")).toBeVisible();
});

test("the client cancels while it rings: nothing is charged; a stranger cannot open the room", async ({ browser }) => {
  const advisor = await signedInPage(browser, "demo-advisor-3");
  const profileId = await advisorOnline(advisor);
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  const before = await headerBalance(client);
  await client.getByTestId("start-chat").click();
  await expect(client.getByTestId("ringing")).toBeVisible();
  const roomUrl = client.url();
  await client.getByTestId("cancel-request").click();
  await expect(client.getByTestId("closed-request")).toContainText("Nothing was charged");
  await expect(advisor.getByTestId("incoming-request")).toHaveCount(0);
  expect(await headerBalance(client)).toBe(before);
  const stranger = await signedInPage(browser, "demo-client-2", new URL(roomUrl).pathname);
  await expect(stranger.getByTestId("session-error")).toContainText("does not exist");
});
