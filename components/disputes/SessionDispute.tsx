"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { format } from "date-fns";
import { toast } from "sonner";
import { Scale } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Skeleton } from "@/components/ui/misc";
import { FormAlert, TextareaField, lengthProblem } from "@/components/ui/text-fields";
import { DISPUTE_RULES } from "@/lib/disputes";
import { userMessage } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { DISPUTE_STATUS_TONE, WHEN } from "./labels";
import { DisputeForm } from "./DisputeForm";

type ForSession = FunctionReturnType<typeof api.disputes.forSession>;
type Dispute = NonNullable<ForSession["dispute"]>;

/**
 * The dispute part of a session receipt. The client files one (within 72 hours, when something was charged);
 * the advisor reads it and responds once; both see the status and the admin's note once it is resolved.
 */
export function SessionDispute({ sessionId }: { sessionId: Id<"sessions"> }) {
  const data = useQuery(api.disputes.forSession, { sessionId });
  if (data === undefined) return <Skeleton className="h-24 w-full" />;
  const { dispute, role } = data;
  if (dispute !== null) {
    return (
      <DisputeCard dispute={dispute} role={role} paidCents={data.paidCents}>
        {data.canRespond ? <RespondForm disputeId={dispute._id} /> : null}
      </DisputeCard>
    );
  }
  if (role !== "client" || data.paidCents <= 0 || data.disputeDeadline === null) return null;
  if (!data.canDispute) {
    return (
      <p className="text-sm text-slate-500" data-testid="dispute-closed">
        The dispute window for this session closed on {format(data.disputeDeadline, WHEN)}.
      </p>
    );
  }
  return (
    <DisputeForm
      sessionId={sessionId}
      refundableCents={data.refundableCents}
      paidCents={data.paidCents}
      deadline={data.disputeDeadline}
    />
  );
}

function DisputeCard({
  dispute: d,
  role,
  paidCents,
  children,
}: {
  dispute: Dispute;
  role: ForSession["role"];
  paidCents: number;
  children?: ReactNode;
}) {
  const resolved = d.status !== "open";
  return (
    <Card data-testid="dispute-card" data-status={d.status}>
      <CardHeader className="flex-row flex-wrap items-center gap-3">
        <Scale className="size-5 text-brand-600" aria-hidden="true" />
        <CardTitle className="flex-1">{role === "client" ? "Your dispute" : "Dispute about this session"}</CardTitle>
        <Badge tone={DISPUTE_STATUS_TONE[d.status]} data-testid="dispute-status">
          {d.statusLabel}
        </Badge>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        {resolved ? (
          <div
            role="status"
            className={
              d.status === "rejected"
                ? "rounded-lg border border-slate-200 bg-slate-50 p-3 text-slate-800"
                : "rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-emerald-900"
            }
            data-testid="dispute-resolution"
          >
            <p className="font-medium">
              {d.status === "rejected"
                ? "No refund was given."
                : `${formatMoney(d.refundCents ?? 0)} ${role === "client" ? "was refunded to your wallet" : "was refunded to the client"}${
                    d.status === "partially_refunded" ? ` (of ${formatMoney(paidCents)} paid)` : ""
                  }.`}
              {d.resolvedAt !== null ? (
                <span className="font-normal text-slate-600"> · {format(d.resolvedAt, WHEN)}</span>
              ) : null}
            </p>
            {d.resolutionNote ? (
              <p className="mt-1 whitespace-pre-line">Note from our team: {d.resolutionNote}</p>
            ) : null}
            {role === "advisor" && d.status !== "rejected" ? (
              <p className="mt-1 text-slate-600">
                Your share and the platform fee were reduced in proportion to the refund.
              </p>
            ) : null}
          </div>
        ) : (
          <p className="text-slate-600">
            {role === "client"
              ? "An admin is reviewing this session. You will see the decision here."
              : "An admin is reviewing this session and will decide on a refund."}
          </p>
        )}
        <dl className="grid gap-3 sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">What went wrong</dt>
            <dd className="font-medium">{d.categoryLabel}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{role === "client" ? "You asked back" : "Client asks back"}</dt>
            <dd className="font-medium tabular-nums">{formatMoney(d.requestedRefundCents)}</dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="text-slate-500">
              {role === "client" ? "Your description" : "The client's description"} · {format(d.createdAt, WHEN)}
            </dt>
            <dd className="mt-1 whitespace-pre-line break-words rounded-lg bg-slate-50 p-3 text-slate-800">
              {d.description}
            </dd>
          </div>
          {d.advisorResponse !== null ? (
            <div className="sm:col-span-2">
              <dt className="text-slate-500">
                {role === "advisor" ? "Your response" : "The advisor's response"}
                {d.advisorRespondedAt !== null ? ` · ${format(d.advisorRespondedAt, WHEN)}` : ""}
              </dt>
              <dd
                className="mt-1 whitespace-pre-line break-words rounded-lg bg-slate-50 p-3 text-slate-800"
                data-testid="dispute-advisor-response"
              >
                {d.advisorResponse}
              </dd>
            </div>
          ) : !resolved ? (
            <p className="text-slate-500 sm:col-span-2" data-testid="dispute-response-window">
              {role === "advisor" ? "You have until " : "The advisor has not responded yet. She has until "}
              {format(d.responseDueAt, WHEN)} to {role === "advisor" ? "respond" : "answer"}.
            </p>
          ) : null}
        </dl>
        {role === "admin" ? (
          <Button asChild variant="secondary" className="self-start">
            <Link href={`/admin/disputes/${d._id}`}>Open in the disputes queue</Link>
          </Button>
        ) : null}
        {children}
      </CardContent>
    </Card>
  );
}

function RespondForm({ disputeId }: { disputeId: Id<"sessionDisputes"> }) {
  const respond = useMutation(api.disputes.respond);
  const [response, setResponse] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = lengthProblem(response, {
    min: 1,
    max: DISPUTE_RULES.responseMaxChars,
    tooShort: "Write your response first.",
    tooLong: `Keep your response to ${DISPUTE_RULES.responseMaxChars.toLocaleString("en-US")} characters or fewer.`,
  });

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await respond({ disputeId, response: response.trim() });
      toast.success("Response sent. The admin will read it before deciding.");
    } catch (e) {
      setError(userMessage(e));
      setBusy(false);
    }
  };

  return (
    <form
      className="flex flex-col gap-1.5 border-t border-slate-100 pt-4"
      noValidate
      onSubmit={(e) => e.preventDefault()}
      data-testid="dispute-respond-form"
    >
      <TextareaField
        label="Your side of the story"
        hint="You can respond once. The admin reads it before deciding, and the client sees it."
        rows={4}
        value={response}
        onChange={setResponse}
        problem={problem}
        showProblem={touched}
        counterMax={DISPUTE_RULES.responseMaxChars}
        maxLength={DISPUTE_RULES.responseMaxChars + 100}
        testId="dispute-response"
      />
      <FormAlert>{error}</FormAlert>
      <ConfirmDialog
        trigger={
          <Button
            type="button"
            className="self-start"
            disabled={busy}
            onClick={(e) => {
              setTouched(true);
              if (problem !== null) e.preventDefault();
            }}
            data-testid="dispute-respond"
          >
            {busy ? "Sending…" : "Send response"}
          </Button>
        }
        title="Send your response?"
        description="You can respond only once, and you cannot edit it afterwards. The client and the admin will see it."
        confirmLabel="Send response"
        cancelLabel="Go back"
        onConfirm={() => void submit()}
      />
    </form>
  );
}
