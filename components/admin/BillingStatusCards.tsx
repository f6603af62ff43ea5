"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useQuery } from "convex/react";
import { formatDistanceToNow } from "date-fns";
import {
  AlertOctagon,
  AlertTriangle,
  Banknote,
  BellRing,
  BookOpen,
  CheckCircle2,
  CreditCard,
  HeartPulse,
  PieChart,
  RefreshCw,
  Scale,
  ShieldCheck,
  Tags,
  XCircle,
} from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/misc";
import { ReserveStatusBadge } from "@/components/admin/ReserveStatusBadge";
import { formatMoney } from "@/lib/money";

type Status = NonNullable<ReturnType<typeof useQuery<typeof api.ops.billingStatus>>>;
type StatusKey = "alerts" | "reserve" | "reconciliation" | "ledgerCheck";

const TOOLS: {
  href: string;
  title: string;
  text: string;
  icon: typeof BookOpen;
  status?: StatusKey;
  testId: string;
}[] = [
  {
    href: "/admin/alerts",
    title: "Alerts",
    text: "Drift, reserve warnings, failed checks, stuck payouts, chargebacks: acknowledge each with a note.",
    icon: BellRing,
    status: "alerts",
    testId: "alerts",
  },
  {
    href: "/admin/billing/reserve-monitoring",
    title: "Reserve monitoring",
    text: "Processor cash against what the platform owes, the reserve above it, and its minimum.",
    icon: ShieldCheck,
    status: "reserve",
    testId: "reserve",
  },
  {
    href: "/admin/billing/reserve-monitoring#reconciliation",
    title: "Reconciliation",
    text: "The ledger's processor cash against the processor's own balance, daily or now.",
    icon: RefreshCw,
    status: "reconciliation",
    testId: "reconciliation",
  },
  {
    href: "/admin/billing/ledger-health",
    title: "Ledger health",
    text: "The invariant checker: balanced journals, balances equal entries, floors respected.",
    icon: HeartPulse,
    status: "ledgerCheck",
    testId: "ledger-health",
  },
  {
    href: "/admin/billing/margin-analytics",
    title: "Margin analytics",
    text: "What the platform keeps: fees and margins over time, by advisor and category.",
    icon: PieChart,
    testId: "margin-analytics",
  },
  {
    href: "/admin/billing/credit-limits",
    title: "Credit limits",
    text: "Clients allowed to go below zero, how far, and who is near their limit.",
    icon: CreditCard,
    testId: "credit-limits",
  },
  {
    href: "/admin/billing/ledger",
    title: "Ledger explorer",
    text: "Accounts, balances and every journal with its entries.",
    icon: BookOpen,
    testId: "ledger",
  },
  {
    href: "/admin/billing/advisor-rates",
    title: "Advisor rates and fees",
    text: "Every rate change and per-advisor fee change: old, new, who and when.",
    icon: Tags,
    testId: "advisor-rates",
  },
  {
    href: "/admin/payouts",
    title: "Payouts",
    text: "Advisor withdrawals: approve or reject large ones, retry or cancel stuck transfers.",
    icon: Banknote,
    testId: "payouts",
  },
  {
    href: "/admin/billing/adjustments",
    title: "Adjustments and clawbacks",
    text: "Correct an advisor's pay for a session (second-admin approval above $100) and settle what advisors owe.",
    icon: Scale,
    testId: "adjustments",
  },
];

function ago(at: number): string {
  return formatDistanceToNow(at, { addSuffix: true });
}

function StatusLine({ which, status }: { which: StatusKey; status: Status }): ReactNode {
  switch (which) {
    case "alerts": {
      const { count, capped, critical } = status.alerts;
      if (count === 0)
        return (
          <Badge tone="success">
            <CheckCircle2 className="size-3.5" aria-hidden="true" /> No open alerts
          </Badge>
        );
      return (
        <Badge tone={critical > 0 ? "danger" : "warning"}>
          {critical > 0 ? (
            <AlertOctagon className="size-3.5" aria-hidden="true" />
          ) : (
            <AlertTriangle className="size-3.5" aria-hidden="true" />
          )}
          {capped ? `${count}+` : count} open{critical > 0 ? `, ${critical} critical` : ""}
        </Badge>
      );
    }
    case "reserve": {
      const r = status.reserve;
      if (r === null) return <span className="text-sm text-slate-500">No figures yet</span>;
      return (
        <span className="flex flex-wrap items-center gap-2">
          <ReserveStatusBadge status={r.status} />
          <span className="text-sm tabular-nums text-slate-700">
            {formatMoney(r.reserveCents)} reserve{r.source === "snapshot" ? " (daily snapshot)" : ""}
          </span>
        </span>
      );
    }
    case "reconciliation": {
      const run = status.reconciliation;
      if (run === null) return <span className="text-sm text-slate-500">Never run</span>;
      if (run.driftCents === null)
        return (
          <Badge tone="danger">
            <XCircle className="size-3.5" aria-hidden="true" /> Last run failed {ago(run.at)}
          </Badge>
        );
      return (
        <Badge tone={run.alerted ? "danger" : "success"}>
          {run.alerted ? (
            <AlertTriangle className="size-3.5" aria-hidden="true" />
          ) : (
            <CheckCircle2 className="size-3.5" aria-hidden="true" />
          )}
          {run.alerted ? "Drift" : "OK"} {formatMoney(run.driftCents)} · {ago(run.at)}
        </Badge>
      );
    }
    case "ledgerCheck": {
      const check = status.ledgerCheck;
      if (check === null) return <span className="text-sm text-slate-500">Never run</span>;
      return check.ok ? (
        <Badge tone="success">
          <CheckCircle2 className="size-3.5" aria-hidden="true" /> Healthy · {ago(check.at)}
        </Badge>
      ) : (
        <Badge tone="danger">
          <XCircle className="size-3.5" aria-hidden="true" /> {check.problems}{" "}
          {check.problems === 1 ? "problem" : "problems"} · {ago(check.at)}
        </Badge>
      );
    }
  }
}

/** The billing tools, each with its live status where it has one (api.ops.billingStatus). */
export function BillingStatusCards() {
  const status = useQuery(api.ops.billingStatus);
  return (
    <ul className="grid gap-4 sm:grid-cols-2" aria-label="Billing tools">
      {TOOLS.map(({ href, title, text, icon: Icon, status: key, testId }) => (
        <li key={href} className="flex">
          <Link
            href={href}
            className="flex flex-1 gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-200 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
            data-testid={`billing-tool-${testId}`}
          >
            <Icon className="size-6 shrink-0 text-brand-600" aria-hidden="true" />
            <div className="flex min-w-0 flex-col gap-1">
              <p className="font-semibold">{title}</p>
              <p className="text-sm text-slate-600">{text}</p>
              {key ? (
                <div className="mt-1" data-testid={`billing-status-${testId}`}>
                  {status === undefined ? (
                    <>
                      <Skeleton className="h-5 w-32" />
                      <span className="sr-only">Loading status</span>
                    </>
                  ) : (
                    <StatusLine which={key} status={status} />
                  )}
                </div>
              ) : null}
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
