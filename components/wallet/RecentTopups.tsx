"use client";

import { useState } from "react";
import { useMutation, useQuery } from "convex/react";
import { format } from "date-fns";
import { X } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";
import { formatMoney } from "@/lib/money";

const STATUS_BADGE = {
  pending: { tone: "warning", label: "Pending" },
  succeeded: { tone: "success", label: "Added" },
  failed: { tone: "danger", label: "Failed" },
  refunded: { tone: "neutral", label: "Refunded" },
} as const;

/** Top-ups still pending, and failed ones the client has not dismissed. */
export function RecentTopups() {
  const topups = useQuery(api.topups.listMine, { limit: 10 });
  if (topups === undefined) return <Skeleton className="h-24 w-full" />;
  const open = topups.filter((t) => t.status === "pending" || (t.status === "failed" && !t.dismissed));
  if (open.length === 0) return null;
  return (
    <section aria-labelledby="recent-topups" className="flex flex-col gap-3">
      <h2 id="recent-topups" className="text-lg font-semibold text-slate-900">
        Pending and failed top-ups
      </h2>
      <ul
        className="flex flex-col divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white"
        data-testid="topup-list"
      >
        {open.map((t) => {
          const badge = STATUS_BADGE[t.status];
          return (
            <li key={t._id} className="flex flex-col gap-1 p-4 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {t.kind === "auto_reload" ? "Auto-reload" : "Top-up"} of{" "}
                  <span className="tabular-nums">{formatMoney(t.amountCents)}</span>
                </p>
                <p className="text-sm text-slate-500">{format(t.createdAt, "d MMM yyyy, HH:mm")}</p>
                {t.status === "failed" && t.failureReason ? (
                  <p className="text-sm text-red-700" data-testid="topup-failure">
                    {t.failureReason}
                  </p>
                ) : null}
              </div>
              <div className="flex items-center gap-2 self-start sm:self-center">
                <Badge tone={badge.tone}>{badge.label}</Badge>
                {t.status === "failed" ? <DismissTopup topupId={t._id} /> : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Hides a failed top-up from the list (a later success already added the money, so it is just noise). */
function DismissTopup({ topupId }: { topupId: string }) {
  const dismiss = useMutation(api.topups.dismissFailed);
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={busy}
      data-testid="topup-dismiss"
      aria-label="Dismiss this failed top-up"
      onClick={() => {
        setBusy(true);
        dismiss({ topupId: topupId as Id<"topups"> }).catch((e: unknown) => {
          toast.error(userMessage(e));
          setBusy(false);
        });
      }}
    >
      <X aria-hidden="true" /> Dismiss
    </Button>
  );
}
