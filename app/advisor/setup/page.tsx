import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { AdvisorProfileSetup } from "@/components/advisors/AdvisorProfileSetup";

export const metadata: Metadata = { title: "Advisor profile" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Advisor profile"
        description="Apply to advise, or keep your advisor profile and rates up to date."
      />
      <AdvisorProfileSetup />
    </>
  );
}
