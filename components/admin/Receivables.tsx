"use client";

import { useState, type ReactNode } from "react";
import { useMutation, usePaginatedQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { format } from "date-fns";
import { toast } from "sonner";
import { HandCoins, Undo2 } from "lucide-react";
import { runWithToast } from "@/components/admin/runWithToast";
import { api } from "@/convex/_generated/api";
import { SETTLEMENT_METHOD_LABELS } from "@/components/disputes/labels";
import { ReceivableSourceLink } from "@/components/disputes/ReceivableSourceLink";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { EmptyState, PagedList } from "@/components/ui/misc";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { MoneyField } from "@/components/ui/text-fields";
import { userMessage } from "@/lib/errors";
import { centsToDecimalString, formatMoney, tryParseMoneyInput } from "@/lib/money";

// What advisors owe (clawbacks) on the adjustments page, with the ways to settle it.

const PAGE_SIZE = 20;
const SETTLE_NOTE_MAX = 500;

type ReceivableRow = FunctionReturnType<typeof api.disputes.listReceivables>["page"][number];

export function ReceivableList() {
  const { results, status, loadMore } = usePaginatedQuery(
    api.disputes.listReceivables,
    {},
    { initialNumItems: PAGE_SIZE },
  );
  return (
    <PagedList
      results={results}
      status={status}
      onLoadMore={() => loadMore(PAGE_SIZE)}
      loadingLabel="Loading what advisors owe"
      testId="receivable-list"
      empty={
        <EmptyState icon={<HandCoins />} title="Advisors owe nothing">
          When a refund or an overpayment leaves an advisor owing money, it shows here until it is settled.
        </EmptyState>
      }
    >
      {(r) => <ReceivableItem key={r._id} receivable={r} />}
    </PagedList>
  );
}

function ReceivableItem({ receivable: r }: { receivable: ReceivableRow }) {
  const settle = useMutation(api.disputes.settleReceivableManually);
  const reverse = useMutation(api.disputes.reverseTransferForReceivable);
  const [busy, setBusy] = useState(false);
  const remaining = formatMoney(r.remainingCents);

  const settleWith = (method: "manual" | "forgiven") => async (amountCents: number, note: string) => {
    try {
      await settle({ receivableId: r._id, method, amountCents, note });
      toast.success(
        method === "manual"
          ? `Recorded a repayment of ${formatMoney(amountCents)}.`
          : `Forgave ${formatMoney(amountCents)}.`,
      );
      return null;
    } catch (e) {
      return userMessage(e);
    }
  };

  const reverseTransfer = async () => {
    setBusy(true);
    await runWithToast(
      () => reverse({ receivableId: r._id }),
      "Reversal queued. The amount is marked settled when the processor confirms it.",
    );
    setBusy(false);
  };

  return (
    <li
      className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm lg:flex-row lg:items-start lg:justify-between"
      data-testid="receivable-row"
    >
      <div className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
        <p className="text-lg font-semibold tabular-nums text-slate-900">
          {remaining} <span className="text-sm font-normal text-slate-500">owed by {r.advisorName}</span>
        </p>
        {r.remainingCents !== r.amountCents ? (
          <p className="text-slate-600">Of {formatMoney(r.amountCents)} originally.</p>
        ) : null}
        <p className="break-words text-slate-600">{r.reason}</p>
        <p className="text-slate-500">
          Since {format(r.createdAt, "d MMM yyyy, HH:mm")} ·{" "}
          <ReceivableSourceLink receivable={r} messagesHref="/admin/moderation" />
        </p>
        {r.settlements.length > 0 ? (
          <ul className="mt-1 text-slate-600">
            {r.settlements.map((s, i) => (
              <li key={i}>
                {SETTLEMENT_METHOD_LABELS[s.method]}: {formatMoney(s.amountCents)} · {format(s.at, "d MMM yyyy")}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2 lg:justify-end">
        <SettleDialog
          trigger={
            <Button variant="secondary" disabled={busy} data-testid="receivable-manual">
              <HandCoins aria-hidden="true" /> Record repayment
            </Button>
          }
          title={`Record a repayment from ${r.advisorName}`}
          description="The advisor paid us outside the platform (for example a bank transfer). The amount comes off what they owe."
          remainingCents={r.remainingCents}
          confirmLabel="Record repayment"
          onSubmit={settleWith("manual")}
        />
        <SettleDialog
          trigger={
            <Button variant="secondary" disabled={busy} data-testid="receivable-forgive">
              Forgive
            </Button>
          }
          title={`Forgive what ${r.advisorName} owes?`}
          description="The platform absorbs the amount as a loss; the advisor no longer owes it."
          remainingCents={r.remainingCents}
          confirmLabel="Forgive"
          onSubmit={settleWith("forgiven")}
        />
        <ConfirmDialog
          trigger={
            <Button variant="secondary" disabled={busy} data-testid="receivable-reverse">
              <Undo2 aria-hidden="true" /> Reverse transfer
            </Button>
          }
          title={`Reverse ${remaining} from ${r.advisorName}'s last transfer?`}
          description={`We ask the processor to pull ${remaining} back from the advisor's most recent transfer made in the last 72 hours (it must be at least that large). It is marked settled when the processor confirms.`}
          confirmLabel={`Reverse ${remaining}`}
          cancelLabel="Cancel"
          tone="danger"
          onConfirm={() => void reverseTransfer()}
        />
      </div>
    </li>
  );
}

/** Amount (defaults to all that is owed) and a note, then settle; stays open and shows the error if it fails. */
function SettleDialog({
  trigger,
  title,
  description,
  remainingCents,
  confirmLabel,
  onSubmit,
}: {
  trigger: ReactNode;
  title: string;
  description: string;
  remainingCents: number;
  confirmLabel: string;
  onSubmit: (amountCents: number, note: string) => Promise<string | null>;
}) {
  const [amount, setAmount] = useState(centsToDecimalString(remainingCents));
  const parsed = tryParseMoneyInput(amount, { maxCents: remainingCents });

  return (
    <ReasonDialog
      trigger={trigger}
      title={title}
      description={`${description} Owed now: ${formatMoney(remainingCents)}.`}
      label="Note (kept in the audit log)"
      max={SETTLE_NOTE_MAX}
      tooShort="Write a note (at least 3 characters)."
      tooLong={`Keep the note to ${SETTLE_NOTE_MAX} characters or fewer.`}
      showCounter={false}
      touchOnBlur={false}
      tone="primary"
      confirmLabel={parsed.ok ? `${confirmLabel}: ${formatMoney(parsed.cents)}` : confirmLabel}
      onOpen={() => setAmount(centsToDecimalString(remainingCents))}
      extraFields={(showProblems) => (
        <MoneyField
          label="Amount"
          value={amount}
          onChange={setAmount}
          problem={parsed.ok ? null : parsed.error}
          showProblem={showProblems}
          widthClassName="w-40"
          testId="settle-amount"
        />
      )}
      blocked={!parsed.ok}
      onConfirm={(note) => (parsed.ok ? onSubmit(parsed.cents, note) : Promise.resolve(parsed.error))}
      inputTestId="settle-note"
      submitTestId="settle-submit"
    />
  );
}
