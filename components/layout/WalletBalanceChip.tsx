"use client";

import Link from "next/link";
import { useConvexAuth, useQuery } from "convex/react";
import { Wallet } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { formatMoney } from "@/lib/money";
import { Skeleton } from "@/components/ui/misc";

/** The client's live wallet balance in the header, linking to the wallet page. */
export function WalletBalanceChip() {
  const { isAuthenticated } = useConvexAuth();
  const wallet = useQuery(api.wallet.getMyWallet, isAuthenticated ? {} : "skip");
  return (
    <Link
      href="/user-dashboard/wallet"
      className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-2.5 py-1.5 text-sm font-medium text-slate-800 hover:border-brand-300 sm:px-3"
      aria-label={wallet ? `Wallet balance ${formatMoney(wallet.balanceCents, wallet.currency)}` : "Wallet"}
      data-testid="wallet-balance"
    >
      <Wallet className="hidden size-4 text-brand-600 sm:block" aria-hidden="true" />
      {wallet ? formatMoney(wallet.balanceCents, wallet.currency) : <Skeleton className="h-4 w-12" />}
    </Link>
  );
}
