import type { Metadata } from "next";
import { AdvisorReviews } from "@/components/reviews/AdvisorReviews";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Reviews" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Your reviews"
        description="Reply once to each review (you can edit it later); replies show on your public profile. Report a review that breaks the rules."
      />
      <AdvisorReviews />
    </>
  );
}
