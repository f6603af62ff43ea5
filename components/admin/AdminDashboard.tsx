"use client";

import { useEffect, useState, type ComponentType } from "react";
import Link from "next/link";
import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { Activity, Banknote, Bell, ChevronRight, Headphones, Scale } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { shiftDay, todayIn, viewerTimeZone } from "@/lib/dateRange";
import { MarginChart, type MoneyFigures } from "@/components/admin/MarginChart";
import { useHydrated } from "@/hooks/useHydrated";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { LoadingRows, Skeleton } from "@/components/ui/misc";
import { formatMoney, type Currency } from "@/lib/money";

type Dashboard = FunctionReturnType<typeof api.admin.dashboard>;
type CountKey = Exclude<keyof Dashboard["counts"], "capped">;

const COUNTS: Array<{
  key: CountKey;
  label: string;
  one: string;
  many: string;
  href: string;
  testId: string;
  icon: ComponentType<{ className?: string }>;
}> = [
  {
    key: "activeSessions",
    label: "Active sessions",
    one: "active session",
    many: "active sessions",
    href: "/admin/sessions",
    testId: "stat-active-sessions",
    icon: Activity,
  },
  {
    key: "advisorsOnline",
    label: "Advisors online",
    one: "advisor online",
    many: "advisors online",
    href: "/admin/users?role=advisor",
    testId: "stat-advisors-online",
    icon: Headphones,
  },
  {
    key: "openDisputes",
    label: "Open disputes",
    one: "open dispute",
    many: "open disputes",
    href: "/admin/disputes",
    testId: "stat-open-disputes",
    icon: Scale,
  },
  {
    key: "payoutsAwaitingApproval",
    label: "Payouts to approve",
    one: "payout to approve",
    many: "payouts to approve",
    href: "/admin/payouts",
    testId: "stat-payouts-awaiting",
    icon: Banknote,
  },
  {
    key: "unresolvedAlerts",
    label: "Open alerts",
    one: "open alert",
    many: "open alerts",
    href: "/admin/alerts",
    testId: "stat-open-alerts",
    icon: Bell,
  },
];

const MONEY: Array<{ key: keyof MoneyFigures; label: string; id: string }> = [
  { key: "grossCents", label: "Gross sales", id: "gross" },
  { key: "feesCents", label: "Platform fees", id: "fees" },
  { key: "refundsCents", label: "Refunds", id: "refunds" },
  { key: "promotionsCents", label: "Promotions", id: "promotions" },
  { key: "netMarginCents", label: "Net margin", id: "net" },
];

/** The viewer's IANA time zone and calendar day; "today" moves at local midnight. */
function useViewerDay(): { today: string; tz: string } {
  const [tz] = useState(viewerTimeZone);
  const [today, setToday] = useState(() => todayIn(tz));
  useEffect(() => {
    const timer = setInterval(() => setToday(todayIn(tz)), 60_000);
    return () => clearInterval(timer);
  }, [tz]);
  return { today, tz };
}

/** The admin dashboard: live counts, today's and this month's money, the last 30 days. Every figure links to its list. */
export function AdminDashboard() {
  const hydrated = useHydrated();
  return hydrated ? <DashboardBody /> : <LoadingRows rows={4} label="Loading the dashboard" />;
}

