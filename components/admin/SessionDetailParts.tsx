import Link from "next/link";
import type { ReactNode } from "react";
import { format } from "date-fns";
import { ArrowLeft } from "lucide-react";
import { cn } from "@/lib/cn";

// Pieces shared by the admin session and dispute detail pages.

export const WHEN = "d MMM yyyy, HH:mm:ss";

export const EVENT_LABELS: Record<string, string> = {
  requested: "Requested",
  started: "Accepted: billing started",
  paused: "Paused: billing stopped",
  resumed: "Resumed: billing started again",
  ended: "Ended",
  declined: "Declined",
  expired: "Not answered",
  cancelled: "Cancelled",
  disputed: "Dispute filed",
  dispute_resolved: "Dispute resolved",
};

export const PAUSE_REASONS: Record<string, string> = {
  client_paused: "the client paused",
  advisor_paused: "the advisor paused",
  insufficient_funds: "the client's funds ran out",
  client_away: "the client lost connection",
  advisor_away: "the advisor lost connection",
};

/** The stretches of a second or more between billed segments (and after the last one, up to the end). */
export function pauseGaps(
  segments: readonly { startedAt: number; endedAt?: number }[],
  endedAt: number | null | undefined,
) {
  const gaps: { from: number; to: number }[] = [];
  segments.forEach((seg, i) => {
    if (seg.endedAt === undefined) return;
    const to = segments[i + 1]?.startedAt ?? endedAt;
    if (to !== null && to !== undefined && to - seg.endedAt >= 1000) gaps.push({ from: seg.endedAt, to });
  });
  return gaps;
}

/** Back link, title with its badges, and a line under it. */
export function DetailHeader({
  backHref,
  backLabel,
  title,
  badges,
  children,
}: {
  backHref: string;
  backLabel: string;
  title: ReactNode;
  badges: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-2">
      <Link
        href={backHref}
        className="inline-flex items-center gap-1 self-start text-sm text-brand-700 underline-offset-4 hover:underline"
      >
        <ArrowLeft className="size-4" aria-hidden="true" /> {backLabel}
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {badges}
      </div>
      <p className="text-sm text-slate-600">{children}</p>
    </div>
  );
}

/** Label and value rows, each with an optional test id on the value. */
export function Facts({ rows }: { rows: [string, ReactNode, string?][] }) {
  return (
    <dl className="divide-y divide-slate-100 text-sm">
      {rows.map(([label, value, testId]) => (
        <div key={label} className="flex justify-between gap-4 py-2">
          <dt className="text-slate-600">{label}</dt>
          <dd className="text-right font-medium tabular-nums" data-testid={testId}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** One entry of a timeline list (an `ol` with a left border): a dot, the label and time, and an optional detail line. */
export function TimelineEntry({
  label,
  at,
  detail,
  pause,
}: {
  label: string;
  at: number;
  detail?: string | null;
  pause: boolean;
}) {
  return (
    <li className="relative">
      <span
        className={cn("absolute -left-[1.3rem] top-1.5 size-2 rounded-full", pause ? "bg-amber-500" : "bg-brand-600")}
        aria-hidden="true"
      />
      <p className="font-medium text-slate-900">
        {label} <span className="font-normal tabular-nums text-slate-500">{format(at, "HH:mm:ss")}</span>
      </p>
      {detail ? <p className="text-slate-600">{detail}</p> : null}
    </li>
  );
}

type ChatMessage = { _id: string; senderRole: string; createdAt: number; body: string };

/** A session's chat messages as bubbles, the client's on the left. */
export function ChatTranscript({
  messages,
  clientName,
  advisorName,
  testId,
}: {
  messages: ChatMessage[];
  clientName: string;
  advisorName: string;
  testId: string;
}) {
  return (
    <ol className="flex max-h-96 flex-col gap-2 overflow-y-auto text-sm" data-testid={testId}>
      {messages.map((m) => (
        <li
          key={m._id}
          className={cn(
            "max-w-[85%] rounded-lg px-3 py-2",
            m.senderRole === "client" ? "self-start bg-slate-100" : "self-end bg-brand-50",
          )}
        >
          <p className="text-xs text-slate-500">
            {m.senderRole === "client" ? clientName : advisorName} · {format(m.createdAt, "HH:mm:ss")}
          </p>
          <p className="whitespace-pre-line break-words text-slate-900">{m.body}</p>
        </li>
      ))}
    </ol>
  );
}
