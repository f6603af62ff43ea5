"use client";

// Live wallet balance for clients; filled in once the ledger's wallet query lands.
export function WalletBalanceChip() {
  return null;
}
