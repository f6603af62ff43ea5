"use client";

import { useState } from "react";
import { useMutation, usePaginatedQuery } from "convex/react";
import { format } from "date-fns";
import { Flag, Mail } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadMoreButton, LoadingRows } from "@/components/ui/misc";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { Input, Label } from "@/components/ui/input";
import { userMessage } from "@/lib/errors";
import { formatMoney, tryParseMoneyInput } from "@/lib/money";

/** Open review reports: hide the review (reason, audited) or dismiss. */
export function AdminReviewReports() {
  const { results, status, loadMore } = usePaginatedQuery(api.reviews.adminReports, {}, { initialNumItems: 20 });
  const decide = useMutation(api.reviews.decide);
  const act = (reportId: Id<"reviewReports">, decision: "hide" | "dismiss") => async (note: string) => {
    try {
      await decide({ reportId, decision, note });
      toast.success(decision === "hide" ? "Review hidden." : "Report dismissed.");
      return null;
    } catch (e) {
      return userMessage(e);
    }
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Reported reviews</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        {status === "LoadingFirstPage" ? (
          <LoadingRows rows={2} label="Loading reports" />
        ) : results.length === 0 ? (
          <EmptyState icon={<Flag />} title="No open reports" />
        ) : (
          <ul className="flex flex-col divide-y divide-slate-100" data-testid="review-reports">
            {results.map((r) => (
              <li key={r._id} className="flex flex-col gap-2 py-3" data-testid="review-report-row">
                <p className="text-slate-900">
                  <span className="font-medium">{r.review ? `${r.review.rating}★` : "Deleted review"}</span> about{" "}
                  {r.advisorName}: {r.review?.comment ?? ""}
                </p>
                <p className="text-slate-600">
                  Reported by {r.reporterName} ({r.reporterRole ?? "former user"}), {format(r.createdAt, "d MMM yyyy")}:{" "}
                  {r.reason}
                </p>
                <div className="flex flex-wrap gap-2">
                  <ReasonDialog
                    trigger={
                      <Button size="sm" variant="danger" data-testid="review-hide">
                        Hide review
                      </Button>
                    }
                    title="Hide this review"
                    description="It leaves the profile, the average rating and the distribution. Your reason is kept in the audit log."
                    label="Reason"
                    confirmLabel="Hide review"
                    onConfirm={act(r._id, "hide")}
                  />
                  <ReasonDialog
                    trigger={
                      <Button size="sm" variant="secondary" data-testid="review-dismiss">
                        Dismiss
                      </Button>
                    }
                    title="Keep this review"
                    description="The report is closed and the review stays."
                    label="Note"
                    tone="primary"
                    confirmLabel="Dismiss report"
                    onConfirm={act(r._id, "dismiss")}
                  />
                </div>
              </li>
            ))}
          </ul>
        )}
        <LoadMoreButton status={status} onLoadMore={() => loadMore(20)} />
      </CardContent>
    </Card>
  );
}

/** Paid offline messages waiting for something: held (reply window open) or disputed (decide a refund). */
export function AdminOfflineMessages() {
  const [view, setView] = useState<"disputed" | "held">("disputed");
  const { results, status, loadMore } = usePaginatedQuery(
    api.offlineMessages.adminList,
    { status: view },
    { initialNumItems: 20 },
  );
  return (
    <Card>
      <CardHeader className="flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <CardTitle>Offline messages</CardTitle>
        <div className="flex gap-2" role="group" aria-label="Show">
          {(["disputed", "held"] as const).map((s) => (
            <Button
              key={s}
              size="sm"
              variant={view === s ? "primary" : "secondary"}
              aria-pressed={view === s}
              onClick={() => setView(s)}
            >
              {s === "disputed" ? "In dispute" : "Held"}
            </Button>
          ))}
        </div>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        {status === "LoadingFirstPage" ? (
          <LoadingRows rows={2} label="Loading messages" />
        ) : results.length === 0 ? (
          <EmptyState icon={<Mail />} title={view === "disputed" ? "No disputed messages" : "No held messages"} />
        ) : (
          <ul className="flex flex-col divide-y divide-slate-100" data-testid="admin-offline-messages">
            {results.map((m) => (
              <li key={m._id} className="flex flex-col gap-1.5 py-3">
                <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
                  {m.clientName} → {m.advisorName} · {formatMoney(m.priceCents)}{" "}
                  <Badge tone={m.status === "disputed" ? "danger" : "warning"}>{m.statusLabel}</Badge>
                </p>
                <p className="break-words text-slate-700">{m.body}</p>
                {m.reply !== null ? <p className="break-words text-slate-600">Reply: {m.reply}</p> : null}
                {m.disputeReason !== null ? <p className="text-slate-600">Client: {m.disputeReason}</p> : null}
                <p className="text-xs text-slate-500">
                  Sent {format(m.sentAt, "d MMM yyyy, HH:mm")}
                  {m.status === "held"
                    ? ` · refunded automatically at ${format(m.replyDueAt, "d MMM, HH:mm")} without a reply`
                    : ""}
                </p>
                {m.status === "disputed" ? <ResolveButtons messageId={m._id} priceCents={m.priceCents} /> : null}
              </li>
            ))}
          </ul>
        )}
        <LoadMoreButton status={status} onLoadMore={() => loadMore(20)} />
      </CardContent>
    </Card>
  );
}

function ResolveButtons({ messageId, priceCents }: { messageId: Id<"offlineMessages">; priceCents: number }) {
  const resolve = useMutation(api.offlineMessages.resolveDispute);
  const [amount, setAmount] = useState("");
  const parsed = tryParseMoneyInput(amount, { maxCents: priceCents });
  const run = (outcome: "full_refund" | "partial_refund" | "reject") => async (note: string) => {
    try {
      await resolve({
        messageId,
        outcome,
        note,
        ...(outcome === "partial_refund" && parsed.ok ? { refundCents: parsed.cents } : {}),
      });
      toast.success("Dispute resolved.");
      return null;
    } catch (e) {
      return userMessage(e);
    }
  };
  return (
    <div className="flex flex-wrap gap-2">
      <ReasonDialog
        trigger={
          <Button size="sm" data-testid="offline-refund-full">
            Refund {formatMoney(priceCents)}
          </Button>
        }
        title={`Refund ${formatMoney(priceCents)} to the client?`}
        description="The advisor's share and the platform fee are taken back pro rata. Both sides are told your note."
        label="Note for both parties"
        tone="primary"
        confirmLabel={`Refund ${formatMoney(priceCents)}`}
        onConfirm={run("full_refund")}
      />
      <ReasonDialog
        trigger={
          <Button size="sm" variant="secondary">
            Partial refund
          </Button>
        }
        title="Refund part of the price"
        description="Split pro rata between the advisor's share and the platform fee."
        label="Note for both parties"
        tone="primary"
        confirmLabel="Refund"
        blocked={!parsed.ok}
        extraFields={(show) => (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`partial-${messageId}`}>Amount (up to {formatMoney(priceCents)})</Label>
            <Input
              id={`partial-${messageId}`}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
            {show && !parsed.ok ? <p className="text-xs text-red-700">{parsed.error}</p> : null}
          </div>
        )}
        onConfirm={run("partial_refund")}
      />
      <ReasonDialog
        trigger={
          <Button size="sm" variant="ghost">
            No refund
          </Button>
        }
        title="Reject the dispute"
        description="The advisor keeps the payment."
        label="Note for both parties"
        confirmLabel="Reject"
        onConfirm={run("reject")}
      />
    </div>
  );
}
