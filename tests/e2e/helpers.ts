import { expect, type Browser, type Page } from "@playwright/test";

/**
 * Signs in as a demo account through the sign-in API the demo buttons call (the cookie lands in the page's
 * context), then opens the role's home page, as the button does, or `landing` when the test starts elsewhere (one
 * page load instead of two). auth.spec.ts drives the buttons themselves; here the /sign-in page load would only
 * cost time in every test.
 */
export async function signInAs(page: Page, subject: string, landing?: string) {
  const response = await page.request.post("/api/auth/local/sign-in", { data: { subject } });
  expect(response.status(), await response.text()).toBe(200);
  const { redirectTo } = (await response.json()) as { redirectTo: string };
  await page.goto(landing ?? redirectTo);
  await expect(page.getByTestId("user-menu")).toBeVisible();
}

/**
 * Signs the page's context out and in as `subject`. The page first leaves the app: a token renewal the old page
 * still has in flight (/api/auth/local/token sets the cookie) would otherwise land after the new sign-in and put the
 * old user back.
 */
export async function switchUser(page: Page, subject: string, landing?: string) {
  await page.goto("about:blank");
  await page.context().clearCookies();
  await signInAs(page, subject, landing);
}

/** Opens `path` unless the page is already there (e.g. it just landed there after signing in). */
export async function gotoUnlessThere(page: Page, path: string) {
  const url = new URL(page.url());
  if (`${url.pathname}${url.search}` !== path) await page.goto(path);
}

export async function mainNavLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Main" });
  return (await nav.getByRole("link").allInnerTexts()).map((t) => t.trim());
}

/** Cents from the first "$1,234.56" (or "-$1.00") in a text. */
export function cents(text: string): number {
  const match = /(-?)\$([\d,]+)\.(\d\d)/.exec(text);
  if (!match) throw new Error(`no amount in "${text}"`);
  return (match[1] ? -1 : 1) * (Number(match[2]!.replace(/,/g, "")) * 100 + Number(match[3]));
}

/** The client's live wallet balance in the header. */
export async function headerBalance(page: Page): Promise<number> {
  const chip = page.getByTestId("wallet-balance");
  await expect(chip).toHaveText(/\$/);
  return cents(await chip.innerText());
}

/** A new browser context signed in as `subject` (camera and microphone allowed for video), open at `landing`. */
export async function signedInPage(browser: Browser, subject: string, landing?: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ["camera", "microphone"] });
  const page = await context.newPage();
  await signInAs(page, subject, landing);
  return page;
}

/** The advisor goes online from the header; returns their public profile id. */
export async function advisorOnline(page: Page): Promise<string> {
  await gotoUnlessThere(page, "/advisor-dashboard");
  const toggle = page.getByTestId("availability-toggle");
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute("data-availability")) !== "online") {
    await toggle.click();
    await page.getByRole("menuitemradio", { name: /Online/ }).click();
    await expect(toggle).toHaveAttribute("data-availability", "online");
  }
  const { profile } = (await (await page.request.get("/api/advisor/profile")).json()) as { profile: { _id: string } };
  return profile._id;
}
