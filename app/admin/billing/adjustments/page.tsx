import type { Metadata } from "next";
import Link from "next/link";
import { Adjustments } from "@/components/admin/Adjustments";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Adjustments and clawbacks" };

export default function Page() {
  return (
    <>
      <Link
        href="/admin/billing"
        className="mb-2 inline-block text-sm text-brand-700 underline-offset-4 hover:underline"
      >
        ← Billing
      </Link>
      <PageHeader
        title="Adjustments and clawbacks"
        description="Correct an advisor's pay for a session, approve other admins' large corrections, and settle what advisors owe."
      />
      <Adjustments />
    </>
  );
}
