// How the app reaches the payment processor. One switch: STRIPE_SECRET_KEY set -> Stripe;
// otherwise the local Stripe-compatible processor (LOCAL_STRIPE_URL + LOCAL_STRIPE_SECRET_KEY, written
// by scripts/dev.mjs). Same SDK, same code path; only host/port/protocol differ.
type Env = Record<string, string | undefined>;

export type StripeSettings = {
  mode: "stripe" | "local";
  secretKey: string;
  /** Passed to `new Stripe(key, options)`. */
  sdkOptions: { host?: string; port?: number; protocol?: "http" | "https"; maxNetworkRetries: number };
};

export class PaymentsNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentsNotConfiguredError";
  }
}

/** Stripe SDK settings from the environment, or throws PaymentsNotConfiguredError with what is missing. */
export function stripeSettings(env: Env): StripeSettings {
  if (env.STRIPE_SECRET_KEY) {
    return { mode: "stripe", secretKey: env.STRIPE_SECRET_KEY, sdkOptions: { maxNetworkRetries: 2 } };
  }
  if (env.NODE_ENV === "production" && env.ALLOW_LOCAL_SERVICES_IN_PRODUCTION !== "true") {
    throw new PaymentsNotConfiguredError(
      "Payments are not configured: set STRIPE_SECRET_KEY (the local processor refuses NODE_ENV=production).",
    );
  }
  if (!env.LOCAL_STRIPE_URL || !env.LOCAL_STRIPE_SECRET_KEY) {
    throw new PaymentsNotConfiguredError(
      "Payments are not configured: set STRIPE_SECRET_KEY, or run the local stack (npm run dev) which starts the local processor.",
    );
  }
  const url = new URL(env.LOCAL_STRIPE_URL);
  return {
    mode: "local",
    secretKey: env.LOCAL_STRIPE_SECRET_KEY,
    sdkOptions: {
      host: url.hostname,
      port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
      protocol: url.protocol === "https:" ? "https" : "http",
      maxNetworkRetries: 2,
    },
  };
}

/** The webhook signing secret (`whsec_...`), or null when not configured. */
export function webhookSecret(env: Env): string | null {
  return env.STRIPE_WEBHOOK_SECRET || null;
}

/** Signing secret of a separate Stripe Connect webhook endpoint (connected accounts' events), if any. */
export function connectWebhookSecret(env: Env): string | null {
  return env.STRIPE_CONNECT_WEBHOOK_SECRET || null;
}
