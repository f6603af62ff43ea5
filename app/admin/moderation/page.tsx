import type { Metadata } from "next";
import { AdminOfflineMessages, AdminReviewReports } from "@/components/reviews/AdminModeration";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Moderation" };

export default function Page() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Moderation"
        description="Reported reviews (hide with a reason, or dismiss) and paid offline messages that are held or in dispute."
      />
      <AdminReviewReports />
      <AdminOfflineMessages />
    </div>
  );
}
