"use client";

import { useId, useState } from "react";
import { useAction, useMutation, useQuery } from "convex/react";
import { format } from "date-fns";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { AlertTriangle, CheckCircle2, LineChart as LineChartIcon, RefreshCw, Save, XCircle } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { ChartPlaceholder, DAY_AXIS, dollarAxis, shortDay } from "@/components/charts/chartKit";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { MoneyField } from "@/components/ui/text-fields";
import { cn } from "@/lib/cn";
import { userMessage } from "@/lib/errors";
import { centsToDecimalString, formatBps, formatMoney, tryParseMoneyInput } from "@/lib/money";
import { RESERVE_RULES, RESERVE_STATUS_LABELS, type ReserveStatus } from "@/lib/reserve";
import { ReserveStatusBadge } from "@/components/admin/ReserveStatusBadge";

// ---------------------------------------------------------------------------------------------
// Shared bits
// ---------------------------------------------------------------------------------------------

const STATUS_EXPLAINED: Record<ReserveStatus, string> = {
  healthy: "The reserve is at least the warning margin above the minimum.",
  warning: "The reserve is above the minimum but less than the warning margin above it.",
  critical: "The reserve is below the minimum: the platform holds less of its own money than it should.",
};

/** "20" or "12.5" (percent, up to 2 decimals) → basis points; null when it is not a plain percentage. */
export function parsePercentToBps(text: string): number | null {
  const match = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/%$/, "").trim());
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0") || "0");
}

/** A signed amount ("-12.50", "$1,000") in cents, or the problem with it. */
function parseSignedMoney(text: string): { ok: true; cents: number } | { ok: false; error: string } {
  const trimmed = text.trim();
  const negative = trimmed.startsWith("-");
  const result = tryParseMoneyInput(negative ? trimmed.slice(1) : trimmed, { allowZero: true, maxCents: RESERVE_RULES.maxMinimumReserveCents });
  if (!result.ok) return result;
  return { ok: true, cents: negative && result.cents !== 0 ? -result.cents : result.cents };
}

