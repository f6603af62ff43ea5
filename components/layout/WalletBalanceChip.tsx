"use client";

import Link from "next/link";
import { Wallet } from "lucide-react";
import { useLiveWalletBalance } from "@/hooks/useLiveWalletBalance";
import { formatMoney } from "@/lib/money";
import { Skeleton } from "@/components/ui/misc";

/** The client's wallet balance in the header, linking to the wallet page; during a session, the room's live balance. */
export function WalletBalanceChip() {
  const balance = useLiveWalletBalance();
  const text = balance ? formatMoney(balance.cents, balance.currency as Parameters<typeof formatMoney>[1]) : null;
  return (
    <Link
      href="/user-dashboard/wallet"
      className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-2.5 py-1.5 text-sm font-medium text-slate-800 hover:border-brand-300 sm:px-3"
      aria-label={text ? `Wallet balance ${text}${balance?.inSession ? " (live, during your session)" : ""}` : "Wallet"}
      data-testid="wallet-balance"
      data-live={balance?.inSession ? "true" : "false"}
    >
      <Wallet className="hidden size-4 text-brand-600 sm:block" aria-hidden="true" />
      {text ?? <Skeleton className="h-4 w-12" />}
    </Link>
  );
}
