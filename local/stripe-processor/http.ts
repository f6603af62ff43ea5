// HTTP front of the processor: API authentication, Stripe-Account, idempotency, failure injection and
// expand[] around the routes (routes.ts), and the hosted checkout and onboarding pages.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { API_VERSION, StripeError, invalid, type Scheduler } from "./common";
import { validateOnboarding } from "./accounts";
import type { connectApi } from "./connect";
import { applyExpand, expandPaths, invalidExpandPath, resourceOf } from "./expand";
import type { FailureInjector } from "./failures";
import { parseStripeForm } from "./form";
import { checkIdempotency, documentedError, saveResult, storeKeyOf } from "./idempotency";
import { checkoutPage, notFoundPage, onboardingPage } from "./page";
import type { paymentsApi } from "./payments";
import type { Route } from "./routes";
import { present } from "./shapes";
import { newId, type Store } from "./state";

export type HttpDeps = {
  secretKey: string;
  store: Store;
  routes: Route[];
  failures: FailureInjector;
  payments: ReturnType<typeof paymentsApi>;
  connect: ReturnType<typeof connectApi>;
  scheduler: Scheduler;
  /** The API request being handled (handlers run synchronously), for `request.id` on the events it causes. */
  request: { id: string | null };
  log: (line: string) => void;
};

