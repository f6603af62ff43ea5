"use client";

import { useId, useState, type FormEvent, type MouseEvent } from "react";
import Link from "next/link";
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { format } from "date-fns";
import { toast } from "sonner";
import { Banknote, CheckCircle2, Info, Landmark, Loader2 } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { PayoutAccountCard, PAYOUT_STATUS_TEXT } from "@/components/advisors/PayoutAccountCard";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm";
import { FieldError, Input, Label } from "@/components/ui/input";
import { EmptyState, LoadingRows, LoadMoreButton, Skeleton } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";
import { centsToDecimalString, formatMoney, isCurrency, tryParseMoneyInput } from "@/lib/money";
import { payoutBlocker } from "@/lib/payouts";
import { BalanceCards } from "./BalanceCards";
import { PAYOUT_TONE, payoutExplanation } from "./labels";

const PAGE_SIZE = 10;

type Summary = NonNullable<ReturnType<typeof useSummary>>;

function useSummary() {
  return useQuery(api.payouts.summary, {});
}

/** Withdraw available earnings to the connected payout account, and follow each withdrawal live. */
export function AdvisorPayouts() {
  const summary = useSummary();
  return (
    <div className="flex flex-col gap-6">
      <BalanceCards balances={summary} />
      {summary === undefined ? (
        <Card>
          <CardContent className="flex flex-col gap-3 pt-5" role="status" aria-label="Loading">
            <Skeleton className="h-6 w-40" />
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-40" />
          </CardContent>
        </Card>
      ) : summary.payoutAccountStatus === "enabled" ? (
        <RequestForm summary={summary} />
      ) : (
        <ConnectFirst status={summary.payoutAccountStatus} minCents={summary.minCents} />
      )}
      <section aria-labelledby="payout-history-heading" className="flex flex-col gap-3">
        <h2 id="payout-history-heading" className="text-lg font-semibold text-slate-900">
          Withdrawals
        </h2>
        <PayoutHistory />
      </section>
    </div>
  );
}

function ConnectFirst({ status, minCents }: { status: Summary["payoutAccountStatus"]; minCents: number }) {
  return (
    <Card data-testid="payouts-connect-first">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Landmark className="size-5 text-brand-600" aria-hidden="true" /> Set up your payout account first
        </CardTitle>
        <CardDescription>
          {status === "not_connected"
            ? "We pay your earnings to a bank account through our payment processor. Connect one to start withdrawing."
            : status === "pending"
              ? "You started connecting a payout account but the setup is not finished. Finish it to start withdrawing."
              : "The payment processor needs more information about your payout account before it can pay you."}{" "}
          You can withdraw once you have at least {formatMoney(minCents)} available.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <PayoutAccountCard />
        <p className="text-sm text-slate-500">
          The setup opens on the processor&apos;s page and brings you back to{" "}
          <Link href="/advisor/setup" className="text-brand-700 underline underline-offset-4">
            your advisor profile
          </Link>
          ; come back here to withdraw once it says “{PAYOUT_STATUS_TEXT.enabled.label}”.
        </p>
      </CardContent>
    </Card>
  );
}

