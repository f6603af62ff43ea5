"use client";

import { useId, useState, useSyncExternalStore, type FormEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { AlertTriangle, BarChart3, Download } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { defaultRange, rangeProblem, viewerTimeZone, MAX_RANGE_DAYS } from "@/lib/dateRange";
import { ChartPlaceholder, DAY_AXIS, dollarAxis, shortDay } from "@/components/charts/chartKit";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { EmptyState, LoadingRows, Skeleton } from "@/components/ui/misc";
import { formatMoney, sumCents, type Currency } from "@/lib/money";

type Report = FunctionReturnType<typeof api.margins.report>;
export type MoneyFigures = Report["totals"];
export type DailyFigures = Report["byDay"][number];

function ChartTooltip({
  active,
  payload,
  currency,
}: Partial<TooltipContentProps<number, string>> & { currency: Currency }) {
  const point = active ? (payload?.[0]?.payload as DailyFigures | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-md">
      <p className="font-medium text-slate-900">{shortDay(point.date)}</p>
      <p className="tabular-nums text-slate-700">{formatMoney(point.grossCents, currency)} gross</p>
      <p className="tabular-nums text-slate-700">{formatMoney(point.netMarginCents, currency)} net margin</p>
      <p className="text-slate-500">
        {point.sessions} {point.sessions === 1 ? "session" : "sessions"}
      </p>
    </div>
  );
}

/**
 * Gross sales and net margin by day. The SVG is hidden from assistive technology: a summary sentence
 * (the figure's description) and a visually hidden table carry the same numbers.
 */
export function MarginChart({
  daily,
  currency,
  label,
  testId,
}: {
  daily: DailyFigures[] | undefined;
  currency: Currency;
  label: string;
  testId?: string;
}) {
  const summaryId = useId();
  if (daily === undefined) {
    return (
      <div role="status" aria-label={`Loading the chart: ${label}`} className="flex h-64 items-end gap-1.5 px-2 pb-6">
        {Array.from({ length: 30 }, (_, i) => (
          <Skeleton key={i} className="flex-1" style={{ height: `${20 + ((i * 37) % 70)}%` }} />
        ))}
      </div>
    );
  }
  const gross = sumCents(daily.map((d) => d.grossCents));
  const net = sumCents(daily.map((d) => d.netMarginCents));
  const sessions = daily.reduce((n, d) => n + d.sessions, 0);
  const empty = daily.every(
    (d) => d.grossCents === 0 && d.refundsCents === 0 && d.chargebacksCents === 0 && d.processorFeesCents === 0,
  );
  const first = daily[0];
  const last = daily[daily.length - 1];
  const span = first && last ? ` (${shortDay(first.date)} – ${shortDay(last.date)})` : "";
  const summary = empty
    ? `No sales${span}.`
    : `${formatMoney(gross, currency)} gross and ${formatMoney(net, currency)} net margin from ${sessions} ${sessions === 1 ? "session" : "sessions"}${span}.`;

  return (
    <figure className="flex flex-col gap-3" aria-label={label} aria-describedby={summaryId} data-testid={testId}>
      <figcaption id={summaryId} className="text-sm text-slate-600">
        {summary}
      </figcaption>
      {empty ? (
        <ChartPlaceholder icon={BarChart3} className="h-40 px-4 text-center">
          Daily sales show here once sessions are paid for.
        </ChartPlaceholder>
      ) : (
        <div className="h-64 w-full min-w-0" aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%" minWidth={0}>
            <BarChart data={daily} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid vertical={false} stroke="#e2e8f0" />
              <XAxis {...DAY_AXIS} dataKey="date" />
              <YAxis {...dollarAxis(56)} />
              <Tooltip content={<ChartTooltip currency={currency} />} cursor={{ fill: "#f5f3ff" }} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar
                dataKey="grossCents"
                name="Gross"
                fill="#c4b5fd"
                radius={[3, 3, 0, 0]}
                maxBarSize={24}
                isAnimationActive={false}
              />
              <Bar
                dataKey="netMarginCents"
                name="Net margin"
                fill="#7c3aed"
                radius={[3, 3, 0, 0]}
                maxBarSize={24}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Sessions</th>
            <th scope="col">Gross</th>
            <th scope="col">Net margin</th>
          </tr>
        </thead>
        <tbody>
          {daily.map((d) => (
            <tr key={d.date}>
              <th scope="row">{shortDay(d.date)}</th>
              <td>{d.sessions}</td>
              <td>{formatMoney(d.grossCents, currency)}</td>
              <td>{formatMoney(d.netMarginCents, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

// ---------------------------------------------------------------------------------------------

const TOTALS: Array<{ key: keyof MoneyFigures; label: string; help: string; testId: string }> = [
  {
    key: "grossCents",
    label: "Gross sales",
    help: "What sessions cost, promotions included",
    testId: "margin-total-gross",
  },
  { key: "feesCents", label: "Platform fees", help: "Our share of those sessions", testId: "margin-total-fees" },
  { key: "refundsCents", label: "Refunds", help: "Returned to clients", testId: "margin-total-refunds" },
  {
    key: "promotionsCents",
    label: "Promotions",
    help: "Free minutes and offers we paid for",
    testId: "margin-total-promotions",
  },
  {
    key: "chargebacksCents",
    label: "Chargebacks",
    help: "Card disputes lost, net of those won",
    testId: "margin-total-chargebacks",
  },
  {
    key: "processorFeesCents",
    label: "Processor fees",
    help: "Card and payout fees the processor took",
    testId: "margin-total-processor-fees",
  },
  {
    key: "netMarginCents",
    label: "Net margin",
    help: "Fees − refunded fees − promotions − chargebacks − processor fees",
    testId: "margin-total-net",
  },
];

const noSubscribe = () => () => {};

/** True in the browser after hydration (the viewer's time zone and "today" are only known there). */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}

/** Margin analytics for a date range: totals, by day (chart and table), by advisor, by category, CSV export. */
export function MarginAnalytics(props: { initialFrom?: string; initialTo?: string }) {
  const hydrated = useHydrated();
  return hydrated ? <MarginAnalyticsReport {...props} /> : <LoadingRows rows={4} label="Loading margin analytics" />;
}

function MarginAnalyticsReport({ initialFrom, initialTo }: { initialFrom?: string; initialTo?: string }) {
  const router = useRouter();
  const [tz] = useState(viewerTimeZone);
  const [range, setRange] = useState(() => {
    const fallback = defaultRange(tz);
    const from = initialFrom ?? fallback.from;
    const to = initialTo ?? fallback.to;
    return rangeProblem(from, to) === null ? { from, to } : fallback;
  });
  const [draft, setDraft] = useState(range);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const report = useQuery(api.margins.report, { ...range, tz });
  const currency: Currency = report?.currency ?? "USD";
  const csvHref = `/api/admin/billing/margin-analytics/csv?${new URLSearchParams({ ...range, tz })}`;

  function apply(event: FormEvent) {
    event.preventDefault();
    const problem = rangeProblem(draft.from, draft.to);
    setError(problem);
    if (problem) return;
    setRange(draft);
    router.replace(`?${new URLSearchParams(draft)}`, { scroll: false });
  }

  return (
    <div className="flex flex-col gap-6">
      <form
        onSubmit={apply}
        noValidate
        className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
        aria-label="Date range"
      >
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="margin-from">From</Label>
            <Input
              id="margin-from"
              type="date"
              value={draft.from}
              max={draft.to || undefined}
              onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
              aria-invalid={error !== null}
              aria-describedby={error ? errorId : undefined}
              data-testid="margin-from"
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="margin-to">To</Label>
            <Input
              id="margin-to"
              type="date"
              value={draft.to}
              min={draft.from || undefined}
              onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))}
              aria-invalid={error !== null}
              aria-describedby={error ? errorId : undefined}
              data-testid="margin-to"
            />
          </div>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" data-testid="margin-apply">
              Show
            </Button>
            <Button asChild variant="secondary">
              <a href={csvHref} download data-testid="margin-csv">
                <Download aria-hidden="true" /> Export CSV
              </a>
            </Button>
          </div>
        </div>
        <FieldError id={errorId}>{error ?? undefined}</FieldError>
        <p className="text-xs text-slate-500">
          Up to {MAX_RANGE_DAYS} days, in your time zone. Days include both ends.
        </p>
      </form>

      {report !== undefined && !report.advisorsComplete ? (
        <p
          role="status"
          className="flex items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700"
        >
          <AlertTriangle className="size-4 shrink-0" aria-hidden="true" />
          Totals and days are exact. This range has too many advisors to list here: the CSV lists every advisor and
          category.
        </p>
      ) : null}

      <section aria-labelledby="margin-totals-heading" className="flex flex-col gap-3">
        <h2 id="margin-totals-heading" className="text-lg font-semibold text-slate-900">
          Totals
        </h2>
        <dl className="grid grid-cols-2 gap-3 lg:grid-cols-3" data-testid="margin-totals">
          {TOTALS.map(({ key, label, help, testId }) => (
            <div key={key} className="flex flex-col gap-1 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <dt className="text-sm text-slate-600">{label}</dt>
              <dd className="flex flex-col gap-1">
                {report === undefined ? (
                  <Skeleton className="h-8 w-24" />
                ) : (
                  <span
                    className={`text-2xl font-semibold tabular-nums ${key === "netMarginCents" && report.totals[key] < 0 ? "text-red-700" : "text-slate-900"}`}
                    data-testid={testId}
                  >
                    {formatMoney(report.totals[key], currency)}
                  </span>
                )}
                <span className="text-xs text-slate-500">{help}</span>
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <Card>
        <CardHeader>
          <CardTitle>By day</CardTitle>
          <CardDescription>Gross sales and net margin for each day of the range.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <MarginChart
            daily={report?.byDay}
            currency={currency}
            label="Gross sales and net margin by day"
            testId="margin-chart"
          />
          {report === undefined ? null : (
            <FiguresTable
              caption="Days with sales, refunds or chargebacks"
              firstColumn="Day"
              testId="margin-by-day"
              currency={currency}
              rows={report.byDay
                .filter(
                  (d) =>
                    d.sessions > 0 ||
                    d.grossCents !== 0 ||
                    d.refundsCents !== 0 ||
                    d.chargebacksCents !== 0 ||
                    d.processorFeesCents !== 0,
                )
                .map((d) => ({ key: d.date, label: shortDay(d.date), figures: d }))}
              empty="No sales, refunds or chargebacks in this range."
            />
          )}
        </CardContent>
      </Card>

      <section aria-labelledby="margin-advisor-heading" className="flex flex-col gap-3">
        <h2 id="margin-advisor-heading" className="text-lg font-semibold text-slate-900">
          By advisor
        </h2>
        {report === undefined ? (
          <LoadingRows label="Loading figures by advisor" />
        ) : (
          <FiguresTable
            caption="Figures by advisor, highest gross first"
            firstColumn="Advisor"
            testId="margin-by-advisor"
            currency={currency}
            rows={report.byAdvisor.map((a) => ({
              key: a.advisorId ?? "none",
              label: a.advisorId ? (
                <a
                  href={`/admin/users/${a.advisorId}`}
                  className="font-medium text-brand-700 underline-offset-4 hover:underline"
                >
                  {a.name}
                </a>
              ) : (
                <span className="text-slate-500">{a.name}</span>
              ),
              figures: a,
            }))}
            empty="No advisor had a paid session in this range."
          />
        )}
      </section>

      <section aria-labelledby="margin-category-heading" className="flex flex-col gap-3">
        <h2 id="margin-category-heading" className="text-lg font-semibold text-slate-900">
          By category
        </h2>
        <p className="-mt-2 text-sm text-slate-500">Each advisor counts under their first category.</p>
        {report === undefined ? (
          <LoadingRows label="Loading figures by category" />
        ) : (
          <FiguresTable
            caption="Figures by category, highest gross first"
            firstColumn="Category"
            testId="margin-by-category"
            currency={currency}
            rows={report.byCategory.map((c) => ({
              key: c.category ?? "none",
              label: c.category ?? "No category",
              figures: c,
            }))}
            empty="No sales in this range."
          />
        )}
      </section>
    </div>
  );
}

function FiguresTable({
  caption,
  firstColumn,
  rows,
  currency,
  empty,
  testId,
}: {
  caption: string;
  firstColumn: string;
  rows: Array<{ key: string; label: ReactNode; figures: MoneyFigures }>;
  currency: Currency;
  empty: string;
  testId: string;
}) {
  if (rows.length === 0) {
    return (
      <div data-testid={testId}>
        <EmptyState icon={<BarChart3 />} title="Nothing to show">
          {empty}
        </EmptyState>
      </div>
    );
  }
  const money = (cents: number) => formatMoney(cents, currency);
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">
              {firstColumn}
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Sessions
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Gross
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Fees
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Refunds
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Promotions
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Chargebacks
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Processor fees
            </th>
            <th scope="col" className="px-4 py-3 text-right font-medium">
              Net margin
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map(({ key, label, figures: f }) => (
            <tr key={key} className="hover:bg-slate-50">
              <th scope="row" className="max-w-56 truncate whitespace-nowrap px-4 py-3 font-normal">
                {label}
              </th>
              <td className="px-4 py-3 text-right tabular-nums">{f.sessions}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.grossCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.feesCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.refundsCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.promotionsCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.chargebacksCents)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{money(f.processorFeesCents)}</td>
              <td
                className={`whitespace-nowrap px-4 py-3 text-right font-medium tabular-nums ${f.netMarginCents < 0 ? "text-red-700" : ""}`}
              >
                {money(f.netMarginCents)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
