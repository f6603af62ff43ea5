import { expect, test, type Page } from "@playwright/test";
import { advisorOnline, signedInPage } from "./helpers";

// Issue 24 through the real stack: the queue offer reaches the second client when the first session ends, and a
// follower gets the "online" notification live (and can stop following from it). Two to three browser contexts.

async function setAvailability(page: Page, label: "Online" | "Offline") {
  const toggle = page.getByTestId("availability-toggle");
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute("data-availability")) === label.toLowerCase()) return;
  await toggle.click();
  await page.getByRole("menuitemradio", { name: new RegExp(label) }).click();
  await expect(toggle).toHaveAttribute("data-availability", label.toLowerCase());
}

// Under `next dev` (E2E_DEV=1) each route compiles on its first visit: warm them so the timings below are the app's.
test.beforeAll(async ({ browser }) => {
  if (process.env.E2E_DEV !== "1") return;
  test.setTimeout(600_000);
  const page = await signedInPage(browser, "demo-client");
  for (const path of ["/advisors", "/session/warm-up", "/notifications", "/advisor-dashboard"])
    await page.goto(path, { timeout: 300_000 });
  await page.goto("/advisors", { timeout: 300_000 });
  await page.locator('a[href^="/advisors/"]').first().click();
  await page.waitForURL(/\/advisors\/.+/, { timeout: 300_000 });
  await page.context().close();
});

test("the queue offer reaches the second client when the first session ends", async ({ browser }) => {
  test.setTimeout(360_000); // three signed-in contexts: well under a minute on a quiet machine; each step took 10-30 s at load 17
  const advisor = await signedInPage(browser, "demo-advisor-3");
  const profileId = await advisorOnline(advisor);
  const [first, second] = await Promise.all([
    signedInPage(browser, "demo-client", `/advisors/${profileId}`),
    signedInPage(browser, "demo-client-2"),
  ]);
  // The first client's session makes the advisor busy.
  await first.getByTestId("start-chat").click();
  await expect(advisor.getByTestId("incoming-request")).toBeVisible({ timeout: 20_000 });
  await advisor.getByTestId("accept-incoming").click();
  await expect(first.getByTestId("session-room")).toHaveAttribute("data-status", "active");

  // The second client joins the queue from the profile (keyboard) and sees the live position.
  await second.goto(`/advisors/${profileId}`);
  const join = second.getByTestId("queue-join");
  await join.focus();
  await second.keyboard.press("Enter");
  await expect(second.getByTestId("queue-position")).toHaveText("Position 1 of 1.");

  // The first session ends: the second client's open tab gets the 60-second offer, told why in words.
  await first.getByTestId("end-session").click();
  await first.getByRole("button", { name: "End session" }).click();
  const offer = second.getByTestId("queue-offer");
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect(offer).toContainText("It's your turn with");
  await expect(second.getByTestId("queue-last-change")).toContainText(
    "the first client in the queue has 60 seconds to start",
  );

  // Accepting runs the normal request flow: the advisor's phone rings; they decline (nothing is charged).
  await offer.getByTestId("queue-offer-accept").click();
  await second.waitForURL(/\/session\//);
  await expect(advisor.getByTestId("incoming-request")).toBeVisible({ timeout: 20_000 });
  await advisor.getByTestId("decline-incoming").click();
  await expect(advisor.getByTestId("incoming-request")).toHaveCount(0);
});

test("a follower gets the 'online' notification live and can stop following from it", async ({ browser }) => {
  test.setTimeout(60_000);
  const advisor = await signedInPage(browser, "demo-advisor-2");
  const profileId = await advisorOnline(advisor);
  await setAvailability(advisor, "Offline");
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  const follow = client.getByTestId("follow-button");
  await expect(follow).toHaveText(/Notify me when online/);
  await follow.click();
  await expect(follow).toHaveText(/Stop notifying me/);

  await setAvailability(advisor, "Online");
  const bell = client.getByTestId("notification-bell");
  await expect(bell).toHaveAttribute("aria-label", /[1-9]\d* unread/, { timeout: 20_000 });
  await bell.click();
  const item = client
    .getByTestId("notification-panel")
    .getByTestId("notification-item")
    .filter({ hasText: "is online now" })
    .first();
  await expect(item).toBeVisible();
  await item.getByTestId("notification-unfollow").click();
  await expect(item).toContainText("Unfollowed");
  await client.keyboard.press("Escape");
  await expect(follow).toHaveText(/Notify me when online/);
});

test("phone width: the advisors page with online now and a language from the URL fits 390 px", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/advisors?online=1&lang=Spanish");
  await page.getByRole("button", { name: /Filters/ }).click();
  await expect(page.getByTestId("language-filter")).toHaveValue("Spanish");
  await expect(page.getByRole("checkbox", { name: "Online now" })).toBeChecked();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
