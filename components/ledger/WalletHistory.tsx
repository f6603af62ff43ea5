"use client";

import { useState } from "react";
import { usePaginatedQuery } from "convex/react";
import { format } from "date-fns";
import { Wallet } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { EmptyState, LoadingRows, LoadMoreButton } from "@/components/ui/misc";
import { formatMoney, isCurrency } from "@/lib/money";

/** Wallet history lines: top-ups, sessions, refunds, chargebacks, newest first. */
export function WalletHistory() {
  // Minutes east of UTC, so a refund line names the session's day on the client's clock.
  const [tzOffsetMinutes] = useState(() => -new Date().getTimezoneOffset());
  const { results, status, loadMore } = usePaginatedQuery(
    api.wallet.listMyHistory,
    { tzOffsetMinutes },
    { initialNumItems: 20 },
  );
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
      <ul
        className="flex flex-col divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white"
        data-testid="wallet-history"
      >
        {results.map((line) => (
          <li key={line._id} className="flex items-center justify-between gap-3 p-4">
            <div className="min-w-0">
              <p className="truncate font-medium text-slate-900">{line.title}</p>
              <p className="text-sm text-slate-500">{format(line.at, "d MMM yyyy, HH:mm")}</p>
            </div>
            <span
              className={`shrink-0 font-medium tabular-nums ${line.amountCents >= 0 ? "text-emerald-700" : "text-slate-900"}`}
            >
              {formatMoney(line.amountCents, isCurrency(line.currency) ? line.currency : "USD", {
                signDisplay: "exceptZero",
              })}
            </span>
          </li>
        ))}
      </ul>
      <LoadMoreButton status={status} onLoadMore={() => loadMore(20)} />
    </div>
  );
}
