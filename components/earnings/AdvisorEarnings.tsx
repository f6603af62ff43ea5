"use client";

import { viewerTimeZone } from "@/lib/dateRange";
import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { usePaginatedQuery, useQuery } from "convex/react";
import { format } from "date-fns";
import { ChevronRight, MessageCircle, Receipt, Video } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows, LoadMoreButton, Skeleton } from "@/components/ui/misc";
import { formatDuration } from "@/lib/format";
import { formatBps, formatMoney } from "@/lib/money";
import { BalanceCards } from "./BalanceCards";
import { EARNING_STATUS } from "./labels";
// recharts is large: the chart's code loads after the page, in its own chunk, behind a same-size placeholder.
const EarningsChart = dynamic(() => import("./EarningsChart").then((m) => m.EarningsChart), {
  ssr: false,
  loading: () => <Skeleton className="h-64 w-full" />,
});

const PAGE_SIZE = 20;

/** The advisor's earnings dashboard: live balances, today / week / month, a 30-day chart and every session's split. */
export function AdvisorEarnings() {
  // Minutes east of UTC, so "today" and the daily bars follow the advisor's clock.
  const [tz] = useState(viewerTimeZone);
  const summary = useQuery(api.earnings.summary, { tz });

  return (
    <div className="flex flex-col gap-6">
      <BalanceCards balances={summary} />
      <Card>
        <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
          <div className="flex flex-col gap-1">
            <CardTitle>Net earnings</CardTitle>
            <CardDescription>What you keep after the platform fee, by day.</CardDescription>
          </div>
          <dl className="grid grid-cols-3 gap-4 text-sm sm:text-right" data-testid="earnings-totals">
            {(
              [
                ["Today", summary?.todayCents],
                ["This week", summary?.weekCents],
                ["This month", summary?.monthCents],
              ] as const
            ).map(([label, cents]) => (
              <div key={label} className="flex flex-col gap-0.5">
                <dt className="text-slate-500">{label}</dt>
                <dd className="font-semibold tabular-nums text-slate-900">
                  {cents === undefined ? <Skeleton className="h-5 w-16 sm:ml-auto" /> : formatMoney(cents)}
                </dd>
              </div>
            ))}
          </dl>
        </CardHeader>
        <CardContent>
          <EarningsChart daily={summary?.daily} />
        </CardContent>
      </Card>
      <section aria-labelledby="earnings-sessions-heading" className="flex flex-col gap-3">
        <h2 id="earnings-sessions-heading" className="text-lg font-semibold text-slate-900">
          Sessions
        </h2>
        <EarningsTable />
      </section>
    </div>
  );
}

function Channel({ kind }: { kind: "chat" | "video" }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      {kind === "video" ? (
        <Video className="size-4 text-slate-400" aria-hidden="true" />
      ) : (
        <MessageCircle className="size-4 text-slate-400" aria-hidden="true" />
      )}
      {kind === "video" ? "Video" : "Chat"}
    </span>
  );
}

function feeText(feeCents: number, feeBps: number): string {
  return `${formatMoney(feeCents)} (${formatBps(feeBps)})`;
}

/** Net, and when refunds took part of it: what was refunded and what the advisor keeps. */
function NetAmount({
  netCents,
  refundedCents,
  keptCents,
}: {
  netCents: number;
  refundedCents: number;
  keptCents: number;
}) {
  if (refundedCents === 0) return <>{formatMoney(netCents)}</>;
  return (
    <span className="inline-flex flex-col items-end" data-testid="earning-net">
      <span>{formatMoney(keptCents)}</span>
      <span className="text-xs font-normal text-slate-500">
        <s className="sr-only sm:not-sr-only">{formatMoney(netCents)}</s> −{formatMoney(refundedCents)} refunded
      </span>
    </span>
  );
}

/** The refund state, and "Pending" alongside while a partly refunded earning is still on hold. */
function StatusBadges({
  state,
  onHold,
  availableAt,
}: {
  state: keyof typeof EARNING_STATUS;
  onHold: boolean;
  availableAt: number;
}) {
  const badge = EARNING_STATUS[state];
  const held = onHold && state === "partially_refunded";
  return (
    <span className="inline-flex flex-wrap items-center gap-1" data-testid="earning-status">
      <Badge
        tone={badge.tone}
        title={state === "pending" ? `Available ${format(availableAt, "d MMM, HH:mm")}` : badge.help}
      >
        {badge.label}
      </Badge>
      {held ? (
        <Badge tone={EARNING_STATUS.pending.tone} title={`Available ${format(availableAt, "d MMM, HH:mm")}`}>
          {EARNING_STATUS.pending.label}
        </Badge>
      ) : null}
    </span>
  );
}

