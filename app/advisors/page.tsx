import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { AdvisorBrowsePage } from "@/components/advisors/AdvisorBrowsePage";

export const metadata: Metadata = { title: "Advisors" };

export default function AdvisorsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return (
    <>
      <PageHeader title="Advisors" description="Online advisors can start a session right away. Rates are per minute, billed by the second." />
      <AdvisorBrowsePage searchParams={searchParams} />
    </>
  );
}
