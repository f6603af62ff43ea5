// One switch per hosted concern, read once from the environment.
// Hosted services are used when their keys are set; otherwise the embedded
// local default runs. Local defaults refuse production unless explicitly allowed.

export type ServiceMode = "hosted" | "local";

export type AppConfig = {
  nodeEnv: string;
  convex: { mode: ServiceMode; url: string | null; siteUrl: string | null };
  auth: { mode: "clerk" | "local" };
  /** STRIPE_SECRET_KEY set -> Stripe; otherwise the local Stripe-compatible processor (lib/payments/config.ts). */
  payments: { mode: "stripe" | "local" };
  /**
   * STREAM_API_KEY and STREAM_API_SECRET set -> Stream Chat/Video (token route app/api/stream/token);
   * otherwise the built-in chat and video on Convex. Each session's `provider` is fixed at request time
   * by the Convex deployment's own STREAM_API_KEY; this switch tells the Next server whether it can mint tokens.
   */
  stream: { mode: "stream" | "local" };
  /**
   * RESEND_API_KEY set -> email through Resend (outbox worker convex/emailNode.ts); otherwise emails are
   * recorded in the local dev mailbox (/dev/mailbox). Read on the Convex deployment (sending) and by Next (the page).
   */
  email: { mode: "resend" | "local" };
  allowLocalInProduction: boolean;
};

type Env = Record<string, string | undefined>;

export class LocalServiceInProductionError extends Error {
  constructor(concern: string) {
    super(
      `${concern} is not configured, and the local stand-in refuses to run with NODE_ENV=production. ` +
        `Configure the real service (see IMPLEMENTATION_GUIDE.md) or set ALLOW_LOCAL_SERVICES_IN_PRODUCTION=true on purpose.`,
    );
    this.name = "LocalServiceInProductionError";
  }
}

export function readConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV ?? "development";
  const allowLocalInProduction = env.ALLOW_LOCAL_SERVICES_IN_PRODUCTION === "true";
  const clerkConfigured = Boolean(env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY && env.CLERK_SECRET_KEY);
  return {
    nodeEnv,
    convex: {
      mode: env.LOCAL_CONVEX === "1" ? "local" : "hosted",
      url: env.NEXT_PUBLIC_CONVEX_URL ?? null,
      siteUrl: env.NEXT_PUBLIC_CONVEX_SITE_URL ?? null,
    },
    auth: { mode: clerkConfigured ? "clerk" : "local" },
    payments: { mode: env.STRIPE_SECRET_KEY ? "stripe" : "local" },
    stream: { mode: env.STREAM_API_KEY && env.STREAM_API_SECRET ? "stream" : "local" },
    email: { mode: env.RESEND_API_KEY ? "resend" : "local" },
    allowLocalInProduction,
  };
}

/** The Convex HTTP actions origin: the configured site URL, or a hosted deployment's .convex.site twin. */
export function convexSiteUrl(config: AppConfig): string | null {
  if (config.convex.siteUrl) return config.convex.siteUrl.replace(/\/$/, "");
  const url = config.convex.url;
  if (url && /\.convex\.cloud\/?$/.test(url)) return url.replace(/\.convex\.cloud\/?$/, ".convex.site");
  return null;
}

/** Throws when a local stand-in would run in production without the explicit flag. */
export function assertLocalAllowed(config: AppConfig, concern: string): void {
  if (config.nodeEnv === "production" && !config.allowLocalInProduction) {
    throw new LocalServiceInProductionError(concern);
  }
}

/** Whether the local email stand-in (dev mailbox) may run: local mode, and not production unless allowed. */
export function localEmailAllowed(config: AppConfig): boolean {
  return config.email.mode === "local" && (config.nodeEnv !== "production" || config.allowLocalInProduction);
}

/** Browser-safe: whether Clerk is configured (public key is inlined at build time). */
export function clientAuthMode(): "clerk" | "local" {
  return process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY ? "clerk" : "local";
}