function DashboardBody() {
  const { today, tz } = useViewerDay();
  const data = useQuery(api.admin.dashboard, { today, tz });
  const currency: Currency = data?.currency ?? "USD";
  const day = data?.today ?? today;
  const monthStart = `${day.slice(0, 7)}-01`;

  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="dash-live-heading" className="flex flex-col gap-3">
        <h2 id="dash-live-heading" className="text-lg font-semibold text-slate-900">
          Live now
        </h2>
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {COUNTS.map(({ key, label, one, many, href, testId, icon: Icon }) => {
            const value = data?.counts[key];
            const capped = data?.counts.capped.includes(key) ?? false;
            const text = value === undefined ? "" : `${value.toLocaleString("en-US")}${capped ? "+" : ""}`;
            return (
              <li key={key}>
                <Link
                  href={href}
                  aria-label={
                    value === undefined
                      ? `${label}: loading`
                      : `${text} ${value === 1 && !capped ? one : many}: open the list`
                  }
                  className="flex h-full items-center gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4 hover:border-brand-200 focus-visible:outline-2 focus-visible:outline-brand-600"
                >
                  <Icon className="hidden size-7 shrink-0 text-brand-600 sm:block" aria-hidden="true" />
                  <div className="flex min-w-0 flex-1 flex-col">
                    <span className="text-sm text-slate-500">{label}</span>
                    {value === undefined ? (
                      <Skeleton className="mt-1 h-7 w-12" />
                    ) : (
                      <span
                        className="text-2xl font-semibold tabular-nums text-slate-900"
                        data-testid={testId}
                        data-value={value}
                      >
                        {text}
                      </span>
                    )}
                  </div>
                  <ChevronRight className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
                </Link>
              </li>
            );
          })}
        </ul>
      </section>

      <PeopleRow />

      <section aria-labelledby="dash-money-heading" className="flex flex-col gap-3">
        <h2 id="dash-money-heading" className="text-lg font-semibold text-slate-900">
          Money
        </h2>
        <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
          <MoneyCard
            title="Today"
            period="today"
            figures={data?.todayFigures}
            currency={currency}
            href={rangeHref(day, day)}
            prefix="today"
          />
          <MoneyCard
            title="This month"
            period="this month"
            figures={data?.monthFigures}
            currency={currency}
            href={rangeHref(monthStart, day)}
            prefix="month"
          />
        </div>
      </section>

      <Card>
        <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
          <div className="flex flex-col gap-1">
            <CardTitle>Last 30 days</CardTitle>
            <CardDescription>Gross sales and net margin by day, in your time zone.</CardDescription>
          </div>
          <Link
            href={rangeHref(shiftDay(day, -29), day)}
            className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            Margin analytics for the last 30 days
          </Link>
        </CardHeader>
        <CardContent>
          <MarginChart
            daily={data?.daily}
            currency={currency}
            label="Gross sales and net margin, last 30 days"
            testId="dashboard-chart"
          />
        </CardContent>
      </Card>
    </div>
  );
}

const PEOPLE = [
  { key: "clients", label: "Clients", role: "client" },
  { key: "advisors", label: "Advisors", role: "advisor" },
  { key: "admins", label: "Admins", role: "admin" },
] as const;

/** Everyone on the platform by role (live), each linking to the filtered user list. */
function PeopleRow() {
  const people = useQuery(api.admin.overview, {});
  return (
    <section aria-labelledby="dash-people-heading" className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
      <h2 id="dash-people-heading" className="font-semibold text-slate-900">
        People
      </h2>
      {PEOPLE.map(({ key, label, role }) => (
        <Link
          key={key}
          href={`/admin/users?role=${role}`}
          className="text-slate-600 underline-offset-4 hover:text-brand-700 hover:underline"
        >
          {label}{" "}
          <span className="font-semibold tabular-nums text-slate-900" data-testid={`people-${key}`}>
            {people === undefined ? "…" : people[key].toLocaleString("en-US")}
          </span>
        </Link>
      ))}
    </section>
  );
}

function rangeHref(from: string, to: string): string {
  return `/admin/billing/margin-analytics?${new URLSearchParams({ from, to })}`;
}

function MoneyCard({
  title,
  period,
  figures,
  currency,
  href,
  prefix,
}: {
  title: string;
  period: string;
  figures: MoneyFigures | undefined;
  currency: Currency;
  href: string;
  prefix: string;
}) {
  return (
    <Card>
      <CardHeader className="flex-row items-baseline justify-between">
        <CardTitle>{title}</CardTitle>
        {figures ? (
          <span className="text-sm text-slate-500">
            {figures.sessions} paid {figures.sessions === 1 ? "session" : "sessions"}
          </span>
        ) : null}
      </CardHeader>
      <CardContent>
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-5">
          {MONEY.map(({ key, label, id }) => {
            const cents = figures?.[key];
            return (
              <li key={key} className="min-w-0">
                <Link
                  href={href}
                  aria-label={
                    cents === undefined
                      ? `${label} ${period}: loading`
                      : `${label} ${period}: ${formatMoney(cents, currency)}, open margin analytics`
                  }
                  className="flex h-full flex-col gap-0.5 rounded-lg p-2 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600"
                >
                  <span className="text-xs text-slate-500">{label}</span>
                  <span>
                    {cents === undefined ? (
                      <Skeleton className="mt-1 h-6 w-16" />
                    ) : (
                      <span
                        className={`font-semibold tabular-nums ${key === "netMarginCents" ? (cents < 0 ? "text-red-700" : "text-emerald-700") : "text-slate-900"}`}
                        data-testid={`stat-${prefix}-${id}`}
                        data-cents={cents}
                      >
                        {formatMoney(cents, currency)}
                      </span>
                    )}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      </CardContent>
    </Card>
  );
}
