"use client";

import Link from "next/link";
import { usePaginatedQuery } from "convex/react";
import { format } from "date-fns";
import { ChevronRight, History, MessageCircle, Video } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { EmptyState, LoadingRows, LoadMoreButton } from "@/components/ui/misc";
import { formatDuration, formatRate } from "@/lib/format";
import { formatMoney } from "@/lib/money";
import { STATUS_LABELS, isOpen } from "@/lib/sessionUtils";

const STATUS_TONE = {
  requested: "warning",
  active: "success",
  paused: "warning",
  ended: "neutral",
  declined: "danger",
  expired: "neutral",
  cancelled: "neutral",
} as const;

/** Session history with links to each receipt (or back into a live room). `as` picks the side. */
export function SessionHistory({ as, pageSize = 10 }: { as: "client" | "advisor"; pageSize?: number }) {
  const { results, status, loadMore } = usePaginatedQuery(
    as === "client" ? api.sessions.listMine : api.sessions.listAsAdvisor,
    {},
    { initialNumItems: pageSize },
  );
  if (status === "LoadingFirstPage") return <LoadingRows label="Loading sessions" />;
  if (results.length === 0) {
    return (
      <EmptyState icon={<History />} title="No sessions yet">
        {as === "client"
          ? "Pick an advisor and start a chat or video session. Your history and receipts will appear here."
          : "Go online to receive session requests. Your sessions and earnings will appear here."}
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
        {results.map((s) => {
          const live = isOpen(s.status);
          const href = live ? `/session/${s._id}` : s.status === "ended" ? `/session/${s._id}/receipt` : null;
          const body = (
            <>
              <Avatar name={s.counterpartName} src={s.counterpartAvatarUrl} size={40} />
              <div className="min-w-0 flex-1">
                <p className="flex items-center gap-2 font-medium">
                  {s.kind === "video" ? (
                    <Video className="size-4 text-slate-400" aria-label="Video" />
                  ) : (
                    <MessageCircle className="size-4 text-slate-400" aria-label="Chat" />
                  )}
                  <span className="truncate">{s.counterpartName}</span>
                </p>
                <p className="text-sm text-slate-500">
                  {format(s.startedAt ?? s.requestedAt, "d MMM yyyy, HH:mm")} · {formatRate(s.rateCentsPerMinute)}
                  {s.billableSeconds !== null ? ` · ${formatDuration(s.billableSeconds)}` : ""}
                </p>
              </div>
              <div className="flex flex-col items-end gap-1">
                {s.amountCents !== null ? (
                  <span className="text-sm font-medium tabular-nums" title={as === "client" ? "Charged" : "Your share"}>
                    {formatMoney(s.amountCents)}
                  </span>
                ) : null}
                <Badge tone={STATUS_TONE[s.status]}>{STATUS_LABELS[s.status]}</Badge>
              </div>
              {href ? <ChevronRight className="size-4 text-slate-400" aria-hidden="true" /> : null}
            </>
          );
          return (
            <li key={s._id} data-testid="session-row">
              {href ? (
                <Link
                  href={href}
                  className="flex items-center gap-3 p-4 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600"
                  aria-label={`${live ? "Open live session" : "Receipt"} with ${s.counterpartName}`}
                >
                  {body}
                </Link>
              ) : (
                <div className="flex items-center gap-3 p-4">{body}</div>
              )}
            </li>
          );
        })}
      </ul>
      <LoadMoreButton status={status} onLoadMore={() => loadMore(pageSize)} />
    </div>
  );
}
