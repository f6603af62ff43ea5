"use client";

import { useId, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "convex/react";
import { format } from "date-fns";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";
import { formatMoney, tryParseMoneyInput } from "@/lib/money";
import { CREDIT_LIMIT_MAX_CENTS } from "@/lib/payments/topupAmounts";

/** Admin: one client's wallet and credit limit (0–$200, with a reason; every change audited). */
export function CreditLimitAdmin({ userId }: { userId: string }) {
  const data = useQuery(api.topups.adminClientWallet, { userId });
  const setLimit = useMutation(api.topups.setClientCreditLimit);
  const [limit, setLimitText] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const limitId = useId();
  const reasonId = useId();

  if (data === undefined) return <LoadingRows label="Loading client wallet" />;
  if (data === null) return <EmptyState title="No such user">Check the link.</EmptyState>;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const parsed = tryParseMoneyInput(limit, { allowZero: true, maxCents: CREDIT_LIMIT_MAX_CENTS });
    if (!parsed.ok) return setError(parsed.error);
    if (reason.trim().length < 3) return setError("Give a reason (at least 3 characters).");
    try {
      await setLimit({ userId: data.user._id as Id<"users">, creditLimitCents: parsed.cents, reason });
      setError(null);
      setLimitText("");
      setReason("");
      setSaved(true);
    } catch (err) {
      setError(userMessage(err));
    }
  };

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>{data.user.name}</CardTitle>
          <CardDescription>
            {data.user.email} · {data.user.role}{" "}
            {data.frozen ? <Badge tone="warning">Sessions frozen (chargeback)</Badge> : null}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-2 gap-2 text-sm">
            <dt>Balance</dt>
            <dd className="text-right tabular-nums">{formatMoney(data.wallet.balanceCents)}</dd>
            <dt>Credit limit</dt>
            <dd className="text-right tabular-nums" data-testid="admin-credit-limit">
              {formatMoney(data.wallet.creditLimitCents)}
            </dd>
            <dt>Available</dt>
            <dd className="text-right tabular-nums">{formatMoney(data.wallet.availableCents)}</dd>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Set credit limit</CardTitle>
          <CardDescription>
            From $0.00 to {formatMoney(CREDIT_LIMIT_MAX_CENTS)}. The reason is kept in the audit log.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {data.user.role !== "client" ? (
            <p className="text-sm text-slate-600">Credit limits apply to clients only.</p>
          ) : (
            <form className="flex flex-col gap-3" onSubmit={(e) => void onSubmit(e)} noValidate>
              <Label htmlFor={limitId}>New limit ($)</Label>
              <Input id={limitId} inputMode="decimal" value={limit} onChange={(e) => setLimitText(e.target.value)} />
              <Label htmlFor={reasonId}>Reason</Label>
              <Input id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
              <FieldError>{error ?? undefined}</FieldError>
              {saved ? (
                <p role="status" className="text-sm text-emerald-700">
                  Credit limit updated.
                </p>
              ) : null}
              <Button type="submit" className="self-start">
                Save
              </Button>
            </form>
          )}
        </CardContent>
      </Card>
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle>Credit limit changes</CardTitle>
        </CardHeader>
        <CardContent>
          {data.creditLimitChanges.length === 0 ? (
            <p className="text-sm text-slate-600">No changes yet.</p>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-100 text-sm">
              {data.creditLimitChanges.map((c) => {
                const d = JSON.parse(c.details) as { fromCents: number; toCents: number; reason: string };
                return (
                  <li key={c._id} className="flex flex-col gap-0.5 py-2">
                    <span className="tabular-nums">
                      {formatMoney(d.fromCents)} → {formatMoney(d.toCents)}
                    </span>
                    <span className="text-slate-600">{d.reason}</span>
                    <span className="text-slate-500">{format(c.at, "d MMM yyyy, HH:mm")}</span>
                  </li>
                );
              })}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
