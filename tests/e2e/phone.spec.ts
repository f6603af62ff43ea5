import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { advisorOnline, signInAs } from "./helpers";

// Every main page of each role on a 390×844 phone: no horizontal scroll, and the page's primary action in view.
// The chat room keeps the composer and End on screen. Screenshots go to test-results/phone/ to be looked at.

const PHONE = { width: 390, height: 844 };
const SHOTS = "test-results/phone";
const FIRST_VISIT = 90_000;

async function phonePage(browser: Browser, subject: string | null, landing?: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 1,
    permissions: ["camera", "microphone"],
  });
  const page = await context.newPage();
  if (subject !== null) await signInAs(page, subject, landing);
  return page;
}

async function expectFits(page: Page, name: string, primary: (page: Page) => Locator) {
  await expect(primary(page)).toBeVisible({ timeout: FIRST_VISIT });
  await expect(primary(page)).toBeInViewport();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

type Check = { path: string; name: string; primary: (page: Page) => Locator };
const heading = (text: string | RegExp) => (p: Page) => p.getByRole("heading", { level: 1, name: text });

const PUBLIC: Check[] = [
  {
    path: "/",
    name: "public-home",
    primary: (p) => p.getByRole("main").getByRole("link", { name: "Browse advisors" }),
  },
  { path: "/advisors", name: "public-advisors", primary: (p) => p.getByRole("searchbox", { name: "Search advisors" }) },
  { path: "/sign-in", name: "public-sign-in", primary: (p) => p.getByTestId("demo-demo-client") },
];
const CLIENT: Check[] = [
  { path: "/advisors", name: "client-advisors", primary: (p) => p.getByRole("searchbox", { name: "Search advisors" }) },
  { path: "/user-dashboard/wallet", name: "client-wallet", primary: heading("Wallet") },
  { path: "/user-dashboard/sessions", name: "client-sessions", primary: heading("Your sessions") },
  { path: "/user-dashboard/favourites", name: "client-favourites", primary: heading("Favourite advisors") },
];
const ADVISOR: Check[] = [
  { path: "/advisor-dashboard", name: "advisor-dashboard", primary: (p) => p.getByTestId("availability-toggle") },
  { path: "/advisor-dashboard/earnings", name: "advisor-earnings", primary: heading(/Earnings/) },
  { path: "/advisor-dashboard/payouts", name: "advisor-payouts", primary: heading("Payouts") },
  { path: "/advisor-dashboard/sessions", name: "advisor-sessions", primary: heading("Your sessions") },
  { path: "/advisor/setup", name: "advisor-profile", primary: (p) => p.getByRole("heading", { level: 1 }) },
];
const ADMIN: Check[] = ["dashboard", "disputes", "sessions", "users", "billing", "alerts"].map((area) => ({
  path: `/admin/${area}`,
  name: `admin-${area}`,
  primary: (p: Page) => p.getByRole("heading", { level: 1 }),
}));

for (const [role, subject, checks] of [
  ["anonymous", null, PUBLIC],
  ["client", "demo-client", CLIENT],
  ["advisor", "demo-advisor-1", ADVISOR],
  ["admin", "demo-admin", ADMIN],
] as const) {
  test(`${role}: every main page fits a 390 px phone with its primary action in view`, async ({ browser }) => {
    test.setTimeout(300_000);
    const page = await phonePage(browser, subject, checks[0]!.path);
    for (const check of checks) {
      // The first page is where the sign-in landed.
      if (check !== checks[0] || subject === null) await page.goto(check.path, { timeout: FIRST_VISIT });
      await expectFits(page, check.name, check.primary);
    }
    if (role === "anonymous") {
      // An advisor's public profile: the start buttons are the primary action.
      await page.goto("/advisors");
      await page.locator('main a[href^="/advisors/"]').first().click();
      await page.waitForURL(/\/advisors\/[^/?]+$/, { timeout: FIRST_VISIT });
      await expectFits(page, "public-advisor-profile", (p) => p.getByTestId("start-chat"));
    }
    await page.context().close();
  });
}

test("the chat room on a phone: composer and End in view, compact timer, no sideways scroll", async ({ browser }) => {
  test.setTimeout(240_000);
  const advisor = await phonePage(browser, "demo-advisor-2");
  const profileId = await advisorOnline(advisor);
  const client = await phonePage(browser, "demo-client", `/advisors/${profileId}`);
  await client.getByTestId("start-chat").click();
  await expect(advisor.getByTestId("accept-incoming")).toBeVisible({ timeout: 30_000 });
  await advisor.getByTestId("accept-incoming").click();
  for (const [who, page] of [
    ["client", client],
    ["advisor", advisor],
  ] as const) {
    await expect(page.getByTestId("session-room")).toHaveAttribute("data-status", "active", { timeout: FIRST_VISIT });
    await expect(page.getByRole("textbox").last()).toBeInViewport();
    await expect(page.getByTestId("end-session")).toBeInViewport();
    // The timer is one row of figures (plus its buttons): not the four wrapped rows of before.
    const timer = await page.getByTestId("session-timer").boundingBox();
    expect(timer!.height).toBeLessThan(130);
    await expectFits(page, `room-${who}`, (p) => p.getByTestId("end-session"));
  }
  await client.getByTestId("end-session").click();
  await client.getByRole("alertdialog").getByRole("button", { name: "End session" }).click();
  await expect(client.getByTestId("receipt")).toBeVisible({ timeout: FIRST_VISIT });
  await client.context().close();
  await advisor.context().close();
});

test("a click on an advisor while the search is still debouncing lands on that advisor", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await phonePage(browser, null);
  await page.goto("/advisors", { timeout: FIRST_VISIT });
  const first = page.locator('main a[href^="/advisors/"]').first();
  await expect(first).toBeVisible({ timeout: FIRST_VISIT });
  const href = await first.getAttribute("href");
  // Type, then click at once: the 300 ms debounce has not fired yet.
  await page.getByRole("searchbox", { name: "Search advisors" }).fill("a");
  await first.click();
  await page.waitForURL((url) => url.pathname === href, { timeout: 30_000 });
  // It stays there: the late search update does not pull the page back.
  await page.waitForTimeout(1_500);
  expect(new URL(page.url()).pathname).toBe(href);
  await page.context().close();
});
