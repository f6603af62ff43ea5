// The processor's REST routes (the API list is at the top of server.ts).
import { invalid, str } from "./common";
import type { connectApi } from "./connect";
import type { disputesApi } from "./disputes";
import type { eventsApi } from "./events";
import {
  failureView,
  setFailureFromParams,
  type FailureDecision,
  type FailureInjector,
  type FailureOperation,
} from "./failures";
import type { balanceTransactionsApi } from "./fees";
import type { FormValue } from "./form";
import type { paymentsApi } from "./payments";
import type { Store, StripeObject } from "./state";

/** account: the connected account named by `Stripe-Account` (null without the header); failure: the injected failure for this request. */
export type RequestContext = { account: StripeObject | null; failure: FailureDecision };
export type Route = {
  method: string;
  pattern: RegExp;
  /** Failure injection applies to this route (POST only). */
  operation?: FailureOperation;
  handler: (
    m: RegExpMatchArray,
    params: Record<string, FormValue>,
    query: URLSearchParams,
    key: string | undefined,
    ctx: RequestContext,
  ) => Record<string, unknown>;
};

export type RoutesDeps = {
  store: Store;
  txns: ReturnType<typeof balanceTransactionsApi>;
  payments: ReturnType<typeof paymentsApi>;
  disputes: ReturnType<typeof disputesApi>;
  events: ReturnType<typeof eventsApi>;
  connect: ReturnType<typeof connectApi>;
  failures: FailureInjector;
  webhookUrl: string | null;
  getOr404: (id: string, object: string) => StripeObject;
};

