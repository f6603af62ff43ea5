"use node";
// The email outbox worker (provider mode): one attempt per run. Claims the row, posts it to Resend's HTTP
// API with the row id as Idempotency-Key (a retry after a crash or a lost answer cannot send twice), and
// reports back; retries with backoff and dead letters are decided in convex/model/notifications.ts.
import { v } from "convex/values";
import { internalAction } from "./functions";
import { internal } from "./_generated/api";
import { env } from "./_generated/server";

const RESEND_URL = "https://api.resend.com/emails";

export const send = internalAction({
  args: { emailOutboxId: v.id("emailOutbox") },
  handler: async (ctx, { emailOutboxId }) => {
    const job = await ctx.runMutation(internal.notifications.claimEmail, { emailOutboxId });
    if (job === null) return null;
    const apiKey = env.RESEND_API_KEY;
    if (!apiKey) {
      await ctx.runMutation(internal.notifications.emailFailed, {
        emailOutboxId,
        message: "RESEND_API_KEY is not set on this deployment.",
        retryable: false,
      });
      return null;
    }
    try {
      const response = await fetch(env.RESEND_API_URL ?? RESEND_URL, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${apiKey}`,
          "Content-Type": "application/json",
          "Idempotency-Key": `email_${emailOutboxId}`,
        },
        body: JSON.stringify({
          from: env.EMAIL_FROM ?? "Advisory <onboarding@resend.dev>",
          to: [job.to],
          subject: job.subject,
          text: job.text,
        }),
        signal: AbortSignal.timeout(15_000),
      });
      if (response.ok) {
        const body = (await response.json().catch(() => ({}))) as { id?: unknown };
        await ctx.runMutation(internal.notifications.emailSent, {
          emailOutboxId,
          providerMessageId: typeof body.id === "string" ? body.id : undefined,
        });
        return null;
      }
      const detail = (await response.text().catch(() => "")).slice(0, 300);
      // 429 (rate limit), 409 (same idempotency key in flight) and 5xx are worth retrying; other 4xx are not.
      const retryable = response.status === 429 || response.status === 409 || response.status >= 500;
      await ctx.runMutation(internal.notifications.emailFailed, {
        emailOutboxId,
        message: `Resend ${response.status}: ${detail}`,
        retryable,
      });
    } catch (error) {
      await ctx.runMutation(internal.notifications.emailFailed, {
        emailOutboxId,
        message: error instanceof Error ? error.message : String(error),
        retryable: true,
      });
    }
    return null;
  },
});
