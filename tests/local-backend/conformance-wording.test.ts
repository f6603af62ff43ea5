// Error messages and log lines as a deployment words them, seen through the stock clients.
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { ConvexError, type Value } from "convex/values";
import { failedWith, fixtureBackendPerFile, newClient, waitFor } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api: any = anyApi;

const fixture = fixtureBackendPerFile();

describe("error wording", () => {
  it("uncaught errors are `Server Error` + `Uncaught Error: …`", async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    const e = await failedWith(http.mutation(api.messages.boom, {}));
    expect(e.message).toMatch(/\[Request ID: [0-9a-f]+\] Server Error\nUncaught Error: kaboom/);
  });

  it("a ConvexError subclass keeps its name and data", async () => {
    const client = newClient(fixture.backend.url);
    try {
      const e = await failedWith(client.action(api.wording.paymentFails, {}));
      expect(e).toBeInstanceOf(ConvexError);
      expect((e as ConvexError<{ code: string }>).data).toEqual({ code: "CARD_DECLINED" });
      expect(e.message).toContain("Uncaught PaymentError:");
    } finally {
      await client.close();
    }
  });

  it("argument validation fails with ArgumentValidationError (not an uncaught exception)", async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    const wrongType = await failedWith(http.mutation(api.messages.send, { author: 1, body: "x" }));
    expect(wrongType.message).toContain("Server Error\nArgumentValidationError: ");
    expect(wrongType.message).not.toContain("Uncaught");
    const missing = await failedWith(http.mutation(api.messages.send, { author: "a" }));
    expect(missing.message).toContain("ArgumentValidationError: Object is missing the required field `body`.");
    const extra = await failedWith(http.mutation(api.messages.send, { author: "a", body: "b", extra: 1 }));
    expect(extra.message).toContain(
      "ArgumentValidationError: Object contains extra field `extra` that is not in the validator.",
    );
  });

  it("an unknown function: `Could not find public function for '…'`", async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    const e = await failedWith(http.query(api.nope.missing, {}));
    expect(e.message).toMatch(
      /Server Error\nCould not find public function for 'nope:missing'\. Did you forget to run `npx convex dev` or `npx convex deploy`\?/,
    );
  });
});

