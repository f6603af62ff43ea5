import type { Metadata } from "next";
import { AdvisorPayouts } from "@/components/earnings/AdvisorPayouts";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Payouts" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Payouts"
        description="Withdraw your available earnings to your bank through your payout account."
      />
      <AdvisorPayouts />
    </>
  );
}
