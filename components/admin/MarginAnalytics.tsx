"use client";

import { useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useQuery } from "convex/react";
import { AlertTriangle, Download } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { defaultRange, rangeProblem, viewerTimeZone, MAX_RANGE_DAYS } from "@/lib/dateRange";
import { shortDay } from "@/components/charts/chartKit";
import { useHydrated } from "@/hooks/useHydrated";
import { MarginChart, type MoneyFigures } from "./MarginChart";
import { FiguresTable } from "./MarginFiguresTable";
import { MarginExports } from "./MarginExports";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { LoadingRows, Skeleton } from "@/components/ui/misc";
import { formatMoney, type Currency } from "@/lib/money";
import { categoryLabel } from "@/lib/categories";

const TOTALS: Array<{ key: keyof MoneyFigures; label: string; help: string; testId: string }> = [
  {
    key: "grossCents",
    label: "Gross sales",
    help: "Sessions and answered messages, promotions included",
    testId: "margin-total-gross",
  },
  { key: "feesCents", label: "Platform fees", help: "Our share of those sales", testId: "margin-total-fees" },
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
            {report?.advisorsComplete !== false ? (
              <Button asChild variant="secondary">
                <a href={csvHref} download data-testid="margin-csv">
                  <Download aria-hidden="true" /> Export CSV
                </a>
              </Button>
            ) : null}
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
          Totals and days are exact. This range has too many advisors to list here: a background export (below) lists
          every advisor and category.
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
              label: c.category === null ? "No category" : categoryLabel(c.category),
              figures: c,
            }))}
            empty="No sales in this range."
          />
        )}
      </section>

      <MarginExports range={{ ...range, tz }} />
    </div>
  );
}
