"use client";

import { useId, useState, type FormEvent } from "react";
import { useAction, useQuery } from "convex/react";
import { useRouter, useSearchParams } from "next/navigation";
import { CheckCircle2, CreditCard, Loader2, Lock, XCircle } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/misc";
import { WalletHistory } from "@/components/ledger/WalletHistory";
import { RecentTopups } from "./RecentTopups";
import { AutoReloadSettings } from "./AutoReloadSettings";
import { userMessage } from "@/lib/errors";
import { centsToDecimalString, formatMoney } from "@/lib/money";
import {
  TOP_UP_MAX_CENTS,
  TOP_UP_MIN_CENTS,
  TOP_UP_PRESETS_CENTS,
  checkTopUpAmount,
} from "@/lib/payments/topupAmounts";

/** The client's wallet: live balance, top-up through checkout, pending/failed top-ups, auto-reload, history. */
export function Wallet() {
  return (
    <div className="flex flex-col gap-6">
      <CheckoutReturn />
      {/* Mobile: balance, add money, auto-reload. Desktop: add money on the right. */}
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.2fr)]">
        <BalanceSummary />
        <div className="lg:col-start-2 lg:row-span-2 lg:row-start-1">
          <TopUpForm />
        </div>
        <AutoReloadSettings />
      </div>
      <RecentTopups />
      <section aria-labelledby="history-heading" className="flex flex-col gap-3">
        <h2 id="history-heading" className="text-lg font-semibold text-slate-900">
          History
        </h2>
        <WalletHistory />
      </section>
    </div>
  );
}

