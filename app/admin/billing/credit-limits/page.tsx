import type { Metadata } from "next";
import Link from "next/link";
import { CreditLimits } from "@/components/admin/CreditLimits";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "Credit limits" };

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
        title="Credit limits"
        description="Clients who may spend below zero, how much of it they use, and who is near or past the limit."
      />
      <CreditLimits />
    </>
  );
}
