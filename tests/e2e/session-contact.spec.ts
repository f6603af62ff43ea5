import { expect, test, type Page } from "@playwright/test";
import { advisorOnline, cents, signedInPage } from "./helpers";

// Issue 18, what a user sees: contact only while the meter runs (the composer is disabled with the reason while
// paused, only the side that paused can resume), one balance on screen, and the rate-changed refusal.

// Under `next dev` (E2E_DEV=1) the room compiles on its first visit: warm it so the timings below are the app's.
test.beforeAll(async ({ browser }) => {
  if (process.env.E2E_DEV !== "1") return;
  test.setTimeout(180_000);
  const page = await signedInPage(browser, "demo-client");
  await page.goto("/session/warm-up", { timeout: 170_000 });
  await expect(page.getByTestId("session-error")).toBeVisible({ timeout: 120_000 });
  await page.context().close();
});

async function chatRate(advisor: Page): Promise<number> {
  const { profile } = (await (await advisor.request.get("/api/advisor/profile")).json()) as {
    profile: { chatRateCentsPerMinute: number };
  };
  return profile.chatRateCentsPerMinute;
}

async function setChatRate(advisor: Page, rate: number) {
  const response = await advisor.request.put("/api/advisor/profile", { data: { chatRateCentsPerMinute: rate } });
  expect(response.ok(), await response.text()).toBe(true);
}

test("paused: both composers are disabled with the reason, only the pauser can resume, and the header shows the room's balance", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const advisor = await signedInPage(browser, "demo-advisor-2");
  const profileId = await advisorOnline(advisor);
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  await client.getByTestId("start-chat").click();
  await expect(client.getByTestId("ringing")).toBeVisible({ timeout: 30_000 });
  await advisor.getByTestId("accept-incoming").click();
  await expect(client.getByTestId("session-room")).toHaveAttribute("data-status", "active");

  // One balance on screen: the header chip follows the room's live balance.
  await expect(client.getByTestId("wallet-balance")).toHaveAttribute("data-live", "true");
  await expect
    .poll(
      async () =>
        cents(await client.getByTestId("wallet-balance").innerText()) -
        cents(await client.getByTestId("timer-balance").innerText()),
      { timeout: 10_000 },
    )
    .toBe(0);

  await client.getByTestId("chat-input").fill("Hello before the pause");
  await client.getByTestId("chat-send").click();
  await expect(advisor.getByTestId("chat-message").filter({ hasText: "before the pause" })).toBeVisible();

  await client.getByTestId("pause-session").click();
  await expect(client.getByTestId("session-room")).toHaveAttribute("data-status", "paused");
  await expect(advisor.getByTestId("session-room")).toHaveAttribute("data-status", "paused");
  // The composer is off on both sides, with why and what to do next.
  await expect(client.getByTestId("chat-send")).toBeDisabled();
  await expect(client.getByTestId("chat-disabled-reason")).toContainText("Resume it to send messages");
  await expect(advisor.getByTestId("chat-send")).toBeDisabled();
  await expect(advisor.getByTestId("chat-disabled-reason")).toContainText("until the client resumes");
  // The advisor cannot restart the client's meter.
  await expect(advisor.getByTestId("resume-session")).toHaveCount(0);
  await expect(advisor.getByTestId("resume-waiting")).toContainText("Only the client can resume");
  // The server refuses a message while paused even if a page tried (409 mapped from SESSION_NOT_ACTIVE).
  const transcript = advisor.getByTestId("chat-message");
  const before = await transcript.count();

  await client.getByTestId("resume-session").click();
  await expect(client.getByTestId("session-room")).toHaveAttribute("data-status", "active");
  await expect(client.getByTestId("chat-send")).toBeDisabled(); // empty input
  await client.getByTestId("chat-input").fill("Back again");
  await client.getByTestId("chat-send").click();
  await expect(advisor.getByTestId("chat-message").filter({ hasText: "Back again" })).toBeVisible();
  expect(await transcript.count()).toBe(before + 1);

  await client.getByTestId("end-session").click();
  await client.getByRole("button", { name: "End session" }).click();
  await expect(client.getByTestId("receipt")).toBeVisible();
  await expect(client.getByTestId("wallet-balance")).toHaveAttribute("data-live", "false");
  await advisor.context().close();
  await client.context().close();
});

test("a rate change before the request: the client is told the new rate and nothing starts until they agree", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const advisor = await signedInPage(browser, "demo-advisor-2");
  const profileId = await advisorOnline(advisor);
  const original = await chatRate(advisor);
  const client = await signedInPage(browser, "demo-client", `/advisors/${profileId}`);
  try {
    await expect(client.getByTestId("start-chat")).toBeEnabled();
    const raised = original + 7;
    await setChatRate(advisor, raised);
    const newRate = `$${(raised / 100).toFixed(2)}`;
    await expect(client.getByTestId("start-chat-rate-changed")).toContainText(newRate);
    // The click still carries the rate the client saw: the server refuses and says the new rate.
    await client.getByTestId("start-chat").click();
    await expect(client.getByText(/rate is now/)).toContainText(newRate);
    await expect(client).toHaveURL(new RegExp(`/advisors/${profileId}`));
    await expect(client.getByTestId("start-chat-rate-changed")).toHaveCount(0);

    // The API route refuses the same way (409 RATE_CHANGED) and writes nothing.
    const refused = await client.request.post("/api/sessions/start", {
      data: { advisorProfileId: profileId, kind: "chat", rateCentsPerMinute: original },
    });
    expect(refused.status()).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("RATE_CHANGED");

    // Agreeing to the rate on screen starts the call.
    await client.getByTestId("start-chat").click();
    await expect(client.getByTestId("ringing")).toBeVisible({ timeout: 30_000 });
    await client.getByTestId("cancel-request").click();
    await expect(client.getByTestId("closed-request")).toBeVisible();
  } finally {
    await setChatRate(advisor, original);
    await advisor.context().close();
    await client.context().close();
  }
});
