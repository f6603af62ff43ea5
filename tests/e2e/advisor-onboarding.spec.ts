import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInAs, switchUser } from "./helpers";

// A 1x1 PNG and a tiny PDF for the uploads.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return await context.newPage();
}

test("apply as a new user, get approved, go online, and be found by a client", async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const name = `Quinn Zephyr ${stamp}`;
  const tag = `zephyrine${stamp}`;

  // 1. A new user applies.
  const applicant = await newPage(browser);
  await applicant.goto("/sign-in");
  await applicant.getByLabel("Name").fill(name);
  await applicant.getByLabel("Email").fill(`quinn+${stamp}@example.test`);
  await applicant.getByRole("button", { name: "Create account" }).click();
  await applicant.waitForURL("**/advisors");
  await applicant.goto("/advisor/setup");
  await applicant.getByRole("button", { name: "Start your application" }).click();

  // About you: the bio limit is enforced.
  await applicant.getByLabel("Display name").fill(name);
  await applicant.getByLabel("Headline").fill("Calm tarot readings for big decisions");
  await applicant.getByLabel("Bio").fill("x".repeat(2001));
  await applicant.getByRole("button", { name: "Save and continue" }).click();
  await expect(applicant.getByText("Bio can be at most 2000 characters.")).toBeVisible();
  await applicant
    .getByLabel("Bio")
    .fill("I have read tarot for eight years. Sessions are calm, practical and focused on your next step.");
  await applicant.getByRole("button", { name: "Save and continue" }).click();

  // Expertise.
  await expect(applicant.getByRole("heading", { name: "Expertise" })).toBeVisible();
  await applicant.getByRole("checkbox", { name: "Tarot" }).check();
  await applicant.getByLabel("Tags").fill(`${tag}, decisions`);
  await applicant.getByLabel("Languages").fill("English, French");
  await applicant.getByLabel("Years of experience").fill("8");
  await applicant.getByRole("button", { name: "Save and continue" }).click();

  // Photo: a non-image is refused, an image is accepted.
  await expect(applicant.getByRole("heading", { name: "Photo" })).toBeVisible();
  await applicant
    .getByLabel("Profile photo")
    .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await expect(applicant.getByText("The photo must be an image")).toBeVisible();
  await applicant.getByLabel("Profile photo").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG });
  await expect(applicant.getByText("Photo saved.")).toBeVisible();
  await expect(applicant.getByRole("img", { name: "Your profile photo" })).toBeVisible();
  await applicant.getByRole("button", { name: "Continue" }).click();

  // Rates: out of range and fractions of a cent are refused.
  await expect(applicant.getByRole("heading", { name: "Rates" })).toBeVisible();
  await applicant.getByLabel("Chat rate ($ per minute)").fill("0.05");
  await applicant.getByLabel("Offer video sessions").uncheck();
  await applicant.getByRole("button", { name: "Save and continue" }).click();
  await expect(applicant.getByText("Chat rate must be between $0.10 and $50.00 per minute.")).toBeVisible();
  await applicant.getByLabel("Chat rate ($ per minute)").fill("1.505");
  await applicant.getByRole("button", { name: "Save and continue" }).click();
  await expect(applicant.getByText(/at most 2 decimal places/)).toBeVisible();
  await applicant.getByLabel("Chat rate ($ per minute)").fill("1.50");
  await applicant.getByRole("button", { name: "Save and continue" }).click();

  // Verification document.
  await expect(applicant.getByRole("heading", { name: "Verification" })).toBeVisible();
  await applicant
    .getByLabel("Verification document")
    .setInputFiles({ name: "id.pdf", mimeType: "application/pdf", buffer: PDF });
  await expect(applicant.getByText("Document uploaded.")).toBeVisible();
  await applicant.getByRole("button", { name: "Continue" }).click();

  // Review and submit.
  await expect(applicant.getByRole("heading", { name: "Review & submit" })).toBeVisible();
  await applicant.getByRole("button", { name: "Submit for review" }).click();
  await expect(applicant.getByTestId("profile-status")).toHaveText("Under review");
  await expect(applicant.getByTestId("payout-status")).toContainText("Not connected");

  // Not listed before approval.
  await applicant.goto(`/advisors?q=${tag}`);
  await expect(applicant.getByText("No advisors match")).toBeVisible();

  // 2. The admin approves it from the queue (document preview shown).
  const admin = await newPage(browser);
  await signInAs(admin, "demo-admin", "/admin/advisors");
  const card = admin.getByTestId("application-card").filter({ hasText: name });
  await expect(card).toBeVisible();
  await expect(card.getByTestId("document-preview")).toBeVisible();
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(card).toBeHidden();

  // 3. The new advisor goes online from the header.
  await applicant.goto("/advisor-dashboard");
  const toggle = applicant.getByTestId("availability-toggle");
  await expect(toggle).toHaveAttribute("data-availability", "offline");
  await toggle.click();
  await applicant.getByRole("menuitemradio", { name: /Online/ }).click();
  await expect(toggle).toHaveAttribute("data-availability", "online");

  // 4. A client finds them through search and filters.
  const client = await newPage(browser);
  await signInAs(client, "demo-client", "/advisors");
  await client.getByLabel("Search advisors").fill(tag);
  await expect(client).toHaveURL(new RegExp(`q=${tag}`));
  await client.getByRole("button", { name: "Tarot", exact: true }).click();
  await client.getByRole("checkbox", { name: "Online now" }).check();
  await client.getByLabel("Minimum price per minute").fill("1");
  await client.getByLabel("Maximum price per minute").fill("2");
  await client.getByRole("button", { name: "Apply price" }).click();
  await expect(client).toHaveURL(/online=1/);
  const found = client.getByTestId("advisor-card").filter({ hasText: name });
  await expect(found).toBeVisible();
  await expect(found.getByTestId("availability-badge")).toHaveText("Online");

  // The badge updates live when the advisor goes busy.
  await toggle.click();
  await applicant.getByRole("menuitemradio", { name: /Busy/ }).click();
  await client.getByRole("checkbox", { name: "Online now" }).uncheck();
  await expect(found.getByTestId("availability-badge")).toHaveText("Busy");

  // A filter that excludes them: video only.
  await client.getByRole("radio", { name: "Video" }).check();
  await expect(found).toBeHidden();
  await client.getByRole("radio", { name: "Any" }).check();

  // Profile page: start buttons explain why they are disabled.
  await found.getByRole("link", { name }).click();
  await expect(client.getByRole("heading", { name, exact: true })).toBeVisible();
  await expect(client.getByTestId("start-chat-reason")).toHaveText(/in another session/);
  await expect(client.getByTestId("start-video-reason")).toHaveText(/does not offer/);
  await toggle.click();
  await applicant.getByRole("menuitemradio", { name: /Online/ }).click();
  await expect(client.getByTestId("start-chat")).toBeEnabled();
  await client.getByTestId("favourite-button").click();
  await expect(client.getByTestId("favourite-button")).toHaveAttribute("aria-pressed", "true");
  await client.goto("/user-dashboard/favourites");
  await expect(
    client.getByTestId("advisor-card").filter({ hasText: name }).getByTestId("availability-badge"),
  ).toHaveText("Online");
});

test("a client cannot read the advisor API as someone else, and bad PUTs are refused", async ({ page }) => {
  const signedOut = await page.request.get("/api/advisor/profile");
  expect(signedOut.status()).toBe(401);
  await signInAs(page, "demo-advisor-1");
  const mine = await page.request.get("/api/advisor/profile");
  expect(mine.status()).toBe(200);
  expect((await mine.json()).profile.displayName).toBe("Luna Ortiz");
  const bad = await page.request.put("/api/advisor/profile", { data: { chatRateCentsPerMinute: 150.5 } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/whole number of cents/);
  const ok = await page.request.put("/api/advisor/profile", { data: { chatRateCentsPerMinute: 205 } });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).profile.chatRateCentsPerMinute).toBe(205);
  await switchUser(page, "demo-admin", "/admin/billing/advisor-rates");
  await expect(page.getByTestId("rate-changes")).toContainText("Luna Ortiz");
  await expect(page.getByTestId("rate-changes")).toContainText("$2.05/min");
});
