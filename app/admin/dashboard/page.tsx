import type { Metadata } from "next";
import Link from "next/link";
import { LineChart, UserCheck } from "lucide-react";
import { AdminDashboard } from "@/components/admin/AdminDashboard";
import { PageHeader } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Admin dashboard" };

export default function AdminDashboardPage() {
  return (
    <>
      <PageHeader
        title="Admin dashboard"
        description="Live activity and money across the marketplace. Every figure opens its list."
        actions={
          <div className="flex flex-wrap gap-2">
            <Button asChild variant="secondary">
              <Link href="/admin/billing/margin-analytics">
                <LineChart aria-hidden="true" /> Margin analytics
              </Link>
            </Button>
            <Button asChild variant="secondary">
              <Link href="/admin/advisors">
                <UserCheck aria-hidden="true" /> Advisor applications
              </Link>
            </Button>
          </div>
        }
      />
      <AdminDashboard />
    </>
  );
}