export function requestListener({
  secretKey,
  store,
  routes,
  failures,
  payments,
  connect,
  scheduler,
  request,
  log,
}: HttpDeps) {
  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? "";
    let given = "";
    if (header.startsWith("Bearer ")) given = header.slice(7);
    else if (header.startsWith("Basic "))
      given = Buffer.from(header.slice(6), "base64").toString("utf8").replace(/:$/, "");
    const a = Buffer.from(given);
    const b = Buffer.from(secretKey);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  function send(res: ServerResponse, status: number, body: string, type = "application/json"): void {
    res.writeHead(status, {
      "content-type": type,
      "stripe-version": API_VERSION,
      "request-id": String(res.getHeader("request-id") ?? newId("req", false)),
    });
    res.end(body);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000)
        throw new StripeError(413, { type: "invalid_request_error", message: "Request too large." });
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!authorized(req)) {
      return send(
        res,
        401,
        JSON.stringify({ error: { type: "invalid_request_error", message: "Invalid API Key provided." } }),
      );
    }
    const method = req.method ?? "GET";
    const rawBody = method === "POST" ? await readBody(req) : "";
    const params = parseStripeForm(rawBody);
    const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    // Stripe-Account (the SDK's `stripeAccount` option): act as that connected account. Routes that have no
    // connected-account meaning here ignore it; an unknown account is refused as Stripe refuses it.
    const accountHeader = req.headers["stripe-account"];
    const accountId = typeof accountHeader === "string" && accountHeader !== "" ? accountHeader : null;
    const account = accountId === null ? null : store.get(accountId, "account");
    if (accountId !== null && account === null) {
      const message = `The provided key '${secretKey.slice(0, 8)}${"*".repeat(4)}${secretKey.slice(-4)}' does not have access to account '${accountId}' (or that account does not exist). Application access may have been revoked.`;
      return send(
        res,
        403,
        JSON.stringify({ error: { type: "invalid_request_error", code: "account_invalid", message } }),
      );
    }
    const key = method === "POST" ? (req.headers["idempotency-key"] as string | undefined) : undefined;
    const requestId = newId("req", false);
    res.setHeader("request-id", requestId);
    if (key !== undefined) res.setHeader("idempotency-key", key);
    // Idempotency keys are scoped per account, as Stripe's are (rules in idempotency.ts).
    const storeKey = storeKeyOf(key, accountId);
    const previous = checkIdempotency(store, storeKey, key, method, url.pathname, params);
    if (previous.kind === "conflict") return send(res, 400, previous.body);
    if (previous.kind === "replay") {
      res.setHeader("idempotent-replayed", "true");
      if (previous.record.requestId) res.setHeader("original-request", previous.record.requestId);
      return send(res, previous.record.status, previous.record.body);
    }
    // Failure injection (failures.ts): decided after the replay check, so replays are never affected.
    const failure = route?.operation !== undefined ? failures.take(route.operation) : null;
    if (failure?.kind === "error") {
      log(`injected ${failure.status} on ${method} ${url.pathname}`);
      // Nothing was done, so nothing is stored against the Idempotency-Key: a retry runs the request.
      return send(res, failure.status, JSON.stringify({ error: failure.body }, null, 2));
    }
    let status = 200;
    let body: string;
    try {
      if (route === undefined) {
        throw new StripeError(404, {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${method}: ${url.pathname}).`,
        });
      }
      // expand[] is checked before the request runs: an unknown path changes nothing.
      const expand = expandPaths(method === "GET" ? parseStripeForm(url.search.slice(1)) : params);
      const resource = resourceOf(method, url.pathname);
      const badPath = expand.length === 0 ? null : resource === null ? expand[0]! : invalidExpandPath(resource, expand);
      if (badPath !== null) invalid(`This property cannot be expanded (${badPath}).`, "expand");
      request.id = requestId;
      let result: unknown;
      try {
        result = route.handler(url.pathname.match(route.pattern)!, params, url.searchParams, key, { account, failure });
      } finally {
        request.id = null;
      }
      body = JSON.stringify(present(applyExpand(result, expand, (id) => store.get(id))), null, 2);
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      status = error.status;
      body = JSON.stringify({ error: documentedError(error.body, requestId) }, null, 2);
    }
    if (route !== undefined)
      saveResult(store, storeKey, { method, path: url.pathname, params, status, body, requestId });
    if (failure?.kind === "timeout") {
      // The request was carried out and its result stored; the answer is "lost": held until the client gives
      // up (or the processor stops), or sent late after holdMs.
      log(
        `injected timeout on ${method} ${url.pathname} (${failure.holdMs === null ? "never answered" : `answer held ${failure.holdMs} ms`})`,
      );
      if (failure.holdMs === null) return;
      const holdMs = failure.holdMs;
      await new Promise<void>((resolve) => {
        res.once("close", () => resolve());
        scheduler.later(holdMs, resolve);
      });
      if (res.destroyed || res.writableEnded) return;
    }
    send(res, status, body);
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<void> {
    const session = store.get(sessionId, "checkout.session");
    if (session === null) return send(res, 404, notFoundPage(), "text/html; charset=utf-8");
    if (req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      const values = {
        number: form.get("number") ?? "",
        expiry: form.get("expiry") ?? "",
        cvc: form.get("cvc") ?? "",
        name: form.get("name") ?? "",
      };
      if (session.status !== "open") return send(res, 409, checkoutPage(session), "text/html; charset=utf-8");
      const result = payments.payCheckout(session, values);
      if (result.ok) {
        res.writeHead(303, { location: result.redirect });
        return void res.end();
      }
      return send(
        res,
        402,
        checkoutPage(store.get(sessionId)!, { error: result.message, values: { ...values, cvc: "" } }),
        "text/html; charset=utf-8",
      );
    }
    send(res, 200, checkoutPage(session), "text/html; charset=utf-8");
  }

  async function handleOnboardingPage(req: IncomingMessage, res: ServerResponse, linkId: string): Promise<void> {
    const html = "text/html; charset=utf-8";
    const opened = connect.openLink(linkId);
    if (opened === null) return send(res, 404, notFoundPage("This onboarding link does not exist."), html);
    if ("redirect" in opened) {
      // Stripe sends visitors of an expired or already used link to refresh_url (the app makes a new link).
      res.writeHead(303, { location: opened.redirect });
      return void res.end();
    }
    if (req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      const values = {
        legalName: form.get("legalName") ?? "",
        routingNumber: form.get("routingNumber") ?? "",
        accountNumber: form.get("accountNumber") ?? "",
      };
      const errors = validateOnboarding(values);
      if (Object.keys(errors).length > 0)
        return send(res, 400, onboardingPage(opened.link, opened.account, { errors, values }), html);
      connect.submitOnboarding(opened.link, opened.account, values);
      res.writeHead(303, { location: String(opened.link.return_url) });
      return void res.end();
    }
    send(res, 200, onboardingPage(opened.link, opened.account), html);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const page = /^\/pay\/([^/]+)$/.exec(url.pathname);
    const onboarding = /^\/connect\/onboarding\/([^/]+)$/.exec(url.pathname);
    const work =
      url.pathname === "/health"
        ? Promise.resolve(send(res, 200, JSON.stringify({ ok: true })))
        : page
          ? handlePage(req, res, page[1]!)
          : onboarding
            ? handleOnboardingPage(req, res, onboarding[1]!)
            : url.pathname.startsWith("/v1/")
              ? handleApi(req, res, url)
              : Promise.resolve(
                  send(res, 404, JSON.stringify({ error: { type: "invalid_request_error", message: "Not found." } })),
                );
    work.catch((error: unknown) => {
      const status = error instanceof StripeError ? error.status : 500;
      log(`error ${req.method} ${url.pathname}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent)
        send(res, status, JSON.stringify({ error: { type: "api_error", message: (error as Error).message } }));
    });
  };
}
