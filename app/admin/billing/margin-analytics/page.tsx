import type { Metadata } from "next";
import { MarginAnalytics } from "@/components/admin/MarginAnalytics";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Margin analytics" };

type Search = { from?: string | string[]; to?: string | string[] };

export default async function MarginAnalyticsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { from, to } = await searchParams;
  return (
    <>
      <PageHeader
        title="Margin analytics"
        description="Gross sales, platform fees, refunds, promotions, chargebacks and what the platform keeps, from the ledger."
      />
      <MarginAnalytics
        initialFrom={typeof from === "string" ? from : undefined}
        initialTo={typeof to === "string" ? to : undefined}
      />
    </>
  );
}