// As Convex's own suite words them (npm-packages/js-integration-tests/customErrors.test.ts in
// get-convex/convex-backend): the callee's error line, rethrown in the caller (convex/src/server/impl/
// syscall.ts) and reported again when the caller leaves it uncaught. Stack lines are not reproduced.
describe("errors from nested runQuery/runMutation/runAction", () => {
  // The error line, without what the clients put around it (ConvexClient: `[CONVEX A(name)] ` and `Called by client`).
  const line = (e: Error) =>
    /^(?:\[CONVEX [QMA]\([\w:/]+\)\] )?\[Request ID: [0-9a-f]{16}\] Server Error\n([\s\S]*?)(?:\n+ {2}Called by client)?$/.exec(
      e.message,
    )?.[1];

  it("a plain error is wrapped once per level: `Uncaught Error: Uncaught <Name>: …`", async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    const fromQuery = await failedWith(http.action(api.nestedErrors.callsFailing, { kind: "query" }));
    expect(fromQuery).not.toBeInstanceOf(ConvexError);
    expect(line(fromQuery)).toBe("Uncaught Error: Uncaught Error: inner kaboom");
    const fromAction = await failedWith(http.action(api.nestedErrors.callsFailing, { kind: "action" }));
    expect(line(fromAction)).toBe("Uncaught Error: Uncaught TypeError: inner type error");
    const twoLevels = await failedWith(http.action(api.nestedErrors.callsFailing, { kind: "twoLevels" }));
    expect(line(twoLevels)).toBe("Uncaught Error: Uncaught Error: Uncaught Error: inner kaboom");
  });

  it("a ConvexError keeps its data through the nested call (ConvexClient and ConvexHttpClient)", async () => {
    const client = newClient(fixture.backend.url);
    try {
      for (const call of [
        () => client.action(api.nestedErrors.callsFailing, { kind: "mutation" }),
        () => new ConvexHttpClient(fixture.backend.url).action(api.nestedErrors.callsFailing, { kind: "mutation" }),
      ]) {
        const e = await failedWith(call());
        expect(e).toBeInstanceOf(ConvexError);
        expect(line(e)).toBe('Uncaught ConvexError: Uncaught DeclinedError: {"code":"CARD_DECLINED","attempt":"3n"}');
        expect((e as ConvexError<Value>).data).toEqual({ code: "CARD_DECLINED", attempt: 3n });
      }
      // The failed mutation's write was rolled back.
      expect(await client.query(api.messages.list, {})).not.toContainEqual(
        expect.objectContaining({ author: "nested" }),
      );
    } finally {
      await client.close();
    }
  });

  it("the calling action catches a ConvexError with the callee's data and the wrapped message", async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    expect(await http.action(api.nestedErrors.catchesFailingMutation, {})).toEqual({
      name: "ConvexError",
      message: 'Uncaught DeclinedError: {"code":"CARD_DECLINED","attempt":"3n"}',
      isConvexError: true,
      data: { code: "CARD_DECLINED", attempt: 3n },
    });
  });

  it("a mutation's own ctx.runQuery/runMutation failures are wrapped the same way", async () => {
    const http = new ConvexHttpClient(fixture.backend.url);
    const fromQuery = await failedWith(http.mutation(api.nestedErrors.mutationCallsFailing, { kind: "query" }));
    expect(line(fromQuery)).toBe("Uncaught Error: Uncaught Error: inner kaboom");
    const fromMutation = await failedWith(http.mutation(api.nestedErrors.mutationCallsFailing, { kind: "mutation" }));
    expect(fromMutation).toBeInstanceOf(ConvexError);
    expect(line(fromMutation)).toBe(
      'Uncaught ConvexError: Uncaught DeclinedError: {"code":"CARD_DECLINED","attempt":"3n"}',
    );
    expect((fromMutation as ConvexError<Value>).data).toEqual({ code: "CARD_DECLINED", attempt: 3n });
  });

  it("an HTTP action that leaves a nested ConvexError uncaught answers 500 {code, data}", async () => {
    const res = await fetch(`${fixture.backend.siteUrl}/fail/nested`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      code: 'Uncaught ConvexError: Uncaught DeclinedError: {"code":"CARD_DECLINED","attempt":"3n"}',
      data: { code: "CARD_DECLINED", attempt: { $integer: "AwAAAAAAAAA=" } },
    });
  });
});

describe("console.log lines reach the client", () => {
  it("ConvexClient prints them as [CONVEX Q(name)] [LOG] …, for queries and actions", async () => {
    const printed: string[] = [];
    const logger = {
      logVerbose: () => undefined,
      log: (...args: unknown[]) =>
        printed.push(args.filter((a) => typeof a === "string" && !a.startsWith("color:")).join(" ")),
      warn: (...args: unknown[]) => printed.push(args.join(" ")),
      error: (...args: unknown[]) => printed.push(args.join(" ")),
    };
    const client = new ConvexClient(fixture.backend.url, {
      webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
      unsavedChangesWarning: false,
      logger,
    });
    try {
      expect(await client.query(api.wording.chatty, {})).toBe(1);
      await waitFor(() => printed.some((l) => l.includes("[CONVEX Q(wording:chatty)] [LOG]")));
      expect(printed).toContain("%c[CONVEX Q(wording:chatty)] [LOG] 'hello' 42");
      expect(printed).toContain("%c[CONVEX Q(wording:chatty)] [WARN] { careful: true }");
      expect(await client.action(api.wording.chattyAction, {})).toBe(2);
      expect(printed).toContain("%c[CONVEX A(wording:chattyAction)] [INFO] 'from an action'");
    } finally {
      await client.close();
    }
  });

  it("the HTTP API returns them in logLines", async () => {
    const res = await fetch(`${fixture.backend.url}/api/query`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ path: "wording:chatty", args: [{}], format: "convex_encoded_json" }),
    });
    const body = (await res.json()) as { logLines: string[] };
    expect(body.logLines).toEqual(["[LOG] 'hello' 42", "[WARN] { careful: true }"]);
  });
});
