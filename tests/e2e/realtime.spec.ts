import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

// Two browsers on the same data: a write in one shows up in the other without a reload.
test("a write in one browser appears in another within a second", async ({ browser }) => {
  const adminContext = await browser.newContext();
  const visitorContext = await browser.newContext();
  try {
    const admin = await adminContext.newPage();
    await signInAs(admin, "demo-admin");
    await admin.goto("/admin/dashboard");
    const clients = admin.getByTestId("people-clients");
    await expect(clients).toHaveText(/^[\d,]+$/);
    const before = Number((await clients.innerText()).replace(/,/g, ""));

    const visitor = await visitorContext.newPage();
    const response = await visitor.request.post("/api/auth/local/sign-in", {
      data: { name: "Realtime Tester", email: `realtime+${Date.now()}@example.test` },
    });
    expect(response.status()).toBe(200);
    await expect(clients).toHaveText((before + 1).toLocaleString("en-US"), { timeout: 1_000 });
  } finally {
    await adminContext.close();
    await visitorContext.close();
  }
});
