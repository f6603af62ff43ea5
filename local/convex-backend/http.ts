/**
 * HTTP API (ConvexHttpClient, convex/nextjs), file storage endpoints, and the
 * HTTP-actions "site" server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { convexToJson, type JSONValue } from "convex/values";
import type { Engine, FnKind } from "./engine";
import { AuthError, type AuthVerifier } from "./auth";
import { callerFromHeader as callersFromHeader, type Caller } from "./callers";
import { describeError, httpActionErrorResponse } from "./errors";
import { encodeTs, parseArgs } from "./syncMessages";
import { decodeTs } from "./snapshot";
import { handleDownload, handleUpload } from "./storageHttp";
import type { WriteStats } from "./writeStats";
import { txUsageLog } from "./limits";

const STATUS_CODE_UDF_FAILED = 560;
const MAX_BODY = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY) {
        reject(new Error("Request body too large"));
        req.destroy();
        return;
      }
      chunks.push(b);
    });
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

const FUNCTION_ROUTES: Record<string, FnKind | "any"> = {
  "/api/query": "query",
  "/api/query_at_ts": "query",
  "/api/mutation": "mutation",
  "/api/action": "action",
  "/api/function": "any",
};

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return {
    "Access-Control-Allow-Origin": typeof origin === "string" ? origin : "*",
    "Access-Control-Allow-Methods": "GET, POST, PUT, OPTIONS",
    "Access-Control-Allow-Headers":
      (req.headers["access-control-request-headers"] as string | undefined) ??
      "Content-Type, Authorization, Convex-Client, Digest, Range",
    "Access-Control-Max-Age": "86400",
    Vary: "Origin",
  };
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const headers = corsHeaders(req);
  headers["Content-Type"] = "application/json";
  headers["Content-Length"] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}

export interface HttpDeps {
  engine: Engine;
  auth: AuthVerifier;
  adminKey: string | null;
  log: (line: string) => void;
  writeStats: WriteStats;
}

function callerFromHeader(deps: HttpDeps, header: string | undefined): Promise<Caller> {
  return callersFromHeader(deps.auth, deps.adminKey, header);
}

export function cloudHandler(deps: HttpDeps, ready: Promise<void>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await ready;
      const rawUrl = req.url ?? "/";
      const q = rawUrl.indexOf("?");
      let url: URL | null = null;
      const p =
        q < 0 && rawUrl.startsWith("/") && !rawUrl.includes("%")
          ? rawUrl
          : (url = new URL(rawUrl, "http://localhost")).pathname;
      const params = () => (url ??= new URL(rawUrl, "http://localhost")).searchParams;
      if (req.method === "OPTIONS") {
        res.writeHead(204, corsHeaders(req));
        res.end();
        return;
      }
      if (req.method === "GET" && (p === "/" || p === "/version" || p === "/instance_version")) {
        res.writeHead(200, { ...corsHeaders(req), "Content-Type": "text/plain" });
        res.end("local convex backend (convex-test engine)");
        return;
      }
      if (req.method === "POST" && p === "/api/query_ts") {
        sendJson(req, res, 200, { ts: encodeTs(deps.engine.commitTs()) });
        return;
      }
      if (req.method === "GET" && p === "/api/local/write_stats") {
        // Committed document writes per table since start (benchmarks); admin key only.
        const caller = await callerFromHeader(deps, req.headers.authorization).catch(() => null);
        if (caller === null || !caller.admin) {
          sendJson(req, res, 401, { code: "Unauthorized", message: "The admin key is required" });
          return;
        }
        sendJson(req, res, 200, deps.writeStats.snapshot());
        return;
      }
      if (req.method === "GET" && p === "/api/local/tx_usage") {
        // What each finished query/mutation read and wrote since the last call (benchmarks); admin key only.
        const caller = await callerFromHeader(deps, req.headers.authorization).catch(() => null);
        if (caller === null || !caller.admin) {
          sendJson(req, res, 401, { code: "Unauthorized", message: "The admin key is required" });
          return;
        }
        txUsageLog.enabled = true;
        sendJson(req, res, 200, txUsageLog.splice(0, txUsageLog.length));
        return;
      }
      if (req.method === "POST" && p === "/api/debug_event") {
        sendJson(req, res, 200, {});
        return;
      }
      if (req.method === "POST" && p === "/api/storage/upload") {
        await handleUpload(
          deps.engine,
          req,
          params().get("token"),
          () => readBody(req),
          (status, body) => sendJson(req, res, status, body),
        );
        return;
      }
      if ((req.method === "GET" || req.method === "HEAD") && p.startsWith("/api/storage/")) {
        await handleDownload(
          deps.engine,
          req,
          res,
          decodeURIComponent(p.slice("/api/storage/".length)),
          corsHeaders(req),
        );
        return;
      }
      let kind: FnKind | undefined;
      let udfPath: string | undefined;
      let rawArgs: unknown;
      let format = "convex_encoded_json";
      let atTs: bigint | null = null;
      const route = req.method === "POST" ? FUNCTION_ROUTES[p] : undefined;
      if (route !== undefined) {
        const body = JSON.parse((await readBody(req)).toString("utf8") || "{}") as {
          path?: string;
          args?: unknown;
          format?: string;
          ts?: unknown;
        };
        kind = route === "any" ? undefined : route;
        udfPath = body.path;
        if (p === "/api/query_at_ts") {
          atTs = decodeTs(body.ts);
          if (atTs === null) {
            sendJson(req, res, 400, { code: "BadRequest", message: "Missing or invalid ts" });
            return;
          }
        }
        rawArgs = body.args;
        format = body.format ?? format;
      } else if (req.method === "POST" && p.startsWith("/api/run/")) {
        const parts = p.slice("/api/run/".length).split("/").filter(Boolean);
        const fn = parts.pop();
        udfPath = `${parts.join("/")}:${fn ?? "default"}`;
        const body = JSON.parse((await readBody(req)).toString("utf8") || "{}") as { args?: unknown; format?: string };
        rawArgs = body.args;
        format = body.format ?? "json";
      } else {
        res.writeHead(404, { ...corsHeaders(req), "Content-Type": "text/plain" });
        res.end(`Not found: ${req.method} ${p}`);
        return;
      }
      if (typeof udfPath !== "string") {
        sendJson(req, res, 400, { code: "BadRequest", message: "Missing function path" });
        return;
      }
      void format;
      let caller: Caller;
      try {
        caller = await callerFromHeader(deps, req.headers.authorization);
      } catch (e) {
        const code = e instanceof AuthError ? e.code : "Unauthenticated";
        sendJson(req, res, code === "HeaderParseFailure" ? 400 : 401, { code, message: (e as Error).message });
        return;
      }
      const logLines: string[] = [];
      try {
        const args = parseArgs(rawArgs);
        const { value } =
          atTs !== null
            ? { value: await deps.engine.runQueryAt(udfPath, args, atTs, caller) }
            : await deps.engine.run(udfPath, args, {
                identity: caller.identity,
                allowInternal: caller.admin,
                expected: kind,
                logLines,
              });
        sendJson(req, res, 200, { status: "success", value: convexToJson(value), logLines });
      } catch (e) {
        const d = describeError(e);
        const body: Record<string, JSONValue> = { status: "error", errorMessage: d.message, logLines };
        if (d.errorData !== undefined) body.errorData = d.errorData;
        sendJson(req, res, STATUS_CODE_UDF_FAILED, body);
      }
    } catch (e) {
      deps.log(`http: ${req.method} ${req.url} failed: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) sendJson(req, res, 500, { code: "InternalServerError", message: (e as Error).message });
      else res.end();
    }
  };
}

export function siteHandler(deps: HttpDeps, ready: Promise<void>, siteUrl: () => string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await ready;
      const method = req.method ?? "GET";
      const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v === undefined) continue;
        if (Array.isArray(v)) for (const x of v) headers.append(k, x);
        else headers.set(k, v);
      }
      const request = new Request(new URL(req.url ?? "/", siteUrl()), {
        method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
      });
      // As a deployment: a Bearer token or admin key that cannot be verified does not refuse the
      // request (the header may be the app's own); ctx.auth.getUserIdentity() throws instead.
      let caller: Caller = { identity: null, admin: false };
      let authError: string | null = null;
      const authz = req.headers.authorization;
      if (authz?.startsWith("Bearer ") || authz?.startsWith("Convex ")) {
        try {
          caller = await callerFromHeader(deps, authz);
        } catch (e) {
          authError = e instanceof AuthError ? e.message : String(e);
        }
      }
      let response: Response;
      try {
        response = await deps.engine.runHttpAction(request, caller.identity, authError);
      } catch (e) {
        response = httpActionErrorResponse(e);
        deps.log(`http action ${method} ${req.url} failed: ${describeError(e).message}`);
      }
      const outHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((v, k) => {
        if (k !== "set-cookie") outHeaders[k] = v;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
      res.writeHead(response.status, response.statusText, outHeaders);
      if (response.body && method !== "HEAD") {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
      }
      res.end();
    } catch (e) {
      deps.log(`site: ${req.method} ${req.url} failed: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("Internal Server Error");
      } else res.end();
    }
  };
}
