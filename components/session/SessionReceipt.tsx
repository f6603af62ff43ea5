"use client";

import Link from "next/link";
import { useMutation, useQuery } from "convex/react";
import { format } from "date-fns";
import { CheckCircle2, Receipt, Star } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { SessionDispute } from "@/components/disputes/SessionDispute";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/misc";
import { cn } from "@/lib/cn";
import { userMessage } from "@/lib/errors";
import { formatDuration, formatRate } from "@/lib/format";
import { formatBps, formatMoney } from "@/lib/money";
import { END_REASON_TEXT } from "@/lib/sessionUtils";
import { SessionChat } from "./SessionChat";

/** The receipt: times, billable seconds, rate, free time, total; the advisor also sees share and fee. */
export function SessionReceipt({ sessionId, justEnded = false }: { sessionId: Id<"sessions">; justEnded?: boolean }) {
  const receipt = useQuery(api.sessions.receipt, { sessionId });
  if (receipt === undefined) return <Skeleton className="h-96 w-full" />;
  const isClient = receipt.role === "client";
  const historyHref =
    receipt.role === "client"
      ? "/user-dashboard/sessions"
      : receipt.role === "advisor"
        ? "/advisor-dashboard/sessions"
        : "/admin/sessions";
  const rows: [string, string, string?][] = [
    ["Started", receipt.startedAt ? format(receipt.startedAt, "d MMM yyyy, HH:mm:ss") : "—"],
    ["Ended", receipt.endedAt ? format(receipt.endedAt, "d MMM yyyy, HH:mm:ss") : "—"],
    ["Billable time", formatDuration(receipt.billableSeconds), "receipt-billable"],
    ["Rate", formatRate(receipt.rateCentsPerMinute)],
  ];
  if (receipt.freeSeconds > 0)
    rows.push([
      "Free time (new-client offer)",
      `${formatDuration(receipt.freeSeconds)} · ${formatMoney(receipt.promoCents)}`,
      "receipt-free",
    ]);
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-4" data-testid="receipt">
      {justEnded ? (
        <div
          role="status"
          className="flex items-center gap-2 rounded-xl border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-800"
        >
          <CheckCircle2 className="size-5" aria-hidden="true" />
          Session ended. {receipt.endReason ? END_REASON_TEXT[receipt.endReason] : ""}
        </div>
      ) : null}
      <Card>
        <CardHeader className="flex-row items-center gap-3">
          <Receipt className="size-5 text-brand-600" aria-hidden="true" />
          <div>
            <CardTitle>Receipt</CardTitle>
            <p className="text-sm text-slate-500">
              {receipt.kind === "video" ? "Video" : "Chat"} session · {receipt.client.name} with {receipt.advisor.name}
            </p>
          </div>
        </CardHeader>
        <CardContent>
          <dl className="divide-y divide-slate-100 text-sm">
            {rows.map(([label, value, testId]) => (
              <div key={label} className="flex justify-between gap-4 py-2">
                <dt className="text-slate-600">{label}</dt>
                <dd className="text-right font-medium tabular-nums" data-testid={testId}>
                  {value}
                </dd>
              </div>
            ))}
            <div className="flex justify-between gap-4 py-2 text-base">
              <dt className="font-semibold">{isClient ? "Total charged" : "Client paid"}</dt>
              <dd className="font-semibold tabular-nums" data-testid="receipt-total">
                {formatMoney(receipt.clientCents)}
              </dd>
            </div>
            {receipt.shareCents !== null && receipt.feeCents !== null ? (
              <>
                <div className="flex justify-between gap-4 py-2">
                  <dt className="text-slate-600">Session value{receipt.promoCents > 0 ? " (incl. promotion)" : ""}</dt>
                  <dd className="tabular-nums">{formatMoney(receipt.costCents)}</dd>
                </div>
                <div className="flex justify-between gap-4 py-2">
                  <dt className="text-slate-600">
                    Platform fee{receipt.feeBps !== null ? ` (${formatBps(receipt.feeBps)})` : ""}
                  </dt>
                  <dd className="tabular-nums" data-testid="receipt-fee">
                    −{formatMoney(receipt.feeCents)}
                  </dd>
                </div>
                <div className="flex justify-between gap-4 py-2 text-base">
                  <dt className="font-semibold">Advisor share</dt>
                  <dd className="font-semibold tabular-nums" data-testid="receipt-share">
                    {formatMoney(receipt.shareCents)}
                  </dd>
                </div>
              </>
            ) : null}
          </dl>
          {receipt.role === "advisor" && receipt.shareCents ? (
            <p className="mt-2 text-xs text-slate-500">
              Your share is pending for 24 hours, then becomes available to withdraw.
            </p>
          ) : null}
        </CardContent>
      </Card>
      {isClient ? (
        <SessionRating
          sessionId={sessionId}
          canRate={receipt.canRate}
          review={receipt.review}
          billableSeconds={receipt.billableSeconds}
        />
      ) : null}
      <SessionDispute sessionId={sessionId} />
      <details className="rounded-xl border border-slate-200 bg-white">
        <summary className="cursor-pointer p-4 text-sm font-medium">Chat transcript</summary>
        <div className="flex h-96 flex-col px-4 pb-4">
          <SessionChat
            sessionId={sessionId}
            provider="builtin"
            role={receipt.role}
            counterpartName={isClient ? receipt.advisor.name : receipt.client.name}
            readOnly
          />
        </div>
      </details>
      <div className="flex flex-wrap gap-2">
        <Button asChild variant="secondary">
          <Link href={historyHref}>All sessions</Link>
        </Button>
        {isClient ? (
          <Button asChild variant="secondary">
            <Link href="/user-dashboard/wallet">Wallet</Link>
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** 1–5 stars and optional text, once per session, by its client, after at least a billed minute. */
export function SessionRating({
  sessionId,
  canRate,
  review,
  billableSeconds,
}: {
  sessionId: Id<"sessions">;
  canRate: boolean;
  review: { rating: number; comment: string } | null;
  billableSeconds: number;
}) {
  const rate = useMutation(api.sessions.rate);
  const [stars, setStars] = useState(0);
  const [hover, setHover] = useState(0);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  if (review !== null) {
    return (
      <Card>
        <CardContent className="pt-5 text-sm" data-testid="rating-done">
          You rated this session {review.rating} of 5{review.comment ? `: “${review.comment}”` : "."} Thank you!
        </CardContent>
      </Card>
    );
  }
  if (!canRate) {
    // In a card like the receipt's other sections, not a loose line between them.
    return billableSeconds < 60 ? (
      <Card data-testid="rating-unavailable">
        <CardHeader>
          <CardTitle>Rating</CardTitle>
        </CardHeader>
        <CardContent className="text-sm text-slate-600">
          This session was shorter than a billed minute, so it cannot be rated.
        </CardContent>
      </Card>
    ) : null;
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (stars === 0) {
      toast.error("Choose 1 to 5 stars.");
      return;
    }
    setBusy(true);
    try {
      await rate({ sessionId, rating: stars, comment });
      toast.success("Thanks for your rating.");
    } catch (error) {
      toast.error(userMessage(error));
      setBusy(false);
    }
  };
  const shown = hover || stars;
  return (
    <Card>
      <CardHeader>
        <CardTitle>How was your session?</CardTitle>
      </CardHeader>
      <CardContent>
        <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3" data-testid="rating-form">
          <div role="radiogroup" aria-label="Rating" className="flex gap-1" onMouseLeave={() => setHover(0)}>
            {[1, 2, 3, 4, 5].map((n) => (
              <button
                key={n}
                type="button"
                role="radio"
                aria-checked={stars === n}
                aria-label={`${n} star${n > 1 ? "s" : ""}`}
                onClick={() => setStars(n)}
                onMouseEnter={() => setHover(n)}
                className="rounded p-1 focus-visible:outline-2 focus-visible:outline-brand-600"
              >
                <Star
                  className={cn("size-7", n <= shown ? "fill-amber-400 text-amber-400" : "text-slate-300")}
                  aria-hidden="true"
                />
              </button>
            ))}
          </div>
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-slate-700">Review (optional)</span>
            <textarea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={1000}
              rows={3}
              className="rounded-lg border border-slate-300 p-2 focus-visible:outline-2 focus-visible:outline-brand-600"
            />
          </label>
          <Button type="submit" disabled={busy} className="self-start">
            {busy ? "Sending…" : "Submit rating"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
