import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { AdvisorRateHistory } from "@/components/admin/advisors/AdvisorRateHistory";

export const metadata: Metadata = { title: "Advisor rates and fees" };

export default function AdvisorRatesPage() {
  return (
    <>
      <PageHeader
        title="Advisor rates and fees"
        description="Who changed which rate or fee, from what to what, and when."
      />
      <AdvisorRateHistory />
    </>
  );
}
