"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { useMutation, usePaginatedQuery } from "convex/react";
import { format } from "date-fns";
import { toast } from "sonner";
import { AlertOctagon, AlertTriangle, ArrowRight, BellOff, CheckCircle2, Info } from "lucide-react";
import { Select } from "@/components/ui/select";
import { api } from "@/convex/_generated/api";
import type { Doc, Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/input";
import { EmptyState, LoadMoreButton, LoadingRows } from "@/components/ui/misc";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { cn } from "@/lib/cn";
import { userMessage } from "@/lib/errors";

const PAGE_SIZE = 20;

type View = "open" | "resolved" | "all";
const VIEWS: { value: View; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "resolved", label: "Acknowledged" },
  { value: "all", label: "All" },
];

/** Names for the kinds the backend raises (convex/model/*: raiseAlert); unknown kinds show as they are. */
export const ALERT_KIND_LABELS: Record<string, string> = {
  reconciliation_drift: "Reconciliation drift",
  reconciliation_failed: "Reconciliation failed",
  reserve_warning: "Reserve below target",
  ledger_check: "Ledger check failed",
  payments_unmatched_event: "Webhook: unmatched event",
  payments_amount_mismatch: "Webhook: amount mismatch",
  webhook_failed: "Webhook processing failed",
  payments_chargeback: "Chargeback",
  payout_dead_letter: "Payout stuck (dead-lettered)",
  outbox_dead_letter: "Transfer reversal stuck",
  payout_state_conflict: "Payout state conflict",
  credit_limit_near: "Clients near their credit limit",
  email_dead_letter: "Email not delivered",
};

type Severity = Doc<"alerts">["severity"];
const SEVERITY: Record<Severity, { label: string; tone: "danger" | "warning" | "neutral"; icon: typeof Info }> = {
  critical: { label: "Critical", tone: "danger", icon: AlertOctagon },
  warning: { label: "Warning", tone: "warning", icon: AlertTriangle },
  info: { label: "Info", tone: "neutral", icon: Info },
};

function kindLabel(kind: string): string {
  return ALERT_KIND_LABELS[kind] ?? kind.replace(/_/g, " ");
}

