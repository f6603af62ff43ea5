"use client";

import Link from "next/link";
import { useId, useState, type FormEvent, type MouseEvent } from "react";
import { useMutation, usePaginatedQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { format } from "date-fns";
import { toast } from "sonner";
import { CheckCircle2, Scale, XCircle } from "lucide-react";
import { runWithToast } from "@/components/admin/runWithToast";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { ADJUSTMENT_DIRECTION_LABELS, ADJUSTMENT_STATUS_LABELS } from "@/components/disputes/labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm";
import { FieldError, Input, Label } from "@/components/ui/input";
import { EmptyState, PagedList } from "@/components/ui/misc";
import { FormAlert, MoneyField, TextareaField, lengthProblem } from "@/components/ui/text-fields";
import { DISPUTE_RULES } from "@/lib/disputes";
import { appErrorData, userMessage } from "@/lib/errors";
import { formatMoney, tryParseMoneyInput } from "@/lib/money";
import { ReceivableList } from "./Receivables";

const PAGE_SIZE = 20;
const MAX_ADJUSTMENT_CENTS = 10_000_00;
const THRESHOLD = formatMoney(DISPUTE_RULES.adjustmentApprovalThresholdCents);

type Direction = keyof typeof ADJUSTMENT_DIRECTION_LABELS;
type AdjustmentRow = FunctionReturnType<typeof api.disputes.listAdjustments>["page"][number];

/** Convex refuses a malformed id before the handler runs: say so in plain words. */
function errorText(error: unknown): string {
  if (
    appErrorData(error) === null &&
    error instanceof Error &&
    /ArgumentValidationError|Validator|v\.id/.test(error.message)
  ) {
    return "That session id is not valid. Copy it from the session's receipt address (/session/<id>/receipt).";
  }
  return userMessage(error);
}

/** Admin corrections of advisors' pay per session, and what advisors owe (clawbacks) with the ways to settle it. */
export function Adjustments() {
  return (
    <div className="flex flex-col gap-8">
      <NewAdjustment />
      <section className="flex flex-col gap-3" aria-labelledby="adjustments-heading">
        <h2 id="adjustments-heading" className="text-lg font-semibold">
          Adjustments
        </h2>
        <AdjustmentList />
      </section>
      <section className="flex flex-col gap-3" aria-labelledby="receivables-heading">
        <div>
          <h2 id="receivables-heading" className="text-lg font-semibold">
            What advisors owe
          </h2>
          <p className="text-sm text-slate-600">
            Open amounts from refunds after an advisor&apos;s share was paid out, and from overpayments. They are taken
            from the advisor&apos;s next earnings automatically; you can also record a repayment, forgive them, or
            reverse a recent transfer.
          </p>
        </div>
        <ReceivableList />
      </section>
    </div>
  );
}

function NewAdjustment() {
  const create = useMutation(api.disputes.createSessionAdjustment);
  const [sessionId, setSessionId] = useState("");
  const [direction, setDirection] = useState<Direction | "">("");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { session: useId(), sessionError: useId(), direction: useId() };

  const sessionProblem =
    sessionId.trim() === ""
      ? "Enter the session id."
      : /\s|\//.test(sessionId.trim())
        ? "Enter the id only, without spaces or slashes."
        : null;
  const directionProblem = direction === "" ? "Choose who was paid wrongly." : null;
  const parsed = tryParseMoneyInput(amount, { maxCents: MAX_ADJUSTMENT_CENTS });
  const amountProblem = parsed.ok ? null : parsed.error;
  const reasonProblem = lengthProblem(reason, {
    min: 3,
    max: DISPUTE_RULES.noteMaxChars,
    tooShort: "Give a reason (at least 3 characters).",
    tooLong: `Keep the reason to ${DISPUTE_RULES.noteMaxChars} characters or fewer.`,
  });
  const valid = !sessionProblem && !directionProblem && !amountProblem && !reasonProblem;
  const cents = parsed.ok ? parsed.cents : 0;
  const needsApproval = cents > DISPUTE_RULES.adjustmentApprovalThresholdCents;

  const submit = async () => {
    if (!valid || direction === "") return;
    setBusy(true);
    setError(null);
    try {
      const result = await create({
        sessionId: sessionId.trim() as Id<"sessions">,
        direction,
        amountCents: cents,
        reason: reason.trim(),
      });
      toast.success(
        result.status === "posted"
          ? `Posted: ${formatMoney(cents)}.`
          : `Saved: ${formatMoney(cents)} waits for a second admin's approval.`,
      );
      setSessionId("");
      setDirection("");
      setAmount("");
      setReason("");
      setTouched(false);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const effect =
    direction === "advisor_underpaid"
      ? `${formatMoney(cents)} moves from platform fees to the advisor's available balance.`
      : `The advisor owes ${formatMoney(cents)} back (it goes to platform fees); it is taken from their next earnings.`;

  return (
    <Card>
      <CardHeader>
        <CardTitle>New adjustment</CardTitle>
        <p className="text-sm text-slate-600">
          Correct what an advisor earned for one completed session. Up to {THRESHOLD} posts at once; above {THRESHOLD}{" "}
          it waits until a second admin approves it (the one who creates it cannot).
        </p>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={(e: FormEvent) => e.preventDefault()}
          data-testid="adjustment-form"
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={ids.session}>Session id</Label>
            <Input
              id={ids.session}
              value={sessionId}
              onChange={(e) => setSessionId(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={touched && sessionProblem !== null}
              aria-describedby={touched && sessionProblem ? ids.sessionError : undefined}
              className="font-mono sm:max-w-md"
              data-testid="adjustment-session"
            />
            <FieldError id={ids.sessionError}>{touched && sessionProblem ? sessionProblem : undefined}</FieldError>
          </div>
          <fieldset
            className="flex flex-col gap-2"
            aria-describedby={touched && directionProblem ? ids.direction : undefined}
          >
            <legend className="mb-2 text-sm font-medium text-slate-800">Direction</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {(Object.keys(ADJUSTMENT_DIRECTION_LABELS) as Direction[]).map((d) => (
                <label
                  key={d}
                  className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500/40"
                >
                  <input
                    type="radio"
                    name="adjustment-direction"
                    value={d}
                    checked={direction === d}
                    onChange={() => setDirection(d)}
                    className="mt-0.5 size-4 accent-brand-600"
                    data-testid={`adjustment-${d}`}
                  />
                  <span className="font-medium text-slate-900">{ADJUSTMENT_DIRECTION_LABELS[d]}</span>
                </label>
              ))}
            </div>
            <FieldError id={ids.direction}>{touched && directionProblem ? directionProblem : undefined}</FieldError>
          </fieldset>
          <MoneyField
            label="Amount"
            value={amount}
            onChange={setAmount}
            problem={amountProblem}
            showProblem={touched}
            hint={
              needsApproval
                ? `Above ${THRESHOLD}: a second admin must approve it before it posts.`
                : `Up to ${formatMoney(MAX_ADJUSTMENT_CENTS)}.`
            }
            hintClassName={needsApproval ? "text-amber-700" : undefined}
            testId="adjustment-amount"
          />
          <TextareaField
            label="Reason (kept in the audit log and the journal memo)"
            rows={2}
            value={reason}
            onChange={setReason}
            problem={reasonProblem}
            showProblem={touched}
            testId="adjustment-reason"
          />
          <FormAlert testId="adjustment-error">{error}</FormAlert>
          <ConfirmDialog
            trigger={
              <Button
                type="button"
                className="self-start"
                disabled={busy}
                onClick={(e: MouseEvent) => {
                  setTouched(true);
                  if (!valid) e.preventDefault();
                }}
                data-testid="adjustment-submit"
              >
                {busy ? "Saving…" : "Create adjustment"}
              </Button>
            }
            title={needsApproval ? `Ask for approval of ${formatMoney(cents)}?` : `Post ${formatMoney(cents)} now?`}
            description={needsApproval ? `Nothing moves until a second admin approves it. Then: ${effect}` : effect}
            confirmLabel={needsApproval ? "Send for approval" : "Post adjustment"}
            cancelLabel="Go back"
            onConfirm={() => void submit()}
          />
        </form>
      </CardContent>
    </Card>
  );
}

function AdjustmentList() {
  const { results, status, loadMore } = usePaginatedQuery(
    api.disputes.listAdjustments,
    {},
    { initialNumItems: PAGE_SIZE },
  );
  return (
    <PagedList
      results={results}
      status={status}
      onLoadMore={() => loadMore(PAGE_SIZE)}
      loadingLabel="Loading adjustments"
      testId="adjustment-list"
      empty={
        <EmptyState icon={<Scale />} title="No adjustments yet">
          Adjustments you and other admins create are listed here, with the ones waiting for your approval.
        </EmptyState>
      }
    >
      {(a) => <AdjustmentItem key={a._id} adjustment={a} />}
    </PagedList>
  );
}

function AdjustmentItem({ adjustment: a }: { adjustment: AdjustmentRow }) {
  const decide = useMutation(api.disputes.decideSessionAdjustment);
  const [busy, setBusy] = useState(false);
  const amount = formatMoney(a.amountCents);
  const run = async (approve: boolean) => {
    setBusy(true);
    await runWithToast(
      () => decide({ adjustmentId: a._id, approve }),
      approve ? `Approved and posted: ${amount}.` : "Rejected: nothing was posted.",
    );
    setBusy(false);
  };
  return (
    <li
      className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-start sm:justify-between"
      data-testid="adjustment-row"
    >
      <div className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-lg font-semibold tabular-nums text-slate-900">{amount}</p>
          <Badge tone={a.status === "posted" ? "success" : a.status === "pending_approval" ? "warning" : "neutral"}>
            {ADJUSTMENT_STATUS_LABELS[a.status]}
          </Badge>
        </div>
        <p className="text-slate-800">
          {ADJUSTMENT_DIRECTION_LABELS[a.direction]} · {a.advisorName}
        </p>
        <p className="break-words text-slate-600">{a.reason}</p>
        <p className="text-slate-500">
          By {a.createdByName}, {format(a.createdAt, "d MMM yyyy, HH:mm")}
          {a.status === "posted" && a.amountCents <= DISPUTE_RULES.adjustmentApprovalThresholdCents
            ? " · posted at once (no approval needed)"
            : a.decidedByName
              ? ` · ${a.status === "rejected" ? "rejected" : "approved"} by ${a.decidedByName}`
              : ""}{" "}
          ·{" "}
          <Link href={`/session/${a.sessionId}/receipt`} className="text-brand-700 underline-offset-4 hover:underline">
            session
          </Link>
        </p>
        {a.status === "pending_approval" && !a.canDecide ? (
          <p className="text-amber-700">You created this one: another admin must approve or reject it.</p>
        ) : null}
      </div>
      {a.canDecide ? (
        <div className="flex flex-wrap gap-2 sm:justify-end">
          <ConfirmDialog
            trigger={
              <Button disabled={busy} data-testid="adjustment-approve">
                <CheckCircle2 aria-hidden="true" /> Approve
              </Button>
            }
            title={`Approve ${amount} for ${a.advisorName}?`}
            description={
              a.direction === "advisor_underpaid"
                ? `${amount} moves from platform fees to ${a.advisorName}'s available balance now.`
                : `${a.advisorName} owes ${amount} back; it is taken from their next earnings.`
            }
            confirmLabel="Approve and post"
            cancelLabel="Cancel"
            onConfirm={() => void run(true)}
          />
          <ConfirmDialog
            trigger={
              <Button variant="danger" disabled={busy} data-testid="adjustment-reject">
                <XCircle aria-hidden="true" /> Reject
              </Button>
            }
            title={`Reject ${amount} for ${a.advisorName}?`}
            description="Nothing is posted. The adjustment stays in the list as rejected."
            confirmLabel="Reject"
            cancelLabel="Cancel"
            tone="danger"
            onConfirm={() => void run(false)}
          />
        </div>
      ) : null}
    </li>
  );
}
