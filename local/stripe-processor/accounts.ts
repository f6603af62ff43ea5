// Connect Express accounts: creation, account links and the hosted onboarding they open, and the test
// helper that restricts an account. Money between accounts (transfers, reversals, payouts) is in connect.ts.
import { metadataOrEmpty as metadataOf, now, str } from "./common";
import type { ConnectDeps } from "./connect";
import type { FormValue } from "./form";
import { newId, type StripeObject } from "./state";

/** Account links expire after five minutes, as Stripe's do; an expired or used link redirects to refresh_url. */
export const ACCOUNT_LINK_TTL_SECONDS = 300;
const INITIAL_REQUIREMENTS = [
  "business_profile.url",
  "external_account",
  "individual.first_name",
  "individual.last_name",
  "tos_acceptance.date",
  "tos_acceptance.ip",
];

export type OnboardingInput = { legalName: string; routingNumber: string; accountNumber: string };

/** Field errors of the onboarding form (empty when valid). Test bank account: 110000000 / 000123456789. */
export function validateOnboarding(input: OnboardingInput): Partial<Record<keyof OnboardingInput, string>> {
  const errors: Partial<Record<keyof OnboardingInput, string>> = {};
  if (input.legalName.trim().length < 2) errors.legalName = "Enter your full legal name.";
  if (!/^\d{9}$/.test(input.routingNumber.replace(/\s/g, "")))
    errors.routingNumber = "The routing number has 9 digits.";
  if (!/^\d{4,17}$/.test(input.accountNumber.replace(/\s/g, "")))
    errors.accountNumber = "The account number has 4 to 17 digits.";
  return errors;
}

