"use client";

import { useId, useState, type MouseEvent } from "react";
import { useMutation } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { toast } from "sonner";
import { Gavel } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm";
import { FieldError } from "@/components/ui/input";
import { FormAlert, MoneyField, TextareaField, lengthProblem } from "@/components/ui/text-fields";
import { cn } from "@/lib/cn";
import { DISPUTE_RULES, advisorAnswerState, timeLeftInWords } from "@/lib/disputes";
import { useNow } from "@/hooks/useNow";
import { userMessage } from "@/lib/errors";
import { refundSplit } from "@/lib/ledger/templates";
import { formatMoney, tryParseMoneyInput } from "@/lib/money";

// The admin's decision on an open dispute: full or partial refund or reject, a note, and (while the advisor can
// still answer) an audited reason to decide early.

type Detail = FunctionReturnType<typeof api.disputes.adminGet>;
type SessionFacts = Detail["session"];
type DisputeView = Detail["dispute"];

const NOTE_MIN = 3;

type Outcome = "full_refund" | "partial_refund" | "reject";

const EARLY_MIN = DISPUTE_RULES.earlyDecisionReasonMinChars;

export function ResolvePanel({
  disputeId,
  session,
  clientName,
  requestedCents,
  dispute,
}: {
  disputeId: Id<"sessionDisputes">;
  session: SessionFacts;
  clientName: string;
  requestedCents: number;
  dispute: DisputeView;
}) {
  const resolve = useMutation(api.disputes.resolve);
  const now = useNow(30_000);
  const waiting = advisorAnswerState(dispute, now).kind === "waiting";
  const [early, setEarly] = useState(false);
  const [earlyReason, setEarlyReason] = useState("");
  const refundable = session.refundableCents;
  const [outcome, setOutcome] = useState<Outcome | "">("");
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { outcome: useId() };

  const parsedAmount = tryParseMoneyInput(amount, { maxCents: refundable });
  const refundCents =
    outcome === "full_refund" ? refundable : outcome === "partial_refund" && parsedAmount.ok ? parsedAmount.cents : 0;
  const outcomeProblem = outcome === "" ? "Choose a decision." : null;
  const amountProblem = outcome === "partial_refund" && !parsedAmount.ok ? parsedAmount.error : null;
  const noteProblem = lengthProblem(note, {
    min: NOTE_MIN,
    max: DISPUTE_RULES.noteMaxChars,
    tooShort: `Write a note for both parties (at least ${NOTE_MIN} characters).`,
    tooLong: `Keep the note to ${DISPUTE_RULES.noteMaxChars.toLocaleString("en-US")} characters or fewer.`,
  });
  const earlyProblem = !waiting
    ? null
    : !early
      ? 'The advisor can still answer. Wait, or tick "Decide without the advisor\'s answer".'
      : lengthProblem(earlyReason, {
          min: EARLY_MIN,
          max: DISPUTE_RULES.noteMaxChars,
          tooShort: `Say why you decide without the advisor's answer (at least ${EARLY_MIN} characters).`,
          tooLong: `Keep the reason to ${DISPUTE_RULES.noteMaxChars.toLocaleString("en-US")} characters or fewer.`,
        });
  const valid = outcomeProblem === null && amountProblem === null && noteProblem === null && earlyProblem === null;

  let split: { sharePartCents: number; feePartCents: number } | null = null;
  if (refundCents > 0 && refundCents <= session.shareCents + session.feeCents) {
    split = refundSplit({ refundCents, shareCents: session.shareCents, feeCents: session.feeCents });
  }

  const submit = async () => {
    if (!valid || outcome === "") return;
    setBusy(true);
    setError(null);
    try {
      await resolve({
        disputeId,
        outcome,
        note: note.trim(),
        ...(outcome === "partial_refund" ? { refundCents } : {}),
        ...(waiting && early ? { earlyDecisionReason: earlyReason.trim() } : {}),
      });
      toast.success(
        outcome === "reject"
          ? "Dispute rejected. Both parties see your note."
          : `Refunded ${formatMoney(refundCents)} to ${clientName}.`,
      );
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const options: { value: Outcome; label: string; hint: string; disabled?: boolean }[] = [
    {
      value: "full_refund",
      label: `Full refund: ${formatMoney(refundable)}`,
      hint: "Everything still refundable goes back to the client's wallet.",
      disabled: refundable <= 0,
    },
    {
      value: "partial_refund",
      label: "Partial refund",
      hint: `An amount you choose, up to ${formatMoney(refundable)}. The client asked for ${formatMoney(requestedCents)}.`,
      disabled: refundable <= 0,
    },
    { value: "reject", label: "Reject", hint: "No refund. The session charge stands." },
  ];

  const title = outcome === "reject" ? "Reject this dispute?" : `Refund ${formatMoney(refundCents)} to ${clientName}?`;
  const description =
    outcome === "reject" ? (
      <>Nothing is refunded. {clientName} and the advisor both see your note. This cannot be undone.</>
    ) : (
      <>
        <strong>{formatMoney(refundCents)}</strong> goes back to {clientName}&apos;s wallet now. The advisor&apos;s
        share and the platform fee are reduced pro rata
        {split ? (
          <>
            : the advisor&apos;s share by <strong>{formatMoney(split.sharePartCents)}</strong> and the platform fee by{" "}
            <strong>{formatMoney(split.feePartCents)}</strong>
          </>
        ) : null}
        . If the advisor&apos;s share was already paid out, they owe it back and it is taken from their next earnings.
        Both parties see your note. This cannot be undone.
      </>
    );

  return (
    <Card className="border-brand-200" data-testid="admin-dispute-resolve">
      <CardHeader className="flex-row items-center gap-3">
        <Gavel className="size-5 text-brand-600" aria-hidden="true" />
        <CardTitle>Decide</CardTitle>
      </CardHeader>
      <CardContent>
        <form className="flex flex-col gap-5" noValidate onSubmit={(e) => e.preventDefault()}>
          <fieldset
            className="flex flex-col gap-2"
            aria-describedby={touched && outcomeProblem ? ids.outcome : undefined}
          >
            <legend className="mb-2 text-sm font-medium text-slate-800">Decision</legend>
            <div className="grid gap-2 md:grid-cols-3">
              {options.map((o) => (
                <label
                  key={o.value}
                  className={cn(
                    "flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500/40",
                    o.disabled && "cursor-not-allowed opacity-50",
                  )}
                >
                  <input
                    type="radio"
                    name="dispute-outcome"
                    value={o.value}
                    checked={outcome === o.value}
                    disabled={o.disabled}
                    onChange={() => setOutcome(o.value)}
                    className="mt-0.5 size-4 accent-brand-600"
                    data-testid={`resolve-${o.value}`}
                  />
                  <span>
                    <span className="block font-medium text-slate-900">{o.label}</span>
                    <span className="block text-slate-600">{o.hint}</span>
                  </span>
                </label>
              ))}
            </div>
            <FieldError id={ids.outcome}>{touched && outcomeProblem ? outcomeProblem : undefined}</FieldError>
          </fieldset>

          {outcome === "partial_refund" ? (
            <MoneyField
              label="Refund amount"
              value={amount}
              onChange={setAmount}
              problem={amountProblem}
              showProblem={touched}
              testId="resolve-amount"
            />
          ) : null}

          <TextareaField
            label="Note (shown to the client and the advisor)"
            value={note}
            onChange={setNote}
            problem={noteProblem}
            showProblem={touched}
            counterMax={DISPUTE_RULES.noteMaxChars}
            maxLength={DISPUTE_RULES.noteMaxChars + 100}
            testId="resolve-note"
          />

          {waiting ? (
            <div
              className="flex flex-col gap-3 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm"
              data-testid="resolve-early"
            >
              <label className="flex items-start gap-3">
                <input
                  type="checkbox"
                  checked={early}
                  onChange={(e) => setEarly(e.target.checked)}
                  className="mt-0.5 size-4 accent-brand-600"
                  data-testid="resolve-early-toggle"
                />
                <span>
                  <span className="block font-medium text-slate-900">Decide without the advisor&apos;s answer</span>
                  <span className="block text-slate-700">
                    The advisor still has {timeLeftInWords(dispute.responseDueAt - now)} to answer. Deciding now is
                    recorded in the audit log with your reason.
                  </span>
                </span>
              </label>
              {early ? (
                <TextareaField
                  label="Why decide now (audited, not shown to the parties)"
                  value={earlyReason}
                  onChange={setEarlyReason}
                  problem={earlyProblem}
                  showProblem={touched}
                  counterMax={DISPUTE_RULES.noteMaxChars}
                  maxLength={DISPUTE_RULES.noteMaxChars + 100}
                  testId="resolve-early-reason"
                />
              ) : touched && earlyProblem ? (
                <FieldError id={`${ids.outcome}-early`}>{earlyProblem}</FieldError>
              ) : null}
            </div>
          ) : null}

          <FormAlert testId="resolve-error">{error}</FormAlert>

          <ConfirmDialog
            trigger={
              <Button
                type="button"
                className="self-start"
                variant={outcome === "reject" ? "danger" : "primary"}
                disabled={busy}
                onClick={(e: MouseEvent) => {
                  setTouched(true);
                  if (!valid) e.preventDefault();
                }}
                data-testid="resolve-submit"
              >
                {busy
                  ? "Saving…"
                  : outcome === "reject"
                    ? "Reject dispute"
                    : outcome === ""
                      ? "Decide"
                      : `Refund ${formatMoney(refundCents)}`}
              </Button>
            }
            title={title}
            description={description}
            confirmLabel={outcome === "reject" ? "Reject" : `Refund ${formatMoney(refundCents)}`}
            cancelLabel="Go back"
            tone={outcome === "reject" ? "danger" : "primary"}
            onConfirm={() => void submit()}
          />
        </form>
      </CardContent>
    </Card>
  );
}
