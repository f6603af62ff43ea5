"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { format } from "date-fns";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { DISPUTE_STATUS_TONE } from "@/components/disputes/labels";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { LoadingRows } from "@/components/ui/misc";
import {
  DISPUTE_CATEGORY_LABELS,
  DISPUTE_STATUS_LABELS,
  advisorAnswerState,
  timeLeftInWords,
  type DisputeCategory,
  type DisputeStatus,
} from "@/lib/disputes";
import { useNow } from "@/hooks/useNow";
import { formatDuration, formatRate } from "@/lib/format";
import { formatMoney } from "@/lib/money";
import { END_REASON_TEXT, type EndReason } from "@/lib/sessionUtils";
import { age } from "./AdminDisputes";
import { ResolvePanel } from "./DisputeResolvePanel";
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

type Detail = FunctionReturnType<typeof api.disputes.adminGet>;
type SessionFacts = Detail["session"];
type TimelineEvent = Detail["timeline"][number];

/** Everything an admin needs to decide one dispute, and the decision itself. */
export function AdminDisputesDetail({ disputeId }: { disputeId: Id<"sessionDisputes"> }) {
  const data = useQuery(api.disputes.adminGet, { disputeId });
  if (data === undefined) return <LoadingRows rows={4} label="Loading the dispute" />;
  const { dispute: d, session } = data;
  return (
    <div className="flex flex-col gap-6" data-testid="admin-dispute-detail" data-status={d.status}>
      <DetailHeader
        backHref="/admin/disputes"
        backLabel="Disputes"
        title={d.categoryLabel}
        badges={
          <Badge tone={DISPUTE_STATUS_TONE[d.status]} data-testid="admin-dispute-status">
            {d.statusLabel}
          </Badge>
        }
      >
        {data.clientName} disputes a {session.kind} session with {data.advisorName} · opened{" "}
        {format(d.createdAt, "d MMM yyyy, HH:mm")} ({age(d.createdAt)} ago)
      </DetailHeader>

      <div className="grid gap-4 lg:grid-cols-2">
        <Statement title={`${data.clientName} (client)`} at={d.createdAt} testId="admin-dispute-client-statement">
          <p className="whitespace-pre-line break-words">{d.description}</p>
          <p className="mt-3 text-slate-600">
            Asks back <strong className="tabular-nums text-slate-900">{formatMoney(d.requestedRefundCents)}</strong> of{" "}
            {formatMoney(session.paidCents)} paid.
          </p>
        </Statement>
        <Statement
          title={`${data.advisorName} (advisor)`}
          at={d.advisorRespondedAt}
          testId="admin-dispute-advisor-statement"
        >
          <AdvisorAnswer dispute={d} />
        </Statement>
      </div>

      {d.status === "open" ? (
        <ResolvePanel
          disputeId={d._id}
          session={session}
          clientName={data.clientName}
          requestedCents={d.requestedRefundCents}
          dispute={d}
        />
      ) : (
        <Card data-testid="admin-dispute-outcome">
          <CardHeader>
            <CardTitle>Decision</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm">
            <p>
              {d.status === "rejected"
                ? "Rejected: no refund."
                : `Refunded ${formatMoney(d.refundCents ?? 0)} to the client's wallet.`}
              {d.resolvedAt !== null ? (
                <span className="text-slate-500"> · {format(d.resolvedAt, "d MMM yyyy, HH:mm")}</span>
              ) : null}
            </p>
            {d.resolutionNote ? (
              <p className="whitespace-pre-line rounded-lg bg-slate-50 p-3 text-slate-800">
                Note to both parties: {d.resolutionNote}
              </p>
            ) : null}
            {d.earlyDecisionReason ? (
              <p className="text-slate-600" data-testid="admin-dispute-early-reason">
                Decided without the advisor&apos;s answer: {d.earlyDecisionReason}
              </p>
            ) : null}
          </CardContent>
        </Card>
      )}

      <div className="grid gap-4 lg:grid-cols-2">
        <SessionFactsCard session={session} />
        <Card>
          <CardHeader>
            <CardTitle>Timeline</CardTitle>
          </CardHeader>
          <CardContent>
            <Timeline events={data.timeline} session={session} />
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Chat transcript</CardTitle>
        </CardHeader>
        <CardContent>
          <Transcript messages={data.transcript} clientName={data.clientName} advisorName={data.advisorName} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{data.clientName}&apos;s other disputes</CardTitle>
        </CardHeader>
        <CardContent>
          {data.clientHistory.length === 0 ? (
            <p className="text-sm text-slate-500" data-testid="admin-dispute-history-empty">
              None: this is the client&apos;s first dispute.
            </p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="admin-dispute-history">
              {data.clientHistory.map((h) => (
                <li key={h._id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                  <Link
                    href={`/admin/disputes/${h._id}`}
                    className="font-medium text-brand-700 underline-offset-4 hover:underline"
                  >
                    {h.categoryLabel}
                  </Link>
                  <Badge tone={DISPUTE_STATUS_TONE[h.status]}>{h.statusLabel}</Badge>
                  <span className="text-slate-500">
                    {format(h.createdAt, "d MMM yyyy")} · asked {formatMoney(h.requestedRefundCents)}
                    {h.refundCents !== null && h.status !== "open" ? ` · refunded ${formatMoney(h.refundCents)}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

type DisputeView = Detail["dispute"];

/** The advisor's answer; while her window is open, how long is left; "did not respond" only once it closed. */
function AdvisorAnswer({ dispute: d }: { dispute: DisputeView }) {
  const now = useNow(30_000);
  if (d.advisorResponse !== null) return <p className="whitespace-pre-line break-words">{d.advisorResponse}</p>;
  // A decision is judged at the time it was made, a pending one at the current time.
  const state = advisorAnswerState(d, d.resolvedAt ?? now);
  if (state.kind === "waiting") {
    return (
      <p className="text-slate-500" data-testid="admin-dispute-window">
        {d.status === "open" ? (
          <>
            No response yet: the advisor has <strong className="text-slate-800">{timeLeftInWords(state.msLeft)}</strong>{" "}
            left to answer (until {format(d.responseDueAt, WHEN)}). Advisors respond once from the session receipt.
          </>
        ) : (
          <>Decided before the advisor answered, {timeLeftInWords(state.msLeft)} before her window closed.</>
        )}
      </p>
    );
  }
  return (
    <p className="text-slate-500" data-testid="admin-dispute-window">
      The advisor did not respond within the window (closed {format(d.responseDueAt, WHEN)}).
    </p>
  );
}

function Statement({
  title,
  at,
  testId,
  children,
}: {
  title: string;
  at: number | null;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Card data-testid={testId}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        {at !== null ? <p className="text-xs text-slate-500">{format(at, "d MMM yyyy, HH:mm")}</p> : null}
      </CardHeader>
      <CardContent className="text-sm text-slate-800">{children}</CardContent>
    </Card>
  );
}

function SessionFactsCard({ session: s }: { session: SessionFacts }) {
  const rows: [string, ReactNode, string?][] = [
    ["Kind and rate", `${s.kind === "video" ? "Video" : "Chat"} · ${formatRate(s.rateCentsPerMinute)}`],
    ["Started", s.startedAt !== null ? format(s.startedAt, WHEN) : "—"],
    ["Ended", s.endedAt !== null ? format(s.endedAt, WHEN) : "—"],
    ["How it ended", s.endReason !== null ? (END_REASON_TEXT[s.endReason as EndReason] ?? s.endReason) : "—"],
    ["Billable time", formatDuration(s.billableSeconds)],
    ["Session value", formatMoney(s.costCents)],
    ["Client paid", formatMoney(s.paidCents), "facts-paid"],
    ["Refunded so far", formatMoney(s.refundedCents), "facts-refunded"],
    ["Still refundable", formatMoney(s.refundableCents), "facts-refundable"],
    ["Advisor share", formatMoney(s.shareCents)],
    ["Platform fee", formatMoney(s.feeCents)],
  ];
  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between gap-3">
        <CardTitle>Session</CardTitle>
        <Link href={`/session/${s._id}/receipt`} className="text-sm text-brand-700 underline-offset-4 hover:underline">
          Receipt
        </Link>
      </CardHeader>
      <CardContent>
        <Facts rows={rows} />
      </CardContent>
    </Card>
  );
}

type Row = { at: number; label: string; detail: string | null; pause?: boolean };

/** Session events in order; the gaps between billed segments are shown as pauses with their reason and length. */
function Timeline({ events, session }: { events: TimelineEvent[]; session: SessionFacts }) {
  const gaps = pauseGaps(session.segments, session.endedAt);
  const rows: Row[] = [];
  const used = new Set<number>();
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    let detail: string | null = e.detail;
    if (e.type === "paused") {
      const gapIndex = gaps.findIndex((g, i) => !used.has(i) && Math.abs(g.from - e.at) < 5000);
      const reason = e.detail ? (PAUSE_REASONS[e.detail] ?? e.detail) : null;
      let length: string | null = null;
      if (gapIndex >= 0) {
        used.add(gapIndex);
        const gap = gaps[gapIndex]!;
        length = `${formatDuration(Math.round((gap.to - gap.from) / 1000))}${session.segments.some((s) => s.startedAt === gap.to) ? "" : ", until the end"}`;
      }
      detail = [reason, length ? `for ${length}` : null].filter(Boolean).join(", ") || null;
      rows.push({ at: e.at, label: EVENT_LABELS.paused!, detail, pause: true });
      continue;
    }
    if (e.type === "ended" && e.detail) detail = END_REASON_TEXT[e.detail as EndReason] ?? e.detail;
    if (e.type === "disputed" && e.detail) detail = DISPUTE_CATEGORY_LABELS[e.detail as DisputeCategory] ?? e.detail;
    if (e.type === "dispute_resolved" && e.detail) {
      // Recorded as "<status> <amount>", e.g. "partially_refunded $0.05".
      const [status, ...rest] = e.detail.split(" ");
      const label = DISPUTE_STATUS_LABELS[status as DisputeStatus];
      if (label) detail = status === "rejected" ? label : `${label}: ${rest.join(" ")}`;
    }
    rows.push({ at: e.at, label: EVENT_LABELS[e.type] ?? e.type, detail });
  }
  // A gap with no recorded pause event still stopped billing: show it.
  gaps.forEach((g, i) => {
    if (!used.has(i))
      rows.push({
        at: g.from,
        label: "Paused: billing stopped",
        detail: `for ${formatDuration(Math.round((g.to - g.from) / 1000))}`,
        pause: true,
      });
  });
  rows.sort((a, b) => a.at - b.at);
  const billedStretches = session.segments.length;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600" data-testid="admin-dispute-segments">
        Billed in {billedStretches} {billedStretches === 1 ? "stretch" : "stretches"}
        {gaps.length > 0
          ? `, paused ${gaps.length} ${gaps.length === 1 ? "time" : "times"} for ${formatDuration(Math.round(gaps.reduce((t, g) => t + g.to - g.from, 0) / 1000))} in all`
          : ", never paused"}
        .
      </p>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">No events were recorded.</p>
      ) : (
        <ol className="flex flex-col gap-2 border-l border-slate-200 pl-4 text-sm" data-testid="admin-dispute-timeline">
          {rows.map((r, i) => (
            <TimelineEntry key={`${r.at}-${i}`} label={r.label} at={r.at} detail={r.detail} pause={r.pause === true} />
          ))}
        </ol>
      )}
    </div>
  );
}

function Transcript({
  messages,
  clientName,
  advisorName,
}: {
  messages: Detail["transcript"];
  clientName: string;
  advisorName: string;
}) {
  if (messages === null) {
    return (
      <p className="text-sm text-slate-500">
        This session used the hosted chat provider, so its transcript is not stored here.
      </p>
    );
  }
  if (messages.length === 0) return <p className="text-sm text-slate-500">No messages were sent in this session.</p>;
  return (
    <ChatTranscript
      messages={messages}
      clientName={clientName}
      advisorName={advisorName}
      testId="admin-dispute-transcript"
    />
  );
}
