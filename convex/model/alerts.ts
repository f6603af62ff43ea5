// Alerts: a row per problem for the alerts center, and (issue 19) critical ones reach people: every active
// admin gets one in-app notification and one email (the dev mailbox locally) per alert. A repeat of the same
// unresolved alert (same kind and message) within a day is recorded but not sent again, so nobody is spammed.
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { emailChannel, notify } from "./notifications";

const DAY_MS = 24 * 60 * 60_000;
const MAX_ADMINS = 50;

export type AlertInput = { kind: string; severity: "info" | "warning" | "critical"; message: string; details?: string };

export async function raiseAlert(ctx: MutationCtx, alert: AlertInput): Promise<Id<"alerts">> {
  const now = Date.now();
  let repeat = false;
  if (alert.severity === "critical") {
    const recent = await ctx.db
      .query("alerts")
      .withIndex("by_kind_resolved", (q) =>
        q
          .eq("kind", alert.kind)
          .eq("resolvedAt", undefined)
          .gte("createdAt", now - DAY_MS),
      )
      .take(100);
    repeat = recent.some((a) => a.message === alert.message);
  }
  const alertId = await ctx.db.insert("alerts", { ...alert, createdAt: now });
  if (alert.severity === "critical" && !repeat) await notifyAdmins(ctx, alert);
  return alertId;
}

async function notifyAdmins(ctx: MutationCtx, alert: AlertInput): Promise<void> {
  const admins = await ctx.db
    .query("users")
    .withIndex("by_role_status", (q) => q.eq("role", "admin").eq("status", "active"))
    .take(MAX_ADMINS);
  // No email channel configured: in-app only (a dead-lettered email would only raise another alert).
  const email = emailChannel() !== "refused";
  for (const admin of admins) {
    await notify(ctx, admin._id, {
      kind: "critical_alert",
      title: `Critical: ${alert.message}`.slice(0, 200),
      body: alert.message,
      href: "/admin/alerts",
      email,
    });
  }
}
