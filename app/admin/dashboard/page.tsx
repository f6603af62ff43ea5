import type { Metadata } from "next";
import { AdminOverview } from "@/components/admin/AdminOverview";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Admin dashboard" };

export default function AdminDashboardPage() {
  return (
    <>
      <PageHeader title="Admin dashboard" description="Live counts across the marketplace. Money figures arrive with the billing reports." />
      <AdminOverview />
    </>
  );
}
