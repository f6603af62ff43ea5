import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/ui/misc";
import { LoadingRows } from "@/components/ui/misc";
import { Wallet } from "@/components/wallet/Wallet";

export const metadata: Metadata = { title: "Wallet" };

export default function WalletPage() {
  return (
    <>
      <PageHeader
        title="Wallet"
        description="Your prepaid balance: add money by card, set up auto-reload and see every movement."
      />
      <Suspense fallback={<LoadingRows label="Loading wallet" />}>
        <Wallet />
      </Suspense>
    </>
  );
}
