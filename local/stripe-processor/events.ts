// Events and their Stripe-signed webhooks, with retries: every state change of the processor emits here.
import { createHmac } from "node:crypto";
import { createdMatcher } from "./expand";
import { parseStripeForm } from "./form";
import { API_VERSION, now, type Scheduler } from "./common";
import { present } from "./shapes";
import { newId, type Store, type StripeObject } from "./state";

export type EventsDeps = {
  store: Store;
  webhookUrl: string | null;
  webhookSecret: string;
  /** Retry schedule in ms for undelivered webhooks; past its end, delivery gives up. */
  retryDelaysMs: number[];
  scheduler: Scheduler;
  /** The req_ id of the API call being handled (null for the hosted pages and timers). */
  requestId: () => string | null;
  log: (line: string) => void;
};

/** `t=<unix>,v1=<hex hmac-sha256 of "t.payload">`, exactly as Stripe signs webhooks. */
export function signPayload(payload: string, secret: string, timestamp = now()): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export function eventsApi({ store, webhookUrl, webhookSecret, retryDelaysMs, scheduler, requestId, log }: EventsDeps) {
  /** `request.account`: the connected account the event happened on (top-level `account`, as Connect webhooks carry). */
  function emit(
    type: string,
    object: StripeObject,
    request: { idempotencyKey?: string; account?: string } = {},
  ): StripeObject {
    const event = store.put({
      id: newId("evt"),
      object: "event",
      ...(request.account ? { account: request.account } : {}),
      api_version: API_VERSION,
      created: now(),
      data: { object: present(object) },
      livemode: false,
      pending_webhooks: webhookUrl ? 1 : 0,
      // request.id: the req_ id of the API call that caused the event (null for the hosted pages and timers).
      request: { id: requestId(), idempotency_key: request.idempotencyKey ?? null },
      type,
    });
    store.state.eventOrder.push(event.id);
    if (webhookUrl) {
      store.state.undelivered.push(event.id);
      deliver(event.id, 0);
    }
    return event;
  }

  function deliver(eventId: string, attempt: number): void {
    if (scheduler.stopped) return;
    const run = (async () => {
      const event = store.get(eventId, "event");
      if (event === null || !webhookUrl) return;
      const payload = JSON.stringify(present(event), null, 2);
      let status = 0;
      try {
        const response = await fetch(webhookUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json; charset=utf-8",
            "stripe-signature": signPayload(payload, webhookSecret),
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          },
          body: payload,
          signal: AbortSignal.timeout(30_000),
        });
        status = response.status;
        await response.text().catch(() => "");
      } catch (error) {
        log(`webhook ${event.type} ${eventId}: ${(error as Error).message}`);
      }
      if (status >= 200 && status < 300) {
        store.state.undelivered = store.state.undelivered.filter((id) => id !== eventId);
        store.put({ ...event, pending_webhooks: 0 });
        return;
      }
      const delay = retryDelaysMs[attempt];
      if (scheduler.stopped) return;
      if (delay === undefined) {
        log(`webhook ${event.type} ${eventId}: giving up after ${attempt + 1} attempts (last status ${status})`);
        return;
      }
      log(`webhook ${event.type} ${eventId}: status ${status}, retry in ${delay} ms`);
      scheduler.later(delay, () => deliver(eventId, attempt + 1));
    })();
    scheduler.track(run);
  }

  /** `POST /v1/test_helpers/events/:id/resend`: one attempt now, no further retries. */
  function resend(event: StripeObject): void {
    if (!store.state.undelivered.includes(event.id)) store.state.undelivered.push(event.id);
    deliver(event.id, retryDelaysMs.length);
  }

  /** Deliver what was not delivered before the last shutdown. */
  function resumeDeliveries(): void {
    for (const id of [...store.state.undelivered]) deliver(id, 0);
  }

  /** Without Stripe-Account: every event (platform and connected accounts); with it: that account's events. */
  function listEvents(query: URLSearchParams, account: string | null): Record<string, unknown> {
    const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 10) || 10));
    const type = query.get("type");
    const startingAfter = query.get("starting_after");
    const created = createdMatcher(parseStripeForm(query.toString()));
    let ids = [...store.state.eventOrder].reverse();
    if (startingAfter) {
      const at = ids.indexOf(startingAfter);
      ids = at === -1 ? [] : ids.slice(at + 1);
    }
    const events = ids
      .map((id) => store.get(id, "event")!)
      .filter(
        (e) => e !== null && created(e) && (!type || e.type === type) && (account === null || e.account === account),
      );
    return { object: "list", url: "/v1/events", has_more: events.length > limit, data: events.slice(0, limit) };
  }

  return { emit, resend, resumeDeliveries, listEvents };
}
