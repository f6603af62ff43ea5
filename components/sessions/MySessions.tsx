"use client";

import { usePaginatedQuery } from "convex/react";
import { format } from "date-fns";
import { MessageCircle, Video, History } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { formatDuration, formatRate } from "@/lib/format";
import { formatMoney } from "@/lib/money";

const STATUS_TONE = {
  requested: "warning",
  active: "success",
  paused: "warning",
  ended: "neutral",
  declined: "danger",
  expired: "neutral",
  cancelled: "neutral",
} as const;

export function MySessions() {
  const { results, status, loadMore } = usePaginatedQuery(api.sessions.listMine, {}, { initialNumItems: 10 });
  if (status === "LoadingFirstPage") return <LoadingRows label="Loading sessions" />;
  if (results.length === 0) {
    return (
      <EmptyState icon={<History />} title="No sessions yet">
        Pick an advisor and start a chat or video session. Your history and receipts will appear here.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
        {results.map((s) => (
          <li key={s._id} className="flex items-center gap-3 p-4" data-testid="session-row">
            <Avatar name={s.advisorName} src={s.advisorAvatarUrl} size={40} />
            <div className="min-w-0 flex-1">
              <p className="flex items-center gap-2 font-medium">
                {s.kind === "video" ? <Video className="size-4 text-slate-400" aria-label="Video" /> : <MessageCircle className="size-4 text-slate-400" aria-label="Chat" />}
                {s.advisorName}
              </p>
              <p className="text-sm text-slate-500">
                {format(s.startedAt ?? s.requestedAt, "d MMM yyyy, HH:mm")} · {formatRate(s.rateCentsPerMinute)}
                {s.billableSeconds !== null ? ` · ${formatDuration(s.billableSeconds)}` : ""}
              </p>
            </div>
            <div className="flex flex-col items-end gap-1">
              {s.costCents !== null ? <span className="text-sm font-medium tabular-nums">{formatMoney(s.costCents)}</span> : null}
              <Badge tone={STATUS_TONE[s.status]}>{s.status}</Badge>
            </div>
          </li>
        ))}
      </ul>
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <Button variant="secondary" className="self-center" disabled={status === "LoadingMore"} onClick={() => loadMore(10)}>
          {status === "LoadingMore" ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}
