import type { Metadata } from "next";
import { Download } from "lucide-react";
import { AdvisorEarnings } from "@/components/earnings/AdvisorEarnings";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Earnings" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Earnings"
        description="Each session's earnings are pending for 24 hours, then available to withdraw."
        actions={
          // A plain link: the route answers with a CSV attachment (no client-side code needed).
          <a
            href="/api/advisor/earnings?format=csv"
            download
            className={buttonVariants({ variant: "secondary" })}
            data-testid="earnings-csv"
          >
            <Download aria-hidden="true" /> Download CSV
          </a>
        }
      />
      <AdvisorEarnings />
    </>
  );
}
