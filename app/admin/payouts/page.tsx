import type { Metadata } from "next";
import { AdminPayouts } from "@/components/admin/AdminPayouts";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Payouts" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Payouts"
        description="Advisor withdrawals. Approve or reject those above the approval threshold; retry or cancel transfers that failed every attempt."
      />
      <AdminPayouts />
    </>
  );
}
