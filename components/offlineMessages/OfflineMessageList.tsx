"use client";

import { useState } from "react";
import { useMutation, usePaginatedQuery } from "convex/react";
import { format, formatDistanceToNowStrict } from "date-fns";
import { Mail } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm";
import { EmptyState, LoadMoreButton, LoadingRows } from "@/components/ui/misc";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { FormAlert, TextareaField, lengthProblem } from "@/components/ui/text-fields";
import { userMessage } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { OFFLINE_MESSAGE_RULES, type OfflineMessageStatus } from "@/lib/offlineMessages";

type Message = {
  _id: Id<"offlineMessages">;
  clientName: string;
  advisorName: string;
  body: string;
  priceCents: number;
  status: OfflineMessageStatus;
  statusLabel: string;
  sentAt: number;
  replyDueAt: number;
  reply: string | null;
  repliedAt: number | null;
  shareCents: number | null;
  disputeReason: string | null;
  disputeOutcome: string | null;
  disputeNote: string | null;
  refundCents: number | null;
  canDispute: boolean;
};

const TONE: Record<OfflineMessageStatus, "neutral" | "brand" | "success" | "warning" | "danger"> = {
  held: "warning",
  answered: "success",
  expired: "neutral",
  disputed: "danger",
  refunded: "neutral",
};

/** The thread list of paid offline messages: the client's sent messages, or the advisor's inbox with a reply box. */
export function OfflineMessageList({ as }: { as: "client" | "advisor" }) {
  const { results, status, loadMore } = usePaginatedQuery(
    as === "client" ? api.offlineMessages.listMine : api.offlineMessages.listForAdvisor,
    {},
    { initialNumItems: 10 },
  );
  if (status === "LoadingFirstPage") return <LoadingRows rows={3} label="Loading messages" />;
  if (results.length === 0) {
    return (
      <EmptyState icon={<Mail />} title="No messages yet">
        {as === "client"
          ? "When an advisor is away, send them a paid message from their profile. You pay only if they reply within 48 hours."
          : "Clients can send you paid messages when you offer offline replies (set your price above)."}
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-3" data-testid="offline-messages">
        {results.map((m) => (
          <li key={m._id}>
            <MessageCard message={m as Message} as={as} />
          </li>
        ))}
      </ul>
      <LoadMoreButton status={status} onLoadMore={() => loadMore(10)} />
    </div>
  );
}

function MessageCard({ message: m, as }: { message: Message; as: "client" | "advisor" }) {
  const other = as === "client" ? m.advisorName : m.clientName;
  return (
    <Card data-testid="offline-message" data-status={m.status}>
      <CardContent className="flex flex-col gap-3 pt-5 text-sm">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="font-medium text-slate-900">
            {as === "client" ? `To ${other}` : `From ${other}`} · {formatMoney(m.priceCents)}
          </p>
          <Badge tone={TONE[m.status]} data-testid="offline-message-status">
            {m.statusLabel}
          </Badge>
        </div>
        <p className="whitespace-pre-line break-words text-slate-700">{m.body}</p>
        <p className="text-xs text-slate-500">
          Sent {format(m.sentAt, "d MMM yyyy, HH:mm")}
          {m.status === "held" ? ` · reply due in ${formatDistanceToNowStrict(m.replyDueAt)}` : ""}
        </p>
        {m.reply !== null ? (
          <div className="rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="offline-message-reply">
            <p className="text-xs font-medium text-slate-500">
              {as === "client" ? m.advisorName : "Your reply"} ·{" "}
              {m.repliedAt !== null ? format(m.repliedAt, "d MMM yyyy, HH:mm") : ""}
            </p>
            <p className="mt-1 whitespace-pre-line break-words text-slate-800">{m.reply}</p>
          </div>
        ) : null}
        {as === "advisor" && m.status === "answered" && m.shareCents !== null ? (
          <p className="text-xs text-slate-500">
            Your share: {formatMoney(m.shareCents)} (available once the 72-hour dispute window is over).
          </p>
        ) : null}
        {m.disputeReason !== null ? <p className="text-slate-600">Dispute: {m.disputeReason}</p> : null}
        {m.disputeNote !== null ? (
          <p className="text-slate-600">
            Decision: {m.disputeOutcome === "reject" ? "no refund" : `refund of ${formatMoney(m.refundCents ?? 0)}`}.{" "}
            {m.disputeNote}
          </p>
        ) : null}
        {as === "advisor" && m.status === "held" ? (
          <ReplyBox messageId={m._id} clientName={m.clientName} priceCents={m.priceCents} />
        ) : null}
        {as === "client" && m.canDispute ? <DisputeButton messageId={m._id} /> : null}
      </CardContent>
    </Card>
  );
}

function ReplyBox({
  messageId,
  clientName,
  priceCents,
}: {
  messageId: Id<"offlineMessages">;
  clientName: string;
  priceCents: number;
}) {
  const reply = useMutation(api.offlineMessages.reply);
  const [text, setText] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = lengthProblem(text, {
    min: 1,
    max: OFFLINE_MESSAGE_RULES.replyMaxChars,
    tooShort: "Write your reply first.",
    tooLong: `Keep it to ${OFFLINE_MESSAGE_RULES.replyMaxChars.toLocaleString("en-US")} characters.`,
  });
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await reply({ messageId, reply: text });
      toast.success("Reply sent. You are paid for it.");
    } catch (e) {
      setError(userMessage(e));
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-2">
      <TextareaField
        label={`Reply to ${clientName}`}
        value={text}
        onChange={setText}
        onBlur={() => setTouched(true)}
        problem={problem}
        showProblem={touched}
        rows={4}
        counterMax={OFFLINE_MESSAGE_RULES.replyMaxChars}
        testId="offline-reply-input"
      />
      <FormAlert>{error}</FormAlert>
      <ConfirmDialog
        trigger={
          <Button
            className="self-start"
            disabled={busy}
            onClick={(e) => {
              setTouched(true);
              if (problem !== null) e.preventDefault();
            }}
            data-testid="offline-reply-send"
          >
            {busy ? "Sending…" : "Send reply"}
          </Button>
        }
        title="Send this reply?"
        description={`You can reply once. ${clientName}'s ${formatMoney(priceCents)} is then paid to you (less the platform fee).`}
        confirmLabel="Send reply"
        cancelLabel="Keep editing"
        onConfirm={() => void submit()}
      />
    </div>
  );
}

function DisputeButton({ messageId }: { messageId: Id<"offlineMessages"> }) {
  const dispute = useMutation(api.offlineMessages.dispute);
  return (
    <ReasonDialog
      trigger={
        <Button variant="secondary" size="sm" className="self-start" data-testid="offline-dispute">
          Dispute this reply
        </Button>
      }
      title="Dispute this reply"
      description="An admin reads the message and the reply, and may refund all or part of what you paid."
      label="What went wrong?"
      min={OFFLINE_MESSAGE_RULES.disputeReasonMinChars}
      max={OFFLINE_MESSAGE_RULES.disputeReasonMaxChars}
      confirmLabel="Send dispute"
      tone="primary"
      onConfirm={async (reason) => {
        try {
          await dispute({ messageId, reason });
          toast.success("Dispute sent. We will let you know the decision.");
          return null;
        } catch (e) {
          return userMessage(e);
        }
      }}
    />
  );
}
