"use client";

import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useMutation, usePaginatedQuery } from "convex/react";
import { Dialog } from "radix-ui";
import { format } from "date-fns";
import { toast } from "sonner";
import { Banknote, Ban, CheckCircle2, RotateCcw, XCircle } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { PAYOUT_TONE } from "@/components/earnings/labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { FieldError, Label } from "@/components/ui/input";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";
import { formatMoney, isCurrency } from "@/lib/money";
import { PAYOUT_STATUSES, type PayoutStatus } from "@/lib/payouts";

const PAGE_SIZE = 20;
const REASON_MIN = 3;
const REASON_MAX = 500;

type Filter = PayoutStatus | "all";

/** Admin-facing names: the advisor labels ("On its way", "Stuck — support notified") are worded for advisors. */
const FILTER_LABELS: Record<Filter, string> = {
  awaiting_approval: "Awaiting approval",
  dead_lettered: "Stuck (dead-lettered)",
  queued: "Queued",
  processing: "Sending",
  in_transit: "In transit",
  paid: "Paid",
  failed: "Failed",
  rejected: "Rejected",
  cancelled: "Cancelled",
  all: "All",
};
const FILTERS: Filter[] = ["awaiting_approval", "dead_lettered", ...PAYOUT_STATUSES.filter((s) => s !== "awaiting_approval" && s !== "dead_lettered"), "all"];

const EMPTY_TEXT: Partial<Record<Filter, string>> = {
  awaiting_approval: "No withdrawals are waiting for approval. Requests above the approval threshold show here.",
  dead_lettered: "Nothing is stuck. Transfers that fail every retry show here to retry or cancel.",
};

/** Withdrawals across all advisors: approve or reject large ones, retry or cancel the ones the worker gave up on. */
export function AdminPayouts() {
  const [filter, setFilter] = useState<Filter>("awaiting_approval");
  const selectId = useId();
  const { results, status, loadMore } = usePaginatedQuery(
    api.payouts.adminList,
    filter === "all" ? {} : { status: filter },
    { initialNumItems: PAGE_SIZE },
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1.5 sm:flex-row sm:items-center sm:gap-3">
        <Label htmlFor={selectId}>Show</Label>
        <select
          id={selectId}
          value={filter}
          onChange={(e) => setFilter(e.target.value as Filter)}
          className="h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30 sm:w-64"
          data-testid="admin-payout-filter"
        >
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {FILTER_LABELS[f]}
            </option>
          ))}
        </select>
      </div>
      {status === "LoadingFirstPage" ? (
        <LoadingRows label="Loading withdrawals" />
      ) : results.length === 0 ? (
        <EmptyState icon={<Banknote />} title={filter === "all" ? "No withdrawals yet" : `No withdrawals in “${FILTER_LABELS[filter]}”`}>
          {EMPTY_TEXT[filter] ?? "Try another status."}
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="admin-payout-list">
          {results.map((p) => (
            <PayoutRow key={p._id} payout={p} />
          ))}
        </ul>
      )}
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <Button variant="secondary" className="self-center" disabled={status === "LoadingMore"} onClick={() => loadMore(PAGE_SIZE)}>
          {status === "LoadingMore" ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}

type Row = {
  _id: Id<"payouts">;
  amountCents: number;
  currency: string;
  status: PayoutStatus;
  requestedAt: number;
  paidAt: number | null;
  returnedAt: number | null;
  failureReason: string | null;
  rejectedReason: string | null;
  advisorName: string;
  advisorEmail: string;
  attempts: number;
  lastError: string | null;
  transferId: string | null;
};