function parseDetails(details: string | undefined): Record<string, unknown> | null {
  if (details === undefined) return null;
  try {
    const value: unknown = JSON.parse(details);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Where to act on an alert, when there is a page for it. */
export function alertLink(alert: { kind: string; details?: string }): { href: string; label: string } | null {
  switch (alert.kind) {
    case "reconciliation_drift":
    case "reconciliation_failed":
      return { href: "/admin/billing/reserve-monitoring#reconciliation", label: "Open reconciliation" };
    case "reserve_warning":
      return { href: "/admin/billing/reserve-monitoring", label: "Open reserve monitoring" };
    case "ledger_check":
      return { href: "/admin/billing/ledger-health", label: "Open ledger health" };
    case "payout_dead_letter":
    case "outbox_dead_letter":
    case "payout_state_conflict":
      return { href: "/admin/payouts", label: "Open payouts" };
    case "credit_limit_near":
      return { href: "/admin/billing/credit-limits", label: "Open credit limits" };
    case "payments_chargeback": {
      const userId = parseDetails(alert.details)?.userId;
      return typeof userId === "string"
        ? { href: `/admin/users/${userId}`, label: "Open the client" }
        : { href: "/admin/users", label: "Open users" };
    }
    case "payments_unmatched_event":
    case "payments_amount_mismatch":
    case "webhook_failed":
      return { href: "/admin/billing/ledger", label: "Open the ledger" };
    default:
      return null;
  }
}

/** /admin/alerts: open and acknowledged alerts, newest first; acknowledge one with a note. */
export function AdminAlerts() {
  const [view, setView] = useState<View>("open");
  const [kind, setKind] = useState("");
  const kindId = useId();
  const { results, status, loadMore } = usePaginatedQuery(
    api.ops.listAlerts,
    { status: view, ...(kind ? { kind } : {}) },
    { initialNumItems: PAGE_SIZE },
  );
  const viewLabel = VIEWS.find((v) => v.value === view)!.label;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div
          role="group"
          aria-label="Which alerts"
          className="inline-flex self-start rounded-lg border border-slate-200 bg-white p-1 shadow-sm"
        >
          {VIEWS.map((v) => (
            <button
              key={v.value}
              type="button"
              aria-pressed={view === v.value}
              onClick={() => setView(v.value)}
              className={cn(
                "h-8 rounded-md px-3 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
                view === v.value ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100",
              )}
              data-testid={`alerts-view-${v.value}`}
            >
              {v.label}
            </button>
          ))}
        </div>
        <div className="flex flex-col gap-1.5 sm:flex-row sm:items-center sm:gap-3">
          <Label htmlFor={kindId}>Kind</Label>
          <Select
            id={kindId}
            options={Object.entries(ALERT_KIND_LABELS).map(([value, label]) => ({ value, label }))}
            allLabel="All kinds"
            value={kind}
            onValueChange={setKind}
            className="sm:w-64"
            data-testid="alerts-kind-filter"
          />
        </div>
      </div>
      {status === "LoadingFirstPage" ? (
        <LoadingRows label="Loading alerts" />
      ) : results.length === 0 ? (
        <div data-testid="alerts-empty">
          <EmptyState
            icon={view === "open" ? <CheckCircle2 /> : <BellOff />}
            title={view === "open" ? "No open alerts" : `No alerts in “${viewLabel}”`}
          >
            {view === "open"
              ? "Nothing needs attention. Reconciliation drift, reserve warnings, ledger check failures, stuck payouts, chargebacks and webhook problems show here."
              : kind
                ? "Try another kind."
                : "Acknowledged alerts show here with the note left on them."}
          </EmptyState>
        </div>
      ) : (
        <ul className="flex flex-col gap-3" aria-label={`${viewLabel} alerts`} data-testid="alerts-list">
          {results.map((alert) => (
            <AlertRow key={alert._id} alert={alert} />
          ))}
        </ul>
      )}
      <LoadMoreButton status={status} onLoadMore={() => loadMore(PAGE_SIZE)} />
    </div>
  );
}

type Row = Doc<"alerts"> & { ackByName: string | null };

function AlertRow({ alert }: { alert: Row }) {
  const acknowledge = useMutation(api.ops.acknowledgeAlert);
  const severity = SEVERITY[alert.severity];
  const SeverityIcon = severity.icon;
  const link = alertLink(alert);
  const acknowledged = alert.resolvedAt !== undefined;
  const titleId = useId();

  const onConfirm = async (note: string): Promise<string | null> => {
    try {
      await acknowledge({ alertId: alert._id as Id<"alerts">, note });
      toast.success("Alert acknowledged.");
      return null;
    } catch (e) {
      return userMessage(e);
    }
  };

  return (
    <li
      className={cn(
        "flex flex-col gap-3 rounded-xl border bg-white p-4 shadow-sm sm:flex-row sm:items-start sm:justify-between",
        acknowledged
          ? "border-slate-200"
          : alert.severity === "critical"
            ? "border-red-200"
            : alert.severity === "warning"
              ? "border-amber-200"
              : "border-slate-200",
      )}
      aria-labelledby={titleId}
      data-testid="alert-row"
      data-kind={alert.kind}
      data-severity={alert.severity}
      data-status={acknowledged ? "acknowledged" : "open"}
    >
      <div className="flex min-w-0 flex-1 flex-col gap-1.5">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={severity.tone} data-testid="alert-severity">
            <SeverityIcon className="size-3.5" aria-hidden="true" /> {severity.label}
          </Badge>
          <p id={titleId} className="font-semibold text-slate-900">
            {kindLabel(alert.kind)}
          </p>
          {acknowledged ? (
            <Badge tone="success">
              <CheckCircle2 className="size-3.5" aria-hidden="true" /> Acknowledged
            </Badge>
          ) : null}
        </div>
        <p className="break-words text-sm text-slate-800" data-testid="alert-message">
          {alert.message}
        </p>
        <p className="text-sm text-slate-500">
          Raised{" "}
          <time dateTime={new Date(alert.createdAt).toISOString()}>{format(alert.createdAt, "d MMM yyyy, HH:mm")}</time>
        </p>
        {acknowledged ? (
          <div className="rounded-lg bg-slate-50 p-2.5 text-sm text-slate-700" data-testid="alert-ack">
            <p>
              Acknowledged by {alert.ackByName ?? "someone"} on {format(alert.resolvedAt!, "d MMM yyyy, HH:mm")}
            </p>
            {alert.ackNote ? <p className="mt-0.5 break-words text-slate-900">“{alert.ackNote}”</p> : null}
          </div>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2 sm:flex-col sm:items-end">
        {link ? (
          <Button asChild variant="secondary" size="sm">
            <Link href={link.href} data-testid="alert-link">
              {link.label} <ArrowRight aria-hidden="true" />
            </Link>
          </Button>
        ) : null}
        {!acknowledged ? (
          <ReasonDialog
            trigger={
              <Button size="sm" data-testid="alert-acknowledge">
                <CheckCircle2 aria-hidden="true" /> Acknowledge
              </Button>
            }
            title={`Acknowledge “${kindLabel(alert.kind)}”?`}
            description="The alert moves to Acknowledged with your note and name. Say what you checked or did about it."
            label="Note"
            max={1000}
            tooShort="Write a note of at least 3 characters."
            tooLong="Keep the note to 1,000 characters or fewer."
            confirmLabel="Acknowledge"
            tone="primary"
            onConfirm={onConfirm}
            inputTestId="alert-ack-note"
            submitTestId="alert-ack-submit"
          />
        ) : null}
      </div>
    </li>
  );
}
