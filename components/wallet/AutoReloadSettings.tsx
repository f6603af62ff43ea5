"use client";

import { useEffect, useId, useState } from "react";
import { useMutation, useQuery } from "convex/react";
import { AlertTriangle, CreditCard } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";
import { centsToDecimalString } from "@/lib/money";
import {
  AUTO_RELOAD_THRESHOLD_MAX_CENTS,
  AUTO_RELOAD_THRESHOLD_MIN_CENTS,
  checkAutoReload,
  checkTopUpAmount,
} from "@/lib/payments/topupAmounts";

/** The wallet's auto-reload card: the saved card, the threshold and amount, on/off. */
export function AutoReloadSettings() {
  const settings = useQuery(api.topups.myPaymentSettings);
  const save = useMutation(api.topups.setAutoReload);
  const removeCard = useMutation(api.topups.removeSavedCard);
  const [threshold, setThreshold] = useState<string | null>(null);
  const [amount, setAmount] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const thresholdId = useId();
  const amountId = useId();

  useEffect(() => {
    if (message?.kind !== "ok") return;
    const timer = setTimeout(() => setMessage(null), 4000);
    return () => clearTimeout(timer);
  }, [message]);

  if (settings === undefined) {
    return (
      <Card>
        <CardContent className="pt-6">
          <Skeleton className="h-24 w-full" />
        </CardContent>
      </Card>
    );
  }
  const ar = settings.autoReload;
  const thresholdText = threshold ?? centsToDecimalString(ar.thresholdCents);
  const amountText = amount ?? centsToDecimalString(ar.amountCents);
  const t = checkTopUpAmount(thresholdText, {
    minCents: AUTO_RELOAD_THRESHOLD_MIN_CENTS,
    maxCents: AUTO_RELOAD_THRESHOLD_MAX_CENTS,
  });
  const a = checkTopUpAmount(amountText);
  const problem = !t.ok
    ? `Threshold: ${t.error}`
    : !a.ok
      ? `Reload amount: ${a.error}`
      : checkAutoReload(t.cents, a.cents);

  const submit = async (enabled: boolean) => {
    setMessage(null);
    if (problem !== null || !t.ok || !a.ok) return setMessage({ kind: "error", text: problem ?? "Check the amounts." });
    try {
      await save({ enabled, thresholdCents: t.cents, amountCents: a.cents });
      setThreshold(null);
      setAmount(null);
      setMessage({ kind: "ok", text: enabled ? "Auto-reload is on." : "Auto-reload is off." });
    } catch (err) {
      setMessage({ kind: "error", text: userMessage(err) });
    }
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          Auto-reload {ar.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
        </CardTitle>
        <CardDescription>
          Keep sessions going: top up automatically from your saved card when your balance runs low.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        {ar.notice ? (
          <p
            role="alert"
            className="flex gap-2 rounded-lg border border-amber-200 bg-amber-50 p-3 text-amber-900"
            data-testid="auto-reload-notice"
          >
            <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            {ar.notice}
          </p>
        ) : null}
        {settings.card === null ? (
          <p className="text-slate-600">
            No saved card yet. Tick “Save this card for auto-reload” on your next top-up.
          </p>
        ) : (
          <>
            <div className="flex items-center justify-between gap-2">
              <p className="flex items-center gap-2 text-slate-800">
                <CreditCard className="size-4" aria-hidden="true" />
                {settings.card.brand
                  ? `${settings.card.brand[0]!.toUpperCase()}${settings.card.brand.slice(1)} •••• ${settings.card.last4}`
                  : "Saved card"}
              </p>
              <Button variant="ghost" size="sm" onClick={() => void removeCard({})}>
                Remove
              </Button>
            </div>
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <div className="flex flex-col gap-1.5">
                <Label htmlFor={thresholdId}>When my balance falls below ($)</Label>
                <Input
                  id={thresholdId}
                  inputMode="decimal"
                  value={thresholdText}
                  onChange={(e) => setThreshold(e.target.value)}
                  aria-invalid={!t.ok}
                />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor={amountId}>Add ($)</Label>
                <Input
                  id={amountId}
                  inputMode="decimal"
                  value={amountText}
                  onChange={(e) => setAmount(e.target.value)}
                  aria-invalid={!a.ok}
                />
              </div>
            </div>
            {message ? (
              <p
                role={message.kind === "error" ? "alert" : "status"}
                className={message.kind === "error" ? "text-red-700" : "text-emerald-700"}
              >
                {message.text}
              </p>
            ) : null}
            <div className="flex flex-col gap-2 sm:flex-row">
              <Button onClick={() => void submit(true)}>{ar.enabled ? "Save settings" : "Turn on auto-reload"}</Button>
              {ar.enabled ? (
                <Button variant="secondary" onClick={() => void submit(false)}>
                  Turn off
                </Button>
              ) : null}
            </div>
          </>
        )}
      </CardContent>
    </Card>
  );
}
