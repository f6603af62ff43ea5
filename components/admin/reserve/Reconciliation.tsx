"use client";

import { useQuery } from "convex/react";
import { format } from "date-fns";
import { AlertTriangle, CheckCircle2, RefreshCw, XCircle } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { cn } from "@/lib/cn";
import { useBackgroundJob } from "@/hooks/useBackgroundJob";
import { formatMoney } from "@/lib/money";

const TRIGGER_LABEL = { cron: "Daily", manual: "Reconcile now", internal: "Internal" } as const;

type Run = NonNullable<ReturnType<typeof useQuery<typeof api.ops.reconciliationHistory>>>["runs"][number];

function RunStatus({ run }: { run: Run }) {
  if (run.driftCents === null)
    return (
      <Badge tone="danger">
        <XCircle className="size-3.5" aria-hidden="true" /> Failed
      </Badge>
    );
  if (run.alerted)
    return (
      <Badge tone="danger">
        <AlertTriangle className="size-3.5" aria-hidden="true" /> Drift
      </Badge>
    );
  return (
    <Badge tone="success">
      <CheckCircle2 className="size-3.5" aria-hidden="true" /> OK
    </Badge>
  );
}

function resultOf(run: Run): { tone: "ok" | "alert" | "error"; text: string } {
  if (run.driftCents === null)
    return {
      tone: "error",
      text: "Reconciliation ran but could not read the processor's balance; an alert was raised.",
    };
  if (run.alerted)
    return {
      tone: "alert",
      text: `Reconciled: drift of ${formatMoney(run.driftCents)}, at or above $10.00, so an alert was raised.`,
    };
  return { tone: "ok", text: `Reconciled: drift ${formatMoney(run.driftCents)}, within tolerance.` };
}

export function Reconciliation() {
  const history = useQuery(api.ops.reconciliationHistory);
  // A background job (paged, continued across actions at scale): follow it until its run is recorded.
  const { run: onRun, running, error, progress } = useBackgroundJob(api.ops.reconcileNow, api.ops.reconcileRequest);
  const result =
    error !== null
      ? { tone: "error" as const, text: error }
      : progress?.status === "failed"
        ? { tone: "error" as const, text: `The reconciliation failed: ${progress.error ?? "unknown error"}` }
        : progress?.status === "done"
          ? resultOf(progress.run)
          : null;

  return (
    <Card id="reconciliation" className="scroll-mt-20" data-testid="reconciliation">
      <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
        <div>
          <CardTitle>Daily reconciliation</CardTitle>
          <CardDescription>
            The ledger&apos;s processor cash against the processor&apos;s own balance, less the expected difference. A
            drift of $10.00 or more raises a critical alert. Runs daily; each run also records the day&apos;s reserve.
          </CardDescription>
        </div>
        <Button
          onClick={() => void onRun()}
          disabled={running}
          aria-busy={running}
          className="self-start"
          data-testid="reconcile-now"
        >
          <RefreshCw className={running ? "animate-spin" : undefined} aria-hidden="true" />
          {running ? "Reconciling…" : "Reconcile now"}
        </Button>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div aria-live="polite" role="status" data-testid="reconcile-result">
          {running ? (
            <p className="text-sm text-slate-600">
              {progress?.status === "running"
                ? `Adding up the ledger page by page (${progress.pages} page(s) so far)…`
                : "Reading the processor's balance and adding up the ledger…"}
            </p>
          ) : null}
          {result !== null ? (
            <p
              className={cn(
                "rounded-lg border p-3 text-sm",
                result.tone === "ok"
                  ? "border-emerald-200 bg-emerald-50 text-emerald-800"
                  : "border-red-200 bg-red-50 text-red-800",
              )}
              data-tone={result.tone}
            >
              {result.text}
            </p>
          ) : null}
        </div>
        {history === undefined ? (
          <LoadingRows rows={3} label="Loading reconciliation runs" />
        ) : history.runs.length === 0 ? (
          <EmptyState icon={<RefreshCw />} title="No reconciliation has run yet">
            Run one now, or wait for the daily run.
          </EmptyState>
        ) : (
          <div
            className="-mx-5 overflow-x-auto px-5"
            tabIndex={0}
            role="region"
            aria-label="Reconciliation runs (scrolls sideways)"
          >
            <table className="w-full min-w-[40rem] text-sm" data-testid="reconciliation-runs">
              <caption className="sr-only">Reconciliation runs, newest first</caption>
              <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    When
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    Ledger processor cash
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    Processor balance
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    Expected
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    Drift
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {history.runs.map((run) => (
                  <tr
                    key={run._id}
                    data-testid="reconciliation-run"
                    data-ledger-cents={run.ledgerCashCents}
                    data-processor-cents={run.processorBalanceCents ?? ""}
                    data-drift-cents={run.driftCents ?? ""}
                  >
                    <td className="py-2 pr-3 align-top">
                      <span className="block whitespace-nowrap text-slate-800">
                        {format(run.startedAt, "d MMM yyyy, HH:mm:ss")}
                      </span>
                      <span className="text-xs text-slate-500">
                        {TRIGGER_LABEL[run.trigger]} · {run.processorMode}
                      </span>
                    </td>
                    <td className="py-2 pr-3 text-right align-top tabular-nums">{formatMoney(run.ledgerCashCents)}</td>
                    <td className="py-2 pr-3 text-right align-top tabular-nums">
                      {run.processorBalanceCents === null ? (
                        <span className="text-slate-500">Unavailable</span>
                      ) : (
                        formatMoney(run.processorBalanceCents)
                      )}
                    </td>
                    <td className="py-2 pr-3 text-right align-top tabular-nums text-slate-600">
                      {formatMoney(run.expectedDifferenceCents)}
                    </td>
                    <td
                      className={cn(
                        "py-2 pr-3 text-right align-top font-medium tabular-nums",
                        run.alerted ? "text-red-700" : "text-slate-900",
                      )}
                    >
                      {run.driftCents === null ? "—" : formatMoney(run.driftCents)}
                    </td>
                    <td className="py-2 align-top">
                      <RunStatus run={run} />
                      {run.error ? (
                        <span className="mt-1 block max-w-56 break-words text-xs text-red-700">{run.error}</span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
