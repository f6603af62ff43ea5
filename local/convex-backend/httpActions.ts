/** HTTP actions: the route of convex/http.ts that answers a request, and the ctx its handler gets. */
import { withNestedCallErrors } from "./functionExports";

interface HttpRouterLike {
  lookup(path: string, method: string): readonly [unknown, string, string] | null;
}

export type HttpHandler = (ctx: unknown, request: Request) => Promise<Response>;

/** The handler of the route matching `request`, or null (Convex answers 404 "No matching routes found"). */
export function findHttpHandler(httpModule: Record<string, unknown> | undefined, request: Request): HttpHandler | null {
  const router = httpModule?.default as HttpRouterLike | undefined;
  if (!router || typeof router.lookup !== "function") return null;
  const found = router.lookup(new URL(request.url).pathname, request.method);
  if (!found) return null;
  const endpoint = found[0] as { _handler?: HttpHandler };
  return endpoint._handler ?? (endpoint as unknown as HttpHandler);
}

/**
 * The ctx an HTTP action's handler sees: nested calls fail as a deployment's do, and when the caller sent
 * credentials that could not be verified (`authError`), `ctx.auth.getUserIdentity()` throws.
 */
export function httpActionCtx(ctx: unknown, authError: string | null): unknown {
  const c = withNestedCallErrors(ctx) as { auth: Record<string, unknown> };
  if (authError === null) return c;
  return {
    ...c,
    auth: {
      ...c.auth,
      getUserIdentity: async () => {
        throw new Error(authError);
      },
    },
  };
}
