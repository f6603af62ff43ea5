"use client";

import { useState } from "react";
import { usePaginatedQuery, useQuery } from "convex/react";
import { format } from "date-fns";
import { Wallet } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows, Skeleton } from "@/components/ui/misc";
import { formatMoney, isCurrency } from "@/lib/money";

/** The signed-in client's live wallet balance (from the ledger). */
export function WalletBalanceCard() {
  const wallet = useQuery(api.wallet.getMyWallet);
  return (
    <Card>
      <CardHeader>
        <CardDescription>Wallet balance</CardDescription>
        {wallet === undefined ? (
          <Skeleton className="h-9 w-32" />
        ) : (
          <CardTitle className="text-3xl tabular-nums" data-testid="wallet-balance-card">
            {formatMoney(wallet.balanceCents, wallet.currency)}
          </CardTitle>
        )}
      </CardHeader>
      {wallet && wallet.creditLimitCents > 0 ? (
        <CardContent className="text-sm text-slate-600">
          Credit limit {formatMoney(wallet.creditLimitCents, wallet.currency)} · available{" "}
          {formatMoney(wallet.availableCents, wallet.currency)}
        </CardContent>
      ) : null}
    </Card>
  );
}

/** Wallet history lines: top-ups, sessions, refunds, chargebacks, newest first. */
export function WalletHistory() {
  // Minutes east of UTC, so a refund line names the session's day on the client's clock.
  const [tzOffsetMinutes] = useState(() => -new Date().getTimezoneOffset());
  const { results, status, loadMore } = usePaginatedQuery(api.wallet.listMyHistory, { tzOffsetMinutes }, { initialNumItems: 20 });
  if (status === "LoadingFirstPage") return <LoadingRows label="Loading wallet history" />;
  if (results.length === 0) {
    return (
      <EmptyState icon={<Wallet />} title="No wallet activity yet">
        Top-ups, sessions and refunds will be listed here.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" data-testid="wallet-history">
        {results.map((line) => (
          <li key={line._id} className="flex items-center justify-between gap-3 p-4">
            <div className="min-w-0">
              <p className="truncate font-medium text-slate-900">{line.title}</p>
              <p className="text-sm text-slate-500">{format(line.at, "d MMM yyyy, HH:mm")}</p>
            </div>
            <span className={`shrink-0 font-medium tabular-nums ${line.amountCents >= 0 ? "text-emerald-700" : "text-slate-900"}`}>
              {formatMoney(line.amountCents, isCurrency(line.currency) ? line.currency : "USD", { signDisplay: "exceptZero" })}
            </span>
          </li>
        ))}
      </ul>
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <Button variant="secondary" className="self-center" disabled={status === "LoadingMore"} onClick={() => loadMore(20)}>
          {status === "LoadingMore" ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}
