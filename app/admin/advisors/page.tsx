import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { AdvisorReviewQueue } from "@/components/admin/advisors/AdvisorReviewQueue";

export const metadata: Metadata = { title: "Advisor applications" };

export default function AdminAdvisorsPage() {
  return (
    <>
      <PageHeader
        title="Advisor applications"
        description="Review applications with their documents, approve or reject with a reason, suspend, and set per-advisor fees."
      />
      <AdvisorReviewQueue />
    </>
  );
}
