"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { usePaginatedQuery, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { format, formatDistanceToNowStrict } from "date-fns";
import { Activity, ChevronRight, History } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { useServerNow } from "@/hooks/useBillingSession";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { EmptyState, LoadMoreButton, LoadingRows } from "@/components/ui/misc";
import { optionsOf, Select, type SelectOption } from "@/components/ui/select";
import { snapshotAt } from "@/lib/billingEngine";
import { formatDuration, formatRate } from "@/lib/format";
import { formatMoney } from "@/lib/money";
import {
  FINAL_STATUSES,
  OPEN_STATUSES,
  STATUS_LABELS,
  formatClock,
  type SessionKind,
  type SessionStatus,
} from "@/lib/sessionUtils";

export type AdminSessionRow = FunctionReturnType<typeof api.adminSessions.live>[number];

const PAGE_SIZE = 25;
const KIND_OPTIONS: SelectOption<SessionKind>[] = [
  { value: "chat", label: "Chat" },
  { value: "video", label: "Video" },
];

export const STATUS_TONE: Record<SessionStatus, "neutral" | "brand" | "success" | "warning" | "danger"> = {
  requested: "warning",
  active: "success",
  paused: "warning",
  ended: "neutral",
  declined: "neutral",
  expired: "neutral",
  cancelled: "neutral",
};

/** Billable time and cost so far at `now`, from the session's own numbers (capped by what the client can afford). */
export function liveFigures(
  row: Pick<AdminSessionRow, "segments" | "rateCentsPerMinute" | "feeBps" | "freeSeconds" | "limitSeconds">,
  now: number,
) {
  return snapshotAt({
    segments: row.segments,
    rateCentsPerMinute: row.rateCentsPerMinute,
    feeBps: row.feeBps,
    freeSeconds: row.freeSeconds,
    limitSeconds: row.limitSeconds ?? Number.MAX_SAFE_INTEGER,
    availableCents: null,
    now,
  });
}

function dayStartMs(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(`${value}T00:00:00`).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** A status filter: "all" (labelled `allLabel`) or one of `statuses`. */
function StatusSelect({
  id,
  value,
  onChange,
  statuses,
  allLabel,
  testId,
}: {
  id: string;
  value: SessionStatus | "";
  onChange: (value: SessionStatus | "") => void;
  statuses: readonly SessionStatus[];
  allLabel: string;
  testId: string;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>Status</Label>
      <Select
        id={id}
        options={optionsOf(statuses, (s) => STATUS_LABELS[s])}
        allLabel={allLabel}
        value={value}
        onValueChange={onChange}
        data-testid={testId}
      />
    </div>
  );
}

function KindSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: SessionKind | "";
  onChange: (value: SessionKind | "") => void;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>Kind</Label>
      <Select id={id} options={KIND_OPTIONS} allLabel="Chat and video" value={value} onValueChange={onChange} />
    </div>
  );
}

/** The sessions console: live sessions ticking every second, and the history with filters. */
export function AdminSessions() {
  return (
    <div className="flex flex-col gap-8">
      <LiveSessions />
      <SessionHistory />
    </div>
  );
}

