"use client";

import { useQuery } from "convex/react";
import { format } from "date-fns";
import { AlertTriangle, CheckCircle2, RefreshCw } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { useBackgroundJob } from "@/hooks/useBackgroundJob";
import { formatMoney, isCurrency } from "@/lib/money";

const TRIGGER_LABEL = { cron: "Daily cron", manual: "Run now", internal: "Internal" } as const;

export function LedgerHealth() {
  const health = useQuery(api.ledger.health);
  // The paged checker runs as a background job: follow it until its run is recorded (or the job fails).
  const { run: onRun, running, error, progress } = useBackgroundJob(api.ledger.runCheckerNow, api.ledger.checkRequest);

  if (health === undefined) return <LoadingRows rows={3} label="Loading ledger health" />;
  const latest = health.latest;
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
          <div>
            <CardTitle>Latest check</CardTitle>
            <CardDescription>
              Every journal balances; total debits equal total credits per currency; every materialized balance equals
              the sum of its entries; no account is below its floor. Runs daily; a failure raises a critical alert.
            </CardDescription>
          </div>
          <Button onClick={() => void onRun()} disabled={running} data-testid="ledger-run-now">
            <RefreshCw className={running ? "animate-spin" : undefined} />
            {running ? "Checking…" : "Run now"}
          </Button>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {error ? (
            <p role="alert" className="text-sm text-red-600">
              {error}
            </p>
          ) : null}
          {progress !== undefined ? (
            <p className="text-sm text-slate-600" data-testid="ledger-run-progress" aria-live="polite">
              {progress.status === "queued" && "Check queued…"}
              {progress.status === "running" && "Checking the ledger page by page…"}
              {progress.status === "failed" && <span className="text-red-600">The check failed: {progress.error}</span>}
              {progress.status === "done" &&
                `Check finished in ${progress.run.durationMs} ms over ${progress.run.pages ?? 1} page(s): ${
                  progress.run.ok ? "healthy" : `${progress.run.problems.length} problem(s)`
                }.`}
            </p>
          ) : null}
          {latest === null ? (
            <EmptyState title="No check has run yet">Run the checker now, or wait for the daily run.</EmptyState>
          ) : (
            <>
              <div className="flex flex-wrap items-center gap-3" data-testid="ledger-health-status">
                {latest.ok ? (
                  <Badge tone="success">
                    <CheckCircle2 className="size-3.5" /> Healthy
                  </Badge>
                ) : (
                  <Badge tone="danger">
                    <AlertTriangle className="size-3.5" /> {latest.problems.length} problem(s)
                  </Badge>
                )}
                <span className="text-sm text-slate-600">
                  {format(latest.startedAt, "d MMM yyyy, HH:mm:ss")} · {TRIGGER_LABEL[latest.trigger]} ·{" "}
                  {latest.durationMs} ms
                </span>
              </div>
              <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
                <Stat label="Journals" value={latest.journalsChecked} />
                <Stat label="Entries" value={latest.entriesChecked} />
                <Stat label="Accounts" value={latest.accountsChecked} />
                <Stat label="House shards" value={health.houseShards} />
              </dl>
              <table className="w-full text-sm">
                <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th className="py-1 pr-2 font-medium">Currency</th>
                    <th className="py-1 pr-2 text-right font-medium">All debits</th>
                    <th className="py-1 pr-2 text-right font-medium">All credits</th>
                    <th className="py-1 text-right font-medium">Sum of all accounts (signed)</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {latest.totals.map((t) => {
                    const currency = isCurrency(t.currency) ? t.currency : "USD";
                    const diff = t.debitsCents - t.creditsCents;
                    return (
                      <tr key={t.currency}>
                        <td className="py-1.5 pr-2">{t.currency}</td>
                        <td className="py-1.5 pr-2 text-right tabular-nums">{formatMoney(t.debitsCents, currency)}</td>
                        <td className="py-1.5 pr-2 text-right tabular-nums">{formatMoney(t.creditsCents, currency)}</td>
                        <td
                          className={`py-1.5 text-right font-medium tabular-nums ${diff === 0 ? "text-emerald-700" : "text-red-700"}`}
                        >
                          {formatMoney(diff, currency)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {latest.problems.length > 0 ? (
                <ul className="flex list-disc flex-col gap-1 pl-5 text-sm text-red-700" data-testid="ledger-problems">
                  {latest.problems.map((p, i) => (
                    <li key={i} className="break-all">
                      {p}
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Recent runs</CardTitle>
          </CardHeader>
          <CardContent>
            {health.runs.length === 0 ? (
              <p className="text-sm text-slate-500">None yet.</p>
            ) : (
              <ul className="flex flex-col divide-y divide-slate-100 text-sm">
                {health.runs.map((run) => (
                  <li key={run._id} className="flex items-center justify-between py-2">
                    <span className="text-slate-700">
                      {format(run.startedAt, "d MMM, HH:mm:ss")} · {TRIGGER_LABEL[run.trigger]}
                    </span>
                    {run.ok ? (
                      <Badge tone="success">OK</Badge>
                    ) : (
                      <Badge tone="danger">{run.problems.length} problem(s)</Badge>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Ledger alerts</CardTitle>
            <CardDescription>Raised when a check fails.</CardDescription>
          </CardHeader>
          <CardContent>
            {health.alerts.length === 0 ? (
              <p className="text-sm text-slate-500">No alerts.</p>
            ) : (
              <ul className="flex flex-col divide-y divide-slate-100 text-sm">
                {health.alerts.map((alert) => (
                  <li key={alert._id} className="flex flex-col gap-0.5 py-2">
                    <span className="flex items-center gap-2">
                      <Badge tone={alert.severity === "critical" ? "danger" : "warning"}>{alert.severity}</Badge>
                      <span className="text-slate-500">{format(alert.createdAt, "d MMM, HH:mm")}</span>
                      {alert.resolvedAt ? <Badge tone="neutral">resolved</Badge> : null}
                    </span>
                    <span className="break-all text-slate-800">{alert.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums">{value.toLocaleString("en-US")}</dd>
    </div>
  );
}
