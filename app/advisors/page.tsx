import { Suspense } from "react";
import type { Metadata } from "next";
import { AdvisorBrowser } from "@/components/advisors/AdvisorBrowser";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Advisors" };

export default function AdvisorsPage() {
  return (
    <>
      <PageHeader title="Advisors" description="Online advisors can start a session right away. Rates are per minute, billed by the second." />
      <Suspense>
        <AdvisorBrowser />
      </Suspense>
    </>
  );
}
