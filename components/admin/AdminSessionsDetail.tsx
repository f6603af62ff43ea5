"use client";

import Link from "next/link";
import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { format } from "date-fns";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { useServerNow } from "@/hooks/useBillingSession";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { formatDuration, formatRate } from "@/lib/format";
import { JOURNAL_TYPE_LABELS, type JournalType } from "@/lib/ledger/legs";
import { formatBps, formatMoney } from "@/lib/money";
import {
  END_REASON_TEXT,
  STATUS_LABELS,
  formatClock,
  isOpen,
  type EndReason,
  type SessionStatus,
} from "@/lib/sessionUtils";
import { STATUS_TONE, liveFigures } from "./AdminSessions";
import {
  ChatTranscript,
  DetailHeader,
  EVENT_LABELS,
  Facts,
  PAUSE_REASONS,
  TimelineEntry,
  WHEN,
  pauseGaps,
} from "./SessionDetailParts";
import { ForceEnd } from "./SessionForceEnd";

type Detail = FunctionReturnType<typeof api.adminSessions.get>;

function journalHref(journalId: string): string {
  return `/admin/billing/ledger?journal=${encodeURIComponent(journalId)}`;
}

/** One session for admins: people, rate and fee, live or settled money, timeline, journals, chat, dispute, force-end. */
export function AdminSessionsDetail({ sessionId }: { sessionId: Id<"sessions"> }) {
  const data = useQuery(api.adminSessions.get, { sessionId });
  if (data === undefined) return <LoadingRows rows={4} label="Loading the session" />;
  const s = data;
  const open = isOpen(s.status as SessionStatus);
  return (
    <div className="flex flex-col gap-6" data-testid="admin-session-detail" data-status={s.status}>
      <DetailHeader
        backHref="/admin/sessions"
        backLabel="Sessions"
        title={
          <>
            {s.client.name} with {s.advisor.name}
          </>
        }
        badges={
          <>
            <Badge tone={STATUS_TONE[s.status]} data-testid="admin-session-status">
              {STATUS_LABELS[s.status]}
            </Badge>
            <Badge>{s.kind === "video" ? "Video" : "Chat"}</Badge>
          </>
        }
      >
        Requested {format(s.requestedAt, WHEN)} · <span className="font-mono text-xs">{s._id}</span>
      </DetailHeader>

      {open ? <LiveCard session={s} /> : null}
      {open ? <ForceEnd sessionId={s._id} ringing={s.status === "requested"} /> : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <PeopleCard session={s} />
        <MoneyCard session={s} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <TimelineCard session={s} />
        <LedgerCard session={s} />
      </div>
      {s.provider === "builtin" ? <TranscriptCard session={s} /> : null}
      <AuditCard session={s} />
    </div>
  );
}

function LiveCard({ session: s }: { session: Detail }) {
  const now = useServerNow(0, s.status === "active");
  const figures =
    s.status === "requested"
      ? null
      : liveFigures(s, s.status === "paused" && s.pausedAt !== null ? Math.max(s.pausedAt, now) : now);
  return (
    <Card data-testid="admin-session-live">
      <CardHeader>
        <CardTitle>{s.status === "requested" ? "Ringing" : s.status === "paused" ? "Paused" : "Live now"}</CardTitle>
        <CardDescription>
          {s.status === "requested"
            ? `Rings until ${format(s.expiresAt, "HH:mm:ss")}; nothing is charged before the advisor accepts.`
            : s.status === "paused"
              ? `Billing stopped${s.pauseReason ? `: ${PAUSE_REASONS[s.pauseReason] ?? s.pauseReason}` : ""}${s.pausedAt ? ` at ${format(s.pausedAt, "HH:mm:ss")}` : ""}.`
              : "Projected every second from the session's segments; settled when it ends."}
        </CardDescription>
      </CardHeader>
      {figures ? (
        <CardContent>
          <Facts
            rows={[
              ["Billable time", formatClock(figures.billableSeconds), "admin-session-elapsed"],
              ["Cost so far", formatMoney(figures.costCents), "admin-session-cost"],
              ["Client pays so far", formatMoney(figures.clientCents)],
              ["Funds left for", s.limitSeconds === null ? "—" : formatDuration(figures.secondsLeft)],
              ["Client last heard", s.presence.client ? format(s.presence.client, "HH:mm:ss") : "—"],
              ["Advisor last heard", s.presence.advisor ? format(s.presence.advisor, "HH:mm:ss") : "—"],
            ]}
          />
        </CardContent>
      ) : null}
    </Card>
  );
}

function PeopleCard({ session: s }: { session: Detail }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Participants and terms</CardTitle>
      </CardHeader>
      <CardContent>
        <Facts
          rows={[
            ["Client", `${s.client.name}${s.client.email ? ` · ${s.client.email}` : ""}`],
            ["Advisor", `${s.advisor.name}${s.advisor.email ? ` · ${s.advisor.email}` : ""}`],
            ["Kind", s.kind === "video" ? "Video" : "Chat"],
            ["Rate", formatRate(s.rateCentsPerMinute)],
            ["Platform fee", formatBps(s.feeBps)],
            ["Free time (new-client offer)", s.freeSeconds > 0 ? formatDuration(s.freeSeconds) : "None"],
            ["Chat and video", s.provider === "builtin" ? "Built-in" : "Stream"],
            ["Started", s.startedAt !== null ? format(s.startedAt, WHEN) : "—"],
            ["Ended", s.endedAt !== null ? format(s.endedAt, WHEN) : "—"],
            [
              "How it ended",
              s.endReason !== null ? (END_REASON_TEXT[s.endReason as EndReason] ?? s.endReason) : "—",
              "admin-session-end-reason",
            ],
            ["Ended by", s.endedBy?.name ?? "—"],
          ]}
        />
      </CardContent>
    </Card>
  );
}

