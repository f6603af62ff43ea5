import { expect, test } from "@playwright/test";
import { advisorOnline, cents, headerBalance, signedInPage } from "./helpers";

// Session disputes end to end: a client (demo-client-2, $8.00) has a short chat with Priya (demo-advisor-3,
// $1.80/min), disputes it from the receipt, the advisor responds from her dashboard, the admin refunds it in
// full from the queue, and the client sees "Refunded" on the receipt and the refund line in the wallet.
// A full refund puts demo-client-2's balance back where it was, so later specs still find $8.00.
const CLIENT = "demo-client-2";
const CLIENT_NAME = "Jordan Lee";
const ADVISOR = "demo-advisor-3";
/** A page's first visit compiles it when the suite runs against `next dev` (E2E_DEV=1). */
const FIRST_VISIT = 90_000;

function dollars(amountCents: number): string {
  return `$${(amountCents / 100).toFixed(2)}`;
}

test("dispute: the client disputes a charged session, the advisor responds, the admin refunds in full; receipt and wallet show it", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const advisor = await signedInPage(browser, ADVISOR);
  const profileId = await advisorOnline(advisor);
  const client = await signedInPage(browser, CLIENT, `/advisors/${profileId}`);
  const before = await headerBalance(client);

  // A short chat: any charged amount can be disputed.
  await client.getByTestId("start-chat").click();
  await expect(client.getByTestId("ringing")).toContainText("Calling", { timeout: 60_000 });
  await expect(advisor.getByTestId("incoming-request")).toContainText("Incoming chat request", { timeout: 30_000 });
  await advisor.getByTestId("accept-incoming").click();
  await expect(client.getByTestId("session-room")).toHaveAttribute("data-status", "active", { timeout: 60_000 });
  await client.getByTestId("chat-input").fill("Hello? I cannot see your answers.");
  await client.getByTestId("chat-send").click();
  await expect(advisor.getByTestId("chat-message").filter({ hasText: "cannot see your answers" })).toBeVisible();
  // End once the meter has run a couple of seconds and shows a charge (the server bills at least that much).
  await expect(client.getByTestId("timer-elapsed")).not.toHaveText(/^0:0[01]$/);
  await expect(client.getByTestId("timer-cost")).not.toHaveText("$0.00");
  await client.getByTestId("end-session").click();
  await client.getByRole("button", { name: "End session" }).click();
  await expect(client.getByTestId("receipt")).toBeVisible({ timeout: 60_000 });
  const total = cents(await client.getByTestId("receipt-total").innerText());
  expect(total).toBeGreaterThan(0);
  await expect.poll(() => headerBalance(client)).toBe(before - total);

  // The client files a dispute from the receipt: the deadline is shown, wrong input is refused in plain words.
  const description = `The chat froze after a few seconds (e2e ${Date.now()}).`;
  await client.getByTestId("dispute-open").click();
  await expect(client.getByTestId("dispute-deadline")).toContainText("You can dispute until");
  await client.getByTestId("dispute-submit").click();
  await expect(client.getByRole("alert").filter({ hasText: "Choose what went wrong." })).toBeVisible();
  await expect(client.getByRole("alertdialog")).toHaveCount(0);
  await client.getByTestId("dispute-category-technical_problem").check();
  await client.getByTestId("dispute-description").fill(description);
  await client.getByTestId("dispute-amount").fill(((total + 100) / 100).toFixed(2));
  await client.getByTestId("dispute-submit").click();
  await expect(client.getByRole("alert").filter({ hasText: `at most ${dollars(total)}` })).toBeVisible();
  await client.getByTestId("dispute-amount").fill((total / 100).toFixed(2));
  await client.getByTestId("dispute-submit").click();
  const confirmFile = client.getByRole("alertdialog");
  await expect(confirmFile).toContainText(`You ask for ${dollars(total)} back`);
  await confirmFile.getByRole("button", { name: "Send dispute" }).click();
  await expect(client.getByTestId("dispute-status")).toHaveText("Open");

  // A client cannot use the admin API.
  const forbidden = await client.request.get("/api/admin/disputes");
  expect(forbidden.status()).toBe(403);
  expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");

  // The advisor sees it on her dashboard and responds once from the receipt.
  await advisor.goto("/advisor-dashboard", { timeout: FIRST_VISIT });
  const row = advisor.getByTestId("advisor-dispute-row").filter({ hasText: description });
  await expect(row).toContainText(CLIENT_NAME, { timeout: FIRST_VISIT });
  await row.click();
  await advisor.waitForURL(/\/session\/[^/]+\/receipt$/, { timeout: FIRST_VISIT });
  await expect(advisor.getByTestId("dispute-card")).toContainText(description, { timeout: FIRST_VISIT });
  await advisor.getByTestId("dispute-response").fill("I answered every message; the client's connection dropped.");
  await advisor.getByTestId("dispute-respond").click();
  await advisor.getByRole("alertdialog").getByRole("button", { name: "Send response" }).click();
  await expect(advisor.getByTestId("dispute-advisor-response")).toContainText("connection dropped");
  await expect(advisor.getByTestId("dispute-respond-form")).toHaveCount(0);

  // The admin finds it in the open queue, reads both statements and refunds everything with a note.
  const admin = await signedInPage(browser, "demo-admin", "/admin/disputes");
  const listed = (await (await admin.request.get("/api/admin/disputes?status=open")).json()) as {
    disputes: { _id: string; description: string }[];
  };
  const disputeId = listed.disputes.find((d) => d.description === description)?._id;
  expect(disputeId).toBeTruthy();
  expect((await admin.request.get("/api/admin/disputes?status=bogus")).status()).toBe(400);
  const queueRow = admin.getByTestId("admin-dispute-row").filter({ hasText: description });
  await expect(queueRow).toContainText(CLIENT_NAME, { timeout: FIRST_VISIT });
  await expect(queueRow).toContainText(/opened .+ ago/);
  await queueRow.click();
  await admin.waitForURL(`**/admin/disputes/${disputeId}`, { timeout: FIRST_VISIT });
  await expect(admin.getByTestId("admin-dispute-client-statement")).toContainText(description, {
    timeout: FIRST_VISIT,
  });
  await expect(admin.getByTestId("admin-dispute-advisor-statement")).toContainText("connection dropped");
  await expect(admin.getByTestId("facts-refundable")).toHaveText(dollars(total));
  await expect(admin.getByTestId("admin-dispute-transcript")).toContainText("cannot see your answers");
  await admin.getByTestId("resolve-full_refund").check();
  await admin.getByTestId("resolve-submit").click();
  await expect(admin.getByRole("alert").filter({ hasText: "Write a note for both parties" })).toBeVisible();
  await admin
    .getByTestId("resolve-note")
    .fill("The transcript shows the client's messages went unanswered. Full refund.");
  await admin.getByTestId("resolve-submit").click();
  const confirmRefund = admin.getByRole("alertdialog");
  await expect(confirmRefund).toContainText(`Refund ${dollars(total)} to ${CLIENT_NAME}?`);
  await expect(confirmRefund).toContainText("reduced pro rata");
  await confirmRefund.getByRole("button", { name: `Refund ${dollars(total)}` }).click();
  await expect(admin.getByTestId("admin-dispute-status")).toHaveText("Refunded");
  await expect(admin.getByTestId("facts-refundable")).toHaveText("$0.00");

  // The client's receipt updates live; the wallet lists the refund and the balance is back where it was.
  await expect(client.getByTestId("dispute-status")).toHaveText("Refunded");
  await expect(client.getByTestId("dispute-resolution")).toContainText(`${dollars(total)} was refunded to your wallet`);
  await expect(client.getByTestId("dispute-resolution")).toContainText("went unanswered");
  await client.goto("/user-dashboard/wallet", { timeout: FIRST_VISIT });
  const refundLine = client
    .getByTestId("wallet-history")
    .getByRole("listitem")
    .filter({ hasText: /Refund/ })
    .first();
  await expect(refundLine).toContainText(`+${dollars(total)}`, { timeout: FIRST_VISIT });
  await expect.poll(() => headerBalance(client)).toBe(before);

  for (const page of [client, advisor, admin]) await page.context().close();
});