function RequestForm({ summary }: { summary: Summary }) {
  const request = useMutation(api.payouts.request);
  const [text, setText] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();
  const helpId = useId();

  const { withdrawableCents: availableCents, minCents, maxCents, approvalThresholdCents } = summary;
  const parsed = tryParseMoneyInput(text);
  const problem = !parsed.ok
    ? parsed.error
    : (payoutBlocker({ amountCents: parsed.cents, availableCents, minCents, maxCents, payoutsEnabled: true })
        ?.message ?? null);
  const amountCents = parsed.ok && problem === null ? parsed.cents : null;
  const needsApproval = amountCents !== null && amountCents > approvalThresholdCents;
  const allCents = Math.min(availableCents, maxCents);
  const canWithdrawAll = allCents >= minCents;
  const showError = touched && problem !== null;

  // Enter in the field opens the same confirmation as the button.
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    document.getElementById(`${inputId}-go`)?.click();
  };
  // Radix skips opening the dialog when the click is default-prevented: invalid amounts show their error instead.
  const onTrigger = (e: MouseEvent) => {
    setTouched(true);
    setDone(null);
    if (amountCents === null || busy) e.preventDefault();
  };

  const onConfirm = async () => {
    if (amountCents === null) return;
    setBusy(true);
    setError(null);
    try {
      const result = await request({ amountCents });
      const message =
        result.status === "awaiting_approval"
          ? `Withdrawal of ${formatMoney(amountCents)} requested: it waits for approval, held in transit until then. Follow it under Withdrawals.`
          : `Withdrawal of ${formatMoney(amountCents)} requested: it is on its way to your payout account. Follow it under Withdrawals.`;
      setDone(message);
      toast.success(message);
      setText("");
      setTouched(false);
    } catch (err) {
      setError(userMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Withdraw</CardTitle>
        <CardDescription id={helpId}>
          The minimum is {formatMoney(minCents)}. Withdrawals over {formatMoney(approvalThresholdCents)} wait for a
          quick check by our team. The amount moves from “Available” to “In transit” straight away and shows as paid
          when the bank confirms it.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form className="flex flex-col gap-4" onSubmit={onSubmit} noValidate>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={inputId}>Amount (USD)</Label>
            <div className="flex flex-col gap-2 sm:flex-row">
              <div className="relative flex-1">
                <span
                  className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-slate-500"
                  aria-hidden="true"
                >
                  $
                </span>
                <Input
                  id={inputId}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder={centsToDecimalString(minCents)}
                  className="pl-7"
                  value={text}
                  onChange={(e) => {
                    setText(e.target.value);
                    setTouched(true);
                    setError(null);
                    setDone(null);
                  }}
                  aria-invalid={showError}
                  aria-describedby={showError ? `${errorId} ${helpId}` : helpId}
                  data-testid="payout-amount"
                />
              </div>
              <Button
                type="button"
                variant="secondary"
                disabled={!canWithdrawAll || busy}
                onClick={() => {
                  setText(centsToDecimalString(allCents));
                  setTouched(true);
                  setError(null);
                  setDone(null);
                }}
                data-testid="payout-withdraw-all"
              >
                Withdraw all ({formatMoney(allCents)})
              </Button>
            </div>
            <FieldError id={errorId}>{showError ? (problem ?? undefined) : undefined}</FieldError>
            {!canWithdrawAll ? (
              <p className="flex items-start gap-2 text-sm text-slate-600" data-testid="payout-below-minimum">
                <Info className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden="true" />
                You have {formatMoney(Math.max(0, availableCents))} available. You can withdraw once it reaches{" "}
                {formatMoney(minCents)}; pending earnings become available 24 hours after each session.
              </p>
            ) : null}
            {needsApproval ? (
              <p className="flex items-start gap-2 text-sm text-amber-800" role="status">
                <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
                This is over {formatMoney(approvalThresholdCents)}, so an admin approves it before it is sent.
              </p>
            ) : null}
          </div>
          {error ? (
            <p
              role="alert"
              className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800"
              data-testid="payout-error"
            >
              {error}
            </p>
          ) : null}
          {done ? (
            <p
              role="status"
              className="flex items-start gap-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900"
              data-testid="payout-done"
            >
              <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" />
              {done}
            </p>
          ) : null}
          <ConfirmDialog
            trigger={
              <Button
                id={`${inputId}-go`}
                type="button"
                size="lg"
                className="sm:self-start"
                onClick={onTrigger}
                disabled={busy}
                aria-busy={busy}
                data-testid="payout-submit"
              >
                {busy ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Banknote aria-hidden="true" />}
                {busy ? "Requesting…" : amountCents !== null ? `Withdraw ${formatMoney(amountCents)}` : "Withdraw"}
              </Button>
            }
            title={`Withdraw ${amountCents !== null ? formatMoney(amountCents) : ""}?`}
            description={
              amountCents === null ? (
                ""
              ) : needsApproval ? (
                <>
                  {formatMoney(amountCents)} moves from your available balance to “In transit” now. Because it is over{" "}
                  {formatMoney(approvalThresholdCents)}, an admin approves it before it is sent to your payout account.
                  If it is not approved, the money comes back to your available balance.
                </>
              ) : (
                <>
                  {formatMoney(amountCents)} moves from your available balance to “In transit” and is sent to your
                  payout account. Banks usually take 1–2 business days. If the bank refuses it, the money comes back to
                  your available balance.
                </>
              )
            }
            confirmLabel={amountCents !== null ? `Withdraw ${formatMoney(amountCents)}` : "Withdraw"}
            cancelLabel="Cancel"
            onConfirm={() => void onConfirm()}
          />
        </form>
      </CardContent>
    </Card>
  );
}

function PayoutHistory() {
  const { results, status, loadMore } = usePaginatedQuery(api.payouts.listMine, {}, { initialNumItems: PAGE_SIZE });
  if (status === "LoadingFirstPage") return <LoadingRows label="Loading withdrawals" />;
  if (results.length === 0) {
    return (
      <EmptyState icon={<Banknote />} title="No withdrawals yet">
        When you withdraw, each request shows here with its status, from requested to paid.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ul
        className="flex flex-col divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white"
        data-testid="payout-list"
      >
        {results.map((p) => {
          const explanation = payoutExplanation(p);
          const returned = p.status === "failed" || p.status === "rejected" || p.status === "cancelled";
          return (
            <li key={p._id} className="flex flex-col gap-1 p-4" data-testid="payout-row">
              <div className="flex items-center justify-between gap-3">
                <p className="font-semibold tabular-nums text-slate-900">
                  {formatMoney(p.amountCents, isCurrency(p.currency) ? p.currency : undefined)}
                </p>
                <Badge tone={PAYOUT_TONE[p.status]} data-testid="payout-status">
                  {p.statusLabel}
                </Badge>
              </div>
              <p className="text-sm text-slate-500">
                Requested {format(p.requestedAt, "d MMM yyyy, HH:mm")}
                {p.paidAt !== null ? ` · paid ${format(p.paidAt, "d MMM yyyy, HH:mm")}` : ""}
                {p.returnedAt !== null ? ` · returned ${format(p.returnedAt, "d MMM yyyy, HH:mm")}` : ""}
              </p>
              {explanation && p.status !== "paid" ? (
                <p
                  className={`text-sm ${returned ? "text-red-700" : "text-slate-600"}`}
                  data-testid="payout-explanation"
                >
                  {explanation}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      <LoadMoreButton status={status} onLoadMore={() => loadMore(PAGE_SIZE)} />
    </div>
  );
}