function signedInput(cents: number): string {
  return centsToDecimalString(cents);
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

/** /admin/billing/reserve-monitoring: the reserve now, its settings, its history and the reconciliation runs. */
export function ReserveMonitoring() {
  const overview = useQuery(api.ops.reserveOverview);
  return (
    <div className="flex flex-col gap-6">
      {overview === undefined ? (
        <Card>
          <CardContent className="pt-5">
            <LoadingRows rows={3} label="Loading the reserve" />
          </CardContent>
        </Card>
      ) : (
        <>
          <CurrentReserve current={overview.current} minimumReserveCents={overview.settings.minimumReserveCents} />
          <ReserveSettingsForm settings={overview.settings} />
          <ReserveHistory history={overview.history} />
        </>
      )}
      <Reconciliation />
    </div>
  );
}

type Overview = NonNullable<ReturnType<typeof useQuery<typeof api.ops.reserveOverview>>>;

function CurrentReserve({ current, minimumReserveCents }: { current: Overview["current"]; minimumReserveCents: number }) {
  if (current === null) {
    return (
      <Card data-testid="reserve-current">
        <CardHeader>
          <CardTitle>Reserve now</CardTitle>
        </CardHeader>
        <CardContent>
          <EmptyState icon={<LineChartIcon />} title="No figures yet">
            There are too many accounts to add up live and no daily snapshot yet. Run a reconciliation below to take one.
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
            className={current.status === "healthy" ? "text-emerald-700" : current.status === "warning" ? "text-amber-800" : "text-red-700"}
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

function Figure({ label, cents, testId, className }: { label: string; cents: number; testId: string; className?: string }) {
  return (
    <div className="rounded-lg bg-slate-50 p-3">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={cn("text-xl font-semibold tabular-nums text-slate-900", className)} data-testid={testId}>
        {formatMoney(cents)}
      </dd>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

function ReserveSettingsForm({ settings }: { settings: Overview["settings"] }) {
  const save = useMutation(api.ops.setReserveSettings);
  const marginId = useId();
  const marginErrorId = useId();
  const marginHintId = useId();
  const [minimum, setMinimum] = useState(centsToDecimalString(settings.minimumReserveCents));
  const [margin, setMargin] = useState(formatBps(settings.warningMarginBps).replace(/%$/, ""));
  const [expected, setExpected] = useState(signedInput(settings.expectedDifferenceCents));
  const [touched, setTouched] = useState(false);

  const minimumParsed = tryParseMoneyInput(minimum, { allowZero: true, maxCents: RESERVE_RULES.maxMinimumReserveCents });
  const marginBps = parsePercentToBps(margin);
  const marginProblem =
    marginBps === null
      ? "Enter a percentage like 20 or 12.5."
      : marginBps > RESERVE_RULES.maxWarningMarginBps
        ? "The warning margin can be at most 1000%."
        : null;
  const expectedParsed = parseSignedMoney(expected);
  const valid = minimumParsed.ok && marginProblem === null && expectedParsed.ok;
  const next = valid
    ? { minimumReserveCents: minimumParsed.cents, warningMarginBps: marginBps!, expectedDifferenceCents: expectedParsed.cents }
    : null;
  const changed =
    next !== null &&
    (next.minimumReserveCents !== settings.minimumReserveCents ||
      next.warningMarginBps !== settings.warningMarginBps ||
      next.expectedDifferenceCents !== settings.expectedDifferenceCents);

  const onConfirm = async (reason: string): Promise<string | null> => {
    if (next === null) return "Fix the fields first.";
    try {
      await save({ ...next, reason });
      toast.success("Reserve settings saved.");
      return null;
    } catch (e) {
      return userMessage(e);
    }
  };

  const changes: string[] = [];
  if (next !== null) {
    if (next.minimumReserveCents !== settings.minimumReserveCents)
      changes.push(`minimum reserve ${formatMoney(settings.minimumReserveCents)} → ${formatMoney(next.minimumReserveCents)}`);
    if (next.warningMarginBps !== settings.warningMarginBps)
      changes.push(`warning margin ${formatBps(settings.warningMarginBps)} → ${formatBps(next.warningMarginBps)}`);
    if (next.expectedDifferenceCents !== settings.expectedDifferenceCents)
      changes.push(`expected difference ${formatMoney(settings.expectedDifferenceCents)} → ${formatMoney(next.expectedDifferenceCents)}`);
  }

  return (
    <Card data-testid="reserve-settings">
      <CardHeader>
        <CardTitle>Settings</CardTitle>
        <CardDescription>
          Minimum reserve: below it the status is critical. Warning margin: the status is a warning while the reserve is less than this
          much above the minimum. Expected difference: the known gap between the processor&apos;s balance and the ledger (e.g. an opening
          balance), taken off before drift is measured.
          {settings.updatedAt !== null ? ` Last changed ${format(settings.updatedAt, "d MMM yyyy, HH:mm")}.` : " Not changed yet (defaults)."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
          }}
          onBlur={() => setTouched(true)}
        >
          <div className="grid gap-4 sm:grid-cols-3">
            <MoneyField
              label="Minimum reserve"
              value={minimum}
              onChange={setMinimum}
              problem={minimumParsed.ok ? null : minimumParsed.error}
              showProblem={touched}
              widthClassName="w-full"
              testId="reserve-minimum-input"
            />
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={marginId}>Warning margin</Label>
              <div className="relative w-full">
                <Input
                  id={marginId}
                  inputMode="decimal"
                  autoComplete="off"
                  value={margin}
                  onChange={(e) => setMargin(e.target.value)}
                  aria-invalid={touched && marginProblem !== null}
                  aria-describedby={touched && marginProblem !== null ? `${marginErrorId} ${marginHintId}` : marginHintId}
                  className="pr-8 tabular-nums"
                  data-testid="reserve-margin-input"
                />
                <span className="pointer-events-none absolute right-3 top-1/2 -translate-y-1/2 text-sm text-slate-500" aria-hidden="true">
                  %
                </span>
              </div>
              <p id={marginHintId} className="text-xs text-slate-500">
                Percent above the minimum (default 20).
              </p>
              <FieldError id={marginErrorId}>{touched && marginProblem !== null ? marginProblem : undefined}</FieldError>
            </div>
            <SignedMoneyField
              label="Expected difference"
              value={expected}
              onChange={setExpected}
              problem={expectedParsed.ok ? null : expectedParsed.error}
              showProblem={touched}
            />
          </div>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-end">
            {!changed && valid ? <p className="text-sm text-slate-500">Change a value to save.</p> : null}
            <ReasonDialog
              trigger={
                <Button type="button" disabled={!changed} data-testid="reserve-settings-save">
                  <Save aria-hidden="true" /> Save settings
                </Button>
              }
              title="Change the reserve settings?"
              description={
                <>
                  {changes.length > 0 ? `You are changing the ${changes.join("; the ")}.` : "Nothing changes."} The change is written to the
                  audit log with your reason.
                </>
              }
              label="Reason (for the audit log)"
              confirmLabel="Save settings"
              tone="primary"
              onConfirm={onConfirm}
              inputTestId="reserve-settings-reason"
              submitTestId="reserve-settings-confirm"
            />
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

function SignedMoneyField({
  label,
  value,
  onChange,
  problem,
  showProblem,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem: string | null;
  showProblem: boolean;
}) {
  const id = useId();
  const errorId = useId();
  const hintId = useId();
  const visible = showProblem && problem !== null;
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        inputMode="decimal"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={visible}
        aria-describedby={visible ? `${errorId} ${hintId}` : hintId}
        className="tabular-nums"
        data-testid="reserve-expected-input"
      />
      <p id={hintId} className="text-xs text-slate-500">
        Processor minus ledger, in dollars; may be negative.
      </p>
      <FieldError id={errorId}>{visible ? problem : undefined}</FieldError>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// History chart
// ---------------------------------------------------------------------------------------------

type HistoryPoint = Overview["history"][number];


function HistoryTooltip({ active, payload }: Partial<TooltipContentProps<number, string>>) {
  const point = active ? (payload?.[0]?.payload as HistoryPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-md">
      <p className="font-medium text-slate-900">{shortDay(point.day)}</p>
      <p className="tabular-nums text-slate-700">Reserve {formatMoney(point.reserveCents)}</p>
      <p className="tabular-nums text-slate-500">Minimum {formatMoney(point.minimumReserveCents)}</p>
      <p className="text-slate-700">{RESERVE_STATUS_LABELS[point.status]}</p>
    </div>
  );
}

function ReserveHistory({ history }: { history: HistoryPoint[] }) {
  const summaryId = useId();
  const last = history[history.length - 1];
  const summary =
    history.length === 0
      ? "No daily snapshots yet. Each reconciliation (daily, or Reconcile now) records the day's reserve."
      : `${history.length} ${history.length === 1 ? "day" : "days"} from ${shortDay(history[0]!.day)} to ${shortDay(last!.day)}; latest reserve ${formatMoney(
          last!.reserveCents,
        )} (${RESERVE_STATUS_LABELS[last!.status].toLowerCase()}).`;
  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
        <CardDescription id={summaryId}>{summary}</CardDescription>
      </CardHeader>
      <CardContent>
        <figure aria-describedby={summaryId} data-testid="reserve-history">
          {history.length === 0 ? (
            <ChartPlaceholder icon={LineChartIcon} className="h-32">
              The daily reserve will show here.
            </ChartPlaceholder>
          ) : (
            <div className="h-64 w-full min-w-0" aria-hidden="true">
              <ResponsiveContainer width="100%" height="100%" minWidth={0}>
                <LineChart data={history} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
                  <CartesianGrid vertical={false} stroke="#e2e8f0" />
                  <XAxis {...DAY_AXIS} dataKey="day" />
                  <YAxis {...dollarAxis(72)} />
                  <Tooltip content={<HistoryTooltip />} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Line type="monotone" dataKey="reserveCents" name="Reserve" stroke="#7c3aed" strokeWidth={2} dot={history.length < 20} isAnimationActive={false} />
                  <Line
                    type="stepAfter"
                    dataKey="minimumReserveCents"
                    name="Minimum"
                    stroke="#dc2626"
                    strokeDasharray="5 4"
                    dot={false}
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
          <table className="sr-only">
            <caption>Daily reserve</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Reserve</th>
                <th scope="col">Minimum</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.day}>
                  <th scope="row">{shortDay(h.day)}</th>
                  <td>{formatMoney(h.reserveCents)}</td>
                  <td>{formatMoney(h.minimumReserveCents)}</td>
                  <td>{RESERVE_STATUS_LABELS[h.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      </CardContent>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// Reconciliation
// ---------------------------------------------------------------------------------------------

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

function Reconciliation() {
  const history = useQuery(api.ops.reconciliationHistory);
  const reconcile = useAction(api.opsNode.reconcileNow);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ tone: "ok" | "alert" | "error"; text: string } | null>(null);

  async function onRun() {
    setRunning(true);
    setResult(null);
    try {
      const outcome = await reconcile({});
      if (outcome.driftCents === null) setResult({ tone: "error", text: "Reconciliation ran but could not read the processor's balance; an alert was raised." });
      else if (outcome.alerted)
        setResult({ tone: "alert", text: `Reconciled: drift of ${formatMoney(outcome.driftCents)}, at or above $10.00, so an alert was raised.` });
      else setResult({ tone: "ok", text: `Reconciled: drift ${formatMoney(outcome.driftCents)}, within tolerance.` });
    } catch (e) {
      setResult({ tone: "error", text: userMessage(e) });
    } finally {
      setRunning(false);
    }
  }

  return (
    <Card id="reconciliation" className="scroll-mt-20" data-testid="reconciliation">
      <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
        <div>
          <CardTitle>Daily reconciliation</CardTitle>
          <CardDescription>
            The ledger&apos;s processor cash against the processor&apos;s own balance, less the expected difference. A drift of $10.00 or more
            raises a critical alert. Runs daily; each run also records the day&apos;s reserve.
          </CardDescription>
        </div>
        <Button onClick={() => void onRun()} disabled={running} aria-busy={running} className="self-start" data-testid="reconcile-now">
          <RefreshCw className={running ? "animate-spin" : undefined} aria-hidden="true" />
          {running ? "Reconciling…" : "Reconcile now"}
        </Button>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div aria-live="polite" role="status" data-testid="reconcile-result">
          {running ? <p className="text-sm text-slate-600">Reading the processor&apos;s balance and adding up the ledger…</p> : null}
          {result !== null ? (
            <p
              className={cn(
                "rounded-lg border p-3 text-sm",
                result.tone === "ok" ? "border-emerald-200 bg-emerald-50 text-emerald-800" : "border-red-200 bg-red-50 text-red-800",
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
          <div className="-mx-5 overflow-x-auto px-5" tabIndex={0} role="region" aria-label="Reconciliation runs (scrolls sideways)">
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
                      <span className="block whitespace-nowrap text-slate-800">{format(run.startedAt, "d MMM yyyy, HH:mm:ss")}</span>
                      <span className="text-xs text-slate-500">
                        {TRIGGER_LABEL[run.trigger]} · {run.processorMode}
                      </span>
                    </td>
                    <td className="py-2 pr-3 text-right align-top tabular-nums">{formatMoney(run.ledgerCashCents)}</td>
                    <td className="py-2 pr-3 text-right align-top tabular-nums">
                      {run.processorBalanceCents === null ? <span className="text-slate-500">Unavailable</span> : formatMoney(run.processorBalanceCents)}
                    </td>
                    <td className="py-2 pr-3 text-right align-top tabular-nums text-slate-600">{formatMoney(run.expectedDifferenceCents)}</td>
                    <td className={cn("py-2 pr-3 text-right align-top font-medium tabular-nums", run.alerted ? "text-red-700" : "text-slate-900")}>
                      {run.driftCents === null ? "—" : formatMoney(run.driftCents)}
                    </td>
                    <td className="py-2 align-top">
                      <RunStatus run={run} />
                      {run.error ? <span className="mt-1 block max-w-56 break-words text-xs text-red-700">{run.error}</span> : null}
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
