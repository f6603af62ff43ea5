import type { Metadata } from "next";
import { AdminOverview } from "@/components/admin/AdminOverview";
import Link from "next/link";
import { UserCheck } from "lucide-react";
import { PageHeader } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Admin dashboard" };

export default function AdminDashboardPage() {
  return (
    <>
      <PageHeader
        title="Admin dashboard"
        description="Live counts across the marketplace. Money figures arrive with the billing reports."
        actions={
          <Button asChild variant="secondary">
            <Link href="/admin/advisors">
              <UserCheck aria-hidden="true" /> Advisor applications
            </Link>
          </Button>
        }
      />
      <AdminOverview />
    </>
  );
}
