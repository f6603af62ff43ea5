// Billing operations (issue 10): acknowledging alerts, and alerts for webhooks that verified but could not be applied.
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { fail, requireText } from "./errors";
import { raiseAlert } from "./alerts";
import { writeAudit } from "./users";

// ---------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------

export async function acknowledgeAlert(
  ctx: MutationCtx,
  actorId: Id<"users">,
  alertId: Id<"alerts">,
  note: string,
): Promise<void> {
  const text = requireText(note, { min: 3, max: 1000 }, "Write a note of 3 to 1,000 characters.");
  const alert = await ctx.db.get("alerts", alertId);
  if (alert === null) fail("NOT_FOUND", "That alert does not exist.");
  if (alert.resolvedAt !== undefined) fail("CONFLICT", "This alert was already acknowledged.");
  const now = Date.now();
  await ctx.db.patch("alerts", alertId, { resolvedAt: now, ackNote: text, ackBy: actorId });
  await writeAudit(ctx, {
    actorId,
    action: "alert.acknowledged",
    targetTable: "alerts",
    targetId: alertId,
    details: JSON.stringify({ before: { resolvedAt: null }, after: { resolvedAt: now }, kind: alert.kind, note: text }),
  });
}

// ---------------------------------------------------------------------------------------------
// Webhook processing failures
// ---------------------------------------------------------------------------------------------

/**
 * A webhook that verified but could not be applied (the processor will retry it). One open alert per event:
 * retries of the same event do not pile up alerts. Returns whether a new alert was raised.
 */
export async function webhookFailed(
  ctx: MutationCtx,
  input: { source: string; eventId: string; eventType: string; message: string },
): Promise<boolean> {
  const open = await ctx.db
    .query("alerts")
    .withIndex("by_kind_resolved", (q) => q.eq("kind", "webhook_failed").eq("resolvedAt", undefined))
    .order("desc")
    .take(200);
  if (open.some((alert) => alertEventId(alert.details) === input.eventId)) return false;
  await raiseAlert(ctx, {
    kind: "webhook_failed",
    severity: "warning",
    message: `A ${input.source} webhook (${input.eventType}, ${input.eventId}) could not be processed and will be retried: ${input.message.slice(0, 300)}`,
    details: JSON.stringify({ source: input.source, eventId: input.eventId, eventType: input.eventType }),
  });
  return true;
}

function alertEventId(details: string | undefined): string | null {
  if (details === undefined) return null;
  try {
    const parsed = JSON.parse(details) as { eventId?: unknown };
    return typeof parsed.eventId === "string" ? parsed.eventId : null;
  } catch {
    return null;
  }
}