function MoneyCard({ session: s }: { session: Detail }) {
  const settled = s.status === "ended";
  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between gap-3">
        <CardTitle>Money</CardTitle>
        <div className="flex gap-3 text-sm">
          {settled ? (
            <Link href={`/session/${s._id}/receipt`} className="text-brand-700 underline-offset-4 hover:underline">
              Receipt
            </Link>
          ) : null}
          {s.disputeId ? (
            <Link
              href={`/admin/disputes/${s.disputeId}`}
              className="text-brand-700 underline-offset-4 hover:underline"
              data-testid="admin-session-dispute"
            >
              Dispute
            </Link>
          ) : null}
        </div>
      </CardHeader>
      <CardContent>
        {settled ? (
          <Facts
            rows={[
              ["Billable time", formatDuration(s.billableSeconds ?? 0), "admin-session-billed"],
              ["Session value", formatMoney(s.costCents ?? 0), "admin-session-value"],
              ["Client paid", formatMoney(s.clientCents ?? 0)],
              ["Promotions paid", formatMoney((s.costCents ?? 0) - (s.clientCents ?? 0))],
              ["Advisor share", formatMoney(s.shareCents ?? 0)],
              ["Platform fee", formatMoney(s.feeCents ?? 0)],
              ["Refunded", formatMoney(s.refundedCents), "admin-session-refunded"],
              [
                "Advisor earning",
                s.earning === null
                  ? "None"
                  : `${formatMoney(s.earning.netCents)} · ${s.earning.status}${s.earning.status === "pending" ? ` until ${format(s.earning.availableAt, "d MMM, HH:mm")}` : ""}`,
              ],
            ]}
          />
        ) : (
          <p className="text-sm text-slate-500">
            {isOpen(s.status as SessionStatus)
              ? "Not settled yet: figures are final when the session ends."
              : "Never started: nothing was charged."}
          </p>
        )}
      </CardContent>
    </Card>
  );
}