function PayoutRow({ payout: p }: { payout: Row }) {
  const approve = useMutation(api.payouts.approve);
  const reject = useMutation(api.payouts.reject);
  const retry = useMutation(api.payouts.retry);
  const cancel = useMutation(api.payouts.cancel);
  const [busy, setBusy] = useState(false);
  const amount = formatMoney(p.amountCents, isCurrency(p.currency) ? p.currency : undefined);

  /** Runs an action; resolves with an error message for dialogs that show it inline (null on success). */
  const run = async (action: () => Promise<unknown>, success: string): Promise<string | null> => {
    setBusy(true);
    try {
      await action();
      toast.success(success);
      return null;
    } catch (e) {
      const message = userMessage(e);
      toast.error(message);
      return message;
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-start sm:justify-between" data-testid="admin-payout-row">
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-lg font-semibold tabular-nums text-slate-900">{amount}</p>
          <Badge tone={PAYOUT_TONE[p.status]}>{FILTER_LABELS[p.status]}</Badge>
        </div>
        <p className="truncate text-sm text-slate-800">
          {p.advisorName}
          {p.advisorEmail ? <span className="text-slate-500"> · {p.advisorEmail}</span> : null}
        </p>
        <p className="text-sm text-slate-500">
          Requested {format(p.requestedAt, "d MMM yyyy, HH:mm")}
          {p.paidAt !== null ? ` · paid ${format(p.paidAt, "d MMM yyyy, HH:mm")}` : ""}
          {p.returnedAt !== null ? ` · returned ${format(p.returnedAt, "d MMM yyyy, HH:mm")}` : ""}
        </p>
        {p.attempts > 0 || p.lastError ? (
          <p className="text-sm text-slate-600">
            {p.attempts} {p.attempts === 1 ? "attempt" : "attempts"}
            {p.lastError ? (
              <>
                {" · "}last error: <span className="break-words text-red-700">{p.lastError}</span>
              </>
            ) : null}
          </p>
        ) : null}
        {p.rejectedReason ? <p className="text-sm text-slate-700">Rejected: {p.rejectedReason}</p> : null}
        {p.failureReason && p.failureReason !== p.lastError ? <p className="text-sm text-slate-700">{p.status === "cancelled" ? "Cancelled" : "Failed"}: {p.failureReason}</p> : null}
        {p.transferId ? <p className="break-all font-mono text-xs text-slate-400">Transfer {p.transferId}</p> : null}
      </div>
      <div className="flex flex-wrap gap-2 sm:justify-end">
        {p.status === "awaiting_approval" ? (
          <>
            <ConfirmDialog
              trigger={
                <Button disabled={busy} data-testid="admin-payout-approve">
                  <CheckCircle2 aria-hidden="true" /> Approve
                </Button>
              }
              title={`Approve ${amount} for ${p.advisorName}?`}
              description="The transfer to the advisor's payout account is sent straight away. This cannot be undone from here."
              confirmLabel="Approve and send"
              cancelLabel="Cancel"
              onConfirm={() => void run(() => approve({ payoutId: p._id }), `Approved: ${amount} to ${p.advisorName} is being sent.`)}
            />
            <ReasonDialog
              trigger={
                <Button variant="danger" disabled={busy} data-testid="admin-payout-reject">
                  <XCircle aria-hidden="true" /> Reject
                </Button>
              }
              title={`Reject ${amount} for ${p.advisorName}?`}
              description="The money goes back to the advisor's available balance. The advisor sees your reason."
              label="Reason (shown to the advisor)"
              confirmLabel="Reject withdrawal"
              onSubmit={(reason) => run(() => reject({ payoutId: p._id, reason }), "Rejected: the money is back in the advisor's balance.")}
            />
          </>
        ) : null}
        {p.status === "dead_lettered" ? (
          <>
            <ConfirmDialog
              trigger={
                <Button disabled={busy} data-testid="admin-payout-retry">
                  <RotateCcw aria-hidden="true" /> Retry
                </Button>
              }
              title={`Retry the ${amount} transfer?`}
              description="The transfer is queued again with a fresh set of attempts. It is keyed to this payout, so it is never sent twice."
              confirmLabel="Retry now"
              cancelLabel="Cancel"
              onConfirm={() => void run(() => retry({ payoutId: p._id }), "Queued again.")}
            />
            <ReasonDialog
              trigger={
                <Button variant="secondary" disabled={busy} data-testid="admin-payout-cancel">
                  <Ban aria-hidden="true" /> Cancel and return
                </Button>
              }
              title={`Cancel ${amount} for ${p.advisorName}?`}
              description="The withdrawal is cancelled and the money goes back to the advisor's available balance. The advisor sees your reason."
              label="Reason (shown to the advisor)"
              confirmLabel="Cancel withdrawal"
              onSubmit={(reason) => run(() => cancel({ payoutId: p._id, reason }), "Cancelled: the money is back in the advisor's balance.")}
            />
          </>
        ) : null}
      </div>
    </li>
  );
}

/** A dialog asking for a reason (3–500 characters) before a decision; stays open and shows the error if it fails. */
function ReasonDialog({
  trigger,
  title,
  description,
  label,
  confirmLabel,
  onSubmit,
}: {
  trigger: ReactNode;
  title: string;
  description: string;
  label: string;
  confirmLabel: string;
  onSubmit: (reason: string) => Promise<string | null>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const errorId = useId();
  const countId = useId();
  const length = reason.trim().length;
  const problem =
    length < REASON_MIN ? `Give a reason of at least ${REASON_MIN} characters.` : length > REASON_MAX ? `Keep the reason to ${REASON_MAX} characters or fewer.` : null;
  const showProblem = touched && problem !== null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem !== null) return;
    setBusy(true);
    setError(null);
    const failure = await onSubmit(reason.trim());
    setBusy(false);
    if (failure === null) {
      setOpen(false);
      setReason("");
      setTouched(false);
    } else setError(failure);
  };

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        setOpen(next);
        if (!next) setError(null);
      }}
    >
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(92vw,28rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-5 shadow-xl focus:outline-none">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{title}</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-600">{description}</Dialog.Description>
          <form className="mt-4 flex flex-col gap-2" onSubmit={(e) => void submit(e)} noValidate>
            <Label htmlFor={fieldId}>{label}</Label>
            <textarea
              id={fieldId}
              rows={3}
              value={reason}
              maxLength={REASON_MAX + 50}
              onChange={(e) => setReason(e.target.value)}
              onBlur={() => setTouched(true)}
              aria-invalid={showProblem}
              aria-describedby={showProblem ? `${errorId} ${countId}` : countId}
              className="w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30 aria-[invalid=true]:border-red-500"
              data-testid="reason-input"
            />
            <p id={countId} className={`text-right text-xs ${length > REASON_MAX ? "text-red-600" : "text-slate-500"}`}>
              {length}/{REASON_MAX}
            </p>
            <FieldError id={errorId}>{showProblem ? (problem ?? undefined) : undefined}</FieldError>
            {error ? (
              <p role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
                {error}
              </p>
            ) : null}
            <div className="mt-3 flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="secondary" disabled={busy}>
                  Back
                </Button>
              </Dialog.Close>
              <Button type="submit" variant="danger" disabled={busy} aria-busy={busy} data-testid="reason-submit">
                {busy ? "Saving…" : confirmLabel}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
