"use client";

import { format } from "date-fns";
import { LineChart as LineChartIcon } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/misc";
import { cn } from "@/lib/cn";
import { formatMoney } from "@/lib/money";
import { RESERVE_STATUS_LABELS, type ReserveStatus } from "@/lib/reserve";
import { ReserveStatusBadge } from "@/components/admin/ReserveStatusBadge";
import type { Overview } from "./types";

// The reserve now: its status against the minimum and the figures it is computed from.
const STATUS_EXPLAINED: Record<ReserveStatus, string> = {
  healthy: "The reserve is at least the warning margin above the minimum.",
  warning: "The reserve is above the minimum but less than the warning margin above it.",
  critical: "The reserve is below the minimum: the platform holds less of its own money than it should.",
};

export function CurrentReserve({
  current,
  minimumReserveCents,
}: {
  current: Overview["current"];
  minimumReserveCents: number;
}) {
  if (current === null) {
    return (
      <Card data-testid="reserve-current">
        <CardHeader>
          <CardTitle>Reserve now</CardTitle>
        </CardHeader>
        <CardContent>
          <EmptyState icon={<LineChartIcon />} title="No figures yet">
            There are too many accounts to add up live and no daily snapshot yet. Run a reconciliation below to take
            one.
          </EmptyState>
        </CardContent>
      </Card>
    );
  }
  const rows: { label: string; cents: number; testId: string }[] = [
    { label: "Client wallets (in credit)", cents: current.clientWalletsCents, testId: "reserve-client-wallets" },
    { label: "Advisors: pending", cents: current.advisorPendingCents, testId: "reserve-advisor-pending" },
    { label: "Advisors: available", cents: current.advisorAvailableCents, testId: "reserve-advisor-available" },
    { label: "Advisors: in transit", cents: current.advisorInTransitCents, testId: "reserve-advisor-in-transit" },
  ];
  return (
    <Card data-testid="reserve-current">
      <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
        <div>
          <CardTitle>Reserve now</CardTitle>
          <CardDescription>
            {current.source === "live"
              ? `Live, from ${current.accountsCounted.toLocaleString("en-US")} accounts.`
              : `From the daily snapshot of ${format(current.asOf ?? 0, "d MMM yyyy, HH:mm")} (too many accounts to add up live).`}
          </CardDescription>
        </div>
        <div className="flex flex-col gap-1 sm:items-end" data-testid="reserve-status" data-status={current.status}>
          <ReserveStatusBadge status={current.status} className="self-start px-3 py-1 text-sm sm:self-end" />
        </div>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <p className="text-sm text-slate-700" role="status">
          <span className="sr-only">Reserve status: {RESERVE_STATUS_LABELS[current.status]}. </span>
          {STATUS_EXPLAINED[current.status]}
        </p>
        <dl className="grid gap-4 sm:grid-cols-3">
          <Figure label="Processor cash (ledger)" cents={current.processorCashCents} testId="reserve-processor-cash" />
          <Figure label="What the platform owes" cents={current.owedCents} testId="reserve-owed" />
          <Figure
            label="Reserve"
            cents={current.reserveCents}
            testId="reserve-amount"
            className={
              current.status === "healthy"
                ? "text-emerald-700"
                : current.status === "warning"
                  ? "text-amber-800"
                  : "text-red-700"
            }
          />
        </dl>
        <div className="grid gap-5 md:grid-cols-2">
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-900">What the platform owes</h3>
            <dl className="flex flex-col divide-y divide-slate-100 text-sm">
              {rows.map((r) => (
                <div key={r.testId} className="flex justify-between gap-3 py-1.5">
                  <dt className="text-slate-600">{r.label}</dt>
                  <dd className="tabular-nums text-slate-900" data-testid={r.testId}>
                    {formatMoney(r.cents)}
                  </dd>
                </div>
              ))}
              <div className="flex justify-between gap-3 py-1.5 font-medium">
                <dt>Total owed</dt>
                <dd className="tabular-nums">{formatMoney(current.owedCents)}</dd>
              </div>
            </dl>
          </div>
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-900">Thresholds</h3>
            <dl className="flex flex-col divide-y divide-slate-100 text-sm">
              <div className="flex justify-between gap-3 py-1.5">
                <dt className="text-slate-600">Critical below (minimum)</dt>
                <dd className="tabular-nums">{formatMoney(minimumReserveCents)}</dd>
              </div>
              <div className="flex justify-between gap-3 py-1.5">
                <dt className="text-slate-600">Warning below</dt>
                <dd className="tabular-nums">{formatMoney(current.warningLineCents)}</dd>
              </div>
            </dl>
          </div>
        </div>
      </CardContent>
    </Card>
  );
}

function Figure({
  label,
  cents,
  testId,
  className,
}: {
  label: string;
  cents: number;
  testId: string;
  className?: string;
}) {
  return (
    <div className="rounded-lg bg-slate-50 p-3">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={cn("text-xl font-semibold tabular-nums text-slate-900", className)} data-testid={testId}>
        {formatMoney(cents)}
      </dd>
    </div>
  );
}
