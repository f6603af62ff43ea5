"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { usePaginatedQuery } from "convex/react";
import { formatDistanceToNowStrict } from "date-fns";
import { ChevronRight, Scale } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { DISPUTE_STATUS_TONE } from "@/components/disputes/labels";
import { optionsOf, Select } from "@/components/ui/select";
import { Badge } from "@/components/ui/badge";
import { Label } from "@/components/ui/input";
import { EmptyState, LoadMoreButton, LoadingRows } from "@/components/ui/misc";
import { DISPUTE_STATUSES, DISPUTE_STATUS_LABELS, type DisputeStatus } from "@/lib/disputes";
import { formatMoney } from "@/lib/money";

const PAGE_SIZE = 20;
type Filter = DisputeStatus | "all";
const FILTERS: Filter[] = [...DISPUTE_STATUSES, "all"];
const FILTER_LABELS: Record<Filter, string> = { ...DISPUTE_STATUS_LABELS, all: "All" };

/** "5 h", "3 min", "2 days": compact age for the queue. */
export function age(at: number): string {
  return formatDistanceToNowStrict(at)
    .replace(/ hours?$/, " h")
    .replace(/ minutes?$/, " min")
    .replace(/ seconds?$/, " s");
}

/** The disputes queue: open ones first (oldest first, so the longest-waiting is on top), or any status. */
export function AdminDisputes() {
  const [filter, setFilter] = useState<Filter>("open");
  const selectId = useId();
  const { results, status, loadMore } = usePaginatedQuery(
    api.disputes.adminList,
    filter === "all" ? {} : { status: filter },
    { initialNumItems: PAGE_SIZE },
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1.5 sm:flex-row sm:items-center sm:gap-3">
        <Label htmlFor={selectId}>Show</Label>
        <Select
          id={selectId}
          options={optionsOf(FILTERS, (f) => FILTER_LABELS[f])}
          value={filter}
          onValueChange={(f) => f !== "" && setFilter(f)}
          className="sm:w-56"
          data-testid="admin-dispute-filter"
        />
        <p className="text-sm text-slate-500">
          {filter === "all" ? "Newest first." : "Oldest first: the longest-waiting is on top."}
        </p>
      </div>
      {status === "LoadingFirstPage" ? (
        <LoadingRows label="Loading disputes" />
      ) : results.length === 0 ? (
        <EmptyState
          icon={<Scale />}
          title={
            filter === "open"
              ? "No open disputes"
              : filter === "all"
                ? "No disputes yet"
                : `No disputes: ${FILTER_LABELS[filter].toLowerCase()}`
          }
        >
          {filter === "open"
            ? "Clients can dispute a session for 72 hours after it ends. New disputes show here."
            : "Try another status."}
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="admin-dispute-list">
          {results.map((d) => (
            <li key={d._id}>
              <Link
                href={`/admin/disputes/${d._id}`}
                className="flex items-center gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-200 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
                data-testid="admin-dispute-row"
              >
                <div className="flex min-w-0 flex-1 flex-col gap-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <p className="font-semibold text-slate-900">{d.categoryLabel}</p>
                    <Badge tone={DISPUTE_STATUS_TONE[d.status]}>{d.statusLabel}</Badge>
                  </div>
                  <p className="truncate text-sm text-slate-800">
                    {d.clientName} <span className="text-slate-500">about</span> {d.advisorName}
                  </p>
                  <p className="line-clamp-2 break-words text-sm text-slate-600">{d.description}</p>
                  <p className="text-sm text-slate-500">
                    <span data-testid="admin-dispute-age">opened {age(d.createdAt)} ago</span>
                    {" · "}paid {formatMoney(d.paidCents)} · asks back {formatMoney(d.requestedRefundCents)}
                    {d.status !== "open" && d.refundCents !== null ? ` · refunded ${formatMoney(d.refundCents)}` : ""}
                    {d.advisorResponse !== null
                      ? " · advisor responded"
                      : d.status === "open"
                        ? " · no advisor response yet"
                        : ""}
                  </p>
                </div>
                <ChevronRight className="size-5 shrink-0 text-slate-400" aria-hidden="true" />
              </Link>
            </li>
          ))}
        </ul>
      )}
      <LoadMoreButton status={status} onLoadMore={() => loadMore(PAGE_SIZE)} />
    </div>
  );
}
