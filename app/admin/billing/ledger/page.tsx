import type { Metadata } from "next";
import { LedgerExplorer } from "@/components/ledger/LedgerExplorer";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Ledger explorer" };

export default function LedgerExplorerPage() {
  return (
    <>
      <PageHeader
        title="Ledger explorer"
        description="Every account with its live balance, and every journal with the entries that move money between them."
      />
      <LedgerExplorer />
    </>
  );
}