export function accountsApi(deps: Pick<ConnectDeps, "store" | "invalid" | "emit" | "baseUrl">) {
  const { store, invalid } = deps;

  function createAccount(params: Record<string, FormValue>): StripeObject {
    const type = str(params.type) ?? "express";
    if (type !== "express") invalid(`This local processor supports type=express accounts only (got ${type}).`, "type");
    const capabilities: Record<string, string> = {};
    const requested = params.capabilities;
    if (requested !== undefined && typeof requested === "object" && !Array.isArray(requested)) {
      for (const [name, value] of Object.entries(requested)) {
        if (typeof value === "object" && !Array.isArray(value) && value.requested === "true")
          capabilities[name] = "inactive";
      }
    }
    if (Object.keys(capabilities).length === 0) capabilities.transfers = "inactive";
    return store.put({
      id: newId("acct", false).slice(0, 21),
      object: "account",
      type,
      business_type: str(params.business_type) ?? null,
      business_profile: { name: null, url: null },
      capabilities,
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      country: (str(params.country) ?? "US").toUpperCase(),
      default_currency: "usd",
      email: str(params.email) ?? null,
      created: now(),
      external_accounts: { object: "list", data: [], has_more: false, url: "/v1/accounts/external_accounts" },
      metadata: metadataOf(params.metadata),
      requirements: {
        currently_due: INITIAL_REQUIREMENTS,
        eventually_due: INITIAL_REQUIREMENTS,
        past_due: [],
        disabled_reason: "requirements.past_due",
      },
      settings: { payouts: { schedule: { interval: "daily", delay_days: 2 } } },
      livemode: false,
    });
  }

  function updateAccount(
    account: StripeObject,
    params: Record<string, FormValue>,
    idempotencyKey?: string,
  ): StripeObject {
    const updated = store.put({
      ...account,
      ...(params.metadata !== undefined
        ? { metadata: { ...(account.metadata as Record<string, string>), ...metadataOf(params.metadata) } }
        : {}),
      ...(str(params.email) !== undefined ? { email: str(params.email) } : {}),
    });
    deps.emit("account.updated", updated, { idempotencyKey });
    return updated;
  }

  function createAccountLink(params: Record<string, FormValue>): Record<string, unknown> {
    const accountId =
      str(params.account) ?? invalid("Missing required param: account.", "account", "parameter_missing");
    const account =
      store.get(accountId, "account") ?? invalid(`No such account: '${accountId}'`, "account", "resource_missing");
    const type = str(params.type) ?? invalid("Missing required param: type.", "type", "parameter_missing");
    if (type !== "account_onboarding" && type !== "account_update") invalid(`Invalid type: ${type}`, "type");
    const refreshUrl =
      str(params.refresh_url) ?? invalid("Missing required param: refresh_url.", "refresh_url", "parameter_missing");
    const returnUrl =
      str(params.return_url) ?? invalid("Missing required param: return_url.", "return_url", "parameter_missing");
    for (const [param, value] of [
      ["refresh_url", refreshUrl],
      ["return_url", returnUrl],
    ] as const) {
      if (!/^https?:\/\//.test(value)) invalid(`Not a valid URL`, param, "url_invalid");
    }
    const created = now();
    const link = store.put({
      id: newId("acctlink", false),
      object: "local.account_link",
      account: account.id,
      type,
      refresh_url: refreshUrl,
      return_url: returnUrl,
      created,
      expires_at: created + ACCOUNT_LINK_TTL_SECONDS,
      used: false,
    });
    return {
      object: "account_link",
      created,
      expires_at: link.expires_at,
      url: `${deps.baseUrl()}/connect/onboarding/${link.id}`,
    };
  }

  /** The link behind a hosted onboarding page, or where to send the visitor instead. */
  function openLink(linkId: string): { link: StripeObject; account: StripeObject } | { redirect: string } | null {
    const link = store.get(linkId, "local.account_link");
    if (link === null) return null;
    if (link.used === true || Number(link.expires_at) < now()) return { redirect: String(link.refresh_url) };
    const account = store.get(String(link.account), "account");
    return account === null ? null : { link, account };
  }

  /** "Agree and submit": the account becomes fully enabled and `account.updated` is sent. */
  function submitOnboarding(link: StripeObject, account: StripeObject, input: OnboardingInput): StripeObject {
    const accountNumber = input.accountNumber.replace(/\s/g, "");
    const capabilities = Object.fromEntries(
      Object.keys(account.capabilities as Record<string, string>).map((k) => [k, "active"]),
    );
    const bank = {
      id: newId("ba", false).slice(0, 27),
      object: "bank_account",
      account: account.id,
      bank_name: "STRIPE TEST BANK",
      country: "US",
      currency: "usd",
      last4: accountNumber.slice(-4),
      routing_number: input.routingNumber.replace(/\s/g, ""),
      status: "new",
      default_for_currency: true,
    };
    const [first, ...rest] = input.legalName.trim().split(/\s+/);
    const updated = store.put({
      ...account,
      business_type: account.business_type ?? "individual",
      business_profile: { ...(account.business_profile as object), name: input.legalName.trim() },
      individual: { first_name: first ?? "", last_name: rest.join(" ") },
      capabilities,
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      external_accounts: {
        object: "list",
        data: [bank],
        has_more: false,
        url: `/v1/accounts/${account.id}/external_accounts`,
      },
      requirements: { currently_due: [], eventually_due: [], past_due: [], disabled_reason: null },
      tos_acceptance: { date: now() },
    });
    store.put({ ...link, used: true });
    deps.emit("account.updated", updated);
    return updated;
  }

  /** Test helper: the account needs more information (charges and payouts disabled), as when Stripe restricts it. */
  function restrictAccount(account: StripeObject, params: Record<string, FormValue>): StripeObject {
    const due = str(params.requirement) ?? "individual.verification.document";
    const updated = store.put({
      ...account,
      charges_enabled: false,
      payouts_enabled: false,
      requirements: {
        currently_due: [due],
        eventually_due: [due],
        past_due: [due],
        disabled_reason: "requirements.past_due",
      },
    });
    deps.emit("account.updated", updated);
    return updated;
  }

  return { createAccount, updateAccount, createAccountLink, openLink, submitOnboarding, restrictAccount };
}
