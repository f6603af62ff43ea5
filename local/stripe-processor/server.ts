// A local Stripe-compatible processor: the subset of Stripe's REST API the app uses, a hosted checkout
// page, and Stripe-signed webhooks with retries. Development and tests only.
//
// API (form-encoded, `Authorization: Bearer <secret key>`, `Idempotency-Key` honoured on POST):
//   POST/GET /v1/customers[/:id]            GET /v1/customers/:id/payment_methods
//   POST/GET /v1/checkout/sessions[/:id]    POST /v1/checkout/sessions/:id/expire
//   POST/GET /v1/payment_intents[/:id]      (confirm + off_session with a saved payment method)
//   GET /v1/payment_methods/:id             GET /v1/charges/:id
//   POST/GET /v1/refunds[/:id]              GET /v1/balance (net of fees, see fees.ts)
//   GET /v1/balance_transactions[/:id]      (list: ?source=&type=)
//   GET /v1/events[/:id]                    GET /v1/disputes/:id
//   POST/GET /v1/accounts[/:id]             POST /v1/account_links   (Connect Express, see connect.ts)
//   POST/GET /v1/transfers[/:id]            POST/GET /v1/transfers/:id/reversals[/:id]
//   POST/GET /v1/payouts[/:id]              (with `Stripe-Account: acct_...`: the connected account's payouts)
//   GET /v1/balance with `Stripe-Account`   the connected account's balance
// Test helpers (not in Stripe's API, same auth):
//   POST /v1/test_helpers/events/:id/resend               replay one event's webhook now
//   POST /v1/test_helpers/charges/:id/dispute             open a dispute (chargeback): amount?, reason?
//   POST /v1/test_helpers/disputes/:id/close              close it: outcome=won|lost
//   POST /v1/test_helpers/accounts/:id/restrict           connected account needs more info: requirement?
//   POST/GET /v1/test_helpers/failures                    failure injection (see failures.ts)
// Hosted pages: GET/POST /pay/:checkout_session_id, GET/POST /connect/onboarding/:link. Health: GET /health.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Scheduler, invalid, missing } from "./common";
import { connectApi } from "./connect";
import { disputesApi } from "./disputes";
import { eventsApi } from "./events";
import { FailureInjector, type FailureInjection, type FailureOperation, type FailureState } from "./failures";
import { balanceTransactionsApi } from "./fees";
import { requestListener } from "./http";
import { paymentsApi } from "./payments";
import { apiRoutes } from "./routes";
import { Store, type StripeObject } from "./state";

export type ProcessorOptions = {
  port?: number;
  host?: string;
  /** Where state.json lives; null keeps everything in memory (tests). */
  dataDir: string | null;
  secretKey: string;
  webhookUrl: string | null;
  webhookSecret: string;
  /** Public base URL of the hosted pages (defaults to http://localhost:<port>). */
  publicUrl?: string;
  /** Retry schedule in ms for undelivered webhooks (default 1 s doubling to 60 s, 12 attempts). */
  retryDelaysMs?: number[];
  /** Delay before a payout turns from `pending` to `paid` / `failed` (default 1000 ms; 0 in tests). */
  payoutDelayMs?: number;
  /**
   * Platform funds present from the start (USD cents), like a Stripe test-mode balance. The dev stack sets it
   * to what the demo seed put in the ledger's processor_cash, so seeded advisors can be paid out.
   */
  openingBalanceCents?: number;
  log?: (line: string) => void;
};

export type Processor = {
  url: string;
  port: number;
  store: Store;
  stop(): Promise<void>;
  /** Resolves when no webhook delivery is in flight or waiting (for tests). */
  idle(): Promise<void>;
  /** Failure injection, in memory (same as `POST /v1/test_helpers/failures`); see failures.ts. */
  failures: FailureInjector;
  /** Shorthand for `failures.set(operation, injection)`; throws an Error on invalid input. */
  injectFailure(operation: FailureOperation, injection: FailureInjection): FailureState | null;
};

function payoutDelayMs(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : 1000;
}

/** Wires the resources (each a module taking its dependencies, as connect.ts's `ConnectDeps`) and listens. */
export async function startProcessor(options: ProcessorOptions): Promise<Processor> {
  const log = options.log ?? (() => {});
  const store = new Store(options.dataDir);
  const scheduler = new Scheduler();
  const failures = new FailureInjector();
  const txns = balanceTransactionsApi(store, () => Math.floor(Date.now() / 1000));
  const request: { id: string | null } = { id: null };
  let baseUrl = "";
  const getOr404 = (id: string, object: string): StripeObject => store.get(id, object) ?? missing(object, id);

  const events = eventsApi({
    store,
    webhookUrl: options.webhookUrl,
    webhookSecret: options.webhookSecret,
    retryDelaysMs: options.retryDelaysMs ?? [
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000, 60000, 60000,
    ],
    scheduler,
    requestId: () => request.id,
    log,
  });
  const { emit } = events;
  const payments = paymentsApi({
    store,
    txns,
    emit,
    baseUrl: () => baseUrl,
    openingBalanceCents: options.openingBalanceCents ?? 0,
  });
  const disputes = disputesApi({ store, emit });
  const connect = connectApi({
    payoutFee: (payout) => txns.forPayoutFee(payout),
    store,
    baseUrl: () => baseUrl,
    emit,
    invalid,
    getOr404,
    missing,
    platformGross: payments.platformGross,
    later: (ms, fn) => scheduler.later(ms, fn),
    payoutDelayMs: payoutDelayMs(options.payoutDelayMs),
  });
  const routes = apiRoutes({
    store,
    txns,
    payments,
    disputes,
    events,
    connect,
    failures,
    webhookUrl: options.webhookUrl,
    getOr404,
  });
  const server = createServer(
    requestListener({
      secretKey: options.secretKey,
      store,
      routes,
      failures,
      payments,
      connect,
      scheduler,
      request,
      log,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = options.publicUrl ?? `http://localhost:${port}`;

  // Deliver what was not delivered before the last shutdown; settle the payouts that were pending.
  events.resumeDeliveries();
  connect.resumePayouts();

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    store,
    failures,
    injectFailure: (operation, injection) => failures.set(operation, injection),
    idle: () => scheduler.idle(),
    async stop() {
      await scheduler.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      store.close();
    },
  };
}
