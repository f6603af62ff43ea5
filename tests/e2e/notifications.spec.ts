import { expect, test } from "@playwright/test";
import { advisorOnline, signedInPage } from "./helpers";

// The notification centre: an event (a client rings an advisor) reaches the advisor's bell live, the
// panel and /notifications list it, and "mark all read" clears the count. The dev mailbox is local only.

test("a session request reaches the advisor's bell live; mark all read clears it", async ({ browser }) => {
  const advisor = await signedInPage(browser, "demo-advisor-2");
  const client = await signedInPage(browser, "demo-client-2");
  try {
    const profileId = await advisorOnline(advisor);
    // Start from a clean slate so the count we see is this request's.
    await advisor.goto("/notifications");
    const markAll = advisor.getByRole("button", { name: "Mark all read" });
    // Wait until the list has loaded (either there is something to mark, or nothing is unread).
    await expect(
      markAll.or(advisor.getByText("All caught up")).or(advisor.getByText("No notifications yet")),
    ).toBeVisible();
    if (await markAll.isVisible()) await markAll.click();
    const bell = advisor.getByTestId("notification-bell");
    await expect(bell).toHaveAttribute("aria-label", "Notifications, none unread");

    const { profile } = (await (await advisor.request.get("/api/advisor/profile")).json()) as {
      profile: { chatRateCentsPerMinute: number };
    };
    const started = await client.request.post("/api/sessions/start", {
      data: { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: profile.chatRateCentsPerMinute },
    });
    expect(started.status()).toBe(201);
    try {
      // Live: no reload on the advisor's side.
      await expect(advisor.getByTestId("notification-count")).toHaveText("1");
      await expect(bell).toHaveAttribute("aria-label", "Notifications, 1 unread");
      await expect(advisor.getByTestId("notification-live")).toHaveText("1 unread notification");

      await bell.click();
      const panel = advisor.getByTestId("notification-panel");
      await expect(panel.getByTestId("notification-item").first()).toContainText("New chat request from");
      await expect(panel.getByTestId("notification-item").first()).toHaveAttribute("data-read", "false");
      await panel.getByRole("button", { name: "Mark all read" }).click();
      await expect(advisor.getByTestId("notification-count")).toHaveCount(0);
      await expect(bell).toHaveAttribute("aria-label", "Notifications, none unread");
      await advisor.keyboard.press("Escape");

      await advisor.goto("/notifications");
      await expect(advisor.getByTestId("notification-item").first()).toContainText("New chat request from");
      await expect(advisor.getByTestId("notification-item").first()).toHaveAttribute("data-read", "true");
    } finally {
      // Decline the ringing request (the incoming card shows on any page) so the advisor is free for other specs.
      await advisor.getByRole("button", { name: "Decline" }).click();
      await expect(advisor.getByRole("button", { name: "Decline" })).toHaveCount(0);
    }
  } finally {
    await advisor.context().close();
    await client.context().close();
  }
});

test("notifications need a signed-in user; the dev mailbox page exists locally", async ({ page }) => {
  await page.goto("/notifications");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fnotifications/);
  const mailbox = await page.goto("/dev/mailbox");
  expect(mailbox?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
