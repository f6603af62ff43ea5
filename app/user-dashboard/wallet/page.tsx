import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { WalletBalanceCard, WalletHistory } from "@/components/ledger/WalletHistory";

export const metadata: Metadata = { title: "Wallet" };

export default function WalletPage() {
  return (
    <>
      <PageHeader title="Wallet" description="Your prepaid balance and every movement of it, straight from the ledger." />
      <div className="flex flex-col gap-6">
        <WalletBalanceCard />
        <WalletHistory />
      </div>
    </>
  );
}
