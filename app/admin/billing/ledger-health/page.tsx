import type { Metadata } from "next";
import { LedgerHealth } from "@/components/ledger/LedgerHealth";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Ledger health" };

export default function LedgerHealthPage() {
  return (
    <>
      <PageHeader
        title="Ledger health"
        description="The invariant checker's latest result. It runs daily; run it now at any time."
      />
      <LedgerHealth />
    </>
  );
}
