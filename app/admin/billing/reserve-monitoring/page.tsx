import type { Metadata } from "next";
import { ReserveMonitoring } from "@/components/admin/ReserveMonitoring";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Reserve monitoring" };

export default function ReserveMonitoringPage() {
  return (
    <>
      <PageHeader
        title="Reserve monitoring"
        description="Processor cash in the ledger against what the platform owes clients and advisors, the reserve above it, and the daily reconciliation with the processor."
      />
      <ReserveMonitoring />
    </>
  );
}
