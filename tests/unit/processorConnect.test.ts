// Stripe Connect Express on the local processor (accounts, account links, hosted onboarding, account.updated),
// driven by the official stripe SDK exactly as the app drives it.
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { failNextDeliveries, processor, received, start, stripe, setupLocalProcessor } from "./processorHarness";

setupLocalProcessor("stripe-connect-");

async function settle() {
  for (let i = 0; i < 50; i++) {
    await processor.idle();
    await new Promise((r) => setTimeout(r, 20));
    if (processor.store.state.undelivered.length === 0) return;
  }
}

const RETURN_URL = "http://app.test/advisor/setup?payouts=return";
const REFRESH_URL = "http://app.test/advisor/setup?payouts=refresh";

async function newAccount(key?: string) {
  return await stripe.accounts.create(
    {
      type: "express",
      country: "US",
      email: "adv@example.test",
      capabilities: { transfers: { requested: true } },
      metadata: { userId: "u1" },
    },
    key ? { idempotencyKey: key } : undefined,
  );
}

async function newLink(account: string) {
  return await stripe.accountLinks.create({
    account,
    type: "account_onboarding",
    return_url: RETURN_URL,
    refresh_url: REFRESH_URL,
  });
}

async function submit(
  url: string,
  fields: Record<string, string> = {
    legalName: "Ada Lovelace",
    routingNumber: "110000000",
    accountNumber: "000123456789",
  },
) {
  return await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("local processor: Connect Express", () => {
  it("creates an express account with nothing enabled yet, retrievable by id", async () => {
    const account = await newAccount();
    expect(account.id).toMatch(/^acct_[0-9A-Za-z]{16}$/);
    expect(account).toMatchObject({
      object: "account",
      type: "express",
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      metadata: { userId: "u1" },
      email: "adv@example.test",
    });
    expect(account.requirements?.currently_due?.length).toBeGreaterThan(0);
    expect(await stripe.accounts.retrieve(account.id)).toMatchObject({ id: account.id, charges_enabled: false });
    await expect(stripe.accounts.retrieve("acct_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
    });
  });

  it("honours idempotency keys: same key and params replay the account; other params are refused", async () => {
    const first = await newAccount("payout-account:u1");
    const again = await newAccount("payout-account:u1");
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    await expect(
      stripe.accounts.create({ type: "express", email: "other@example.test" }, { idempotencyKey: "payout-account:u1" }),
    ).rejects.toMatchObject({ type: "StripeIdempotencyError" });
    expect(processor.store.list("account")).toHaveLength(1);
  });

  it("refuses non-express accounts and incomplete account links", async () => {
    await expect(stripe.accounts.create({ type: "custom" })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      param: "type",
    });
    const account = await newAccount();
    await expect(
      stripe.accountLinks.create({
        account: account.id,
        type: "account_onboarding",
        return_url: RETURN_URL,
      } as Stripe.AccountLinkCreateParams),
    ).rejects.toMatchObject({ param: "refresh_url" });
    await expect(
      stripe.accountLinks.create({
        account: "acct_nope",
        type: "account_onboarding",
        return_url: RETURN_URL,
        refresh_url: REFRESH_URL,
      }),
    ).rejects.toMatchObject({ code: "resource_missing" });
  });

  it("onboarding page: submit enables charges and payouts, sends a signed account.updated, redirects to return_url", async () => {
    const account = await newAccount();
    const link = await newLink(account.id);
    expect(link).toMatchObject({ object: "account_link" });
    expect(link.expires_at).toBeGreaterThan(link.created);
    const page = await fetch(link.url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<label for="legalName">Legal name</label>');
    expect(html).toContain("Agree and submit");
    const response = await submit(link.url);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(RETURN_URL);
    const after = await stripe.accounts.retrieve(account.id);
    expect(after).toMatchObject({
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      requirements: { currently_due: [], disabled_reason: null },
    });
    expect(after.external_accounts?.data[0]).toMatchObject({ object: "bank_account", last4: "6789" });
    await settle();
    const updated = received.filter((r) => r.event.type === "account.updated");
    expect(updated).toHaveLength(1);
    expect(updated[0]!.event.data.object).toMatchObject({
      id: account.id,
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      metadata: { userId: "u1" },
    });
  });

  it("invalid form input is refused with field errors and changes nothing", async () => {
    const account = await newAccount();
    const link = await newLink(account.id);
    const response = await submit(link.url, { legalName: "", routingNumber: "12", accountNumber: "x" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain("Enter your full legal name.");
    expect(html).toContain('aria-invalid="true"');
    expect((await stripe.accounts.retrieve(account.id)).details_submitted).toBe(false);
    await settle();
    expect(received).toHaveLength(0);
  });

  it("a used or unknown link: used redirects to refresh_url, unknown is 404", async () => {
    const account = await newAccount();
    const link = await newLink(account.id);
    expect((await submit(link.url)).status).toBe(303);
    const reused = await fetch(link.url, { redirect: "manual" });
    expect(reused.status).toBe(303);
    expect(reused.headers.get("location")).toBe(REFRESH_URL);
    expect((await fetch(link.url.replace(/[^/]+$/, "acctlink_nope"))).status).toBe(404);
  });

  it("restrict test helper disables the account and sends account.updated; webhooks are retried on failure", async () => {
    const account = await newAccount();
    failNextDeliveries(1);
    const restricted = (await stripe.rawRequest(
      "POST",
      `/v1/test_helpers/accounts/${account.id}/restrict`,
      {},
    )) as unknown as { lastResponse: unknown };
    expect(restricted).toBeTruthy();
    await settle();
    const events = received.filter((r) => r.event.type === "account.updated");
    expect(events).toHaveLength(1);
    expect(events[0]!.event.data.object).toMatchObject({
      charges_enabled: false,
      payouts_enabled: false,
      requirements: { disabled_reason: "requirements.past_due" },
    });
  });

  it("keeps accounts across a restart (data dir)", async () => {
    const account = await newAccount();
    const link = await newLink(account.id);
    await submit(link.url);
    await settle();
    await processor.stop();
    await start();
    expect(await stripe.accounts.retrieve(account.id)).toMatchObject({ payouts_enabled: true });
  });
});
