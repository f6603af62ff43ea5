import { expect, type Page } from "@playwright/test";

export async function signInAs(page: Page, subject: string) {
  await page.goto("/sign-in");
  await page.getByTestId(`demo-${subject}`).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await expect(page.getByTestId("user-menu")).toBeVisible();
}

export async function mainNavLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Main" });
  return (await nav.getByRole("link").allInnerTexts()).map((t) => t.trim());
}