function EarningsTable() {
  const { results, status, loadMore } = usePaginatedQuery(api.earnings.list, {}, { initialNumItems: PAGE_SIZE });
  if (status === "LoadingFirstPage") return <LoadingRows label="Loading sessions" />;
  if (results.length === 0) {
    return (
      <EmptyState icon={<Receipt />} title="No earnings yet">
        Go online to receive session requests. Each finished session shows here with its fee and your share.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      {/* sm and up: a table */}
      <div className="hidden overflow-x-auto rounded-xl border border-slate-200 bg-white sm:block">
        <table className="w-full text-left text-sm" data-testid="earnings-table">
          <caption className="sr-only">Earnings per session, newest first</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">
                Date
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Client
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Channel
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Duration
              </th>
              <th scope="col" className="px-4 py-3 text-right font-medium">
                Gross
              </th>
              <th scope="col" className="px-4 py-3 text-right font-medium">
                Fee
              </th>
              <th scope="col" className="px-4 py-3 text-right font-medium">
                Net
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Status
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {results.map((e) => {
              return (
                <tr key={e._id} className="hover:bg-slate-50" data-testid="earning-row">
                  <td className="whitespace-nowrap px-4 py-3">
                    <Link
                      href={`/session/${e.sessionId}/receipt`}
                      className="font-medium text-brand-700 underline-offset-4 hover:underline focus-visible:rounded focus-visible:outline-2 focus-visible:outline-brand-600"
                      aria-label={`Receipt: ${e.clientName}, ${format(e.settledAt, "d MMM yyyy, HH:mm")}`}
                    >
                      {format(e.settledAt, "d MMM yyyy, HH:mm")}
                    </Link>
                  </td>
                  <td className="max-w-48 truncate px-4 py-3">{e.clientName}</td>
                  <td className="px-4 py-3">
                    <Channel kind={e.kind} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 tabular-nums">{formatDuration(e.billableSeconds)}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{formatMoney(e.grossCents)}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-600">
                    {feeText(e.feeCents, e.feeBps)}
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-right font-medium tabular-nums">
                    <NetAmount netCents={e.netCents} refundedCents={e.refundedCents} keptCents={e.keptCents} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-3">
                    <StatusBadges state={e.state} onHold={e.onHold} availableAt={e.availableAt} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {/* Under sm: one card per session */}
      <ul
        className="flex flex-col divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white sm:hidden"
        data-testid="earnings-cards"
      >
        {results.map((e) => {
          const badge = EARNING_STATUS[e.state];
          return (
            <li key={e._id}>
              <Link
                href={`/session/${e.sessionId}/receipt`}
                className="flex items-start gap-3 p-4 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600"
                aria-label={`Receipt: ${e.clientName}, ${format(e.settledAt, "d MMM yyyy, HH:mm")}, you keep ${formatMoney(e.keptCents)}${e.refundedCents > 0 ? ` (${formatMoney(e.refundedCents)} refunded)` : ""}, ${badge.label}`}
              >
                <div className="flex min-w-0 flex-1 flex-col gap-1">
                  <div className="flex items-center justify-between gap-2">
                    <p className="truncate font-medium text-slate-900">{e.clientName}</p>
                    <p className="text-right font-semibold tabular-nums">
                      <NetAmount netCents={e.netCents} refundedCents={e.refundedCents} keptCents={e.keptCents} />
                    </p>
                  </div>
                  <p className="flex flex-wrap items-center gap-x-2 text-sm text-slate-500">
                    <span>{format(e.settledAt, "d MMM yyyy, HH:mm")}</span>
                    <span aria-hidden="true">·</span>
                    <Channel kind={e.kind} />
                    <span aria-hidden="true">·</span>
                    <span>{formatDuration(e.billableSeconds)}</span>
                  </p>
                  <div className="flex items-center justify-between gap-2 text-sm text-slate-600">
                    <span className="tabular-nums">
                      {formatMoney(e.grossCents)} − fee {feeText(e.feeCents, e.feeBps)}
                    </span>
                    <StatusBadges state={e.state} onHold={e.onHold} availableAt={e.availableAt} />
                  </div>
                  {e.onHold && e.keptCents > 0 ? (
                    <p className="text-xs text-slate-500">Available {format(e.availableAt, "d MMM, HH:mm")}</p>
                  ) : null}
                </div>
                <ChevronRight className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden="true" />
              </Link>
            </li>
          );
        })}
      </ul>
      <LoadMoreButton status={status} onLoadMore={() => loadMore(PAGE_SIZE)} />
    </div>
  );
}
