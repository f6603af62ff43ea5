import { expect, test, type Page } from "@playwright/test";

// The production CSP (issue 20): scripts run only with the request's nonce (no 'unsafe-inline'), and an uploaded
// photo, served from the Convex deployment's origin, displays. E2E runs a production build (next build + start).

// A 1x1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

function scriptSrc(csp: string): string[] {
  const directive = csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src "));
  return directive ? directive.split(/\s+/).slice(1) : [];
}

/** Collects the browser's CSP violation reports for the page. */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("pages carry a fresh script nonce and no 'unsafe-inline' for scripts", async ({ page }) => {
  const violations = cspViolations(page);
  const first = await page.goto("/sign-in");
  const second = await page.request.get("/sign-in");
  const csp1 = first!.headers()["content-security-policy"] ?? "";
  const csp2 = second.headers()["content-security-policy"] ?? "";
  const nonce1 = scriptSrc(csp1).find((v) => v.startsWith("'nonce-"));
  const nonce2 = scriptSrc(csp2).find((v) => v.startsWith("'nonce-"));
  expect(nonce1).toBeDefined();
  expect(nonce2).toBeDefined();
  expect(nonce1).not.toBe(nonce2);
  expect(scriptSrc(csp1)).not.toContain("'unsafe-inline'");
  expect(scriptSrc(csp1)).not.toContain("'unsafe-eval'");
  // Next put the nonce on its scripts, so the page hydrated: the create-account form validates on the client.
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name (at least 2 characters).")).toBeVisible();
  expect(await page.locator("script[nonce]").count()).toBeGreaterThan(0);
  expect(violations).toEqual([]);
});

test("an uploaded photo displays under the production CSP", async ({ page }) => {
  test.setTimeout(120_000);
  const violations = cspViolations(page);
  const stamp = Date.now().toString(36);
  await page.goto("/sign-in");
  await page.getByLabel("Name").fill(`Piper Photo ${stamp}`);
  await page.getByLabel("Email").fill(`piper+${stamp}@example.test`);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/advisors");
  await page.goto("/advisor/setup");
  await page.getByRole("button", { name: "Start your application" }).click();
  await page.getByLabel("Display name").fill(`Piper Photo ${stamp}`);
  await page.getByLabel("Headline").fill("Calm tarot readings for big decisions");
  await page
    .getByLabel("Bio")
    .fill("I have read tarot for eight years. Sessions are calm, practical and focused on your next step.");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: "Expertise" })).toBeVisible();
  await page.getByRole("checkbox", { name: "Tarot" }).check();
  await page.getByLabel("Tags").fill("clarity");
  await page.getByLabel("Languages").fill("English");
  await page.getByLabel("Years of experience").fill("8");
  await page.getByRole("button", { name: "Save and continue" }).click();

  await expect(page.getByRole("heading", { name: "Photo" })).toBeVisible();
  await page.getByLabel("Profile photo").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG });
  await expect(page.getByText("Photo saved.")).toBeVisible();
  const photo = page.getByRole("img", { name: "Your profile photo" });
  await expect(photo).toBeVisible();
  // Loaded, not blocked: a blocked image has no natural size.
  await expect
    .poll(async () => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);
  expect(violations).toEqual([]);
});
