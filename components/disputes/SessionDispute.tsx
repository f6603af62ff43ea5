"use client";

import Link from "next/link";
import { useId, useState, type FormEvent, type MouseEvent, type ReactNode } from "react";
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
import { FieldError } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/misc";
import { FormAlert, MoneyField, TextareaField, lengthProblem } from "@/components/ui/text-fields";
import { DISPUTE_CATEGORIES, DISPUTE_CATEGORY_LABELS, DISPUTE_RULES, type DisputeCategory } from "@/lib/disputes";
import { userMessage } from "@/lib/errors";
import { centsToDecimalString, formatMoney, tryParseMoneyInput } from "@/lib/money";
import { disputeFormSchema } from "@/lib/schemas/disputes";
import { DISPUTE_STATUS_TONE } from "./labels";

type ForSession = FunctionReturnType<typeof api.disputes.forSession>;
type Dispute = NonNullable<ForSession["dispute"]>;

const WHEN = "d MMM yyyy, HH:mm";

const CATEGORY_HINTS: Record<DisputeCategory, string> = {
  technical_problem: "The chat or video did not work properly.",
  advisor_absent: "The advisor did not answer or left the session.",
  not_as_described: "The session was not what the advisor's profile offers.",
  billing_error: "You were charged the wrong amount.",
  other: "Something else went wrong.",
};

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

function DisputeForm({
  sessionId,
  refundableCents,
  paidCents,
  deadline,
}: {
  sessionId: Id<"sessions">;
  refundableCents: number;
  paidCents: number;
  deadline: number;
}) {
  const file = useMutation(api.disputes.file);
  const [open, setOpen] = useState(false);
  const [category, setCategory] = useState<DisputeCategory | "">("");
  const [description, setDescription] = useState("");
  const [amount, setAmount] = useState(centsToDecimalString(refundableCents));
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { category: useId() };

  const parsedForm = disputeFormSchema.safeParse({ category: category || undefined, description });
  const formIssues = parsedForm.success ? [] : parsedForm.error.issues;
  const categoryProblem = formIssues.find((i) => i.path[0] === "category")?.message ?? null;
  const descriptionProblem = formIssues.find((i) => i.path[0] === "description")?.message ?? null;
  const parsedAmount = tryParseMoneyInput(amount, { allowZero: true, maxCents: refundableCents });
  const amountProblem = parsedAmount.ok ? null : parsedAmount.error;
  const valid = categoryProblem === null && descriptionProblem === null && amountProblem === null;

  if (!open) {
    return (
      <Card data-testid="dispute-invite">
        <CardContent className="flex flex-col gap-3 pt-5 text-sm sm:flex-row sm:items-center">
          <div className="flex-1">
            <p className="font-medium text-slate-900">Something wrong with this session?</p>
            <p className="text-slate-600">You can dispute it until {format(deadline, WHEN)}.</p>
          </div>
          <Button variant="secondary" onClick={() => setOpen(true)} data-testid="dispute-open">
            Dispute this session
          </Button>
        </CardContent>
      </Card>
    );
  }

  const checkBeforeConfirm = (e: MouseEvent) => {
    setTouched(true);
    // Radix skips opening the confirmation when the trigger's click is default-prevented.
    if (!valid) e.preventDefault();
  };

  const submit = async () => {
    if (!valid || !parsedForm.success || !parsedAmount.ok) return;
    setBusy(true);
    setError(null);
    try {
      await file({
        sessionId,
        category: parsedForm.data.category,
        description: parsedForm.data.description,
        requestedRefundCents: parsedAmount.cents,
      });
      toast.success("Dispute sent. We will let you know the decision here.");
    } catch (e) {
      setError(userMessage(e));
      setBusy(false);
    }
  };

  const requested = parsedAmount.ok ? formatMoney(parsedAmount.cents) : "";
  return (
    <Card>
      <CardHeader>
        <CardTitle>Dispute this session</CardTitle>
        <p className="text-sm text-slate-600" data-testid="dispute-deadline">
          You can dispute until {format(deadline, WHEN)}. The advisor can reply, then an admin decides and may refund
          all or part of what you paid.
        </p>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-5"
          noValidate
          onSubmit={(e: FormEvent) => e.preventDefault()}
          data-testid="dispute-form"
        >
          <fieldset
            className="flex flex-col gap-2"
            aria-describedby={touched && categoryProblem ? ids.category : undefined}
          >
            <legend className="mb-2 text-sm font-medium text-slate-800">What went wrong?</legend>
            {DISPUTE_CATEGORIES.map((c) => (
              <label
                key={c}
                className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500/40"
              >
                <input
                  type="radio"
                  name="dispute-category"
                  value={c}
                  checked={category === c}
                  onChange={() => setCategory(c)}
                  className="mt-0.5 size-4 accent-brand-600"
                  data-testid={`dispute-category-${c}`}
                />
                <span>
                  <span className="block font-medium text-slate-900">{DISPUTE_CATEGORY_LABELS[c]}</span>
                  <span className="block text-slate-600">{CATEGORY_HINTS[c]}</span>
                </span>
              </label>
            ))}
            <FieldError id={ids.category}>{touched && categoryProblem ? categoryProblem : undefined}</FieldError>
          </fieldset>

          <TextareaField
            label="What happened?"
            rows={4}
            value={description}
            onChange={setDescription}
            onBlur={() => description !== "" && setTouched(true)}
            problem={descriptionProblem}
            showProblem={touched}
            counterMax={DISPUTE_RULES.descriptionMaxChars}
            maxLength={DISPUTE_RULES.descriptionMaxChars + 100}
            placeholder="For example: the video froze after two minutes and the advisor could not hear me."
            testId="dispute-description"
          />

          <MoneyField
            label="How much do you think is fair to get back?"
            value={amount}
            onChange={setAmount}
            problem={amountProblem}
            showProblem={touched}
            hint={
              <>
                Up to {formatMoney(refundableCents)}
                {refundableCents !== paidCents
                  ? ` (you paid ${formatMoney(paidCents)}; part was already refunded)`
                  : " (what you paid)"}
                .
              </>
            }
            testId="dispute-amount"
          />

          <FormAlert testId="dispute-error">{error}</FormAlert>

          <div className="flex flex-col-reverse gap-2 sm:flex-row">
            <Button type="button" variant="secondary" disabled={busy} onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <ConfirmDialog
              trigger={
                <Button type="button" disabled={busy} onClick={checkBeforeConfirm} data-testid="dispute-submit">
                  {busy ? "Sending…" : "Send dispute"}
                </Button>
              }
              title="Send this dispute?"
              description={
                <>
                  You ask for <strong>{requested}</strong> back of the {formatMoney(paidCents)} you paid (
                  {category ? DISPUTE_CATEGORY_LABELS[category] : ""}). The advisor will see your description. You can
                  send only one dispute per session and cannot edit it afterwards.
                </>
              }
              confirmLabel="Send dispute"
              cancelLabel="Go back"
              onConfirm={() => void submit()}
            />
          </div>
        </form>
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