function BalanceSummary() {
  const wallet = useQuery(api.wallet.getMyWallet);
  const settings = useQuery(api.topups.myPaymentSettings);
  return (
    <Card>
      <CardHeader>
        <CardDescription>Wallet balance</CardDescription>
        {wallet === undefined ? (
          <Skeleton className="h-9 w-32" />
        ) : (
          <CardTitle
            className={`text-3xl tabular-nums ${wallet.balanceCents < 0 ? "text-red-700" : ""}`}
            data-testid="wallet-balance-card"
            aria-live="polite"
          >
            {formatMoney(wallet.balanceCents, wallet.currency)}
          </CardTitle>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm text-slate-600">
        {wallet === undefined ? (
          <Skeleton className="h-4 w-48" />
        ) : (
          <dl className="grid grid-cols-2 gap-2">
            <dt>Available to spend</dt>
            <dd className="text-right font-medium text-slate-900 tabular-nums" data-testid="wallet-available">
              {formatMoney(wallet.availableCents, wallet.currency)}
            </dd>
            <dt>Credit limit</dt>
            <dd className="text-right tabular-nums">{formatMoney(wallet.creditLimitCents, wallet.currency)}</dd>
          </dl>
        )}
        {settings?.frozen ? (
          <p role="status" className="flex gap-2 rounded-lg border border-amber-200 bg-amber-50 p-3 text-amber-900">
            <Lock className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            New sessions are paused on your account while a card chargeback is reviewed. Contact support if this is a
            mistake.
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}

function CheckoutReturn() {
  const params = useSearchParams();
  const router = useRouter();
  const topupId = params.get("topup");
  const outcome = params.get("checkout");
  const topup = useQuery(api.topups.getMine, topupId ? { topupId } : "skip");
  if (!topupId || (outcome !== "success" && outcome !== "cancel")) return null;
  const dismiss = () => router.replace("/user-dashboard/wallet");
  let tone = "border-slate-200 bg-white text-slate-800";
  let icon = <Loader2 className="size-5 shrink-0 animate-spin text-brand-600" aria-hidden="true" />;
  let text = "Checking your payment…";
  if (topup === null) text = "We could not find that top-up.";
  else if (topup !== undefined) {
    const amount = formatMoney(topup.amountCents);
    if (topup.status === "succeeded") {
      tone = "border-emerald-200 bg-emerald-50 text-emerald-900";
      icon = <CheckCircle2 className="size-5 shrink-0 text-emerald-600" aria-hidden="true" />;
      text = `${amount} was added to your wallet.`;
    } else if (topup.status === "failed") {
      tone = "border-red-200 bg-red-50 text-red-900";
      icon = <XCircle className="size-5 shrink-0 text-red-600" aria-hidden="true" />;
      text = `Your ${amount} top-up failed: ${topup.failureReason ?? "the payment did not go through."} Nothing was charged.`;
    } else if (topup.status === "pending" && outcome === "cancel") {
      tone = "border-slate-200 bg-slate-50 text-slate-800";
      icon = <XCircle className="size-5 shrink-0 text-slate-500" aria-hidden="true" />;
      text = `Checkout cancelled. Your ${amount} top-up was not charged.`;
    } else if (topup.status === "pending") {
      text = `Payment received by the processor. Waiting for confirmation of your ${amount} top-up… your balance updates by itself.`;
    }
  }
  return (
    <div
      role="status"
      aria-live="polite"
      className={`flex items-start gap-3 rounded-xl border p-4 ${tone}`}
      data-testid="checkout-return"
    >
      {icon}
      <p className="flex-1 text-sm">{text}</p>
      <Button variant="ghost" size="sm" onClick={dismiss}>
        Dismiss
      </Button>
    </div>
  );
}

function TopUpForm() {
  const createCheckout = useAction(api.stripeNode.createTopUpCheckout);
  const settings = useQuery(api.topups.myPaymentSettings);
  const [preset, setPreset] = useState<number | null>(2500);
  const [custom, setCustom] = useState("");
  const [touched, setTouched] = useState(false);
  const [saveCard, setSaveCard] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const customId = useId();
  const errorId = useId();

  const amountText = preset !== null ? centsToDecimalString(preset) : custom;
  const check = checkTopUpAmount(amountText);
  const showCustomError = preset === null && touched && !check.ok;

  const onContinue = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setError(null);
    if (check.ok) setConfirming(true);
  };

  const onPay = async () => {
    setBusy(true);
    setError(null);
    try {
      const { url } = await createCheckout({ amount: amountText, saveCard });
      window.location.assign(url);
    } catch (err) {
      setError(userMessage(err));
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Add money</CardTitle>
        <CardDescription>
          Pay by card on a secure checkout page. Any amount from {formatMoney(TOP_UP_MIN_CENTS)} to{" "}
          {formatMoney(TOP_UP_MAX_CENTS)}.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {confirming && check.ok ? (
          <div className="flex flex-col gap-4" role="group" aria-labelledby="confirm-heading">
            <p id="confirm-heading" className="text-base text-slate-900">
              Add <strong className="tabular-nums">{formatMoney(check.cents)}</strong> to your wallet? You will be taken
              to the payment page to enter your card.
            </p>
            {saveCard ? <p className="text-sm text-slate-600">Your card will be saved for auto-reload.</p> : null}
            <div className="flex flex-col gap-2 sm:flex-row">
              <Button onClick={() => void onPay()} disabled={busy} data-testid="topup-confirm" autoFocus>
                {busy ? <Loader2 className="animate-spin" aria-hidden="true" /> : <CreditCard aria-hidden="true" />}
                {busy ? "Opening checkout…" : `Pay ${formatMoney(check.cents)}`}
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(false)} disabled={busy}>
                Back
              </Button>
            </div>
          </div>
        ) : (
          <form className="flex flex-col gap-4" onSubmit={onContinue} noValidate>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-2 text-sm font-medium text-slate-800">Amount</legend>
              <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
                {TOP_UP_PRESETS_CENTS.map((cents) => (
                  <Button
                    key={cents}
                    type="button"
                    variant={preset === cents ? "primary" : "secondary"}
                    aria-pressed={preset === cents}
                    onClick={() => {
                      setPreset(cents);
                      setError(null);
                    }}
                    data-testid={`topup-preset-${cents / 100}`}
                  >
                    {formatMoney(cents).replace(".00", "")}
                  </Button>
                ))}
              </div>
            </fieldset>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={customId}>Or another amount (USD)</Label>
              <div className="relative">
                <span
                  className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-slate-500"
                  aria-hidden="true"
                >
                  $
                </span>
                <Input
                  id={customId}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="e.g. 15.50"
                  className="pl-7"
                  value={custom}
                  onFocus={() => setPreset(null)}
                  onChange={(e) => {
                    setPreset(null);
                    setCustom(e.target.value);
                  }}
                  onBlur={() => setTouched(true)}
                  aria-invalid={showCustomError}
                  aria-describedby={showCustomError ? errorId : undefined}
                  data-testid="topup-custom"
                />
              </div>
              <FieldError id={errorId}>{showCustomError && !check.ok ? check.error : undefined}</FieldError>
            </div>
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                className="mt-0.5 size-4 accent-brand-600"
                checked={saveCard}
                onChange={(e) => setSaveCard(e.target.checked)}
              />
              <span>
                Save this card for auto-reload
                {settings?.card ? <span className="text-slate-500"> (replaces your saved card)</span> : null}
              </span>
            </label>
            {error ? (
              <p role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
                {error}
              </p>
            ) : null}
            <Button type="submit" size="lg" data-testid="topup-continue">
              {check.ok ? `Continue with ${formatMoney(check.cents)}` : "Continue"}
            </Button>
          </form>
        )}
      </CardContent>
    </Card>
  );
}
