"use client";

import { useId, useState } from "react";
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { format } from "date-fns";
import { Banknote, Ban, CheckCircle2, RotateCcw, XCircle } from "lucide-react";
import { optionsOf, Select } from "@/components/ui/select";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { runWithToast } from "@/components/admin/runWithToast";
import { PAYOUT_TONE } from "@/components/earnings/labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Label } from "@/components/ui/input";
import { EmptyState, LoadMoreButton, LoadingRows } from "@/components/ui/misc";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { formatMoney, isCurrency } from "@/lib/money";
import { PAYOUT_STATUSES, type PayoutStatus } from "@/lib/payouts";

const PAGE_SIZE = 20;

type Filter = PayoutStatus | "all";

/** Admin-facing names: the advisor labels ("On its way", "Stuck — support notified") are worded for advisors. */
const FILTER_LABELS: Record<Filter, string> = {
  awaiting_approval: "Awaiting approval",
  held: "Held (reserve critical)",
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
const FILTERS: Filter[] = [
  "awaiting_approval",
  "dead_lettered",
  ...PAYOUT_STATUSES.filter((s) => s !== "awaiting_approval" && s !== "dead_lettered"),
  "all",
];

const EMPTY_TEXT: Partial<Record<Filter, string>> = {
  awaiting_approval: "No withdrawals are waiting for approval. Requests above the approval threshold show here.",
  dead_lettered: "Nothing is stuck. Transfers that fail every retry show here to retry or cancel.",
};

/** Withdrawals across all advisors: approve or reject large ones, retry or cancel the ones the worker gave up on. */
function rate(bps: number | null): string {
  return bps === null ? "—" : `${(bps / 100).toFixed(2)}%`;
}

/** Transfer success rate over 7 and 30 days against the 95% target, and payouts held by a critical reserve. */
function PayoutHealth() {
  const health = useQuery(api.payouts.health, {});
  if (health === undefined) return null;
  return (
    <section
      aria-label="Payout health"
      className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-3"
      data-testid="payout-health"
      data-below-target={health.belowTarget}
    >
      <div>
        <p className="text-xs uppercase tracking-wide text-slate-500">Success rate, 7 days</p>
        <p
          className={`text-xl font-semibold tabular-nums ${health.belowTarget ? "text-red-700" : "text-slate-900"}`}
          data-testid="payout-success-7d"
        >
          {rate(health.week.successRateBps)}
        </p>
        <p className="text-xs text-slate-500">
          {health.week.paid} paid, {health.week.failed} failed · target above {rate(health.targetBps)}
        </p>
      </div>
      <div>
        <p className="text-xs uppercase tracking-wide text-slate-500">Success rate, 30 days</p>
        <p className="text-xl font-semibold tabular-nums text-slate-900" data-testid="payout-success-30d">
          {rate(health.month.successRateBps)}
        </p>
        <p className="text-xs text-slate-500">
          {health.month.paid} paid, {health.month.failed} failed
        </p>
      </div>
      <div>
        <p className="text-xs uppercase tracking-wide text-slate-500">Held</p>
        <p className="text-xl font-semibold tabular-nums text-slate-900" data-testid="payout-held-count">
          {health.heldCount}
        </p>
        <p className="text-xs text-slate-500">
          {health.heldReason ??
            (health.reserveCritical ? "The reserve is critical: new requests are held." : "Nothing held.")}
        </p>
      </div>
    </section>
  );
}

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
      <PayoutHealth />
      <div className="flex flex-col gap-1.5 sm:flex-row sm:items-center sm:gap-3">
        <Label htmlFor={selectId}>Show</Label>
        <Select
          id={selectId}
          options={optionsOf(FILTERS, (f) => FILTER_LABELS[f])}
          value={filter}
          onValueChange={(f) => f !== "" && setFilter(f)}
          className="sm:w-64"
          data-testid="admin-payout-filter"
        />
      </div>
      {status === "LoadingFirstPage" ? (
        <LoadingRows label="Loading withdrawals" />
      ) : results.length === 0 ? (
        <EmptyState
          icon={<Banknote />}
          title={filter === "all" ? "No withdrawals yet" : `No withdrawals in “${FILTER_LABELS[filter]}”`}
        >
          {EMPTY_TEXT[filter] ?? "Try another status."}
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="admin-payout-list">
          {results.map((p) => (
            <PayoutRow key={p._id} payout={p} />
          ))}
        </ul>
      )}
      <LoadMoreButton status={status} onLoadMore={() => loadMore(PAGE_SIZE)} />
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
      return await runWithToast(action, success);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li
      className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-start sm:justify-between"
      data-testid="admin-payout-row"
    >
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
        {p.failureReason && p.failureReason !== p.lastError ? (
          <p className="text-sm text-slate-700">
            {p.status === "cancelled" ? "Cancelled" : "Failed"}: {p.failureReason}
          </p>
        ) : null}
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
              onConfirm={() =>
                void run(() => approve({ payoutId: p._id }), `Approved: ${amount} to ${p.advisorName} is being sent.`)
              }
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
              onConfirm={(reason) =>
                run(() => reject({ payoutId: p._id, reason }), "Rejected: the money is back in the advisor's balance.")
              }
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
              onConfirm={(reason) =>
                run(() => cancel({ payoutId: p._id, reason }), "Cancelled: the money is back in the advisor's balance.")
              }
            />
          </>
        ) : null}
      </div>
    </li>
  );
}