/** The REST API: method and path to handler; the resources live in their own modules. */
export function apiRoutes({
  store,
  txns,
  payments,
  disputes,
  events,
  connect,
  failures,
  webhookUrl,
  getOr404,
}: RoutesDeps): Route[] {
  return [
    { method: "POST", pattern: /^\/v1\/customers$/, handler: (_m, p) => payments.createCustomer(p) },
    { method: "GET", pattern: /^\/v1\/customers\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "customer") },
    {
      method: "GET",
      pattern: /^\/v1\/customers\/([^/]+)\/payment_methods$/,
      handler: (m) => {
        getOr404(m[1]!, "customer");
        const data = store.list("payment_method").filter((pm) => pm.customer === m[1]);
        return { object: "list", url: `/v1/customers/${m[1]}/payment_methods`, has_more: false, data };
      },
    },
    { method: "POST", pattern: /^\/v1\/checkout\/sessions$/, handler: (_m, p) => payments.createCheckoutSession(p) },
    {
      method: "GET",
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/,
      handler: (m) => getOr404(m[1]!, "checkout.session"),
    },
    {
      method: "POST",
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      handler: (m) => {
        const session = getOr404(m[1]!, "checkout.session");
        if (session.status !== "open")
          invalid(`Only open sessions can be expired (this one is ${String(session.status)}).`, "session");
        const expired = store.put({ ...session, status: "expired" });
        events.emit("checkout.session.expired", expired);
        return expired;
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/payment_intents$/,
      handler: (_m, p, _q, key) => {
        const pi = payments.createPaymentIntent(p);
        const pm = str(p.payment_method);
        if (p.confirm === "true") {
          if (!pm) invalid("A payment_method is required to confirm.", "payment_method", "parameter_missing");
          return payments.confirmOffSession(pi, pm, key);
        }
        return pm ? store.put({ ...pi, payment_method: pm, status: "requires_confirmation" }) : pi;
      },
    },
    { method: "GET", pattern: /^\/v1\/payment_intents\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "payment_intent") },
    { method: "GET", pattern: /^\/v1\/payment_methods\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "payment_method") },
    { method: "GET", pattern: /^\/v1\/charges\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "charge") },
    { method: "POST", pattern: /^\/v1\/refunds$/, handler: (_m, p, _q, key) => payments.createRefund(p, key) },
    { method: "GET", pattern: /^\/v1\/refunds\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "refund") },
    { method: "GET", pattern: /^\/v1\/disputes\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "dispute") },
    {
      method: "GET",
      pattern: /^\/v1\/balance$/,
      handler: (_m, _p, _q, _k, ctx) => connect.balance(ctx.account?.id ?? null),
    },
    { method: "GET", pattern: /^\/v1\/balance_transactions$/, handler: (_m, _p, q) => txns.list(q) },
    {
      method: "GET",
      pattern: /^\/v1\/balance_transactions\/([^/]+)$/,
      handler: (m) => getOr404(m[1]!, "balance_transaction"),
    },
    {
      method: "POST",
      pattern: /^\/v1\/transfers$/,
      operation: "transfers",
      handler: (_m, p, _q, key) => connect.createTransfer(p, key),
    },
    { method: "GET", pattern: /^\/v1\/transfers$/, handler: (_m, _p, q) => connect.listTransfers(q) },
    { method: "GET", pattern: /^\/v1\/transfers\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "transfer") },
    {
      method: "POST",
      pattern: /^\/v1\/transfers\/([^/]+)\/reversals$/,
      operation: "reversals",
      handler: (m, p, _q, key) => connect.createReversal(getOr404(m[1]!, "transfer"), p, key),
    },
    {
      method: "GET",
      pattern: /^\/v1\/transfers\/([^/]+)\/reversals$/,
      handler: (m, _p, q) => connect.listReversals(getOr404(m[1]!, "transfer"), q),
    },
    {
      method: "GET",
      pattern: /^\/v1\/transfers\/([^/]+)\/reversals\/([^/]+)$/,
      handler: (m) => connect.getReversal(getOr404(m[1]!, "transfer"), m[2]!),
    },
    {
      method: "POST",
      pattern: /^\/v1\/payouts$/,
      operation: "payouts",
      handler: (_m, p, _q, key, ctx) =>
        connect.createPayout(ctx.account, p, {
          idempotencyKey: key,
          ...(ctx.failure?.kind === "payout_fails" ? { failureCode: ctx.failure.failureCode } : {}),
        }),
    },
    { method: "GET", pattern: /^\/v1\/payouts$/, handler: (_m, _p, q, _k, ctx) => connect.listPayouts(ctx.account, q) },
    {
      method: "GET",
      pattern: /^\/v1\/payouts\/([^/]+)$/,
      handler: (m, _p, _q, _k, ctx) => connect.getPayout(ctx.account, m[1]!),
    },
    {
      method: "POST",
      pattern: /^\/v1\/test_helpers\/failures$/,
      handler: (_m, p) => setFailureFromParams(failures, p, invalid),
    },
    {
      method: "GET",
      pattern: /^\/v1\/test_helpers\/failures$/,
      handler: () => ({
        object: "list",
        url: "/v1/test_helpers/failures",
        has_more: false,
        data: failures.list().map(failureView),
      }),
    },
    { method: "POST", pattern: /^\/v1\/accounts$/, handler: (_m, p) => connect.createAccount(p) },
    { method: "GET", pattern: /^\/v1\/accounts\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "account") },
    {
      method: "POST",
      pattern: /^\/v1\/accounts\/([^/]+)$/,
      handler: (m, p, _q, key) => connect.updateAccount(getOr404(m[1]!, "account"), p, key),
    },
    { method: "POST", pattern: /^\/v1\/account_links$/, handler: (_m, p) => connect.createAccountLink(p) },
    {
      method: "POST",
      pattern: /^\/v1\/test_helpers\/accounts\/([^/]+)\/restrict$/,
      handler: (m, p) => connect.restrictAccount(getOr404(m[1]!, "account"), p),
    },
    {
      method: "GET",
      pattern: /^\/v1\/events$/,
      handler: (_m, _p, q, _k, ctx) => events.listEvents(q, ctx.account?.id ?? null),
    },
    { method: "GET", pattern: /^\/v1\/events\/([^/]+)$/, handler: (m) => getOr404(m[1]!, "event") },
    {
      method: "POST",
      pattern: /^\/v1\/test_helpers\/events\/([^/]+)\/resend$/,
      handler: (m) => {
        const event = getOr404(m[1]!, "event");
        if (!webhookUrl) invalid("No webhook endpoint is configured.", "event");
        events.resend(event); // one attempt, no further retries
        return event;
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/test_helpers\/charges\/([^/]+)\/dispute$/,
      handler: (m, p) => disputes.openDispute(getOr404(m[1]!, "charge"), p),
    },
    {
      method: "POST",
      pattern: /^\/v1\/test_helpers\/disputes\/([^/]+)\/close$/,
      handler: (m, p) => disputes.closeDispute(getOr404(m[1]!, "dispute"), p),
    },
  ];
}