function LiveSessions() {
  const [status, setStatus] = useState<SessionStatus | "">("");
  const [kind, setKind] = useState<SessionKind | "">("");
  const [search, setSearch] = useState("");
  const ids = { status: useId(), kind: useId(), search: useId() };
  const rows = useQuery(api.adminSessions.live, {});
  const now = useServerNow(
    0,
    (rows ?? []).some((r) => r.status !== "paused"),
  );
  const needle = search.trim().toLowerCase();
  const shown = (rows ?? []).filter(
    (r) =>
      (status === "" || r.status === status) &&
      (kind === "" || r.kind === kind) &&
      (needle === "" ||
        `${r.client.name} ${r.advisor.name} ${r.client.email ?? ""} ${r.advisor.email ?? ""}`
          .toLowerCase()
          .includes(needle)),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Live now</CardTitle>
        <CardDescription>
          Ringing, live and paused sessions. Time and cost move every second; figures are settled when the session ends.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="grid gap-3 sm:grid-cols-3">
          <StatusSelect
            id={ids.status}
            value={status}
            onChange={setStatus}
            statuses={OPEN_STATUSES}
            allLabel="All open"
            testId="live-status-filter"
          />
          <KindSelect id={ids.kind} value={kind} onChange={setKind} />
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={ids.search}>Client or advisor</Label>
            <Input
              id={ids.search}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Name or email"
            />
          </div>
        </div>
        {rows === undefined ? (
          <LoadingRows label="Loading live sessions" />
        ) : shown.length === 0 ? (
          <EmptyState icon={<Activity />} title={rows.length === 0 ? "No live sessions" : "No live session matches"}>
            {rows.length === 0 ? "Sessions show here the moment a client rings an advisor." : "Try other filters."}
          </EmptyState>
        ) : (
          <ul className="flex flex-col gap-3" data-testid="admin-live-sessions">
            {shown.map((r) => (
              <LiveRow key={r._id} row={r} now={now} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

function LiveRow({ row: r, now }: { row: AdminSessionRow; now: number }) {
  const figures = r.status === "requested" ? null : liveFigures(r, now);
  return (
    <li>
      <Link
        href={`/admin/sessions/${r._id}`}
        className="flex items-center gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-200 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
        data-testid="admin-live-session"
        data-session-id={r._id}
        data-status={r.status}
      >
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <p className="font-semibold text-slate-900">
              {r.client.name} <span className="font-normal text-slate-500">with</span> {r.advisor.name}
            </p>
            <Badge tone={STATUS_TONE[r.status]}>{STATUS_LABELS[r.status]}</Badge>
            <Badge>{r.kind === "video" ? "Video" : "Chat"}</Badge>
          </div>
          <p className="text-sm text-slate-500">
            {formatRate(r.rateCentsPerMinute)} · requested {format(r.requestedAt, "HH:mm:ss")}
            {r.status === "requested" ? ` · ringing ${formatDistanceToNowStrict(r.requestedAt)}` : ""}
          </p>
        </div>
        {figures ? (
          <div className="flex flex-col items-end text-right">
            <span className="font-mono text-lg tabular-nums text-slate-900" data-testid="admin-live-elapsed">
              {formatClock(figures.billableSeconds)}
            </span>
            <span className="text-sm tabular-nums text-slate-600" data-testid="admin-live-cost">
              {formatMoney(figures.costCents)}
            </span>
          </div>
        ) : null}
        <ChevronRight className="size-5 shrink-0 text-slate-400" aria-hidden="true" />
      </Link>
    </li>
  );
}

function SessionHistory() {
  const [status, setStatus] = useState<SessionStatus | "">("");
  const [kind, setKind] = useState<SessionKind | "">("");
  const [email, setEmail] = useState("");
  const [fromDate, setFromDate] = useState("");
  const [toDate, setToDate] = useState("");
  const ids = { status: useId(), kind: useId(), email: useId(), from: useId(), to: useId() };
  const fromMs = dayStartMs(fromDate);
  const toStart = dayStartMs(toDate);
  const badRange = fromMs !== undefined && toStart !== undefined && fromMs > toStart;
  const args = {
    ...(status ? { status } : {}),
    ...(kind ? { kind } : {}),
    ...(email.trim() ? { participantEmail: email.trim() } : {}),
    ...(fromMs !== undefined && !badRange ? { fromMs } : {}),
    ...(toStart !== undefined && !badRange ? { toMs: toStart + 24 * 60 * 60 * 1000 - 1 } : {}),
  };
  const {
    results,
    status: loadStatus,
    loadMore,
  } = usePaginatedQuery(api.adminSessions.history, args, { initialNumItems: PAGE_SIZE });
  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
        <CardDescription>Ended, declined, unanswered and cancelled sessions, newest first.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <StatusSelect
            id={ids.status}
            value={status}
            onChange={setStatus}
            statuses={FINAL_STATUSES}
            allLabel="All finished"
            testId="history-status-filter"
          />
          <KindSelect id={ids.kind} value={kind} onChange={setKind} />
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={ids.email}>Participant email</Label>
            <Input
              id={ids.email}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              placeholder="Exact email"
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={ids.from}>From</Label>
            <Input id={ids.from} type="date" value={fromDate} onChange={(e) => setFromDate(e.target.value)} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={ids.to}>To</Label>
            <Input
              id={ids.to}
              type="date"
              value={toDate}
              onChange={(e) => setToDate(e.target.value)}
              aria-invalid={badRange}
            />
          </div>
        </div>
        {badRange ? (
          <p className="text-sm text-red-600">The start date is after the end date; the dates are ignored.</p>
        ) : null}
        {loadStatus === "LoadingFirstPage" ? (
          <LoadingRows label="Loading session history" />
        ) : results.length === 0 && loadStatus === "Exhausted" ? (
          <EmptyState icon={<History />} title="No sessions match">
            Try other filters.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="admin-session-history">
              <thead>
                <tr className="border-b border-slate-200 text-left text-slate-500">
                  <th className="py-2 pr-3 font-medium">Requested</th>
                  <th className="py-2 pr-3 font-medium">Client</th>
                  <th className="py-2 pr-3 font-medium">Advisor</th>
                  <th className="py-2 pr-3 font-medium">Kind</th>
                  <th className="py-2 pr-3 font-medium">Status</th>
                  <th className="py-2 pr-3 text-right font-medium">Billed</th>
                  <th className="py-2 pr-3 text-right font-medium">Cost</th>
                  <th className="py-2 text-right font-medium">Refunded</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r) => (
                  <tr
                    key={r._id}
                    className="border-b border-slate-100"
                    data-testid="admin-history-row"
                    data-session-id={r._id}
                  >
                    <td className="py-2 pr-3 whitespace-nowrap">
                      <Link
                        href={`/admin/sessions/${r._id}`}
                        className="text-brand-700 underline-offset-4 hover:underline"
                      >
                        {format(r.requestedAt, "d MMM yyyy, HH:mm")}
                      </Link>
                    </td>
                    <td className="py-2 pr-3">{r.client.name}</td>
                    <td className="py-2 pr-3">{r.advisor.name}</td>
                    <td className="py-2 pr-3">{r.kind === "video" ? "Video" : "Chat"}</td>
                    <td className="py-2 pr-3">
                      <Badge tone={STATUS_TONE[r.status]}>{STATUS_LABELS[r.status]}</Badge>
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">
                      {r.billableSeconds === null ? "—" : formatDuration(r.billableSeconds)}
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">
                      {r.costCents === null ? "—" : formatMoney(r.costCents)}
                    </td>
                    <td className="py-2 text-right tabular-nums">
                      {r.refundedCents > 0 ? formatMoney(r.refundedCents) : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {results.length === 0 ? (
              <p className="py-4 text-center text-sm text-slate-500">
                Nothing on this page matches; load more to keep looking.
              </p>
            ) : null}
          </div>
        )}
        <LoadMoreButton status={loadStatus} onLoadMore={() => loadMore(PAGE_SIZE)} />
      </CardContent>
    </Card>
  );
}
