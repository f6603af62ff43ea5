"use client";

import { useId, useState, type FormEvent, type MouseEvent } from "react";
import { useMutation } from "convex/react";
import { format } from "date-fns";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm";
import { FieldError } from "@/components/ui/input";
import { FormAlert, MoneyField, TextareaField } from "@/components/ui/text-fields";
import { DISPUTE_CATEGORIES, DISPUTE_CATEGORY_LABELS, DISPUTE_RULES, type DisputeCategory } from "@/lib/disputes";
import { userMessage } from "@/lib/errors";
import { centsToDecimalString, formatMoney, tryParseMoneyInput } from "@/lib/money";
import { disputeFormSchema } from "@/lib/schemas/disputes";
import { WHEN } from "./labels";

const CATEGORY_HINTS: Record<DisputeCategory, string> = {
  technical_problem: "The chat or video did not work properly.",
  advisor_absent: "The advisor did not answer or left the session.",
  not_as_described: "The session was not what the advisor's profile offers.",
  billing_error: "You were charged the wrong amount.",
  other: "Something else went wrong.",
};

/** The client's dispute form on a session receipt (an invitation first, the form once opened). */
export function DisputeForm({
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
