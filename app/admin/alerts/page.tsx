import type { Metadata } from "next";
import { AdminAlerts } from "@/components/admin/AdminAlerts";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Alerts" };

export default function AlertsPage() {
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Problems the platform found on its own: reconciliation drift, reserve warnings, ledger check failures, stuck payouts, chargebacks, webhook problems and clients near their credit limit. Acknowledge each with a note."
      />
      <AdminAlerts />
    </>
  );
}
