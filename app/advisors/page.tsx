import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/misc";
import { AdvisorBrowsePage } from "@/components/advisors/AdvisorBrowsePage";

export const metadata: Metadata = { title: "Advisors" };

export default function AdvisorsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return (
    <>
      <PageHeader
        title="Advisors"
        description="Online advisors can start a session right away. Rates are per minute, billed by the second."
        actions={
          <Link
            href="/advisor/setup"
            prefetch={false}
            className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
            data-testid="advisors-become-advisor"
          >
            Have expertise to share? Become an advisor
          </Link>
        }
      />
      <AdvisorBrowsePage searchParams={searchParams} />
    </>
  );
}
