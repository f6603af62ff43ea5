// Security headers. The Content-Security-Policy is set per request by proxy.ts (a fresh script nonce each
// time); the other headers are static (next.config.ts `headers()`, evaluated at build time).
//
// Scripts: in production only 'self', the listed hosts and scripts carrying the request's nonce run
// ('strict-dynamic' lets Next's nonced bootstrap load its chunks); no 'unsafe-inline'. Next reads the nonce from
// the request's CSP header and puts it on its own inline RSC scripts, which makes every page render per
// request (the root layout does already: it reads the session cookie). Development keeps 'unsafe-inline' and
// 'unsafe-eval' for React refresh. Styles keep 'unsafe-inline' (Radix/recharts/Stream set inline styles).
// Images: uploaded photos are served by the Convex deployment (its storage URLs), so its origin is allowed.

export type HeaderEnv = Record<string, string | undefined>;

/** An http(s) URL's origin plus its ws(s) twin (Convex speaks WebSocket to the same host). */
function originAndSocket(raw: string | undefined): string[] {
  if (!raw) return [];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return [];
  const ws = `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`;
  return [url.origin, ws];
}

function origin(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? [url.origin] : [];
  } catch {
    return [];
  }
}

/** Clerk's Frontend API host from a publishable key (pk_test_<base64("host$")>). */
export function clerkFrontendApi(publishableKey: string | undefined): string | null {
  const match = /^pk_(?:test|live)_(.+)$/.exec(publishableKey ?? "");
  if (!match) return null;
  try {
    const host = Buffer.from(match[1]!, "base64").toString("utf8").replace(/\$$/, "");
    return /^[a-z0-9.-]+$/i.test(host) ? host : null;
  } catch {
    return null;
  }
}

/** A fresh nonce for one response (128 random bits, base64). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The CSP for one response; `nonce` (production) replaces 'unsafe-inline' for scripts. */
export function contentSecurityPolicy(env: HeaderEnv, nonce?: string): string {
  const dev = env.NODE_ENV === "development";
  const script = dev
    ? ["'self'", "'unsafe-inline'"]
    : nonce
      ? ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]
      : ["'self'"];
  const style = ["'self'", "'unsafe-inline'"];
  const img = ["'self'", "data:", "blob:"];
  const font = ["'self'", "data:"];
  const connect = ["'self'"];
  const frame: string[] = [];
  const form = ["'self'"];
  if (dev) script.push("'unsafe-eval'");

  // Convex deployment (hosted https/wss, or the local backend on http://127.0.0.1:<port> + ws://).
  connect.push(...originAndSocket(env.NEXT_PUBLIC_CONVEX_URL), ...originAndSocket(env.NEXT_PUBLIC_CONVEX_SITE_URL));
  // Uploaded photos are Convex storage URLs on the deployment's origin.
  img.push(...origin(env.NEXT_PUBLIC_CONVEX_URL), ...origin(env.NEXT_PUBLIC_CONVEX_SITE_URL));

  // Clerk, when configured.
  if (env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY) {
    const fapi = clerkFrontendApi(env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY);
    const clerk = ["https://*.clerk.accounts.dev", "https://clerk.com", "https://*.clerk.com"];
    if (fapi) clerk.push(`https://${fapi}`);
    script.push(...clerk, "https://challenges.cloudflare.com");
    connect.push(...clerk);
    img.push("https://img.clerk.com");
    frame.push(...clerk, "https://challenges.cloudflare.com");
  }

  // Stream (chat + video), when configured.
  if (env.STREAM_API_KEY || env.NEXT_PUBLIC_STREAM_API_KEY) {
    connect.push(
      "https://*.stream-io-api.com",
      "wss://*.stream-io-api.com",
      "https://*.stream-io-video.com",
      "wss://*.stream-io-video.com",
      "https://getstream.io",
      "https://*.getstream.io",
      "wss://*.getstream.io",
    );
    img.push("https://*.stream-io-cdn.com", "https://getstream.io", "https://*.getstream.io");
  }

  // Stripe (hosted checkout is a top-level navigation; Stripe.js and its frames if ever embedded).
  script.push("https://js.stripe.com");
  connect.push("https://api.stripe.com", "https://checkout.stripe.com");
  frame.push("https://js.stripe.com", "https://hooks.stripe.com", "https://checkout.stripe.com");
  form.push("https://checkout.stripe.com");

  // The local Stripe-compatible processor (its checkout page opens from the wallet and the session room).
  const localStripe = origin(env.LOCAL_STRIPE_URL);
  connect.push(...localStripe);
  frame.push(...localStripe);
  form.push(...localStripe);

  const directives: [string, string[]][] = [
    ["default-src", ["'self'"]],
    ["script-src", script],
    ["style-src", style],
    ["img-src", img],
    ["font-src", font],
    ["connect-src", connect],
    // Built-in video: RTCPeerConnection streams are shown via srcObject; blob: for recorded/object URLs.
    ["media-src", ["'self'", "blob:", "mediastream:"]],
    ["worker-src", ["'self'", "blob:"]],
    ["frame-src", frame.length ? frame : ["'none'"]],
    ["frame-ancestors", ["'none'"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", form],
  ];
  const policy = directives.map(([name, values]) => `${name} ${[...new Set(values)].join(" ")}`);
  if (!dev && !isLocalOrigin(env.APP_URL)) policy.push("upgrade-insecure-requests");
  return policy.join("; ");
}

function isLocalOrigin(raw: string | undefined): boolean {
  if (!raw) return true;
  try {
    const { hostname, protocol } = new URL(raw);
    return protocol === "http:" || hostname === "localhost" || hostname === "127.0.0.1";
  } catch {
    return true;
  }
}

/** The static headers (next.config.ts). The CSP is not among them: proxy.ts sets it with a per-request nonce. */
export function securityHeaders(env: HeaderEnv): { key: string; value: string }[] {
  const headers = [
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    {
      key: "Permissions-Policy",
      value: "camera=(self), microphone=(self), geolocation=(), payment=(self), usb=()",
    },
  ];
  if (env.NODE_ENV === "production") {
    headers.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
  }
  return headers;
}