function TimelineCard({ session: s }: { session: Detail }) {
  const events = useQuery(api.sessions.timeline, { sessionId: s._id });
  const gaps = pauseGaps(s.segments, s.endedAt);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Timeline</CardTitle>
        <CardDescription>
          {s.segments.length === 0
            ? "Never billed."
            : `Billed in ${s.segments.length} ${s.segments.length === 1 ? "stretch" : "stretches"}${gaps.length > 0 ? `, paused ${gaps.length} ${gaps.length === 1 ? "time" : "times"}` : ""}.`}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {s.segments.length > 0 ? (
          <ol className="flex flex-col gap-1 text-sm" data-testid="admin-session-segments">
            {s.segments.map((seg, i) => (
              <li key={`${seg.startedAt}-${i}`} className="tabular-nums text-slate-700">
                {format(seg.startedAt, "HH:mm:ss")} →{" "}
                {seg.endedAt !== undefined ? format(seg.endedAt, "HH:mm:ss") : "running"}
                {seg.endedAt !== undefined ? (
                  <span className="text-slate-500">
                    {" "}
                    ({formatDuration(Math.floor((seg.endedAt - seg.startedAt) / 1000))})
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        ) : null}
        {events === undefined ? (
          <LoadingRows rows={2} label="Loading the timeline" />
        ) : events.length === 0 ? (
          <p className="text-sm text-slate-500">No events were recorded.</p>
        ) : (
          <ol
            className="flex flex-col gap-2 border-l border-slate-200 pl-4 text-sm"
            data-testid="admin-session-timeline"
          >
            {events.map((e) => {
              const detail =
                e.type === "ended" && e.detail
                  ? (END_REASON_TEXT[e.detail as EndReason] ?? e.detail)
                  : e.type === "paused" && e.detail
                    ? (PAUSE_REASONS[e.detail] ?? e.detail)
                    : e.detail;
              return (
                <TimelineEntry
                  key={e._id}
                  label={EVENT_LABELS[e.type] ?? e.type}
                  at={e.at}
                  detail={detail}
                  pause={e.type === "paused"}
                />
              );
            })}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}

function LedgerCard({ session: s }: { session: Detail }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Ledger journals</CardTitle>
        <CardDescription>Settlement, earning release and refunds of this session.</CardDescription>
      </CardHeader>
      <CardContent>
        {s.journals.length === 0 ? (
          <p className="text-sm text-slate-500">No journals: nothing was charged.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="admin-session-journals">
            {s.journals.map((j) => (
              <li key={j._id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <div className="flex flex-col">
                  <Link
                    href={journalHref(j._id)}
                    className="font-medium text-brand-700 underline-offset-4 hover:underline"
                    data-testid={j._id === s.settlementJournalId ? "admin-session-settlement-journal" : undefined}
                  >
                    {JOURNAL_TYPE_LABELS[j.type as JournalType] ?? j.type}
                  </Link>
                  <span className="font-mono text-xs text-slate-500">{j._id}</span>
                </div>
                <span className="text-right tabular-nums">
                  {formatMoney(j.amountCents)}
                  <span className="block text-xs text-slate-500">{format(j.createdAt, "d MMM, HH:mm:ss")}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

function TranscriptCard({ session: s }: { session: Detail }) {
  const chat = useQuery(api.chat.list, { sessionId: s._id });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Chat transcript</CardTitle>
      </CardHeader>
      <CardContent>
        {chat === undefined ? (
          <LoadingRows rows={2} label="Loading the transcript" />
        ) : chat.messages.length === 0 ? (
          <p className="text-sm text-slate-500">
            No messages{isOpen(s.status as SessionStatus) ? " yet" : " were sent in this session"}.
          </p>
        ) : (
          <ChatTranscript
            messages={chat.messages}
            clientName={s.client.name}
            advisorName={s.advisor.name}
            testId="admin-session-transcript"
          />
        )}
      </CardContent>
    </Card>
  );
}

function AuditCard({ session: s }: { session: Detail }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Admin actions</CardTitle>
      </CardHeader>
      <CardContent>
        {s.audit.length === 0 ? (
          <EmptyState title="No admin actions">
            Force-ends and other admin actions on this session are listed here.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="admin-session-audit">
            {s.audit.map((a) => (
              <li key={a._id} className="flex flex-col gap-0.5 py-2">
                <p className="font-medium text-slate-900">
                  {a.action === "session.force_end" ? "Force-ended" : a.action}{" "}
                  <span className="font-normal text-slate-500">
                    by {a.actor?.name ?? "the system"} · {format(a.createdAt, WHEN)}
                  </span>
                </p>
                {a.details ? <p className="text-slate-600">{a.details}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
