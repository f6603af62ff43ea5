"use client";

import { useState } from "react";
import { useMutation, usePaginatedQuery } from "convex/react";
import { format } from "date-fns";
import { MessageSquareText, Star } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState, LoadMoreButton, LoadingRows } from "@/components/ui/misc";
import { FormAlert, TextareaField, lengthProblem } from "@/components/ui/text-fields";
import { userMessage } from "@/lib/errors";
import { ReportReviewButton } from "./ReportReviewButton";

const REPLY_MAX = 1_000;

/** The advisor's reviews: reply once to each (and edit the reply), or report one to the moderators. */
export function AdvisorReviews() {
  const { results, status, loadMore } = usePaginatedQuery(api.reviews.listMine, {}, { initialNumItems: 10 });
  if (status === "LoadingFirstPage") return <LoadingRows rows={3} label="Loading reviews" />;
  if (results.length === 0) {
    return (
      <EmptyState icon={<MessageSquareText />} title="No reviews yet">
        Clients can review a session once it has ended.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-3" data-testid="advisor-reviews">
        {results.map((r) => (
          <li key={r._id}>
            <Card data-testid="advisor-review">
              <CardContent className="flex flex-col gap-2 pt-5 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium text-slate-900">{r.reviewerName}</span>
                  <span className="flex items-center gap-0.5" role="img" aria-label={`${r.rating} out of 5 stars`}>
                    {Array.from({ length: 5 }, (_, i) => (
                      <Star
                        key={i}
                        className={`size-3.5 ${i < r.rating ? "fill-amber-400 text-amber-400" : "text-slate-300"}`}
                        aria-hidden="true"
                      />
                    ))}
                  </span>
                </div>
                <p className="break-words text-slate-700">
                  {r.comment || <span className="text-slate-400">No comment</span>}
                </p>
                <p className="text-xs text-slate-500">{format(r.createdAt, "d MMM yyyy")}</p>
                {r.hidden ? (
                  <Badge tone="neutral" className="self-start">
                    Hidden by a moderator{r.hiddenReason ? `: ${r.hiddenReason}` : ""}
                  </Badge>
                ) : (
                  <ReplyEditor reviewId={r._id} reply={r.reply} />
                )}
                {!r.hidden ? <ReportReviewButton reviewId={r._id} /> : null}
              </CardContent>
            </Card>
          </li>
        ))}
      </ul>
      <LoadMoreButton status={status} onLoadMore={() => loadMore(10)} />
    </div>
  );
}

function ReplyEditor({ reviewId, reply }: { reviewId: Id<"reviews">; reply: string | null }) {
  const create = useMutation(api.reviews.reply);
  const edit = useMutation(api.reviews.editReply);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(reply ?? "");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = lengthProblem(text, {
    min: 1,
    max: REPLY_MAX,
    tooShort: "Write your reply first.",
    tooLong: `Keep it to ${REPLY_MAX.toLocaleString("en-US")} characters.`,
  });

  if (reply !== null && !editing) {
    return (
      <div
        className="flex flex-col gap-1 rounded-lg border border-slate-200 bg-slate-50 p-3"
        data-testid="review-reply"
      >
        <p className="text-xs font-medium text-slate-500">Your reply</p>
        <p className="whitespace-pre-line break-words text-slate-800">{reply}</p>
        <Button
          variant="ghost"
          size="sm"
          className="self-start"
          onClick={() => {
            setText(reply);
            setEditing(true);
          }}
          data-testid="review-reply-edit"
        >
          Edit reply
        </Button>
      </div>
    );
  }
  if (reply === null && !editing) {
    return (
      <Button
        variant="secondary"
        size="sm"
        className="self-start"
        onClick={() => setEditing(true)}
        data-testid="review-reply-open"
      >
        Reply
      </Button>
    );
  }
  const save = async () => {
    setTouched(true);
    if (problem !== null) return;
    setBusy(true);
    setError(null);
    try {
      if (reply === null) await create({ reviewId, reply: text });
      else await edit({ reviewId, reply: text });
      toast.success(reply === null ? "Reply posted on your profile." : "Reply updated.");
      setEditing(false);
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-2">
      <TextareaField
        label={reply === null ? "Your public reply (one per review)" : "Edit your reply"}
        value={text}
        onChange={setText}
        onBlur={() => setTouched(true)}
        problem={problem}
        showProblem={touched}
        rows={3}
        counterMax={REPLY_MAX}
        testId="review-reply-input"
      />
      <FormAlert>{error}</FormAlert>
      <div className="flex gap-2">
        <Button size="sm" disabled={busy} onClick={() => void save()} data-testid="review-reply-save">
          {busy ? "Saving…" : reply === null ? "Post reply" : "Save"}
        </Button>
        <Button size="sm" variant="ghost" disabled={busy} onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
