import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/misc";
import { BillingStatusCards } from "@/components/admin/BillingStatusCards";
import { NewClientOfferToggle } from "@/components/admin/NewClientOfferToggle";

export const metadata: Metadata = { title: "Billing" };

export default function BillingPage() {
  return (
    <>
      <PageHeader title="Billing" description="Where the money is, and proof that it adds up." />
      <BillingStatusCards />
      <h2 className="mb-3 mt-8 text-lg font-semibold">Promotions</h2>
      <NewClientOfferToggle />
    </>
  );
}
